// The providers file, the registry's errors, and the <think> splitter.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadProvidersFile, parseProvidersConfig, parseProvidersLeniently } from '../../src/core/providers/config';
import { createProviderRegistry } from '../../src/core/providers/registry';
import { ThinkSplitter } from '../../src/core/providers/thinkSplitter';
import { ProviderError } from '../../src/core/providers/types';
import { scratchDir } from '../support/scratch';

const KEY_HINT = 'a key is never written here: name the environment variable that holds it in "apiKeyEnv" (in VS Code, or run "Omni: Set API Key")';

describe('the omni.providers setting, read entry by entry', () => {
  test('one bad entry leaves the others in use, and a bad override of a built-in makes it unusable rather than public', () => {
    const { config, rejected } = parseProvidersLeniently({
      openai: { baseURL: 'http://127.0.0.1:4000/v1' },
      lan: { type: 'openai-compatible', baseURL: 'http://192.168.1.20:8000/v1' },
      ollama: { baseURL: 'http://192.168.1.21:11434/v1' },
      typo: { type: 'openai', baseURL: 'https://x.example/v1', apiKey: 'sk-1' },
    });
    assert.deepEqual(Object.keys(config.providers), ['openai']);
    assert.deepEqual(Object.keys(rejected), ['lan', 'ollama', 'typo']);
    assert.match(rejected.lan, /plain http:\/\/ to another machine, which is only allowed for this one/);
    assert.match(rejected.typo, /unknown field "apiKey".*; a key is never written here: name the environment variable that holds it in "apiKeyEnv"/);
    const registry = createProviderRegistry({ config, rejected, definedIn: 'the "omni.providers" user setting', env: {} });
    assert.equal(registry.get('openai').origin, 'http://127.0.0.1:4000');
    for (const name of ['lan', 'ollama']) {
      assert.throws(() => registry.get(name), (error: unknown) => error instanceof ProviderError && error.kind === 'config' &&
        new RegExp(`^provider "${name}" is not used until its entry in the "omni.providers" user setting is fixed: `).test(error.message));
    }
    assert.ok(!registry.names().includes('ollama') && !registry.localNames().includes('ollama'));
    // The rule a name broke, not zod's "Invalid key in record".
    assert.deepEqual(parseProvidersLeniently({ 'my fake': { type: 'openai-compatible', baseURL: 'http://127.0.0.1:1/v1' } }).rejected, {
      'my fake': 'this name is not allowed: use letters, digits, "_", "-" or "." and start with a letter',
    });
    assert.deepEqual(parseProvidersLeniently('nope').rejected, { '(the whole setting)': 'must be an object of provider entries, e.g. {"myvllm": {…}}' });
  });

  test('says each rejected entry\'s problem once: after its name, the field, the value given and what is allowed', () => {
    const { rejected } = parseProvidersLeniently({
      nourl: { type: 'openai-compatible' },
      local: { type: 'openai', baseURL: 'http://127.0.0.1:8000/v1' },
      lan: { type: 'openai-compatible', baseURL: 'http://192.168.1.20:8000/v1', allowInsecureHttp: 'yes' },
      huggingface: { type: 'openai-compatible' },
      spare: { type: 'openai-compatible', baseURL: 'http://127.0.0.1:8001/v1', extra: 1 },
    });
    // Before: `providers.nourl.baseURL: required…` after the name, and zod's "Invalid option: expected one of …".
    assert.deepEqual(rejected, {
      nourl: 'baseURL is required, e.g. "http://127.0.0.1:8000/v1"',
      local: 'type "openai" is not one of "openai-compatible", "huggingface"',
      lan: 'allowInsecureHttp "yes" is not true or false',
      huggingface: 'type "openai-compatible" differs from the built-in provider\'s, "huggingface": remove "type", or give this entry another name',
      spare: 'unknown field "extra"; the fields are "type", "baseURL", "apiKeyEnv", "allowInsecureHttp"',
    });
    const registry = createProviderRegistry({ config: { providers: {} }, rejected, definedIn: 'the "omni.providers" user setting', env: {} });
    assert.throws(() => registry.get('local'), {
      message: 'provider "local" is not used until its entry in the "omni.providers" user setting is fixed: type "openai" is not one of "openai-compatible", "huggingface"',
    });
    // A providers file says the same, after the place and the entry's path.
    assert.throws(() => parseProvidersConfig({ providers: { local: { type: 'openai', baseURL: 'http://127.0.0.1:8000/v1' } } }, 'providers.json'), {
      message: 'providers.json: invalid providers config\n  providers.local.type "openai" is not one of "openai-compatible", "huggingface"',
    });
  });
  test('says every problem of every entry at once, so fixing one does not reveal the next', () => {
    const { rejected } = parseProvidersLeniently({
      typo: { type: 'openai' },
      lan: { type: 'openai', baseURL: 'http://192.168.1.20:8000/v1' },
      openai: { type: 'huggingface', baseURL: 'api.openai.com' },
    });
    assert.deepEqual(rejected, {
      typo: 'type "openai" is not one of "openai-compatible", "huggingface"; baseURL is required, e.g. "http://127.0.0.1:8000/v1"',
      lan: 'type "openai" is not one of "openai-compatible", "huggingface"; baseURL "http://192.168.1.20:8000/v1" is plain http:// to another machine, which is only allowed for this one (localhost, 127.0.0.1, ::1): use https:// or set "allowInsecureHttp": true',
      openai: 'baseURL "api.openai.com" is not an http:// or https:// URL, e.g. "http://127.0.0.1:8000/v1"; type "huggingface" differs from the built-in provider\'s, "openai-compatible": remove "type", or give this entry another name',
    });
    // A providers file (the CLI's) lists them all too, one a line, not only the entries whose fields are well formed.
    const file = { providers: { typo: { type: 'openai' }, nourl: { type: 'openai-compatible' }, lan: { type: 'openai-compatible', baseURL: 'http://192.168.1.20:8000/v1' } } };
    assert.throws(() => parseProvidersConfig(file, 'providers.json'), {
      message: [
        'providers.json: invalid providers config',
        '  providers.typo.type "openai" is not one of "openai-compatible", "huggingface"',
        '  providers.typo.baseURL is required, e.g. "http://127.0.0.1:8000/v1"',
        '  providers.nourl.baseURL is required, e.g. "http://127.0.0.1:8000/v1"',
        '  providers.lan.baseURL "http://192.168.1.20:8000/v1" is plain http:// to another machine, which is only allowed for this one (localhost, 127.0.0.1, ::1): use https:// or set "allowInsecureHttp": true',
      ].join('\n'),
    });
  });

  test('a key pasted under any key-like name gets the apiKeyEnv hint, in the setting and in a providers file, and is never repeated', () => {
    const names = ['apiKey', 'apikey', 'API_KEY', 'key', 'token', 'apiToken', 'access_token', 'secret', 'hf_token', 'password', 'bearer', 'Authorization'];
    const secret = 'hf_PastedSecretValue0123456789';
    const base = { type: 'openai-compatible', baseURL: 'http://127.0.0.1:8000/v1' };
    const { rejected } = parseProvidersLeniently(Object.fromEntries(names.map((name) => [`with-${name}`, { ...base, [name]: secret }])));
    for (const name of names) {
      assert.equal(rejected[`with-${name}`], `unknown field "${name}"; the fields are "type", "baseURL", "apiKeyEnv", "allowInsecureHttp"; ${KEY_HINT}`, name);
    }
    // Nor a key pasted where a URL, a variable name or the whole entry belongs.
    const misplaced = parseProvidersLeniently({
      url: { type: 'openai-compatible', baseURL: secret },
      env: { ...base, apiKeyEnv: `sk-${secret}` },
      // A Hugging Face token, or a long random key, is also a valid variable name: taken for one, it would be quoted as unset.
      hf: { ...base, apiKeyEnv: secret },
      random: { ...base, apiKeyEnv: 'Xk29fLqP0aZr7TbV1mNc4Hd8' },
      whole: secret,
    }).rejected;
    const notAKey = 'apiKeyEnv must be the name of an environment variable, e.g. "MY_KEY", not the key itself';
    assert.deepEqual(misplaced, {
      url: 'baseURL (a value that looks like a key, not shown) is not an http:// or https:// URL, e.g. "http://127.0.0.1:8000/v1"',
      env: notAKey,
      hf: notAKey,
      random: notAKey,
      whole: 'must be an object of fields, e.g. {"type": "openai-compatible", "baseURL": "http://127.0.0.1:8000/v1"}',
    });
    // Variable names as people write them are names, long ones included.
    for (const name of ['HF_TOKEN', 'MY_COMPANY_OPENAI_API_KEY_FOR_VLLM', 'myKey', 'OpenRouterKey2']) {
      assert.deepEqual(parseProvidersLeniently({ ok: { ...base, apiKeyEnv: name } }).rejected, {}, name);
    }
    // A field of another name is only unknown.
    assert.doesNotMatch(parseProvidersLeniently({ x: { ...base, model: 'llama' } }).rejected.x, /a key is never written here/);

    // The CLI's providers file reads entries with the same schema.
    const path = join(scratchDir('omni-providers-'), 'providers.json');
    writeFileSync(path, JSON.stringify({ providers: { box: { ...base, HF_TOKEN: secret } } }, null, 2));
    assert.throws(() => loadProvidersFile(path), (error: Error) => {
      const place = `${path}:6:7`;
      assert.equal(error.message, `${path}: invalid providers config\n  ${place}: providers.box: unknown field "HF_TOKEN"; the fields are "type", "baseURL", "apiKeyEnv", "allowInsecureHttp"\n  ${place}: ${KEY_HINT}`);
      return true;
    });
  });
});

