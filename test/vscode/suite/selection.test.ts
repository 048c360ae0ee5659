// Explain and Refactor Selection end to end: routed by the policy, answered by the (fake) provider, and for
// Refactor a diff whose Apply is one undoable edit that never overwrites a changed file.
import * as assert from 'node:assert/strict';
import { rmSync, symlinkSync } from 'node:fs';
import * as vscode from 'vscode';
import { fakeProvider, modelsAsked, omniApi, openWithSelection, testPolicy, usePolicy, waitFor, watchMessages, withProviders, workspaceFolder, writeText, type ShownMessage } from './helpers';

const SOURCE = 'import os\n\ndef add(a, b):\n    total = a + b\n    return total\n\nprint(add(1, 2))\n';
const PROPOSAL = '```python\ndef add(a, b):\n    return a + b\n```\nInlined the temporary variable.';
/** QA's file: the selection of its first three lines, taken with Shift+Down, ends at the start of the print line. */
const GLUE = 'def add(a, b):\n    total = a + b\n    return total\nprint(add(1, 2))\n';
const GLUED = 'def add(a, b):\n    return a + b\nprint(add(1, 2))\n';

/** The diff tabs of proposals, in every editor group. */
function proposalTabs(): (vscode.Tab & { input: vscode.TabInputTextDiff })[] {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab): tab is vscode.Tab & { input: vscode.TabInputTextDiff } => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.scheme === 'omni-proposal');
}

const idOfTab = (tab: { input: vscode.TabInputTextDiff }) => new URLSearchParams(tab.input.modified.query).get('id') ?? '';

/** The diff tab of proposal `id`, once it is open. */
function proposalTab(id: string) {
  return waitFor(`the diff of proposal ${id}`, () => proposalTabs().find((tab) => idOfTab(tab) === id));
}

/** Resolves once no tab shows proposal `id`. */
function proposalClosed(id: string) {
  return waitFor(`the diff of proposal ${id} to close`, () => !proposalTabs().some((tab) => idOfTab(tab) === id));
}

/** The diff tab of a proposal that `open` opens (a code block's Apply does not say its id). */
async function openedProposal(open: () => Thenable<unknown>) {
  const before = new Set(proposalTabs().map(idOfTab));
  await open();
  return waitFor('a new proposal diff', () => proposalTabs().find((tab) => !before.has(idOfTab(tab))));
}

/**
 * Opens `name` with `content` as a user does, from the editor: a document an extension opened stays open (for a few
 * minutes) after its tab closes.
 */
async function openAsUser(name: string, content: string): Promise<vscode.TextEditor> {
  const uri = vscode.Uri.joinPath(workspaceFolder().uri, name);
  await writeText(uri, content);
  await vscode.commands.executeCommand('vscode.open', uri);
  return waitFor(`${name} in the editor`, () => (vscode.window.activeTextEditor?.document.uri.toString() === uri.toString() ? vscode.window.activeTextEditor : undefined));
}

/** Opens `name` with `content` and selects whole lines `fromLine`..`toLine` as Shift+Down does: up to column 0 of the next line. */
async function openWithWholeLines(name: string, content: string, fromLine: number, toLine: number): Promise<vscode.TextEditor> {
  const editor = await openWithSelection(name, content, fromLine, toLine);
  editor.selection = new vscode.Selection(fromLine, 0, toLine + 1, 0);
  return editor;
}

/** The message among `shown` that matches `pattern`, once it was shown. */
function message(shown: ShownMessage[], pattern: RegExp): Promise<ShownMessage> {
  return waitFor(`a message like ${pattern}`, () => shown.find((m) => pattern.test(m.text)));
}

