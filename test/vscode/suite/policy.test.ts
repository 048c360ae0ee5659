// The workspace policy in a real editor: Problems entries at the exact place, the last valid policy keeps routing
// while the file is broken, and a fix takes effect without a reload.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { FakeProvider } from '../../fake-provider/server';
import { fakeProvider, modelsAsked, omniApi, openWithSelection, policyUri, testPolicy, usePolicy, waitFor, watchMessages, withProviders, writeText } from './helpers';

/** The test policy with its general model on `provider`. */
function generalOn(provider: string): Record<string, unknown> {
  const policy = testPolicy();
  const models = policy.models as Record<string, Record<string, unknown>>;
  return { ...policy, models: { ...models, general: { ...models.general, provider } } };
}

/** Waits until Explain Selection (of the selection in the active editor) is routed to `model` of the fake provider. */
function explanationsGoTo(fake: FakeProvider, model: string): Promise<boolean> {
  return waitFor(`explanations to be routed to ${model}`, async () => {
    const before = fake.chatRequests().length;
    await vscode.commands.executeCommand('omni.explainSelection');
    return modelsAsked(fake, before).join() === model;
  });
}

suite('Policy in the editor', () => {
  suiteSetup(async () => {
    await omniApi();
    const fake = await fakeProvider();
    fake.behave('fake-coder', { text: 'An explanation from the coder.' });
    fake.behave('fake-general', { text: 'An explanation from the general model.' });
    await usePolicy(testPolicy());
  });

  test('an invalid policy shows a Problems entry at the right line, with a fix', async () => {
    const text = JSON.stringify(testPolicy(), null, 2).replace('"model": "coder",\n      "fallbacks"', '"model": "codr",\n      "fallbacks"');
    const expectedLine = text.split('\n').findIndex((line) => line.includes('"codr"'));
    await writeText(policyUri(), text);
    const [problem] = await waitFor('a Problems entry', () => {
      const found = vscode.languages.getDiagnostics(policyUri());
      return found.length > 0 ? found : undefined;
    });
    assert.equal(problem.range.start.line, expectedLine);
    assert.equal(problem.severity, vscode.DiagnosticSeverity.Error);
    assert.match(problem.message, /no model "codr" in "models"\. Did you mean "coder"\?/);
    assert.equal(problem.source, 'Omni policy');
  });

  test('a did-you-mean is a quick fix that puts the suggested name in place of the typo', async () => {
    const text = JSON.stringify(testPolicy(), null, 2).replace('"model": "coder",\n      "fallbacks"', '"model": "codr",\n      "fallbacks"');
    await writeText(policyUri(), text);
    const problem = await waitFor('the Problems entry of the typo', () => vscode.languages.getDiagnostics(policyUri()).find((d) => /"codr"/.test(d.message)));
    // Code actions are asked of an open document, as the editor's light bulb does.
    const document = await vscode.workspace.openTextDocument(policyUri());
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', policyUri(), problem.range);
    const fix = actions.find((action) => action.title === 'Change to "coder"');
    assert.ok(fix?.edit, `no quick fix among: ${actions.map((action) => action.title).join(', ')}`);
    assert.equal(fix.isPreferred, true);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(document.getText(), text.replace('"codr"', '"coder"'));
    await document.save();
    await waitFor('the entry to go once the fix is saved', () => (vscode.languages.getDiagnostics(policyUri()).length === 0 ? true : undefined));
    // The file stays broken for the next test, as the first one left it.
    await writeText(policyUri(), text);
    await waitFor('the Problems entry again', () => vscode.languages.getDiagnostics(policyUri()).find((d) => /"codr"/.test(d.message)));
  });

  test('while the file is broken, the last valid policy keeps routing', async () => {
    const fake = await fakeProvider();
    const before = fake.chatRequests().length;
    await openWithSelection('broken.py', 'def f(x):\n    return x * 2\n', 0, 1);
    const result = await vscode.commands.executeCommand<{ ok: boolean }>('omni.explainSelection');
    assert.equal(result?.ok, true);
    assert.deepEqual(modelsAsked(fake, before), ['fake-coder']);
  });

  test('fixing the file clears the entry and routing follows the new policy without a reload', async () => {
    const fake = await fakeProvider();
    await usePolicy(testPolicy({ explainRoute: 'general_chat' }));
    assert.equal(vscode.languages.getDiagnostics(policyUri()).length, 0);
    const before = fake.chatRequests().length;
    await openWithSelection('fixed.py', 'def g(y):\n    return y + 1\n', 0, 1);
    const result = await vscode.commands.executeCommand<{ ok: boolean; text: string }>('omni.explainSelection');
    assert.equal(result?.text, 'An explanation from the general model.');
    assert.deepEqual(modelsAsked(fake, before), ['fake-general']);
    await usePolicy(testPolicy());
  });

  test('a model on a provider the user has not defined gets a warning, which goes once the setting defines it', async () => {
    const fake = await fakeProvider();
    await withProviders(async (addProviders) => {
      await usePolicy(generalOn('gateway'));
      const [warning] = await waitFor('a provider warning', () => {
        const found = vscode.languages.getDiagnostics(policyUri());
        return found.length > 0 ? found : undefined;
      });
      assert.equal(warning.severity, vscode.DiagnosticSeverity.Warning);
      assert.match(warning.message, /^no provider "gateway" here: define it in the "omni\.providers" user setting/);
      await addProviders({ gateway: { type: 'openai-compatible', baseURL: fake.baseURL, apiKeyEnv: 'OMNI_FAKE_KEY' } });
      await waitFor('the warning to go', () => (vscode.languages.getDiagnostics(policyUri()).length === 0 ? true : undefined));
    });
  });

  test('a bad entry in omni.providers leaves the other entries in use, and the policy says what is wrong with it', async () => {
    const fake = await fakeProvider();
    await withProviders(async (addProviders) => {
      // Before, one bad entry dropped the whole setting: the fake provider too, and every request failed.
      await addProviders({ broken: { type: 'openai', baseURL: fake.baseURL } });
      await writeText(policyUri(), JSON.stringify(generalOn('broken'), null, 2));
      const warning = await waitFor('the warning about the broken entry', () =>
        vscode.languages.getDiagnostics(policyUri()).find((d) => d.message.includes('"broken"')),
      );
      assert.match(warning.message, /^provider "broken" is not used until its entry in the "omni\.providers" user setting is fixed: .*type/);
      const before = fake.chatRequests().length;
      await openWithSelection('still_served.py', 'def s(q):\n    return q\n', 0, 1);
      assert.equal((await vscode.commands.executeCommand<{ ok: boolean }>('omni.explainSelection'))?.ok, true);
      assert.deepEqual(modelsAsked(fake, before), ['fake-coder']);
    });
  });

  test('a providers change while the file is broken keeps the last valid policy routing, and unsaved problems stay', async () => {
    const fake = await fakeProvider();
    const config = vscode.workspace.getConfiguration('omni');
    const original = config.get<Record<string, unknown>>('providers');
    const broken = JSON.stringify(testPolicy(), null, 2).replace('"model": "coder",\n      "fallbacks"', '"model": "codr",\n      "fallbacks"');
    await writeText(policyUri(), broken);
    await waitFor('the saved error', () => vscode.languages.getDiagnostics(policyUri()).length > 0);
    const document = await vscode.workspace.openTextDocument(policyUri());
    const editor = await vscode.window.showTextDocument(document);
    const general = document.getText().indexOf('"general"', document.getText().indexOf('"routes"'));
    await editor.edit((edit) => edit.replace(new vscode.Range(document.positionAt(general), document.positionAt(general + 9)), '"generel"'));
    await waitFor('the unsaved error', () => vscode.languages.getDiagnostics(policyUri()).some((d) => /"generel"/.test(d.message)));
    try {
      await config.update('providers', { ...original, spare: { type: 'openai-compatible', baseURL: fake.baseURL } }, vscode.ConfigurationTarget.Global);
      await omniApi();
      await new Promise((r) => setTimeout(r, 500));
      assert.ok(vscode.languages.getDiagnostics(policyUri()).some((d) => /"generel"/.test(d.message)), 'the unsaved error is still shown');
      const before = fake.chatRequests().length;
      await openWithSelection('after_settings.py', 'def h(z):\n    return z - 1\n', 0, 1);
      const result = await vscode.commands.executeCommand<{ ok: boolean }>('omni.explainSelection');
      assert.equal(result?.ok, true);
      assert.deepEqual(modelsAsked(fake, before), ['fake-coder'], 'the last valid policy routed, not the built-in one');
      assert.ok(document.isDirty, 'the edit stayed unsaved throughout (files.autoSave is off, as on the desktop)');
    } finally {
      await config.update('providers', original, vscode.ConfigurationTarget.Global);
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      await usePolicy(testPolicy());
    }
  });

  test('deleting the whole .omni folder drops its policy; creating it again brings the policy back', async () => {
    const fake = await fakeProvider();
    const omniFolder = vscode.Uri.joinPath(policyUri(), '..');
    await vscode.workspace.fs.delete(omniFolder, { recursive: true });
    try {
      await openWithSelection('no_policy.py', 'def k(w):\n    return w\n', 0, 1);
      await waitFor('the built-in policy to route (no request reaches the fake provider)', async () => {
        const before = fake.chatRequests().length;
        const result = await vscode.commands.executeCommand<{ ok: boolean }>('omni.explainSelection');
        return result?.ok === false && fake.chatRequests().length === before;
      });
    } finally {
      await usePolicy(testPolicy());
    }
    const before = fake.chatRequests().length;
    await openWithSelection('policy_back.py', 'def m(v):\n    return v\n', 0, 1);
    assert.equal((await vscode.commands.executeCommand<{ ok: boolean }>('omni.explainSelection'))?.ok, true);
    assert.deepEqual(modelsAsked(fake, before), ['fake-coder']);
  });

  test('a policy file over the size limit is refused from its size, not read, and the last valid policy keeps routing', async () => {
    const fake = await fakeProvider();
    // Over the limit by enough to tell its size from its text; not gigabytes, which other watchers of the workspace
    // (git among them) would then read, slowing the rest of the suite. The unit tests read a sparse 3 GB file.
    truncateSync(policyUri().fsPath, 2 * 1024 ** 2);
    try {
      const problem = await waitFor('a Problems entry', () => vscode.languages.getDiagnostics(policyUri())[0]);
      assert.equal(problem.message, 'the file is 2 MB; a policy is a few KB, so it was not read (limit 1 MB) (at (root))');
      const before = fake.chatRequests().length;
      await openWithSelection('huge_policy.py', 'def n(u):\n    return u\n', 0, 1);
      assert.equal((await vscode.commands.executeCommand<{ ok: boolean }>('omni.explainSelection'))?.ok, true);
      assert.deepEqual(modelsAsked(fake, before), ['fake-coder']);
    } finally {
      await usePolicy(testPolicy());
    }
  });

  test('a policy saved in the editor through a symlinked .omni folder takes effect, though no file watcher reports it', async () => {
    const fake = await fakeProvider();
    const omniFolder = vscode.Uri.joinPath(policyUri(), '..');
    // A shared policy kept elsewhere (a dotfiles repo, a monorepo's common folder) and linked into the project.
    const shared = mkdtempSync(join(tmpdir(), 'omni-shared-'));
    writeFileSync(join(shared, 'policies.json'), JSON.stringify(testPolicy(), null, 2));
    await vscode.workspace.fs.delete(omniFolder, { recursive: true });
    symlinkSync(shared, omniFolder.fsPath);
    try {
      const editor = await vscode.window.showTextDocument(policyUri());
      const { document } = editor;
      const text = JSON.stringify(testPolicy({ explainRoute: 'general_chat' }), null, 2);
      await editor.edit((edit) => edit.replace(new vscode.Range(0, 0, document.lineCount, 0), text));
      assert.ok(await document.save());
      await openWithSelection('linked_policy.py', 'def p(t):\n    return t\n', 0, 1);
      await waitFor('the saved policy to route explanations to the general model', async () => {
        const before = fake.chatRequests().length;
        await vscode.commands.executeCommand('omni.explainSelection');
        return modelsAsked(fake, before).join() === 'fake-general';
      });
    } finally {
      await vscode.window.showTextDocument(policyUri());
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      rmSync(omniFolder.fsPath);
      rmSync(shared, { recursive: true });
      await usePolicy(testPolicy());
    }
  });

  test('a symlinked .omni folder edited outside VS Code (git pull, another editor) applies at once, also once re-pointed', async () => {
    const fake = await fakeProvider();
    const omniFolder = vscode.Uri.joinPath(policyUri(), '..');
    const [shared, other] = [mkdtempSync(join(tmpdir(), 'omni-shared-')), mkdtempSync(join(tmpdir(), 'omni-other-'))];
    const write = (dir: string, policy: Record<string, unknown> | string) =>
      writeFileSync(join(dir, 'policies.json'), typeof policy === 'string' ? policy : JSON.stringify(policy, null, 2));
    const explainsWith = (model: string) => explanationsGoTo(fake, model);
    write(shared, testPolicy({ explainRoute: 'general_chat' }));
    rmSync(omniFolder.fsPath, { recursive: true });
    symlinkSync(shared, omniFolder.fsPath);
    try {
      await openWithSelection('linked_outside.py', 'def q(r):\n    return r\n', 0, 1);
      await explainsWith('fake-general');
      // Written with Node, as git or another editor would: no VS Code save event, and no workspace watcher sees the file.
      write(shared, JSON.stringify(testPolicy(), null, 2).replace('"model": "coder",\n      "fallbacks"', '"model": "codr",\n      "fallbacks"'));
      await waitFor('the Problems entry of the broken policy', () => vscode.languages.getDiagnostics(policyUri()).some((d) => /"codr"/.test(d.message)));
      write(shared, testPolicy());
      await waitFor('the Problems entry to go', () => vscode.languages.getDiagnostics(policyUri()).length === 0);
      await explainsWith('fake-coder');
      // Re-pointed: the edits made at the new target apply.
      write(other, testPolicy({ explainRoute: 'general_chat' }));
      rmSync(omniFolder.fsPath);
      symlinkSync(other, omniFolder.fsPath);
      await explainsWith('fake-general');
      write(other, testPolicy());
      await explainsWith('fake-coder');
    } finally {
      rmSync(omniFolder.fsPath);
      rmSync(shared, { recursive: true });
      rmSync(other, { recursive: true });
      await usePolicy(testPolicy());
    }
  });

  test('a symlinked policy file follows its target outside the workspace, also when a checkout deletes and writes it again', async () => {
    const fake = await fakeProvider();
    const shared = mkdtempSync(join(tmpdir(), 'omni-shared-'));
    const target = join(shared, 'team-policy.json');
    writeFileSync(target, JSON.stringify(testPolicy({ explainRoute: 'general_chat' }), null, 2));
    rmSync(policyUri().fsPath);
    symlinkSync(target, policyUri().fsPath);
    try {
      await openWithSelection('linked_file.py', 'def w(x):\n    return x\n', 0, 1);
      await explanationsGoTo(fake, 'fake-general');
      rmSync(target);
      await waitFor('the built-in policy to route (no request reaches the fake provider)', async () => {
        const before = fake.chatRequests().length;
        const result = await vscode.commands.executeCommand<{ ok: boolean }>('omni.explainSelection');
        return result?.ok === false && fake.chatRequests().length === before;
      });
      writeFileSync(target, JSON.stringify(testPolicy(), null, 2));
      await explanationsGoTo(fake, 'fake-coder');
    } finally {
      rmSync(policyUri().fsPath);
      rmSync(shared, { recursive: true });
      await usePolicy(testPolicy());
    }
  });

  test('a save in the editor applies the policy once, though both the save and the file watcher report it', async () => {
    const fake = await fakeProvider();
    const api = await omniApi();
    const document = await vscode.workspace.openTextDocument(policyUri());
    // Edited without an editor tab, whose opening reloads the policy (for its Problems) on its own.
    const edit = new vscode.WorkspaceEdit();
    edit.replace(policyUri(), new vscode.Range(0, 0, document.lineCount, 0), JSON.stringify(testPolicy({ explainRoute: 'general_chat' }), null, 2));
    assert.ok(await vscode.workspace.applyEdit(edit));
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.joinPath(policyUri(), '..'), 'policies.json'));
    let reported = 0;
    let applied = 0;
    const listeners = vscode.Disposable.from(watcher, watcher.onDidChange(() => reported++), api.onDidChangePolicy(() => applied++));
    try {
      assert.ok(await document.save());
      await waitFor('the file watcher to report the save', () => reported > 0);
      await waitFor('the save to apply', () => applied > 0);
      // Omni's watcher hears of it at the same moment; a second read would land within milliseconds (seconds on a busy machine).
      await new Promise((r) => setTimeout(r, 2000));
      assert.equal(applied, 1, 'one save, one reload (one "policy loaded" line in the Omni output)');
      await openWithSelection('saved_once.py', 'def u(v):\n    return v\n', 0, 1);
      const before = fake.chatRequests().length;
      await vscode.commands.executeCommand('omni.explainSelection');
      assert.deepEqual(modelsAsked(fake, before), ['fake-general']);
      // A change right after it is a change: applied, not taken for the save's second report.
      await writeText(policyUri(), JSON.stringify(testPolicy(), null, 2));
      await waitFor('the next change to apply', () => applied === 2);
      const after = fake.chatRequests().length;
      await vscode.commands.executeCommand('omni.explainSelection');
      assert.deepEqual(modelsAsked(fake, after), ['fake-coder']);
    } finally {
      listeners.dispose();
      await usePolicy(testPolicy());
    }
  });

  test('a folder where the policy file belongs: Create Policy says to move it, instead of failing with EISDIR', async () => {
    await vscode.workspace.fs.delete(policyUri());
    await vscode.workspace.fs.createDirectory(policyUri());
    try {
      const { created, shown } = await watchMessages(async (shown) => ({ created: await vscode.commands.executeCommand('omni.createPolicy', 'ollama'), shown }));
      assert.equal(created, undefined);
      assert.deepEqual(shown.map((m) => m.text), [
        'Omni: .omni/policies.json is a folder, where the policy file belongs; move or remove it, then run "Omni: Create Policy" again.',
      ]);
    } finally {
      await vscode.workspace.fs.delete(policyUri(), { recursive: true });
      await usePolicy(testPolicy());
    }
  });

  test("a JSON syntax error is reported once, by VS Code's JSON support where it sees the file, else by Omni", async () => {
    const reports = () => {
      const all = vscode.languages.getDiagnostics(policyUri());
      return {
        omni: all.filter((d) => d.source === 'Omni policy' && /JSON syntax error/.test(d.message)).length,
        json: all.filter((d) => d.source !== 'Omni policy').length,
      };
    };
    await writeText(policyUri(), JSON.stringify(testPolicy(), null, 2).replace('"version": 1,', '"version": 1,,'));
    try {
      await waitFor('the syntax error to be reported', () => reports().omni + reports().json > 0);
      await new Promise((r) => setTimeout(r, 500));
      assert.ok(!(reports().omni > 0 && reports().json > 0), `reported twice: ${JSON.stringify(reports())}`);
      await vscode.window.showTextDocument(policyUri());
      await waitFor("VS Code's own JSON error in the open editor", () => reports().json > 0);
      // Omni hears of the new tab by an event of its own, which may come a moment after VS Code's JSON check.
      await waitFor('Omni to leave the syntax error to VS Code', () => reports().omni === 0);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await usePolicy(testPolicy());
    }
  });

  test("a shape error is reported once, by Omni with its fix, not again by VS Code's JSON checker", async () => {
    const policy = testPolicy() as Record<string, unknown> & { routes: Record<string, unknown>[]; rules: { when: Record<string, unknown> }[]; router?: Record<string, unknown> };
    delete policy.defaultRoute;
    policy.routes[0].description = 'ab';
    // Values of the wrong type, which VS Code's checker reported too (as "Incorrect type", a warning without the path).
    policy.router = { ...policy.router, mode: 'fast', timeoutMs: 'soon' };
    policy.rules[0].when.hasSelection = 'yes';
    await writeText(policyUri(), JSON.stringify({ ...policy, colour: 'blue' }, null, 2));
    try {
      await vscode.window.showTextDocument(policyUri());
      const ofJson = () => vscode.languages.getDiagnostics(policyUri()).filter((d) => d.source !== 'Omni policy').map((d) => d.message);
      const omni = () => vscode.languages.getDiagnostics(policyUri()).filter((d) => d.source === 'Omni policy').map((d) => d.message);
      await waitFor("Omni's diagnostics", () => omni().length > 0);
      for (const expected of [/defaultRoute/, /at least 3 characters/, /must be one of "local"/, /colour/, /expected a number, found a string \(at router\.timeoutMs\)/, /expected a boolean, found a string \(at rules\[0\]\.when\.hasSelection\)/]) {
        assert.ok(omni().some((message) => expected.test(message)), `Omni reports ${expected}: ${JSON.stringify(omni())}`);
      }
      // A syntax error only VS Code reports in an open editor: once it shows, VS Code's checker has read the whole file.
      // Until it holds: the file was written a moment ago, and an editor still taking that in can lose the edit.
      await waitFor('the stray brace in the editor', async () => {
        const shown = await vscode.window.showTextDocument(policyUri());
        if (shown.document.getText().endsWith('}}')) return true;
        await shown.edit((edit) => edit.insert(shown.document.positionAt(shown.document.getText().length), '}'));
        return false;
      });
      await waitFor("VS Code's JSON check", () => ofJson().length > 0);
      await new Promise((r) => setTimeout(r, 500));
      assert.deepEqual(ofJson(), ['End of file expected.']);
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await usePolicy(testPolicy());
    }
  });

  test("the policy file still gets completion and hover from the editor's schema", async () => {
    const text = JSON.stringify({ ...testPolicy(), router: { mode: 'local' } }, null, 2);
    await writeText(policyUri(), text);
    try {
      const document = await vscode.workspace.openTextDocument(policyUri());
      await vscode.window.showTextDocument(document);
      const at = (needle: string, offset = 0) => document.positionAt(text.indexOf(needle) + offset);
      const labels = async (position: vscode.Position) => {
        const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', policyUri(), position);
        return list.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
      };
      const values = await waitFor('value completion for router.mode', async () => {
        const found = await labels(at('"local"', 1));
        return found.includes('"auto"') ? found : undefined;
      });
      assert.ok(values.includes('"arch"'), JSON.stringify(values));
      assert.ok((await labels(at('"mode"', 1))).includes('timeoutMs'), 'keys of router are offered');
      const hoverText = async (position: vscode.Position) => {
        const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', policyUri(), position);
        // Markdown, escaped: "Arch\-Router".
        return hovers.flatMap((hover) => hover.contents.map((part) => (typeof part === 'string' ? part : part.value))).join(' ').replace(/\\/g, '');
      };
      await waitFor('the hover on router.mode', async () => /never call Arch-Router/.test(await hoverText(at('"mode"', 2))));
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await usePolicy(testPolicy());
    }
  });

  test('a key completed in the policy file comes with an empty value of its type, as the JSON type made it before', async () => {
    // A new key in a model, in a rule's "when" and in a route, each after a trailing comma (which the policy allows).
    const text = [
      '{',
      '  "version": 1,',
      '  "models": { "coder": { "provider": "fake", "model": "fake-coder", } },',
      '  "routes": [{ "name": "general_chat", "description": "anything at all", "model": "coder", }],',
      '  "rules": [{ "when": { "command": "chat", }, "route": "general_chat" }],',
      '  "defaultRoute": "general_chat"',
      '}',
    ].join('\n');
    await writeText(policyUri(), text);
    try {
      const document = await vscode.workspace.openTextDocument(policyUri());
      await vscode.window.showTextDocument(document);
      const inserted = async (after: string, key: string) => {
        const position = document.positionAt(text.indexOf(after) + after.length);
        const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', policyUri(), position);
        const item = list.items.find((candidate) => (typeof candidate.label === 'string' ? candidate.label : candidate.label.label) === key);
        const insert = item?.insertText;
        return insert instanceof vscode.SnippetString ? insert.value : insert;
      };
      await waitFor('completion from the schema', () => inserted('"fake-coder", ', 'displayName'));
      assert.equal(await inserted('"fake-coder", ', 'displayName'), '"displayName": "$1"');
      assert.equal(await inserted('"fake-coder", ', 'contextWindow'), '"contextWindow": ${1:0}');
      assert.equal(await inserted('"fake-coder", ', 'price'), '"price": {$1}');
      assert.equal(await inserted('"model": "coder", ', 'fallbacks'), '"fallbacks": [$1]');
      assert.equal(await inserted('"command": "chat", ', 'hasSelection'), '"hasSelection": $1');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await usePolicy(testPolicy());
    }
  });

  test('the generated JSON schema is contributed for the policy file', () => {
    const extension = vscode.extensions.getExtension('omni-dev.omni-router')!;
    const validation = extension.packageJSON.contributes.jsonValidation as { fileMatch: string; url: string }[];
    assert.deepEqual(validation, [{ fileMatch: '.omni/policies.json', url: './policies/editor-schema.json' }]);
  });
});
