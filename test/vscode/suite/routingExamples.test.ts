// The policy's routing examples (.omni/policies.test.jsonl) run from VS Code: each line is a test, a wrong
// route fails at its line, broken lines and unknown routes are reported rather than skipped, and an edit to the
// file is picked up without a reload.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { watchOmniFile } from '../../../src/vscode/omniFiles';
import type { RoutingExamplesSummary } from '../../../src/vscode/routingExamples';
import { fakeProvider, modelsAsked, omniApi, policyUri, testPolicy, usePolicy, waitFor, watchMessages, workspaceFolder, writeText } from './helpers';

const examplesUri = () => vscode.Uri.joinPath(workspaceFolder().uri, '.omni', 'policies.test.jsonl');

const runExamples = () => vscode.commands.executeCommand<RoutingExamplesSummary>('omni.runRoutingExamples');

suite('Routing examples', () => {
  suiteSetup(async () => {
    await omniApi();
    await usePolicy(testPolicy());
  });

  suiteTeardown(async () => {
    await vscode.workspace.fs.delete(examplesUri());
  });

  test('runs every line with the local router and reports passes, failures at their line, and broken lines', async () => {
    const lines = [
      '{"prompt": "explain this", "command": "explain", "route": "code_explanation"}',
      '{"prompt": "tidy this up", "command": "refactor", "route": "code_explanation"}',
      '{"prompt": "no closing brace"',
      '{"prompt": "what should I cook tonight?", "route": "general_caht"}',
    ];
    await writeText(examplesUri(), `${lines.join('\n')}\n`);
    const summary = await runExamples();
    assert.equal(summary.passed, 1);
    assert.equal(summary.failed, 1);
    assert.equal(summary.errored, 2);
    assert.deepEqual(
      summary.failures.map(({ file, line, expected, got }) => ({ file, line, expected, got })),
      [{ file: '.omni/policies.test.jsonl', line: 2, expected: 'code_explanation', got: 'refactoring' }],
    );
    assert.match(summary.failures[0].reason, /rule 2: command refactor → refactoring/);
    // The broken line's column is where its object was left open; an unknown route has no column.
    assert.deepEqual(summary.errors.map(({ line, column }) => ({ line, column })), [{ line: 3, column: lines[2].length + 1 }, { line: 4, column: undefined }]);
    assert.match(summary.errors[0].message, /^the line ends inside the object \(close brace expected\): JSONL holds one whole object per line/);
    assert.match(summary.errors[1].message, /no route "general_caht" in the policy\. Did you mean "general_chat"\?/);
  });

  test('a file saved in another encoding is one broken line at its first byte that is not UTF-8, as omni test reports it', async () => {
    const good = '{"prompt": "explain this", "command": "explain", "route": "code_explanation"}\n';
    // "café" in Latin-1: 0xE9 is no UTF-8, and read as UTF-8 it would pass as "caf\uFFFD".
    const latin1 = Buffer.concat([Buffer.from(`${good}{"prompt": "caf`), Buffer.from([0xe9]), Buffer.from('", "route": "general_chat"}\n')]);
    await vscode.workspace.fs.writeFile(examplesUri(), latin1);
    const summary = await waitFor('the Latin-1 file to be read', async () => {
      const result = await runExamples();
      return result.errored === 1 ? result : undefined;
    });
    assert.deepEqual({ passed: summary.passed, failed: summary.failed }, { passed: 0, failed: 0 }, 'nothing runs from a file that is not read as written');
    assert.deepEqual(summary.errors.map(({ line, column }) => ({ line, column })), [{ line: 2, column: '{"prompt": "caf'.length + 1 }]);
    assert.match(summary.errors[0].message, /^byte 0xE9 is not UTF-8: the file must be saved as UTF-8/);
  });

  test('an edited examples file is re-read: fixing the lines makes every example pass', async () => {
    const lines = [
      '{"prompt": "explain this", "command": "explain", "route": "code_explanation"}',
      '{"prompt": "tidy this up", "command": "refactor", "route": "refactoring"}',
      '{"prompt": "what should I cook tonight? any pasta recipe ideas", "route": "general_chat"}',
    ];
    await writeText(examplesUri(), `${lines.join('\n')}\n`);
    const summary = await waitFor('the fixed file to be read', async () => {
      const result = await runExamples();
      return result.passed === 3 ? result : undefined;
    });
    assert.deepEqual({ failed: summary.failed, errored: summary.errored }, { failed: 0, errored: 0 });
  });

  test('unsaved lines in an open examples file run, and results land on the lines the editor shows', async () => {
    const saved = '{"prompt": "tidy this up", "command": "refactor", "route": "code_explanation"}\n';
    await writeText(examplesUri(), saved);
    const document = await vscode.workspace.openTextDocument(examplesUri());
    const editor = await vscode.window.showTextDocument(document);
    await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), '{"prompt": "explain this", "command": "explain", "route": "code_explanation"}\n'));
    try {
      const summary = await waitFor('the unsaved line to run', async () => {
        const result = await runExamples();
        return result.passed + result.failed === 2 ? result : undefined;
      });
      assert.equal(summary.passed, 1);
      assert.deepEqual(summary.failures.map(({ line, got }) => ({ line, got })), [{ line: 2, got: 'refactoring' }]);
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  test('the run "as the policy routes" asks Arch-Router where the policy says so, and the reason names the deciding stage', async () => {
    const fake = await fakeProvider();
    fake.behave('fake-arch', { archRouter: { route: 'code_generation' } });
    await usePolicy({ ...testPolicy(), router: { mode: 'arch', timeoutMs: 5000, archRouter: { provider: 'fake', model: 'fake-arch' } } });
    try {
      await writeText(examplesUri(), '{"prompt": "what should I cook tonight? any pasta recipe ideas", "route": "general_chat"}\n');
      const asked = fake.chatRequests().length;
      const local = await runExamples();
      assert.deepEqual({ passed: local.passed, failed: local.failed }, { passed: 1, failed: 0 }, 'the default run never asks Arch-Router');
      assert.equal(fake.chatRequests().length, asked);

      const asPolicy = await vscode.commands.executeCommand<RoutingExamplesSummary>('omni.runRoutingExamplesAsPolicy');
      assert.deepEqual({ passed: asPolicy.passed, failed: asPolicy.failed }, { passed: 0, failed: 1 });
      assert.deepEqual(modelsAsked(fake, asked), ['fake-arch']);
      assert.equal(asPolicy.failures[0].got, 'code_generation');
      assert.match(asPolicy.failures[0].reason, /^Arch-Router picked code_generation in \d+ ms/);
    } finally {
      await usePolicy(testPolicy());
    }
  });

  test("a sub-project's .omni/policies.test.jsonl is not the folder's: its changes are not taken for the folder's examples", async () => {
    // The Testing view listed such a file when it was saved, and ran it with the folder's policy, until a refresh.
    const nested = vscode.Uri.joinPath(workspaceFolder().uri, 'packages', 'api', '.omni', 'policies.test.jsonl');
    const reported: string[] = [];
    const watcher = watchOmniFile('.omni/policies.test.jsonl', (uri) => reported.push(vscode.workspace.asRelativePath(uri)));
    try {
      await writeText(nested, '{"prompt": "explain this", "command": "explain", "route": "code_explanation"}\n');
      await writeText(examplesUri(), '{"prompt": "tidy this up", "command": "refactor", "route": "refactoring"}\n');
      await waitFor("the folder's own file to be reported", () => reported.length > 0);
      await new Promise((r) => setTimeout(r, 500));
      assert.deepEqual([...new Set(reported)], ['.omni/policies.test.jsonl']);
    } finally {
      watcher.dispose();
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(workspaceFolder().uri, 'packages'), { recursive: true });
    }
  });

  test('without a workspace policy, each example says so, and the command offers to create one', async () => {
    await writeText(examplesUri(), '{"prompt": "explain this", "command": "explain", "route": "code_explanation"}\n');
    await vscode.workspace.fs.delete(policyUri());
    try {
      await watchMessages(async (shown) => {
        const summary = await waitFor('the deleted policy to be noticed', async () => {
          const result = await runExamples();
          return result.errored === 1 ? result : undefined;
        });
        assert.deepEqual({ passed: summary.passed, failed: summary.failed }, { passed: 0, failed: 0 });
        const missing = `routing examples test a workspace policy, and ${workspaceFolder().name} has no .omni/policies.json`;
        assert.equal(summary.errors[0].message, `${missing}.`);
        const offer = shown.at(-1)!;
        assert.deepEqual({ text: offer.text, buttons: offer.buttons }, { text: `Omni: ${missing}.`, buttons: ['Create Policy'] });
      });
    } finally {
      await usePolicy(testPolicy());
    }
  });

  test('with a broken policy and no earlier valid version, the run says the policy has errors and offers to open it or Problems', async () => {
    await writeText(examplesUri(), '{"prompt": "explain this", "command": "explain", "route": "code_explanation"}\n');
    await vscode.workspace.fs.delete(policyUri());
    try {
      await waitFor('the deleted policy to be noticed', async () => (await runExamples()).errors[0]?.message.includes('has no .omni/policies.json'));
      // A value of the wrong type: the file is there, and no version of it was ever valid in this window.
      await writeText(policyUri(), JSON.stringify({ ...testPolicy(), defaultRoute: 42 }, null, 2));
      await waitFor("Omni's diagnostics for the broken policy", () => vscode.languages.getDiagnostics(policyUri()).length > 0);
      await watchMessages(async (shown) => {
        const summary = await runExamples();
        const broken = 'routing examples test a workspace policy, and .omni/policies.json has errors (see Problems); the built-in default policy routes until it is fixed';
        assert.deepEqual(summary.errors.map(({ message }) => message), [`${broken}.`]);
        // The fix offer alone: a "0 passed, 0 failed, 1 could not run" beside it would say nothing more.
        await waitFor('the offer to fix the policy', () => shown.length > 0);
        await new Promise((r) => setTimeout(r, 300));
        assert.deepEqual(shown.map(({ text, buttons }) => ({ text, buttons })), [{ text: `Omni: ${broken}.`, buttons: ['Open Policy', 'Show Problems'] }]);
        shown[0].click('Open Policy');
        await waitFor('the policy in the editor', () => vscode.window.activeTextEditor?.document.uri.toString() === policyUri().toString());
      });
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await usePolicy(testPolicy());
    }
  });

  test('with a broken policy that has a valid earlier version, the run says the examples ran against that version', async () => {
    await writeText(examplesUri(), '{"prompt": "explain this", "command": "explain", "route": "code_explanation"}\n');
    try {
      await writeText(policyUri(), JSON.stringify({ ...testPolicy(), defaultRoute: 42 }, null, 2));
      await waitFor("Omni's diagnostics for the broken policy", () => vscode.languages.getDiagnostics(policyUri()).length > 0);
      await watchMessages(async (shown) => {
        const summary = await runExamples();
        assert.deepEqual({ passed: summary.passed, errored: summary.errored }, { passed: 1, errored: 0 }, 'the last valid version routes');
        await waitFor('the run summary', () => shown.length > 0);
        assert.deepEqual(shown.map(({ text, buttons }) => ({ text, buttons })), [
          {
            text: 'Omni routing examples: 1 passed, 0 failed. .omni/policies.json has errors (see Problems); its last valid version keeps routing, and the examples ran against it.',
            buttons: ['Show Results', 'Show Problems'],
          },
        ]);
      });
    } finally {
      await usePolicy(testPolicy());
    }
  });
});
