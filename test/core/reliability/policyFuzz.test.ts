// Fuzzes the policy loader. A repository's .omni/policies.json is untrusted input: whatever it holds, parsePolicy must
// answer with a policy or with located diagnostics, never throw, and never take pathological time (it runs
// synchronously in the extension host, so a slow parse freezes the editor).
// Replay a failure with FUZZ_SEED=<seed printed by the run>.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parsePolicy } from '../../../src/core/policy/parse';
import { checkParse, checkParseWithin, FILE, type ParseCheck } from './policyContract';
import { seededRandom, seedFrom, type Random } from '../../support/random';

const SEED = seedFrom('FUZZ_SEED', 20_250_611);
const MUTATED_CASES = 3000;
const RANDOM_CASES = 1500;
/**
 * Bounds that only catch pathological behaviour (quadratic work, runaway recursion), not speed targets. Mutated
 * inputs reach a few hundred KB (huge strings), so they get 1 ms per KB on top, which linear work stays far below.
 */
const ORDINARY_BOUND_MS = 200;
const boundFor = (text: string) => ORDINARY_BOUND_MS + text.length / 1000;
const HUGE_BOUND_MS = 2000;
const root = join(__dirname, '..', '..', '..');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The valid policies mutations start from: the shipped templates and the benchmark policies. */
function seedPolicies(): { name: string; text: string }[] {
  const shipped = readdirSync(join(root, 'policies'))
    .filter((name) => name.endsWith('.json') && !name.endsWith('schema.json'))
    .map((name) => join(root, 'policies', name));
  // The shared bench policies sit beside the checkout in CI; a checkout on its own fuzzes the shipped ones only.
  const bench = ['policy-coarse.json', 'policy-fine.json'].map((name) => join(root, '..', 'shared', 'bench', name)).filter((file) => existsSync(file));
  return [...shipped, ...bench].map((file) => ({ name: file, text: readFileSync(file, 'utf8') }));
}

/**
 * Parses `text` and asserts the contract and the time bound; says how long the call took and whether it accepted.
 * Over the bound, the parse is timed twice more and the fastest counts: pathological work is slow every time, while
 * a garbage collection or another process on the machine (CI runs suites side by side) slows one call only.
 */
function check(text: string, label: string, boundMs: number): ParseCheck {
  let result = checkParse(text);
  if (result.problem) assert.fail(`${label}: ${result.problem}`);
  for (let retry = 0; retry < 2 && result.ms > boundMs; retry++) {
    const again = checkParse(text);
    if (again.ms < result.ms) result = again;
  }
  assert.ok(result.ms <= boundMs, `${label}: parsePolicy took ${result.ms.toFixed(0)} ms (bound ${boundMs} ms) in each of 3 tries`);
  return result;
}

// ---- mutations -------------------------------------------------------------------------------------------------

/** Tokens that break JSON in interesting places: structure, number edge cases, comments, odd unicode. */
const TOKENS = [
  '{', '}', '[', ']', ':', ',', '"', '"x"', '""', 'null', 'true', 'false', '0', '-', '-0', '1e309', '-1e309', '1e-400',
  'NaN', 'Infinity', '-Infinity', '0x1F', '01', '1.', '.5', '//', '/*', '*/', '// c\n', '/* c */', '\\', '\\u', '\\ud800',
  '\uFEFF', '\uD800', '\uDC00', '\uDBFF\uDFFF', '😀', '\u0000', '\u2028', '\u202E', 'e\u0301', '\r\n', '\r', '\t', '\v',
  '"version"', '"models"', '"routes"', '"rules"', '"defaultRoute"', '"router"', '"privacy"', '"__proto__"', '"constructor"',
];
const ODD_VALUES: Json[] = [
  null, true, false, 0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 1, '', 'x', ' ', '\uD800', '\uFEFF', '../../etc/passwd', [], {}, [1, 'a', null],
  { a: 1 }, JSON.parse('{"__proto__": {"polluted": true}}') as Json, 'https://evil.invalid/v1',
];

type Container = Json[] | { [key: string]: Json };

/** Every array and object in `value`, so structural mutations can pick one. */
function containers(value: Json, found: Container[] = []): Container[] {
  if (value !== null && typeof value === 'object') {
    found.push(value);
    for (const child of Object.values(value)) containers(child, found);
  }
  return found;
}

function typo(random: Random, key: string): string {
  const i = random.int(key.length + 1);
  return random.pick([
    key.slice(0, i) + key.slice(i + 1),
    key.toUpperCase(),
    `${key}s`,
    key.slice(0, i) + random.pick(['x', '_', '-', ' ', '\u0000']) + key.slice(i),
    '',
  ]);
}

function hugeString(random: Random): string {
  return random.pick(['x', 'é', '😀', '\uD800', ' ', '\\']).repeat(random.between(1_000, 200_000));
}