describe('providers file', () => {
  test('defines an openai-compatible provider with its key variable', () => {
    const config = parseProvidersConfig(
      { providers: { myvllm: { type: 'openai-compatible', baseURL: 'http://127.0.0.1:8000/v1', apiKeyEnv: 'MY_KEY' } } },
      'providers.json',
    );
    const registry = createProviderRegistry({ config, env: {} });
    assert.equal(registry.get('myvllm').origin, 'http://127.0.0.1:8000');
    assert.deepEqual(registry.names(), ['huggingface', 'openai', 'ollama', 'myvllm']);
  });

  test('overrides a built-in\'s base URL and keeps its type', () => {
    const config = parseProvidersConfig({ providers: { huggingface: { baseURL: 'https://my-endpoint.example/v1' } } }, 'providers.json');
    assert.equal(createProviderRegistry({ config, env: {} }).get('huggingface').origin, 'https://my-endpoint.example');
  });

  test('refuses plain http:// to another machine, naming the field and the way out', () => {
    assert.throws(
      () => parseProvidersConfig({ providers: { lan: { type: 'openai-compatible', baseURL: 'http://192.168.1.5:8000/v1' } } }, 'providers.json'),
      /providers\.json: invalid providers config\n {2}providers\.lan\.baseURL "http:\/\/192\.168\.1\.5:8000\/v1" is plain http:\/\/ to another machine, which is only allowed for this one .*"allowInsecureHttp": true/,
    );
  });

  test('a base URL that is no URL at all is reported at its key, not thrown as a bare "Invalid URL"', () => {
    for (const baseURL of ['127.0.0.1:8000/v1', 'http://', 'http//127.0.0.1:8000']) {
      assert.throws(
        () => parseProvidersConfig({ providers: { x: { type: 'openai-compatible', baseURL } } }, 'providers.json'),
        new RegExp(`providers\\.json: invalid providers config\n {2}providers\\.x\\.baseURL "${baseURL}" is not an http:\\/\\/ or https:\\/\\/ URL`),
        baseURL,
      );
    }
  });

  test('the settings value pasted into a file as is gets told to put its entries under "providers"', () => {
    assert.throws(
      () => parseProvidersConfig({ myvllm: { type: 'openai-compatible', baseURL: 'http://127.0.0.1:8000/v1' } }, 'providers.json'),
      /Unrecognized key: "myvllm"\n {2}put the entries under "providers": \{"providers": \{"myvllm"/,
    );
  });

  test('accepts plain http:// to another machine with allowInsecureHttp', () => {
    const config = parseProvidersConfig(
      { providers: { lan: { type: 'openai-compatible', baseURL: 'http://192.168.1.5:8000/v1', allowInsecureHttp: true } } },
      'providers.json',
    );
    assert.equal(config.providers.lan.allowInsecureHttp, true);
  });

  test('requires type and baseURL for a provider that is not built in', () => {
    assert.throws(() => parseProvidersConfig({ providers: { mine: {} } }, 'settings "omni.providers"'), (error: Error) => {
      assert.match(error.message, /providers\.mine\.type is required: "openai-compatible", "huggingface"/);
      assert.match(error.message, /providers\.mine\.baseURL is required/);
      return true;
    });
  });

  test('reads JSON with comments from a file', () => {
    const path = join(scratchDir('omni-providers-'), 'providers.jsonc');
    writeFileSync(path, '{\n  // my GPU box\n  "providers": { "box": { "type": "openai-compatible", "baseURL": "http://localhost:8000/v1" } }\n}\n');
    assert.equal(loadProvidersFile(path).providers.box.baseURL, 'http://localhost:8000/v1');
  });

  test('says a JSON syntax error in words at file:line:col, as omni check says a policy\'s', () => {
    const path = join(scratchDir('omni-providers-'), 'providers.json');
    // CRLF and a byte-order mark, as Notepad saves it: neither moves the place.
    writeFileSync(path, '\uFEFF{\r\n  "providers": {\r\n    "box": { "type" "openai-compatible" }\r\n  }\r\n}\r\n');
    assert.throws(() => loadProvidersFile(path), {
      message: `${path}:3:${'    "box": { "type" '.length + 1}: JSON syntax error: colon expected; check the punctuation just before this point`,
    });
    writeFileSync(path, '\n');
    assert.throws(() => loadProvidersFile(path), { message: `${path}: the providers file is empty; it holds {"providers": {"myvllm": {…}}}` });
  });

  test('starts each invalid entry\'s problem with file:line:col, at the key for an unknown key or a bad name', () => {
    const path = join(scratchDir('omni-providers-'), 'providers.json');
    /** The file's one problem line, checked to start where `mark` is on the entry's line (the second). */
    const problemAt = (entry: string, mark: string) => {
      writeFileSync(path, `{ "providers": {\n${entry}\n} }`);
      const place = `${path}:2:${entry.indexOf(mark) + 1}: `;
      assert.throws(() => loadProvidersFile(path), (error: Error) => {
        const [, problem] = error.message.split('\n');
        assert.ok(problem.startsWith(`  ${place}`), `${problem} starts with ${place}`);
        return true;
      });
    };
    problemAt('  "lan": { "type": "openai-compatible", "baseURL": "http://192.168.1.5:8000/v1" }', '"http://192');
    problemAt('  "my box": { "type": "openai-compatible", "baseURL": "http://127.0.0.1:8000/v1" }', '"my box"');
    problemAt('  "box": { "type": "openai-compatible", "baseURL": "http://127.0.0.1:8000/v1", "apiKey": "sk-1" }', '"apiKey"');
  });

  test('lists a file\'s problems from its top, as an editor does, not in the order the validator found them', () => {
    const path = join(scratchDir('omni-providers-'), 'providers.json');
    const text = [
      '{',
      '  "extra": 1,',
      '  "providers": {',
      '    "b": { "type": "bogus", "baseURL": "https://x.example/v1" },',
      '    "a": { "type": "openai-compatible", "baseURL": "https://x.example/v1", "zzz": 1 }',
      '  }',
      '}',
    ];
    writeFileSync(path, text.join('\n'));
    const at = (line: number, needle: string) => [line, text[line - 1].indexOf(needle) + 1];
    assert.throws(() => loadProvidersFile(path), (error: Error) => {
      const places = error.message.split('\n').slice(1).map((line) => line.match(/:(\d+):(\d+): /)!.slice(1).map(Number));
      assert.deepEqual(places, [at(2, '"extra"'), at(4, '"bogus"'), at(5, '"zzz"')]);
      return true;
    });
  });
});

describe('provider registry', () => {
  test('an unknown name is a config error that says where to define it', () => {
    const registry = createProviderRegistry({ configSource: '/home/me/.omni/providers.json', env: {} });
    assert.throws(
      () => registry.get('myvllm'),
      (error: unknown) =>
        error instanceof ProviderError &&
        error.kind === 'config' &&
        error.message === 'provider "myvllm" is not defined: add it to your providers file (/home/me/.omni/providers.json); defined: huggingface, openai, ollama',
    );
  });

  test('get works unbound, so callers can pass `registry.get` around', () => {
    const { get } = createProviderRegistry({ env: {} });
    assert.equal(get('ollama').name, 'ollama');
  });
});

describe('<think> splitter', () => {
  function split(pieces: string[]): Array<[string, string]> {
    const splitter = new ThinkSplitter();
    const parts = [...pieces.flatMap((piece) => splitter.push(piece)), ...splitter.flush()];
    // Merge neighbours of the same type: how the text was cut must not matter.
    const merged: Array<[string, string]> = [];
    for (const part of parts) {
      const last = merged.at(-1);
      if (last && last[0] === part.type) last[1] += part.text;
      else merged.push([part.type, part.text]);
    }
    return merged;
  }

  test('separates reasoning from the answer whatever the chunk boundaries', () => {
    const text = '<think>plan it</think>\n\nThe answer.';
    for (let cut = 1; cut < text.length; cut++) {
      assert.deepEqual(split([text.slice(0, cut), text.slice(cut)]), [['reasoning', 'plan it'], ['token', 'The answer.']], `cut at ${cut}`);
    }
  });

  test('releases held-back text that turned out not to be a tag', () => {
    assert.deepEqual(split(['a <th', 'ing']), [['token', 'a <thing']]);
    assert.deepEqual(split(['ends with <thi']), [['token', 'ends with <thi']]);
  });

  test('treats text without tags as answer', () => {
    assert.deepEqual(split(['just ', 'text']), [['token', 'just text']]);
  });

  /** Answer and reasoning as a reader ends up with them: a lone `</think>` withdraws the answer before it. */
  function read(pieces: string[]): { answer: string; reasoning: string } {
    const splitter = new ThinkSplitter();
    let answer = '';
    let reasoning = '';
    for (const part of [...pieces.flatMap((piece) => splitter.push(piece)), ...splitter.flush()]) {
      if (part.type === 'token') answer += part.text;
      else if (part.answerWasReasoning) [answer, reasoning] = ['', reasoning + answer + part.text];
      else reasoning += part.text;
    }
    return { answer, reasoning };
  }

  function everyCut(text: string): string[][] {
    return Array.from({ length: text.length + 1 }, (_, cut) => [text.slice(0, cut), text.slice(cut)]);
  }

  /** The same split whichever chunk boundary cuts the text. */
  function splitsAtEveryCut(text: string, expected: { answer: string; reasoning: string }): void {
    for (const pieces of everyCut(text)) assert.deepEqual(read(pieces), expected, JSON.stringify(pieces));
  }

  test('a </think> that ends its line, with no <think> before it, ends reasoning the template opened', () => {
    const cases = [
      ['The user wants `parse()`.\n</think>\n\nUse a loop.', 'The user wants `parse()`.\n', 'Use a loop.'],
      ['Let me think.</think>\n\nThe answer.', 'Let me think.', 'The answer.'],
      ['Plan:\n```js\nf();\n```\n</think>  \r\nDone.', 'Plan:\n```js\nf();\n```\n', 'Done.'],
      ['Only reasoning, then the stream ends.\n</think>', 'Only reasoning, then the stream ends.\n', ''],
    ];
    for (const [text, reasoning, answer] of cases) splitsAtEveryCut(text, { answer, reasoning });
  });

  test('a <think> or </think> quoted in an answer, inline or in a code block, stays answer text', () => {
    const answers = [
      'Close the block with `</think>`.',
      'A stray </think> mid-line is text.\nMore.',
      'Close it like this:\n\n```xml\n</think>\n```\n\nThat ends it.',
      'It ends with `</think>`',
      'Wrap the reasoning in `<think>` tags.',
      'Write `<think>…</think>` first.\nThen the answer.',
      'Tags such as <think> mid-line are text.',
      'Like this:\n\n```xml\n<think>\nplan\n</think>\n```\n\nThen answer.',
      'A tilde fence:\n~~~\n<think>\n~~~',
      'Indented, it is code:\n\n    <think>',
    ];
    for (const text of answers) splitsAtEveryCut(text, { answer: text, reasoning: '' });
  });

  test('a <think> that starts the answer, or a line outside a code fence, opens reasoning', () => {
    const cases = [
      ['\n  <think>plan</think>\n\nAnswer.', 'plan', 'Answer.'],
      ['Intro.\n<think>plan</think>\n\nAnswer.', 'plan', 'Intro.\nAnswer.'],
      ['See `<think>`:\n```\n<think>\n```\n<think>plan</think>\nDone.', 'plan', 'See `<think>`:\n```\n<think>\n```\nDone.'],
    ];
    for (const [text, reasoning, answer] of cases) splitsAtEveryCut(text, { answer, reasoning });
  });

  test('after a quoted </think>, a lone one still ends the reasoning before it', () => {
    const text = 'They wrote `</think>` too early.\n</think>\n\nFixed.';
    splitsAtEveryCut(text, { answer: 'Fixed.', reasoning: 'They wrote `</think>` too early.\n' });
  });
});