suite('Explain and Refactor Selection', () => {
  suiteSetup(async () => {
    await omniApi();
    await fakeProvider();
    await usePolicy(testPolicy());
  });

  test('Explain sends the selection with its editor context and answers in the chat', async () => {
    const fake = await fakeProvider();
    fake.behave('fake-coder', { text: 'It adds two numbers.' });
    const before = fake.chatRequests().length;
    await openWithSelection('calc.py', SOURCE, 2, 4);
    const result = await vscode.commands.executeCommand<{ ok: boolean; text: string }>('omni.explainSelection');
    assert.deepEqual([result?.ok, result?.text], [true, 'It adds two numbers.']);
    const [request] = fake.chatRequests().slice(before);
    const prompt = request.body!.messages.at(-1)!.content;
    assert.equal(request.body!.model, 'fake-coder');
    assert.match(prompt, /Selected code from calc\.py:\n```python\ndef add\(a, b\):/);
    assert.match(prompt, /import os/, 'surrounding lines give the context');
  });

  test('a follow-up to Explain carries the explained code in the history, not just the line the chat shows', async () => {
    const fake = await fakeProvider();
    fake.behave('fake-coder', { text: 'It adds two numbers.' });
    const api = await omniApi();
    await vscode.commands.executeCommand('omni.newChat');
    await openWithSelection('followup.py', SOURCE, 2, 4);
    await vscode.commands.executeCommand('omni.explainSelection');
    const before = fake.chatRequests().length;
    await api.ask('now rename total to result in that code');
    const [request] = fake.chatRequests().slice(before);
    const [earlier] = request.body!.messages;
    assert.equal(earlier.role, 'user');
    assert.match(earlier.content, /^Explain what the selected code does and why/);
    assert.match(earlier.content, /Selected code from followup\.py:\n```python\ndef add\(a, b\):\n {4}total = a \+ b/);
  });

  test('a selection over omni.maxSelectionTokens is refused, and nothing is sent', async () => {
    const fake = await fakeProvider();
    const config = vscode.workspace.getConfiguration('omni');
    await config.update('maxSelectionTokens', 100, vscode.ConfigurationTarget.Global);
    try {
      const big = Array.from({ length: 40 }, (_, i) => `value_${i} = compute(${i}) + offset  # line ${i}`).join('\n');
      await openWithSelection('big.py', `${big}\n`, 0, 39);
      const before = fake.chatRequests().length;
      assert.equal(await vscode.commands.executeCommand('omni.explainSelection'), undefined);
      assert.equal(await vscode.commands.executeCommand('omni.refactorSelection', 'tidy'), undefined);
      assert.equal(fake.chatRequests().length, before);
      // With only a cursor in that block: refused too, and the cursor stays where the user left it.
      const editor = vscode.window.activeTextEditor!;
      editor.selection = new vscode.Selection(20, 3, 20, 3);
      assert.equal(await vscode.commands.executeCommand('omni.explainSelection'), undefined);
      assert.ok(editor.selection.isEmpty && editor.selection.active.line === 20, 'nothing was selected');
      assert.equal(fake.chatRequests().length, before);
    } finally {
      await config.update('maxSelectionTokens', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('Refactor opens a diff; Apply changes the file in one edit and Undo restores it', async () => {
    const fake = await fakeProvider();
    fake.behave('fake-coder', { text: PROPOSAL });
    const editor = await openWithSelection('refactor_me.py', SOURCE, 2, 4);
    const id = await vscode.commands.executeCommand<string>('omni.refactorSelection', 'inline the temporary');
    assert.ok(id, 'a proposal was made');
    const diff = (await proposalTab(id)).input;
    // As the ✓ in the diff's title bar runs it: with the diff's URI, not the proposal id.
    const outcome = await vscode.commands.executeCommand('omni.applyProposal', diff.modified);
    assert.equal(outcome, 'applied');
    assert.equal(editor.document.getText(), 'import os\n\ndef add(a, b):\n    return a + b\n\nprint(add(1, 2))\n');
    const selected = vscode.window.activeTextEditor;
    assert.equal(selected?.document, editor.document, 'the changed file is shown again');
    assert.equal(selected?.document.getText(selected.selection), 'def add(a, b):\n    return a + b', 'the new code is selected, not the old length');
    assert.equal(await vscode.commands.executeCommand('omni.applyProposal', id), 'missing', 'a second Apply says the proposal is gone');
    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), SOURCE);
  });

  test('Apply refuses to overwrite a file that changed after the proposal', async () => {
    const fake = await fakeProvider();
    fake.behave('fake-coder', { text: PROPOSAL });
    const editor = await openWithSelection('changing.py', SOURCE, 2, 4);
    const id = await vscode.commands.executeCommand<string>('omni.refactorSelection', '');
    const meanwhile = new vscode.WorkspaceEdit();
    meanwhile.insert(editor.document.uri, new vscode.Position(0, 0), '# edited meanwhile\n');
    assert.ok(await vscode.workspace.applyEdit(meanwhile));
    const outcome = await vscode.commands.executeCommand('omni.applyProposal', id);
    assert.equal(outcome, 'changed');
    assert.equal(editor.document.getText(), `# edited meanwhile\n${SOURCE}`);
    await vscode.commands.executeCommand('omni.discardProposal', id);
  });

  test('a file edited while the answer streams: the diff shows the code that was sent, and Apply refuses', async () => {
    const fake = await fakeProvider();
    fake.behave('fake-coder', { text: PROPOSAL, chunks: 6, chunkDelayMs: 150 });
    const before = fake.chatRequests().length;
    const editor = await openWithSelection('edited_while_streaming.py', SOURCE, 2, 4);
    const pending = vscode.commands.executeCommand<string>('omni.refactorSelection', 'inline the temporary');
    await waitFor('the refactor request', () => fake.chatRequests().length > before);
    const meanwhile = new vscode.WorkspaceEdit();
    meanwhile.insert(editor.document.uri, new vscode.Position(0, 0), '# header comment\n# second\n');
    assert.ok(await vscode.workspace.applyEdit(meanwhile));
    const id = await pending;
    const diff = (await proposalTab(id)).input;
    const original = await vscode.workspace.openTextDocument(diff.original);
    assert.equal(original.getText(), SOURCE, 'the file as it was when the code was sent');
    const proposed = await vscode.workspace.openTextDocument(diff.modified);
    assert.equal(proposed.getText(), 'import os\n\ndef add(a, b):\n    return a + b\n\nprint(add(1, 2))\n');
    assert.equal(await vscode.commands.executeCommand('omni.applyProposal', id), 'changed');
    assert.equal(editor.document.getText(), `# header comment\n# second\n${SOURCE}`);
    await vscode.commands.executeCommand('omni.discardProposal', id);
  });

  test('with nothing selected, Explain takes the function around the cursor, as the language outlines it', async () => {
    const fake = await fakeProvider();
    fake.behave('fake-coder', { text: 'It sums the items.' });
    const source = [
      'export class Cart {',
      '  private items: number[] = [];',
      '',
      '  total(): number {',
      '    let sum = 0;',
      '',
      '    for (const item of this.items) sum += item;',
      '    return sum;',
      '  }',
      '',
      '  clear(): void {',
      '    this.items = [];',
      '  }',
      '}',
      '',
    ].join('\n');
    const editor = await openWithSelection('cart.ts', source, 6, 6);
    // TypeScript's language server starts on the first .ts file; wait for its outline as a user would see it.
    await waitFor('the TypeScript outline', async () =>
      ((await vscode.commands.executeCommand<unknown[]>('vscode.executeDocumentSymbolProvider', editor.document.uri)) ?? []).length > 0, 60_000);
    editor.selection = new vscode.Selection(6, 4, 6, 4);
    const before = fake.chatRequests().length;
    const result = await vscode.commands.executeCommand<{ ok: boolean }>('omni.explainSelection');
    assert.equal(result?.ok, true);
    assert.deepEqual([editor.selection.start.line, editor.selection.end.line], [3, 8], 'the whole method is selected, blank line included');
    const prompt = fake.chatRequests().slice(before)[0].body!.messages.at(-1)!.content;
    assert.match(prompt, /Selected code from cart\.ts:\n```typescript\n {2}total\(\): number \{\n {4}let sum = 0;\n\n {4}for/);
    assert.doesNotMatch(prompt.split('For context')[0], /clear\(\)/);
  });

  test('the refactoring diff shows whole files, so a method taken out of its class is not reported as broken code', async () => {
    const fake = await fakeProvider();
    const method = ['  total(): number {', '    return this.items.reduce((sum, item) => sum + item, 0);', '  }'].join('\n');
    fake.behave('fake-coder', { text: `\`\`\`typescript\n${method}\n\`\`\`` });
    const source = ['export class Basket {', '  private items: number[] = [];', '', '  total(): number {', '    let sum = 0;', '    for (const item of this.items) sum += item;', '    return sum;', '  }', '}', ''].join('\n');
    const editor = await openWithSelection('basket.ts', source, 3, 7);
    const id = await vscode.commands.executeCommand<string>('omni.refactorSelection', 'use reduce');
    assert.ok(id, 'a proposal was made');
    const diff = (await proposalTab(id)).input;
    assert.equal((await vscode.workspace.openTextDocument(diff.modified)).getText(), source.replace(/ {2}total[^]*?\n {2}\}/, method));
    // TypeScript has read the proposal once it outlines it; its syntax errors would follow within moments.
    await waitFor('the TypeScript outline of the proposal', async () =>
      ((await vscode.commands.executeCommand<unknown[]>('vscode.executeDocumentSymbolProvider', diff.modified)) ?? []).length > 0, 60_000);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const reported = vscode.languages.getDiagnostics().filter(([uri, found]) => uri.scheme === 'omni-proposal' && found.length > 0);
    assert.deepEqual(reported.map(([uri, found]) => `${uri.path}: ${found.map((d) => d.message).join('; ')}`), []);
    await vscode.commands.executeCommand('omni.discardProposal', id);
    assert.equal(editor.document.getText(), source);
  });

  test('with nothing selected and no outline, Refactor takes the block of lines around the cursor; a blank line is refused', async () => {
    const fake = await fakeProvider();
    fake.behave('fake-coder', { text: PROPOSAL });
    const editor = await openWithSelection('cursor_only.py', SOURCE, 3, 3);
    editor.selection = new vscode.Selection(3, 6, 3, 6);
    const id = await vscode.commands.executeCommand<string>('omni.refactorSelection', 'inline the temporary');
    assert.ok(id, 'a proposal was made');
    assert.deepEqual([editor.selection.start.line, editor.selection.end.line], [2, 4]);
    assert.equal(await vscode.commands.executeCommand('omni.applyProposal', id), 'applied');
    assert.equal(editor.document.getText(), 'import os\n\ndef add(a, b):\n    return a + b\n\nprint(add(1, 2))\n');

    await vscode.window.showTextDocument(editor.document, { selection: new vscode.Range(1, 0, 1, 0) });
    const before = fake.chatRequests().length;
    assert.equal(await vscode.commands.executeCommand('omni.explainSelection'), undefined);
    assert.equal(await vscode.commands.executeCommand('omni.refactorSelection', 'tidy'), undefined);
    assert.equal(fake.chatRequests().length, before, 'nothing is sent from a blank line');
  });

  test('a view of a workspace file under another scheme (a diff side) counts as that file for rules and privacy', async () => {
    const fake = await fakeProvider();
    fake.behave('fake-coder', { text: 'It adds.' });
    await openWithSelection('viewed.py', SOURCE, 0, 0);
    const file = vscode.Uri.joinPath(workspaceFolder().uri, 'viewed.py');
    // As the git extension serves the sides of a diff: the file's path under a scheme of its own.
    const scheme = 'omni-test-view';
    const registration = vscode.workspace.registerTextDocumentContentProvider(scheme, { provideTextDocumentContent: () => SOURCE });
    try {
      const view = await vscode.window.showTextDocument(file.with({ scheme, query: 'ref=HEAD' }));
      view.selection = new vscode.Selection(2, 0, 4, 16);
      const before = fake.chatRequests().length;
      await vscode.commands.executeCommand('omni.explainSelection');
      const prompt = fake.chatRequests().slice(before)[0].body!.messages.at(-1)!.content;
      assert.match(prompt, /Selected code from viewed\.py:/, 'workspace-relative, not an absolute path');
    } finally {
      registration.dispose();
    }
  });

  test('Explain in a symbolic link to a privacy.localOnly file stays on this machine: the link is the file it leads to', async () => {
    const fake = await fakeProvider();
    fake.behave('fake-coder', { text: 'It reads a key.' });
    const root = workspaceFolder().uri;
    await writeText(vscode.Uri.joinPath(root, 'secrets/key.py'), 'API_KEY = "hunter2"\n');
    const link = vscode.Uri.joinPath(root, 'key-link.py');
    rmSync(link.fsPath, { force: true });
    symlinkSync('secrets/key.py', link.fsPath);
    await withProviders(async (addProviders) => {
      await addProviders({ remote: { type: 'openai-compatible', baseURL: 'https://remote.invalid/v1' } });
      const policy = testPolicy();
      await usePolicy({
        ...policy,
        models: { ...(policy.models as object), remote: { provider: 'remote', model: 'remote-coder' } },
        routes: [{ name: 'code_explanation', description: 'explaining what code does', model: 'remote', fallbacks: ['coder'] }],
        rules: [{ when: { command: 'explain' }, route: 'code_explanation' }],
        defaultRoute: 'code_explanation',
        privacy: { localOnly: ['secrets/**'] },
      });
      await vscode.commands.executeCommand('omni.newChat');
      const editor = await vscode.window.showTextDocument(link);
      editor.selection = new vscode.Selection(0, 0, 0, 19);
      const before = fake.chatRequests().length;
      await vscode.commands.executeCommand('omni.explainSelection');
      assert.deepEqual(modelsAsked(fake, before), ['fake-coder']);
      const api = await omniApi();
      const [latest] = await api.conversations();
      const answer = (await api.conversation(latest.id))!.turns.at(-1)!;
      assert.ok(answer.role === 'assistant');
      assert.match(answer.tag?.reason ?? '', /remote-coder skipped: secrets\/key\.py \(key-link\.py links to it\) may only go to providers on this machine \(privacy\.localOnly\)/);
    });
  });

  test("an answer's Insert puts code on lines of its own; its Apply with only a cursor proposes to replace the function", async () => {
    const api = await omniApi();
    const editor = await openWithSelection('insert_here.py', SOURCE, 4, 4);
    // The cursor right after "return total", as a cursor-only Explain of `add` leaves it.
    editor.selection = new vscode.Selection(4, 16, 4, 16);
    assert.equal(await api.codeAction({ type: 'insertAtCursor', code: 'def sub(a, b):\n    return a - b\n' }), 'Code inserted in insert_here.py');
    assert.equal(editor.document.getText(), SOURCE.replace('    return total\n', '    return total\ndef sub(a, b):\n    return a - b\n'));

    editor.selection = new vscode.Selection(3, 2, 3, 2);
    assert.match(await api.codeAction({ type: 'applyToSelection', code: 'def add(a, b):\n    return a + b\n' }), /^The change is open as a diff/);
    assert.equal(editor.document.getText(editor.selection), 'def add(a, b):\n    total = a + b\n    return total\ndef sub(a, b):\n    return a - b');
    await vscode.commands.executeCommand('omni.discardProposal');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('Apply keeps a selection of whole lines whole: the next line stays on its own, from Refactor and from a code block', async () => {
    const fake = await fakeProvider();
    fake.behave('fake-coder', { text: PROPOSAL });
    const editor = await openWithWholeLines('glue.py', GLUE, 0, 2);
    const id = await vscode.commands.executeCommand<string>('omni.refactorSelection', 'inline the temporary');
    assert.ok(id, 'a proposal was made');
    assert.equal((await vscode.workspace.openTextDocument((await proposalTab(id)).input.modified)).getText(), GLUED, 'the diff shows what Apply writes');
    assert.equal(await vscode.commands.executeCommand('omni.applyProposal', id), 'applied');
    assert.equal(editor.document.getText(), GLUED);
    const shown = vscode.window.activeTextEditor!;
    assert.equal(shown.document.getText(shown.selection), 'def add(a, b):\n    return a + b\n', 'the new lines are selected as whole lines');

    // The chat's code block sends its text with the newline that ends every block.
    const again = await openWithWholeLines('glue2.py', GLUE, 0, 2);
    assert.match(await (await omniApi()).codeAction({ type: 'applyToSelection', code: 'def add(a, b):\n    return a + b\n' }), /^The change is open as a diff/);
    assert.equal(await vscode.commands.executeCommand('omni.applyProposal'), 'applied');
    assert.equal(again.document.getText(), GLUED);
  });

  test('the diffs of Refactor and of a code block\'s Apply are titled alike: the original file against the proposal', async () => {
    const fake = await fakeProvider();
    fake.behave('fake-coder', { text: PROPOSAL });
    await openWithSelection('titled.py', SOURCE, 2, 4);
    const refactored = await vscode.commands.executeCommand<string>('omni.refactorSelection', 'inline the temporary');
    assert.equal((await proposalTab(refactored)).label, 'Refactor: titled.py (original ↔ proposed)');
    await vscode.commands.executeCommand('omni.discardProposal', refactored);
    await openWithSelection('titled.py', SOURCE, 2, 4);
    const applied = await openedProposal(async () => (await omniApi()).codeAction({ type: 'applyToSelection', code: 'def add(a, b):\n    return a + b\n' }));
    assert.equal(applied.label, 'Apply: titled.py (original ↔ proposed)', 'nothing was asked here, so not "as asked"');
    await vscode.commands.executeCommand('omni.discardProposal', applied.input.modified);
  });

  /** Refactors `file` with the coder answering `answer`: no diff may open, the file stays, and the warning reads `expected`. */
  async function refactorMakesNoProposal(file: string, answer: { text: string; finishReason?: 'length' }, expected: string): Promise<void> {
    const fake = await fakeProvider();
    fake.behave('fake-coder', answer);
    try {
      const editor = await openWithSelection(file, SOURCE, 2, 4);
      const tabsBefore = proposalTabs().length;
      await watchMessages(async (shown) => {
        assert.equal(await vscode.commands.executeCommand('omni.refactorSelection', 'inline the temporary'), undefined);
        assert.equal((await message(shown, /no proposal was made/)).text, expected);
      });
      assert.equal(proposalTabs().length, tabsBefore, 'no diff opened');
      assert.equal(editor.document.getText(), SOURCE);
    } finally {
      fake.behave('fake-coder', { text: PROPOSAL });
    }
  }

  test('a refactor answer cut off at the output limit makes no proposal, and the message says so and what to do', async () => {
    // Cut off inside the code block: no closing fence, so the old fallback took the whole answer, prose and all.
    await refactorMakesNoProposal(
      'cut_off.py',
      { text: 'Here is the refactoring:\n```python\ndef add(a, b):\n    return a', finishReason: 'length' },
      "Omni: the answer was cut off at the model's output limit, so no proposal was made. Select less code and refactor again, " +
        'or use Retry with… under the answer to ask another model; its proposal opens as a diff.',
    );
  });

  test('a refactor answer in prose, without a code block, makes no proposal, and the message says so and what to do', async () => {
    // What a refusal, or a fallback model that explains instead of rewriting, sends: a diff would swap the code for it.
    await refactorMakesNoProposal(
      'prose.py',
      { text: 'The function is already as simple as it can be.' },
      'Omni: the answer has no code block, so no proposal was made. Refactor again with a clearer instruction, ' +
        'or use Retry with… under the answer to ask another model; its proposal opens as a diff.',
    );
  });

  test('Apply works after the file\'s tab was closed: the file is read again, not reported as changed', async () => {
    const fake = await fakeProvider();
    fake.behave('fake-coder', { text: PROPOSAL });
    const editor = await openAsUser('closed_tab.py', SOURCE);
    editor.selection = new vscode.Selection(2, 0, 4, 16);
    const uri = editor.document.uri;
    const id = await vscode.commands.executeCommand<string>('omni.refactorSelection', 'inline the temporary');
    await proposalTab(id);
    const fileTabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === uri.toString());
    await vscode.window.tabGroups.close(fileTabs);
    await waitFor('VS Code to close the document', () => !vscode.workspace.textDocuments.some((document) => document.uri.toString() === uri.toString()));
    assert.equal(await vscode.commands.executeCommand('omni.applyProposal', id), 'applied');
    assert.equal((await vscode.workspace.openTextDocument(uri)).getText(), 'import os\n\ndef add(a, b):\n    return a + b\n\nprint(add(1, 2))\n');
  });

  test('closing the diff discards its proposal; the toast left behind says so, and the code block\'s Apply opens it again', async () => {
    const fake = await fakeProvider();
    fake.behave('fake-coder', { text: PROPOSAL });
    const editor = await openWithSelection('closed_diff.py', SOURCE, 2, 4);
    await watchMessages(async (shown) => {
      const id = await vscode.commands.executeCommand<string>('omni.refactorSelection', 'inline the temporary');
      const toast = await message(shown, /^Omni: the refactoring proposal is open as a diff\.$/);
      const tab = await proposalTab(id);
      const proposed = (await vscode.workspace.openTextDocument(tab.input.modified)).getText();
      await vscode.window.tabGroups.close(tab);
      // Once the tab is gone from VS Code's list, its close event was delivered.
      await proposalClosed(id);
      toast.click('Apply');
      const gone = await message(shown, /discarded when its diff was closed/);
      assert.equal(gone.text, 'Omni: that proposal was discarded when its diff was closed. To see it again, select the code and click Apply on the code block of its answer in the chat.');
      assert.equal(editor.document.getText(), SOURCE, 'the stale toast changed nothing');
      assert.equal(await vscode.commands.executeCommand('omni.applyProposal', id), 'missing');

      // As that message says: the selection is still there, and the answer's code block (its text ends with a newline).
      const back = await vscode.window.showTextDocument(editor.document);
      assert.equal(back.document.getText(back.selection), 'def add(a, b):\n    total = a + b\n    return total');
      const again = await openedProposal(async () => (await omniApi()).codeAction({ type: 'applyToSelection', code: 'def add(a, b):\n    return a + b\n' }));
      assert.equal((await vscode.workspace.openTextDocument(again.input.modified)).getText(), proposed, 'the same proposal');

      // Discard in the diff's title bar: the toast of that proposal says it was discarded.
      const applyToast = await message(shown, /^Omni: review the change, then apply it\.$/);
      await vscode.commands.executeCommand('omni.discardProposal', again.input.modified);
      await proposalClosed(idOfTab(again));
      applyToast.click('Apply');
      await message(shown, /^Omni: that proposal was discarded\. To see it again/);
      assert.equal(editor.document.getText(), SOURCE);
    });
  });

  test('Retry with… on a refactor answer replaces its diff with the new answer\'s, by the same rules as Refactor', async () => {
    const fake = await fakeProvider();
    fake.behave('fake-coder', { text: PROPOSAL });
    const api = await omniApi();
    const editor = await openWithSelection('retried.py', SOURCE, 2, 4);
    try {
      await watchMessages(async (shown) => {
        const first = await vscode.commands.executeCommand<string>('omni.refactorSelection', 'inline the temporary');
        const firstToast = await message(shown, /^Omni: the refactoring proposal is open as a diff\.$/);
        await proposalTab(first);
        const latest = (await api.conversations()).sort((a, b) => b.updatedAt - a.updatedAt)[0];
        const answer = (await api.conversation(latest.id))!.turns.at(-1)!;
        assert.equal(answer.role, 'assistant');
        const refactorRequest = answer.role === 'assistant' ? answer.requestId : '';

        // Cut off: the old diff is closed all the same (it is no longer the latest answer's), and no new one opens.
        fake.behave('fake-general', { text: '```python\ndef add(a, b):\n    return', finishReason: 'length' });
        const cut = await api.retry(refactorRequest, 'general');
        assert.equal(cut?.ok, true);
        await message(shown, /^Omni: the answer was cut off at the model's output limit, so no proposal was made\./);
        await proposalClosed(first);
        firstToast.click('Apply');
        await message(shown, /^Omni: that proposal was closed when its answer was retried\. To see it again/);

        // A retry of the retry, complete this time: its proposal opens, replacing the selection Refactor was asked about.
        fake.behave('fake-general', { text: '```python\ndef add(a, b):\n    return sum((a, b))\n```' });
        const latestAnswer = (await api.conversation(latest.id))!.turns.at(-1)!;
        const tab = await openedProposal(async () => {
          const retried = await api.retry(latestAnswer.role === 'assistant' ? latestAnswer.requestId : '', 'general');
          assert.equal(retried?.ok, true);
        });
        assert.equal(tab.label, 'Refactor: retried.py (original ↔ proposed)');
        assert.equal(await vscode.commands.executeCommand('omni.applyProposal', tab.input.modified), 'applied');
        assert.equal(editor.document.getText(), 'import os\n\ndef add(a, b):\n    return sum((a, b))\n\nprint(add(1, 2))\n');
      });
    } finally {
      fake.behave('fake-general', { text: 'general answer' });
    }
  });

  test('Refactor again on the same code replaces the older diff; a proposal for other code of the file stays', async () => {
    const fake = await fakeProvider();
    fake.behave('fake-coder', { text: PROPOSAL });
    const editor = await openWithSelection('twice.py', SOURCE, 2, 4);
    await watchMessages(async (shown) => {
      const first = await vscode.commands.executeCommand<string>('omni.refactorSelection', 'inline the temporary');
      const firstToast = await message(shown, /^Omni: the refactoring proposal is open as a diff\.$/);
      await proposalTab(first);
      // Other code of the same file: both proposals can still be applied, so both stay.
      const select = (range: vscode.Range) => vscode.window.showTextDocument(editor.document, { selection: range });
      await select(new vscode.Range(6, 0, 6, 16));
      fake.behave('fake-coder', { text: '```python\nprint(add(2, 1))\n```' });
      const other = await vscode.commands.executeCommand<string>('omni.refactorSelection', 'swap');
      await proposalTab(other);
      fake.behave('fake-coder', { text: '```python\ndef add(a, b):\n    return sum((a, b))\n```' });
      await select(new vscode.Range(2, 0, 4, 16));
      const second = await vscode.commands.executeCommand<string>('omni.refactorSelection', 'use sum');
      await proposalTab(second);
      await proposalClosed(first);
      assert.ok(proposalTabs().some((tab) => idOfTab(tab) === other), 'the proposal for other code stays open');
      firstToast.click('Apply');
      await message(shown, /^Omni: that proposal was closed when a newer one for the same code opened\. To see it again/);
      assert.equal(editor.document.getText(), SOURCE, 'the older toast changed nothing');
      assert.equal(await vscode.commands.executeCommand('omni.applyProposal', second), 'applied');
      assert.equal(editor.document.getText(), SOURCE.replace('    total = a + b\n    return total', '    return sum((a, b))'));
      // The file changed, so the other proposal's Apply would be refused: a new one for the file closes it too.
      await select(new vscode.Range(2, 0, 3, 22));
      const third = await vscode.commands.executeCommand<string>('omni.refactorSelection', 'again');
      await proposalTab(third);
      await proposalClosed(other);
      await vscode.commands.executeCommand('omni.discardProposal', third);
    });
    fake.behave('fake-coder', { text: PROPOSAL });
  });

  test('a proposal answered at the left margin is indented as the method it replaces, from whole lines or from mid-line', async () => {
    const fake = await fakeProvider();
    const source = 'class Cart:\n    def total(self):\n        s = 0\n        for i in self.items:\n            s += i\n        return s\n';
    const fitted = 'class Cart:\n    def total(self):\n        return sum(self.items)\n';
    fake.behave('fake-coder', { text: '```python\ndef total(self):\n    return sum(self.items)\n```' });
    try {
      const editor = await openWithSelection('cart_total.py', source, 1, 5);
      const id = await vscode.commands.executeCommand<string>('omni.refactorSelection', 'use sum');
      assert.equal(await vscode.commands.executeCommand('omni.applyProposal', id), 'applied');
      assert.equal(editor.document.getText(), fitted);
      await vscode.commands.executeCommand('undo');
      // Selected from "def", as a drag from the first word does: the body still lands inside the method.
      const again = await vscode.window.showTextDocument(editor.document, { selection: new vscode.Range(1, 4, 5, 16) });
      assert.equal(again.document.getText(), source);
      const second = await vscode.commands.executeCommand<string>('omni.refactorSelection', 'use sum');
      assert.equal(await vscode.commands.executeCommand('omni.applyProposal', second), 'applied');
      assert.equal(editor.document.getText(), fitted);
    } finally {
      fake.behave('fake-coder', { text: PROPOSAL });
    }
  });

  test('Apply refuses a file made read-only in the session and says how to make it writeable; then it applies', async () => {
    const fake = await fakeProvider();
    fake.behave('fake-coder', { text: PROPOSAL });
    const editor = await openWithSelection('read_only.py', SOURCE, 2, 4);
    const id = await vscode.commands.executeCommand<string>('omni.refactorSelection', 'inline the temporary');
    await proposalTab(id);
    const setReadonly = async (command: string) => {
      await vscode.window.showTextDocument(editor.document);
      await vscode.commands.executeCommand(command);
    };
    await setReadonly('workbench.action.files.setActiveEditorReadonlyInSession');
    try {
      await watchMessages(async (shown) => {
        assert.equal(await vscode.commands.executeCommand('omni.applyProposal', id), 'readonly');
        const warning = await message(shown, /read-only/);
        assert.equal(
          warning.text,
          'Omni: read_only.py is read-only in this window, so the proposal was not applied. Make it writeable (File: Set Active Editor ' +
            'Writeable in Session, or the "files.readonlyInclude" setting), then Apply again.',
        );
      });
      assert.equal(editor.document.getText(), SOURCE);
      await proposalTab(id);
    } finally {
      await setReadonly('workbench.action.files.setActiveEditorWriteableInSession');
    }
    assert.equal(await vscode.commands.executeCommand('omni.applyProposal', id), 'applied');
    assert.equal(editor.document.getText(), 'import os\n\ndef add(a, b):\n    return a + b\n\nprint(add(1, 2))\n');
  });

  test('a file renamed while the answer streams gets the proposal under its new name; a deleted file is not written back', async () => {
    const fake = await fakeProvider();
    fake.behave('fake-coder', { text: PROPOSAL, chunks: 6, chunkDelayMs: 150 });
    try {
      const before = fake.chatRequests().length;
      const editor = await openWithSelection('before_rename.py', SOURCE, 2, 4);
      const pending = vscode.commands.executeCommand<string>('omni.refactorSelection', 'inline the temporary');
      await waitFor('the refactor request', () => fake.chatRequests().length > before);
      const renamed = vscode.Uri.joinPath(workspaceFolder().uri, 'after_rename.py');
      // As the Explorer renames: a workspace edit, which moves the open editor along.
      const rename = new vscode.WorkspaceEdit();
      rename.renameFile(editor.document.uri, renamed, { overwrite: true });
      assert.ok(await vscode.workspace.applyEdit(rename));
      const id = await pending;
      assert.equal(await vscode.commands.executeCommand('omni.applyProposal', id), 'applied');
      assert.equal((await vscode.workspace.openTextDocument(renamed)).getText(), 'import os\n\ndef add(a, b):\n    return a + b\n\nprint(add(1, 2))\n');

      fake.behave('fake-coder', { text: PROPOSAL });
      const doomed = await openWithSelection('deleted_meanwhile.py', SOURCE, 2, 4);
      const second = await vscode.commands.executeCommand<string>('omni.refactorSelection', 'inline the temporary');
      await vscode.workspace.fs.delete(doomed.document.uri);
      await watchMessages(async (shown) => {
        assert.equal(await vscode.commands.executeCommand('omni.applyProposal', second), 'deleted');
        assert.equal(
          (await message(shown, /was deleted/)).text,
          'Omni: deleted_meanwhile.py was deleted (or renamed outside VS Code) since the proposal was made, so nothing was written. ' +
            'Restore it and Apply again, or discard the proposal.',
        );
      });
      assert.equal(doomed.document.isDirty, false, 'nothing to save that would bring the file back');
      await vscode.commands.executeCommand('omni.discardProposal', second);
    } finally {
      fake.behave('fake-coder', { text: PROPOSAL });
    }
  });

  test('Refactor in a renamed file replaces the older proposal asked under its old name, whose toast then says so', async () => {
    const fake = await fakeProvider();
    fake.behave('fake-coder', { text: PROPOSAL });
    const oldName = vscode.Uri.joinPath(workspaceFolder().uri, 'named_a.py');
    const newName = vscode.Uri.joinPath(workspaceFolder().uri, 'named_b.py');
    await openWithSelection('named_a.py', SOURCE, 2, 4);
    await watchMessages(async (shown) => {
      const first = await vscode.commands.executeCommand<string>('omni.refactorSelection', 'inline the temporary');
      const firstToast = await message(shown, /^Omni: the refactoring proposal is open as a diff\.$/);
      await proposalTab(first);
      const rename = new vscode.WorkspaceEdit();
      rename.renameFile(oldName, newName, { overwrite: true });
      assert.ok(await vscode.workspace.applyEdit(rename));
      const editor = await vscode.window.showTextDocument(newName, { selection: new vscode.Range(2, 0, 4, 16) });
      fake.behave('fake-coder', { text: '```python\ndef add(a, b):\n    return sum((a, b))\n```' });
      const second = await vscode.commands.executeCommand<string>('omni.refactorSelection', 'use sum');
      assert.equal((await proposalTab(second)).label, 'Refactor: named_b.py (original ↔ proposed)');
      // Left open, the older diff (titled named_a.py) looked as current as the new one, for the same code.
      await proposalClosed(first);
      firstToast.click('Apply');
      assert.equal(
        (await message(shown, /since renamed/)).text,
        'Omni: that proposal was for named_a.py, since renamed to named_b.py; it was closed when a newer one for named_b.py opened. ' +
          'To see it again, select the code and click Apply on the code block of its answer in the chat.',
      );
      assert.equal(editor.document.getText(), SOURCE, 'the stale toast changed nothing');
      assert.equal(await vscode.commands.executeCommand('omni.applyProposal', second), 'applied');
      assert.equal(editor.document.getText(), SOURCE.replace('    total = a + b\n    return total', '    return sum((a, b))'));
    });
    fake.behave('fake-coder', { text: PROPOSAL });
  });

  test('a new file under the name of a file renamed earlier gets its proposal, not the renamed file', async () => {
    const fake = await fakeProvider();
    fake.behave('fake-coder', { text: PROPOSAL });
    const moved = await openWithSelection('first_name.py', '# moved away\n', 0, 0);
    const rename = new vscode.WorkspaceEdit();
    rename.renameFile(moved.document.uri, vscode.Uri.joinPath(workspaceFolder().uri, 'second_name.py'), { overwrite: true });
    assert.ok(await vscode.workspace.applyEdit(rename));
    const reused = await openWithSelection('first_name.py', SOURCE, 2, 4);
    const id = await vscode.commands.executeCommand<string>('omni.refactorSelection', 'inline the temporary');
    // Every rename of the session was applied: Apply looked in second_name.py, and refused it as changed.
    assert.equal(await vscode.commands.executeCommand('omni.applyProposal', id), 'applied');
    assert.equal(reused.document.getText(), 'import os\n\ndef add(a, b):\n    return a + b\n\nprint(add(1, 2))\n');
  });

  test('in a notebook cell, the diff is titled with the cell, is in the cell\'s language, and Apply changes the cell', async () => {
    const fake = await fakeProvider();
    fake.behave('fake-coder', { text: PROPOSAL });
    const code = (source: string) => ({ cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: source.split(/(?<=\n)/) });
    const ipynb = {
      cells: [code('import pandas as pd\n'), { cell_type: 'markdown', metadata: {}, source: ['# Sums'] }, code(SOURCE.trimEnd())],
      metadata: { language_info: { name: 'python' } },
      nbformat: 4,
      nbformat_minor: 5,
    };
    const uri = vscode.Uri.joinPath(workspaceFolder().uri, 'analysis.ipynb');
    await writeText(uri, JSON.stringify(ipynb, null, 1));
    const notebook = await vscode.workspace.openNotebookDocument(uri);
    await vscode.window.showNotebookDocument(notebook, { selections: [new vscode.NotebookRange(2, 3)] });
    const cell = notebook.cellAt(2).document;
    const editor = await waitFor('the cell\'s editor', () => vscode.window.visibleTextEditors.find((shown) => shown.document === cell));
    editor.selection = new vscode.Selection(2, 0, 4, 16);
    await vscode.window.showTextDocument(cell, { selection: editor.selection });
    const id = await vscode.commands.executeCommand<string>('omni.refactorSelection', 'inline the temporary');
    const tab = await proposalTab(id);
    // Named after the notebook alone, the title did not say which of its cells the proposal changes.
    assert.equal(tab.label, 'Refactor: analysis.ipynb, cell 3 (original ↔ proposed)');
    // Named after the notebook, the diff was taken for JSON, and the Python code in it marked as broken.
    const sides = await Promise.all([tab.input.original, tab.input.modified].map((side) => vscode.workspace.openTextDocument(side)));
    assert.deepEqual(sides.map((side) => side.languageId), ['python', 'python']);
    assert.equal(await vscode.commands.executeCommand('omni.applyProposal', id), 'applied');
    assert.equal(cell.getText(), 'import os\n\ndef add(a, b):\n    return a + b\n\nprint(add(1, 2))');
    await vscode.window.showNotebookDocument(notebook);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test("from a proposal's diff, a code block's Apply replaces the proposal's code in the file, and Explain names the file", async () => {
    const fake = await fakeProvider();
    fake.behave('fake-coder', { text: PROPOSAL });
    const editor = await openWithSelection('from_the_diff.py', SOURCE, 2, 4);
    const first = await vscode.commands.executeCommand<string>('omni.refactorSelection', 'inline the temporary');
    const diff = (await proposalTab(first)).input;
    // The diff keeps the focus while the user clicks in the chat in the side bar.
    const shown = await waitFor('the diff as the active editor', () =>
      vscode.window.activeTextEditor?.document.uri.toString() === diff.modified.toString() ? vscode.window.activeTextEditor : undefined);
    shown.selection = new vscode.Selection(3, 0, 3, 16);
    const before = fake.chatRequests().length;
    fake.behave('fake-coder', { text: 'It returns the sum.' });
    await vscode.commands.executeCommand('omni.explainSelection');
    assert.match(fake.chatRequests()[before].body!.messages.at(-1)!.content, /Selected code from from_the_diff\.py:/, 'the file, not a path of the diff');

    await vscode.window.showTextDocument(shown.document, { viewColumn: shown.viewColumn });
    const again = await openedProposal(async () => (await omniApi()).codeAction({ type: 'applyToSelection', code: 'def add(a, b):\n    return sum((a, b))\n' }));
    await proposalClosed(first);
    assert.equal(await vscode.commands.executeCommand('omni.applyProposal', again.input.modified), 'applied');
    assert.equal(editor.document.getText(), 'import os\n\ndef add(a, b):\n    return sum((a, b))\n\nprint(add(1, 2))\n');
    fake.behave('fake-coder', { text: PROPOSAL });
  });

  test('with several selections, only the primary one is sent, and the others are let go so the editor shows what is sent', async () => {
    const fake = await fakeProvider();
    fake.behave('fake-coder', { text: PROPOSAL });
    const editor = await openWithSelection('several.py', SOURCE, 2, 4);
    editor.selections = [new vscode.Selection(2, 0, 4, 16), new vscode.Selection(6, 0, 6, 16)];
    const before = fake.chatRequests().length;
    const id = await vscode.commands.executeCommand<string>('omni.refactorSelection', 'inline the temporary');
    const prompt = fake.chatRequests()[before].body!.messages.at(-1)!.content;
    assert.match(prompt, /```python\ndef add\(a, b\):\n {4}total = a \+ b\n {4}return total\n```/);
    assert.doesNotMatch(prompt, /print\(add/);
    assert.deepEqual(editor.selections.map((s) => [s.start.line, s.end.line]), [[2, 4]]);
    assert.equal(await vscode.commands.executeCommand('omni.applyProposal', id), 'applied');
    assert.equal(editor.document.getText(), 'import os\n\ndef add(a, b):\n    return a + b\n\nprint(add(1, 2))\n');
  });

  test('a selection over omni.maxSelectionTokens: the message reads right for a plural subject too', async () => {
    const fake = await fakeProvider();
    // 4,000 lines and no blank one: with only a cursor, the block around it is the whole file.
    const lines = Array.from({ length: 4000 }, (_, i) => `value_${i} = compute(${i}) + offset  # line ${i}`).join('\n');
    const editor = await openWithSelection('no_blank_lines.py', `${lines}\n`, 0, 0);
    editor.selection = new vscode.Selection(2000, 3, 2000, 3);
    const before = fake.chatRequests().length;
    await watchMessages(async (shown) => {
      assert.equal(await vscode.commands.executeCommand('omni.explainSelection'), undefined);
      const around = await message(shown, /omni\.maxSelectionTokens/);
      assert.match(around.text, /^Omni: the lines around the cursor would take about [\d,]+ tokens to send, over the 20,000 of "omni\.maxSelectionTokens"\. Select less, or raise the setting\.$/);
      editor.selection = new vscode.Selection(0, 0, 3999, 0);
      assert.equal(await vscode.commands.executeCommand('omni.explainSelection'), undefined);
      await waitFor('a second message', () => shown.length > 1);
      assert.match(shown[1].text, /^Omni: the selection would take about [\d,]+ tokens to send,/);
    });
    assert.equal(fake.chatRequests().length, before);
  });
});