/** Mutations of the parsed value: the result is still JSON, so they reach the schema and reference checks. */
const structural: Record<string, (random: Random, target: Container) => void> = {
  changeType(random, target) {
    const keys = Object.keys(target);
    if (keys.length > 0) (target as Record<string, Json>)[random.pick(keys)] = structuredClone(random.pick(ODD_VALUES));
  },
  renameKey(random, target) {
    if (Array.isArray(target)) return;
    const key = random.pick([...Object.keys(target), 'k']);
    const value = target[key] ?? null;
    delete target[key];
    target[typo(random, key)] = value;
  },
  dropKey(random, target) {
    const keys = Object.keys(target);
    if (keys.length === 0) return;
    if (Array.isArray(target)) target.splice(random.int(target.length), 1);
    else delete target[random.pick(keys)];
  },
  injectKey(random, target) {
    if (Array.isArray(target)) target.push(structuredClone(random.pick(ODD_VALUES)));
    else target[random.pick(['extra', 'Version', 'model', 'routes ', 'timeoutMs', '$schema', '__proto__'])] = structuredClone(random.pick(ODD_VALUES));
  },
  hugeString(random, target) {
    const keys = Object.keys(target);
    if (keys.length > 0) (target as Record<string, Json>)[random.pick(keys)] = hugeString(random);
  },
  duplicateEntry(random, target) {
    if (Array.isArray(target) && target.length > 0) target.push(structuredClone(random.pick(target)));
  },
  deepen(random, target) {
    const keys = Object.keys(target);
    if (keys.length === 0) return;
    const key = random.pick(keys);
    let value = (target as Record<string, Json>)[key];
    for (let depth = random.between(1, 50); depth > 0; depth--) value = random.chance(0.5) ? [value] : { a: value };
    (target as Record<string, Json>)[key] = value;
  },
};

/** Mutations of the text: most of them break the JSON itself. */
const textual: Record<string, (random: Random, text: string) => string> = {
  deleteChars(random, text) {
    const at = random.int(text.length + 1);
    return text.slice(0, at) + text.slice(at + random.between(1, 8));
  },
  duplicateChars(random, text) {
    const at = random.int(text.length + 1);
    return text.slice(0, at) + text.slice(at, at + random.between(1, 40)) + text.slice(at);
  },
  swapChars(random, text) {
    if (text.length < 2) return text;
    const at = random.int(text.length - 1);
    return text.slice(0, at) + text[at + 1] + text[at] + text.slice(at + 2);
  },
  truncate: (random, text) => text.slice(0, random.int(text.length + 1)),
  insertToken(random, text) {
    const at = random.int(text.length + 1);
    return text.slice(0, at) + random.pick(TOKENS) + text.slice(at);
  },
  crlf: (_random, text) => text.replace(/\n/g, '\r\n'),
  bom: (_random, text) => `\uFEFF${text}`,
  replaceNumber: (random, text) => text.replace(/-?\d+(\.\d+)?/, random.pick(['1e309', '-1e309', 'NaN', '1e-400', '-0', '0x10', '9'.repeat(400)])),
};

/** A seed policy after 1–4 random mutations; `ops` names them, for the failure message. */
function mutate(random: Random, seedText: string): { text: string; ops: string[] } {
  const ops: string[] = [];
  const value = JSON.parse(seedText) as Json;
  for (let n = random.int(3); n > 0; n--) {
    const name = random.pick(Object.keys(structural));
    structural[name](random, random.pick(containers(value)));
    ops.push(name);
  }
  let text = JSON.stringify(value, null, random.pick([0, 2, '\t']));
  for (let n = random.int(3) + (ops.length === 0 ? 1 : 0); n > 0; n--) {
    const name = random.pick(Object.keys(textual));
    text = textual[name](random, text);
    ops.push(name);
  }
  return { text, ops };
}

function randomBytes(random: Random, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = random.int(256);
  return bytes;
}

// ---- tests -----------------------------------------------------------------------------------------------------

const seeds = seedPolicies();
const seedText = seeds[0]?.text ?? '';

