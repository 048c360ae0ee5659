// "Omni: Save as Routing Example": a chat answer's request becomes a line of .omni/policies.test.jsonl with the
// route the user says it should take, so a wrong route turns into a failing routing example at that line.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RoutingExamplesSummary } from '../../../src/vscode/routingExamples';
import type { SavedExample } from '../../../src/vscode/saveRoutingExample';
import { fakeProvider, omniApi, openWithSelection, testPolicy, usePolicy, workspaceFolder } from './helpers';

const examplesUri = () => vscode.Uri.joinPath(workspaceFolder().uri, '.omni', 'policies.test.jsonl');
const SOURCE = 'def area(r):\n    return 3.14159 * r * r\n\nprint(area(2))\n';

const save = (requestId?: string, route?: string) => vscode.commands.executeCommand<SavedExample | undefined>('omni.saveRoutingExample', requestId, route);

async function removeExamples(): Promise<void> {
  await vscode.workspace.fs.delete(examplesUri()).then(
    () => undefined,
    () => undefined,
  );
}

async function examplesLines(): Promise<Record<string, unknown>[]> {
  const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(examplesUri()));
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

suite('Save as Routing Example', () => {
  suiteSetup(async () => {
    await omniApi();
    await fakeProvider();
    await usePolicy(testPolicy());
    await removeExamples();
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await removeExamples();
  });

  test('saves what Explain was routed on, and the saved route is what the examples run expects', async () => {
    const fake = await fakeProvider();
    fake.behave('fake-coder', { text: 'It computes the area of a circle.' });
    await openWithSelection('area.py', SOURCE, 0, 1);
    await vscode.commands.executeCommand('omni.explainSelection');

    const wrong = await save(undefined, 'code_generation');
    assert.deepEqual(wrong, { file: '.omni/policies.test.jsonl', line: 1, route: 'code_generation', routed: 'code_explanation' });
    const right = await save(undefined, 'code_explanation');
    assert.equal(right?.line, 2);
    assert.equal((await save(undefined, 'code_explanation'))?.line, 2, 'saved again, the same example points at its line');

    const lines = await examplesLines();
    assert.equal(lines.length, 2, 'the same example is not added twice');
    const [first, second] = lines;
    assert.match(String(first.prompt), /^Explain what the selected code does and why/);
    assert.deepEqual(
      { languageId: first.languageId, fileName: first.fileName, selection: first.selection, command: first.command, route: first.route },
      { languageId: 'python', fileName: 'area.py', selection: 'def area(r):\n    return 3.14159 * r * r', command: 'explain', route: 'code_generation' },
    );
    assert.equal(second.route, 'code_explanation');

    const summary = await vscode.commands.executeCommand<RoutingExamplesSummary>('omni.runRoutingExamples');
    assert.deepEqual({ passed: summary.passed, failed: summary.failed, errored: summary.errored }, { passed: 1, failed: 1, errored: 0 });
    assert.deepEqual(
      summary.failures.map(({ line, expected, got }) => ({ line, expected, got })),
      [{ line: 1, expected: 'code_generation', got: 'code_explanation' }],
    );
  });

  test('a chat message is saved with the editor it was asked from; an unknown route saves nothing', async () => {
    // A new conversation, so the follow-up does not stay with the Explain answer's route.
    await vscode.commands.executeCommand('omni.newChat');
    await vscode.window.showTextDocument(vscode.Uri.joinPath(workspaceFolder().uri, 'area.py'));
    const fake = await fakeProvider();
    fake.behave('fake-general', { text: 'Try a risotto.' });
    const api = await omniApi();
    await api.ask('what should I cook tonight? any pasta recipe ideas');
    const before = await examplesLines();

    assert.equal(await save(undefined, 'no_such_route'), undefined);
    assert.equal((await examplesLines()).length, before.length);

    const saved = await save(undefined, 'general_chat');
    assert.equal(saved?.line, before.length + 1);
    assert.equal(saved?.routed, 'general_chat');
    const last = (await examplesLines()).at(-1)!;
    assert.deepEqual(last, { prompt: 'what should I cook tonight? any pasta recipe ideas', languageId: 'python', fileName: 'area.py', route: 'general_chat' });
  });

  test('a follow-up is saved with the turns before it, so the example routes as the chat did', async () => {
    // No editor open: the follow-up's words alone say nothing of code, so only its context routes it to code.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('omni.newChat');
    const fake = await fakeProvider();
    fake.behave('fake-coder', { text: 'def parse(line): return line.split(",")' });
    const api = await omniApi();
    await api.ask('write a python function that parses a CSV line');
    await api.ask('now one for lines separated by semicolons');

    const routed = (await save(undefined, 'code_generation')) ?? assert.fail('nothing saved');
    assert.equal(routed.routed, 'code_generation');
    const followUp = (await examplesLines()).at(-1)!;
    assert.equal(followUp.prompt, 'now one for lines separated by semicolons');
    assert.deepEqual(followUp.history, [{ role: 'user', content: 'write a python function that parses a CSV line' }], 'without Arch-Router, answers do not count');

    const withArchRouter = { ...testPolicy(), router: { mode: 'local', archRouter: { provider: 'fake', model: 'arch-router' } } };
    await usePolicy(withArchRouter);
    try {
      await save(undefined, 'code_generation');
      assert.deepEqual((await examplesLines()).at(-1)!.history, [
        { role: 'user', content: 'write a python function that parses a CSV line' },
        { role: 'assistant', content: 'def parse(line): return line.split(",")' },
      ]);
    } finally {
      await usePolicy(testPolicy());
    }

    const summary = await vscode.commands.executeCommand<RoutingExamplesSummary>('omni.runRoutingExamples');
    assert.deepEqual(
      summary.failures.filter(({ line }) => line >= routed.line),
      [],
      'saved with the route Omni chose, the follow-ups pass',
    );
  });

  test('a follow-up that kept the conversation\'s route is saved as the router routed it, which the examples run reproduces', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('omni.newChat');
    const config = vscode.workspace.getConfiguration('omni');
    await config.update('conversation.stickiness', 'keep', vscode.ConfigurationTarget.Global);
    try {
      const api = await omniApi();
      await api.ask('write a python function that parses a CSV line');
      await api.ask('any tips for a pasta recipe tonight?');
    } finally {
      await config.update('conversation.stickiness', undefined, vscode.ConfigurationTarget.Global);
    }
    const saved = (await save(undefined, 'general_chat')) ?? assert.fail('nothing saved');
    // The chat kept code_generation; the example is routed afresh, where the router picks general_chat.
    assert.equal(saved.routed, 'general_chat');
    const summary = await vscode.commands.executeCommand<RoutingExamplesSummary>('omni.runRoutingExamples');
    assert.deepEqual(summary.failures.filter(({ line }) => line === saved.line), [], 'the example saved as Omni chose passes');
  });

  test('a follow-up to Explain is saved with the file the earlier turn was asked from, for privacy.localOnly', async () => {
    await vscode.commands.executeCommand('omni.newChat');
    const fake = await fakeProvider();
    fake.behave('fake-coder', { text: 'It computes the area of a circle.' });
    await openWithSelection('area.py', SOURCE, 0, 1);
    await vscode.commands.executeCommand('omni.explainSelection');
    await (await omniApi()).ask('and now make it handle negative radii');
    await save(undefined, 'code_generation');
    const [earlier] = ((await examplesLines()).at(-1)!.history as Record<string, unknown>[]);
    assert.equal(earlier.fileName, 'area.py');
    assert.match(String(earlier.content), /Selected code from area\.py:/);
  });

  test('an open examples file with unsaved edits gets the line in the editor and keeps the edits unsaved', async () => {
    const document = await vscode.workspace.openTextDocument(examplesUri());
    await vscode.window.showTextDocument(document);
    const onDisk = document.getText();
    const draft = new vscode.WorkspaceEdit();
    draft.insert(document.uri, document.positionAt(onDisk.length), '{"prompt": "draft", "route": "general_chat"}');
    assert.ok(await vscode.workspace.applyEdit(draft));

    const saved = await save(undefined, 'refactoring');
    const lines = document.getText().split('\n');
    assert.equal(saved?.line, lines.length - 1, 'the new example is the last line');
    assert.equal(lines.at(-3), '{"prompt": "draft", "route": "general_chat"}', "the user's line is kept, on its own line");
    assert.equal(JSON.parse(lines[saved!.line - 1]).route, 'refactoring');
    assert.equal(document.isDirty, true);
    assert.equal(new TextDecoder().decode(await vscode.workspace.fs.readFile(examplesUri())), onDisk, 'nothing was written behind the editor');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