describe('the policy loader under fuzzing', () => {
  test('every seed policy is valid, so that mutations start from a valid policy', () => {
    assert.ok(seeds.length >= 4, `only ${seeds.length} seed policies found`);
    for (const seed of seeds) assert.equal(parsePolicy(seed.text, FILE).ok, true, `${seed.name} is not a valid policy`);
  });

  test('a syntax error at the end of the text is placed inside the text (unterminated comment, missing value)', () => {
    for (const text of ['/*', '{"version": 1 /* no end', '{"version":']) check(text, JSON.stringify(text), ORDINARY_BOUND_MS);
  });

  test(`${MUTATED_CASES} mutated policies each give a policy or located diagnostics, within ${ORDINARY_BOUND_MS} ms + 1 ms/KB`, (t) => {
    const random = seededRandom(SEED);
    let maxMs = 0;
    let accepted = 0;
    for (let i = 0; i < MUTATED_CASES; i++) {
      const seed = random.pick(seeds);
      const { text, ops } = mutate(random, seed.text);
      const { ms, ok } = check(text, `seed ${SEED} case ${i} (${seed.name}: ${ops.join(', ')})`, boundFor(text));
      maxMs = Math.max(maxMs, ms);
      if (ok) accepted++;
    }
    t.diagnostic(`seed ${SEED}: ${MUTATED_CASES} mutated policies, ${accepted} still valid, slowest parse ${maxMs.toFixed(1)} ms`);
  });

  test(`${RANDOM_CASES} random byte strings and token soups each give located diagnostics, within ${ORDINARY_BOUND_MS} ms + 1 ms/KB`, (t) => {
    const random = seededRandom(SEED + 1);
    let maxMs = 0;
    for (let i = 0; i < RANDOM_CASES; i++) {
      const bytes = randomBytes(random, random.int(4096));
      const soup = Array.from({ length: random.int(300) }, () => random.pick(TOKENS)).join(random.pick(['', ' ', '\n']));
      const inputs = [bytes.toString('utf8'), bytes.toString('latin1'), soup];
      for (const [k, text] of inputs.entries()) maxMs = Math.max(maxMs, check(text, `seed ${SEED + 1} case ${i}.${k}`, boundFor(text)).ms);
    }
    t.diagnostic(`seed ${SEED + 1}: ${RANDOM_CASES * 3} random inputs, slowest parse ${maxMs.toFixed(1)} ms`);
  });
});

describe('the policy loader on huge files', () => {
  const megabytes = (text: string) => `${(text.length / 1e6).toFixed(1)} MB`;
  const valid = JSON.parse(seedText) as { routes: { description: string }[] };

  const huge: { name: string; text: () => string }[] = [
    {
      name: 'a 4 MB route description',
      text: () => JSON.stringify({ ...valid, routes: [{ ...valid.routes[0], description: 'd'.repeat(4_000_000) }, ...valid.routes.slice(1)] }),
    },
    { name: 'a valid policy inside 3 MB of whitespace and comments', text: () => `${' \n'.repeat(750_000)}/* ${'c'.repeat(1_500_000)} */${seedText}` },
    { name: '3 MB of random bytes', text: () => randomBytes(seededRandom(SEED + 2), 3_000_000).toString('utf8') },
    { name: 'a 3 MB unterminated string', text: () => `{"version": 1, "models": "${'s'.repeat(3_000_000)}` },
    { name: 'a 4 MB routes array whose entries miss their fields', text: () => `{"version":1,"routes":[${Array(300_000).fill('{"name":"a"}').join(',')}]}` },
    { name: '2 MB of unknown keys at the top level', text: () => `{${Array.from({ length: 180_000 }, (_, i) => `"k${i}":1`).join(',')}}` },
    {
      name: '2 MB of models without a provider',
      text: () => `{"version":1,"models":{${Array.from({ length: 90_000 }, (_, i) => `"m${i}":{"model":"x"}`).join(',')}},"routes":[{"name":"a","description":"abc","model":"m1"}],"defaultRoute":"a"}`,
    },
  ];
  for (const { name, text } of huge) {
    test(`${name} gives located diagnostics within ${HUGE_BOUND_MS} ms`, async (t) => {
      const input = text();
      const { ms, problem } = await checkParseWithin(input, HUGE_BOUND_MS);
      t.diagnostic(`${megabytes(input)}: ${problem ?? `parsed in ${ms.toFixed(0)} ms`}`);
      assert.equal(problem, undefined, `${name}: ${problem}`);
      assert.ok(ms <= HUGE_BOUND_MS, `${name}: parsePolicy took ${ms.toFixed(0)} ms (bound ${HUGE_BOUND_MS} ms)`);
    });
  }
});

describe('the policy loader on deep nesting', () => {
  const nestings = [
    { name: '10,000 levels of [', text: '['.repeat(10_000) + ']'.repeat(10_000) },
    { name: '100,000 levels of [', text: '['.repeat(100_000) + ']'.repeat(100_000) },
    { name: '10,000 levels of {"a":', text: '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000) },
    { name: '100,000 levels of {"a":', text: '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000) },
    { name: '100,000 unclosed levels of [ under "models"', text: `{"version":1,"models":${'['.repeat(100_000)}` },
  ];
  for (const { name, text } of nestings) {
    test(`${name} gives located diagnostics instead of overflowing the stack`, () => {
      check(text, name, HUGE_BOUND_MS);
    });
  }
});
