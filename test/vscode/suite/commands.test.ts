// The remaining commands: API keys in SecretStorage, the model override, policy scaffolding, the chat views,
// conversation persistence and stickiness, all against the loopback fake provider.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { startFakeProvider } from '../../fake-provider/server';
import { FAKE_KEY, fakeProvider, modelsAsked, nextPolicyChange, omniApi, openWithSelection, policyUri, testPolicy, usePolicy, waitFor, watchMessages, watchProgress, withProviders, workspaceFolder, writeText } from './helpers';

const SOURCE_FOR_EXPLAIN = 'def add(a, b):\n    return a + b\n';

/**
 * In a new chat, asks a question whose answer (from either model) streams `words` words at 50 ms each; resolves once the
 * request reached the provider, with the answer still streaming and the provider's request count before it.
 */
async function askSlowly(words: number): Promise<{ pending: Promise<{ ok: boolean }>; before: number }> {
  const fake = await fakeProvider();
  const slow = { text: 'word '.repeat(words), chunks: words, chunkDelayMs: 50 };
  fake.behave('fake-general', slow);
  fake.behave('fake-coder', slow);
  await vscode.commands.executeCommand('omni.newChat');
  const before = fake.chatRequests().length;
  const pending = (await omniApi()).ask('tell me a slow story about a lighthouse');
  await waitFor('the request to reach the provider', () => fake.chatRequests().length > before);
  return { pending, before };
}

suite('Commands', () => {
  suiteSetup(async () => {
    await omniApi();
    const fake = await fakeProvider();
    fake.behave('fake-coder', { text: 'coder answer' });
    fake.behave('fake-general', { text: 'general answer' });
    await usePolicy(testPolicy());
    await vscode.commands.executeCommand('omni.newChat');
  });

  test('Set API Key stores the key, and the provider receives it', async () => {
    const fake = await fakeProvider();
    assert.equal(await vscode.commands.executeCommand('omni.setApiKey', 'fake', 'sk-test-456'), true);
    const before = fake.chatRequests().length;
    const api = await omniApi();
    await api.ask('any tips for a pasta recipe tonight?');
    const [request] = fake.chatRequests().slice(before);
    assert.equal(request.headers.authorization, 'Bearer sk-test-456');
    // Removed, the key is sent no more.
    assert.equal(await vscode.commands.executeCommand('omni.removeApiKey', 'fake'), true);
    const afterRemoval = fake.chatRequests().length;
    await api.ask('any tips for a pasta recipe tonight?');
    assert.notEqual(fake.chatRequests().slice(afterRemoval)[0]?.headers.authorization, 'Bearer sk-test-456');
    await vscode.commands.executeCommand('omni.setApiKey', 'fake', FAKE_KEY);
  });

  test('Set API Key refuses a provider whose settings entry is broken, since the built-in of that name is not used either', async () => {
    await withProviders(async (addProviders) => {
      await addProviders({ openai: { baseURL: 'ftp://api.example.com' } });
      assert.equal(await vscode.commands.executeCommand('omni.setApiKey', 'openai', 'sk-never-stored'), false);
    });
  });

  test('a provider that echoes the key in its error: the answer shows the error without the key', async () => {
    const fake = await fakeProvider();
    fake.behave('fake-general', { fail: { status: 401, message: `Incorrect API key provided: ${FAKE_KEY}` } });
    try {
      const api = await omniApi();
      await vscode.commands.executeCommand('omni.newChat');
      const result = await api.ask('any tips for a pasta recipe tonight?');
      assert.equal(result.ok, false);
      // A rejected key is what is wrong, and Set API Key the fix; the server is running, so nothing says to start it.
      const latest = (await api.conversations()).sort((a, b) => b.updatedAt - a.updatedAt)[0];
      const failed = (await api.conversation(latest.id))?.turns.at(-1);
      assert.deepEqual(failed?.role === 'assistant' ? failed.setup : undefined, [
        'No model could answer: fake rejected the key.',
        'Run "Omni: Set API Key" to store a new one (a stored key is used before OMNI_FAKE_KEY).',
      ]);
      await vscode.commands.executeCommand('omni.showRoutingLog');
    } finally {
      fake.behave('fake-general', { text: 'general answer' });
    }
    // The runner then searches every file of the run (logs, settings, conversations) for the key.
  });

  test('when every model fails, the answer says so in one line and lists the attempts once', async () => {
    const fake = await fakeProvider();
    for (const model of ['fake-coder', 'fake-general']) fake.behave(model, { fail: { status: 500, message: 'boom' } });
    try {
      const api = await omniApi();
      await vscode.commands.executeCommand('omni.newChat');
      assert.equal((await api.ask('any tips for a pasta recipe tonight?')).ok, false);
      const latest = (await api.conversations()).sort((a, b) => b.updatedAt - a.updatedAt)[0];
      const failed = (await api.conversation(latest.id))?.turns.at(-1);
      assert.ok(failed?.role === 'assistant' && failed.error, 'the answer ended in an error');
      assert.equal(failed.error.message, 'No model could answer.');
      assert.ok(failed.error.attempts.length > 0 && failed.error.attempts.every((attempt) => attempt.cause.includes('HTTP 500')), JSON.stringify(failed.error));
    } finally {
      fake.behave('fake-coder', { text: 'coder answer' });
      fake.behave('fake-general', { text: 'general answer' });
    }
  });

  test('Choose Model overrides the router for the conversation, and Auto (routed) restores routing', async () => {
    const fake = await fakeProvider();
    const api = await omniApi();
    assert.equal(await vscode.commands.executeCommand('omni.chooseModel', 'coder'), 'coder');
    let before = fake.chatRequests().length;
    await api.ask('any tips for a pasta recipe tonight?');
    assert.deepEqual(modelsAsked(fake, before), ['fake-coder']);
    assert.equal(await vscode.commands.executeCommand('omni.chooseModel', null), null);
    await vscode.commands.executeCommand('omni.newChat');
    before = fake.chatRequests().length;
    await api.ask('any tips for a pasta recipe tonight?');
    assert.deepEqual(modelsAsked(fake, before), ['fake-general']);
  });

  test('a pinned model the policy drops is unpinned then, and does not come back when the policy gets it back', async () => {
    const fake = await fakeProvider();
    const api = await omniApi();
    const base = testPolicy();
    const withReviewer = { ...base, models: { ...(base.models as Record<string, unknown>), reviewer: { provider: 'fake', model: 'fake-reviewer' } } };
    // Each version applied before the next is written: under load the watcher reported the first edit after the
    // second, so Omni read the policy with the reviewer twice and never saw it leave.
    const applied = async (policy: Record<string, unknown>) => {
      const change = nextPolicyChange(api);
      await usePolicy(policy);
      await change;
    };
    try {
      await applied(withReviewer);
      await vscode.commands.executeCommand('omni.newChat');
      assert.equal(await vscode.commands.executeCommand('omni.chooseModel', 'reviewer'), 'reviewer');
      await applied(base);
      await applied(withReviewer);
      const before = fake.chatRequests().length;
      await api.ask('any tips for a pasta recipe tonight?');
      assert.deepEqual(modelsAsked(fake, before), ['fake-general'], 'routed, not the model pinned before it left the policy');
    } finally {
      await usePolicy(base);
    }
  });

  test('a pinned answer is tagged with the route the router gives the request, and once unpinned the next one is routed afresh', async () => {
    const api = await omniApi();
    await vscode.commands.executeCommand('omni.newChat');
    await api.ask('what is a good name for a cat?');
    await vscode.commands.executeCommand('omni.chooseModel', 'coder');
    await api.ask('any tips for a salad recipe tonight?');
    await vscode.commands.executeCommand('omni.chooseModel', null);
    await api.ask('why?');
    const latest = (await api.conversations()).sort((a, b) => b.updatedAt - a.updatedAt)[0];
    const tags = (await api.conversation(latest.id))?.turns.flatMap((turn) => (turn.role === 'assistant' && turn.tag ? [turn.tag] : [])) ?? [];
    assert.equal(tags.length, 3);
    // Before, the pinned answer claimed code_generation, the first route of the coder model.
    assert.deepEqual([tags[1].route, tags[1].model, tags[1].stage], ['general_chat', 'coder', 'override']);
    assert.match(tags[1].reason, /^model coder chosen explicitly; local classifier picked general_chat/);
    // Before, the general model from before the pin was kept for the follow-up ("kept general from earlier…").
    assert.doesNotMatch(tags[2].reason, /^kept /);
  });

  test('Explain during a streaming answer waits for it, then explains what was selected, and its notice goes by itself', async () => {
    const fake = await fakeProvider();
    try {
      await watchProgress(async (shown) => {
        const { pending, before } = await askSlowly(20);
        const editor = await openWithSelection('busy.py', SOURCE_FOR_EXPLAIN, 0, 0);
        const explained = vscode.commands.executeCommand<{ ok: boolean } | undefined>('omni.explainSelection');
        const notice = await waitFor('the waiting notice', () => shown.find((p) => /Explain Selection starts when the answer streaming in the chat ends/.test(p.title ?? '')));
        assert.equal(notice.cancellable, true);
        // Selected when the command was given: moving on while it waits must not change what is explained.
        editor.selection = new vscode.Selection(1, 0, 1, 0);
        assert.equal(fake.chatRequests().length, before + 1, 'two answers at once would each take the other for context');
        assert.equal((await pending).ok, true, 'the streaming answer is not stopped');
        assert.equal((await explained)?.ok, true, 'the explanation ran once the chat was free');
        assert.equal(notice.ended, true, 'the notice closed when the explanation started');
        const sent = fake.chatRequests().slice(before + 1);
        assert.equal(sent.length, 1);
        const prompt = JSON.stringify(sent[0].body?.messages.at(-1));
        assert.match(prompt, /Explain what the selected code does/);
        assert.match(prompt, /def add\(a, b\):/);
        const api = await omniApi();
        const [latest] = await api.conversations();
        const asked = (await api.conversation(latest.id))?.turns.filter((turn) => turn.role === 'user').at(-1);
        assert.equal(asked?.text, 'Explain the selection (busy.py:1-1)', 'the line selected when Explain was given');
        assert.match(JSON.stringify(sent[0].body?.messages), /a slow story about a lighthouse/, 'asked after the answer it waited for');
      });
    } finally {
      fake.behave('fake-general', { text: 'general answer' });
      fake.behave('fake-coder', { text: 'coder answer' });
    }
  });

  test('Cancel on the waiting notice drops the Explain; two waiting commands run one after the other', async () => {
    const fake = await fakeProvider();
    try {
      await watchProgress(async (shown) => {
        const { pending, before } = await askSlowly(10);
        await openWithSelection('busy.py', SOURCE_FOR_EXPLAIN, 0, 1);
        const dropped = vscode.commands.executeCommand('omni.explainSelection');
        const notice = await waitFor('the waiting notice', () => shown[0]);
        notice.cancel();
        assert.equal(await dropped, undefined);
        assert.equal(notice.ended, true);
        const first = vscode.commands.executeCommand<{ ok: boolean } | undefined>('omni.explainSelection');
        const second = vscode.commands.executeCommand<{ ok: boolean } | undefined>('omni.explainSelection');
        await waitFor('both waiting notices', () => shown.length === 3 || undefined);
        await pending;
        assert.deepEqual([(await first)?.ok, (await second)?.ok], [true, true]);
        const sent = fake.chatRequests().slice(before + 1);
        assert.equal(sent.length, 2, 'the cancelled Explain asked nothing');
        // The second started after the first had answered: it was sent that answer as an earlier turn.
        assert.equal(sent[1].body?.messages.filter((m: { content: unknown }) => /Explain what the selected code does/.test(String(m.content))).length, 2);
        assert.equal(shown.every((p) => p.ended), true, 'no notice is left on screen');
      });
    } finally {
      fake.behave('fake-general', { text: 'general answer' });
      fake.behave('fake-coder', { text: 'coder answer' });
    }
  });

  test('conversations are saved per workspace with their answers', async () => {
    const api = await omniApi();
    await vscode.commands.executeCommand('omni.newChat');
    await api.ask('what is a good name for a cat?');
    const summaries = await api.conversations();
    const saved = summaries.find((s) => s.title === 'what is a good name for a cat?');
    assert.ok(saved, 'the new conversation is listed');
    assert.equal(saved.turnCount, 2);
  });

  test('a conversation that cannot be saved: the user is told once, and the chat keeps answering', async () => {
    const api = await omniApi();
    await vscode.commands.executeCommand('omni.newChat');
    await api.ask('what is a good name for a dog?');
    const saved = (await api.conversations()).find((s) => s.title === 'what is a good name for a dog?');
    assert.ok(saved, 'the conversation is saved while storage works');
    // The harness keeps the user data beside the workspace; the conversation's file tells Omni's folder in it.
    const storage = join(workspaceFolder().uri.fsPath, '..', 'user-data', 'User', 'workspaceStorage');
    const folder = readdirSync(storage)
      .map((hash) => join(storage, hash, 'omni-dev.omni-router', 'conversations'))
      .find((candidate) => existsSync(join(candidate, `${saved.id}.json`)));
    assert.ok(folder, `the conversations folder under ${storage}`);
    // A file where the folder was: no write gets through, as on a read-only or full disk (chmod alone does not stop root).
    renameSync(folder, `${folder}.aside`);
    writeFileSync(folder, '');
    try {
      await watchMessages(async (shown) => {
        const first = await api.ask('and one for a parrot?');
        const second = await api.ask('and for a goldfish?');
        assert.deepEqual([first.ok, second.ok], [true, true], 'the chat keeps answering');
        const warnings = shown.filter((m) => /could not save the conversation/.test(m.text));
        assert.equal(warnings.length, 1, `told once: ${JSON.stringify(shown.map((m) => m.text))}`);
        assert.ok(warnings[0].text.includes(folder), `the warning names the folder: ${warnings[0].text}`);
      });
    } finally {
      rmSync(folder);
      renameSync(`${folder}.aside`, folder);
    }
    // Once saving works again, the next answer saves the whole conversation, the turns it could not save included.
    await api.ask('and for a cat?');
    assert.equal((await api.conversation(saved.id))?.turns.length, 8);
  });

  test('New Chat during an answer stops it, and the old conversation is saved as stopped, not stuck streaming', async () => {
    const fake = await fakeProvider();
    const api = await omniApi();
    const totalsBefore = api.sessionTotals();
    const { pending } = await askSlowly(60);
    await vscode.commands.executeCommand('omni.newChat');
    assert.equal((await pending).ok, false);
    const summary = (await api.conversations()).find((s) => s.title === 'tell me a slow story about a lighthouse');
    assert.ok(summary, 'the stopped conversation is listed');
    const saved = await api.conversation(summary.id);
    const last = saved?.turns.at(-1);
    assert.equal(last?.role === 'assistant' ? last.status : last?.role, 'stopped');
    // Priced from the estimated tokens, since the model has a price; before, a stopped answer's cost was blank.
    const footer = last?.role === 'assistant' ? last.footer : undefined;
    assert.equal(footer?.estimated, true);
    assert.ok((footer?.costUsd ?? 0) > 0, `cost ${footer?.costUsd}`);
    // Those tokens were sent and partly received, so Session totals count them.
    const totals = api.sessionTotals();
    assert.equal(totals.answers, totalsBefore.answers + 1);
    assert.ok(Math.abs(totals.costUsd - totalsBefore.costUsd - (footer?.costUsd ?? 0)) < 1e-12, 'the footer\'s cost is in the totals');
    assert.equal(totals.estimated, true);
    fake.behave('fake-general', {});
    fake.behave('fake-coder', {});
  });

  test('an answer is saved while it streams, so a window closed mid-answer keeps the text that had arrived', async () => {
    const api = await omniApi();
    const earlier = new Set((await api.conversations()).map((s) => s.id));
    const { pending } = await askSlowly(100);
    const summary = await waitFor('the conversation to be listed', async () => (await api.conversations()).find((s) => !earlier.has(s.id)));
    // Read back as a reload would read it: the streaming answer is stopped, with the words that had arrived.
    const saved = await waitFor('streamed words in the saved answer', async () => {
      const last = (await api.conversation(summary.id))?.turns.at(-1);
      return last?.role === 'assistant' && last.text.startsWith('word ') ? last : undefined;
    });
    assert.equal(saved.status, 'stopped');
    assert.ok(saved.tag, 'the routing tag is saved with it');
    await vscode.commands.executeCommand('omni.newChat');
    assert.equal((await pending).ok, false);
    const fake = await fakeProvider();
    fake.behave('fake-general', {});
    fake.behave('fake-coder', {});
  });

  test('a request from the chat in an editor tab is routed with the file the user worked in', async () => {
    const api = await omniApi();
    await vscode.commands.executeCommand('omni.newChat');
    await openWithSelection('tab_context.py', 'x = 1\n', 0, 0);
    await vscode.commands.executeCommand('omni.openChatInEditor');
    try {
      await waitFor('the chat tab to have focus', () => vscode.window.activeTextEditor === undefined);
      await api.ask('what does this file do, in a few words?');
      const summary = (await api.conversations()).find((s) => s.title === 'what does this file do, in a few words?');
      const [routedOn] = Object.values((await api.conversation(summary!.id))?.routedOn ?? {});
      assert.deepEqual({ languageId: routedOn?.languageId, fileName: routedOn?.fileName }, { languageId: 'python', fileName: 'tab_context.py' });
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeEditorsInOtherGroups');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  test('stickiness "keep" keeps what the router picked, not a model the user pinned and then unpinned', async () => {
    const fake = await fakeProvider();
    const api = await omniApi();
    const config = vscode.workspace.getConfiguration('omni');
    await config.update('conversation.stickiness', 'keep', vscode.ConfigurationTarget.Global);
    try {
      await vscode.commands.executeCommand('omni.newChat');
      await vscode.commands.executeCommand('omni.chooseModel', 'general');
      const before = fake.chatRequests().length;
      await api.ask('write a python function that parses a CSV line into fields');
      await vscode.commands.executeCommand('omni.chooseModel', null);
      await api.ask('now one that writes the fields back as a CSV line');
      assert.deepEqual(modelsAsked(fake, before), ['fake-general', 'fake-coder']);

      // Nor a fallback that answered for the routed model once: the coder failed, the general model stood in.
      await vscode.commands.executeCommand('omni.newChat');
      fake.behave('fake-coder', { fail: { status: 500 } });
      const fallbackFrom = fake.chatRequests().length;
      await api.ask('write a python function that parses a CSV line into fields');
      fake.behave('fake-coder', { text: 'coder answer' });
      await api.ask('any tips for a pasta recipe tonight?');
      assert.deepEqual(modelsAsked(fake, fallbackFrom), ['fake-coder', 'fake-general', 'fake-coder']);
    } finally {
      fake.behave('fake-coder', { text: 'coder answer' });
      await config.update('conversation.stickiness', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('stickiness: a follow-up keeps the model unless settings say to route afresh', async () => {
    const fake = await fakeProvider();
    const api = await omniApi();
    const config = vscode.workspace.getConfiguration('omni');
    await config.update('conversation.stickiness', 'keep', vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('omni.newChat');
    let before = fake.chatRequests().length;
    await api.ask('write a python function that parses a CSV line into fields');
    await api.ask('any tips for a pasta recipe tonight?');
    assert.deepEqual(modelsAsked(fake, before), ['fake-coder', 'fake-coder']);

    await config.update('conversation.stickiness', 'always-route', vscode.ConfigurationTarget.Global);
    before = fake.chatRequests().length;
    await api.ask('any tips for a pasta recipe tonight?');
    assert.deepEqual(modelsAsked(fake, before), ['fake-general']);
    await config.update('conversation.stickiness', undefined, vscode.ConfigurationTarget.Global);
  });

  test('a changed provider setting reaches Arch-Router too: routers are rebuilt with the new providers', async () => {
    const fake = await fakeProvider();
    const api = await omniApi();
    const moved = await startFakeProvider();
    fake.behave('fake-arch', { archRouter: { route: 'code_generation' } });
    moved.behave('fake-arch', { archRouter: { route: 'code_generation' } });
    try {
      await withProviders(async (addProviders) => {
        await usePolicy({ ...testPolicy(), router: { mode: 'arch', timeoutMs: 5000, archRouter: { provider: 'fake', model: 'fake-arch' } } });
        await vscode.commands.executeCommand('omni.newChat');
        const before = fake.chatRequests().length;
        await api.ask('write a python function that parses a CSV line into fields');
        assert.deepEqual(modelsAsked(fake, before), ['fake-arch', 'fake-coder']);

        await addProviders({ fake: { type: 'openai-compatible', baseURL: moved.baseURL, apiKeyEnv: 'OMNI_FAKE_KEY' } });
        const untouched = fake.chatRequests().length;
        await api.ask('write a python function that parses a CSV line into fields');
        assert.deepEqual(modelsAsked(moved), ['fake-arch', 'fake-coder']);
        assert.equal(fake.chatRequests().length, untouched, 'nothing went to the provider the setting no longer names');
      });
    } finally {
      await moved.close();
    }
  });

  test('Create Policy scaffolds .omni/policies.json from a template and opens it', async () => {
    await vscode.workspace.fs.delete(policyUri());
    await waitFor('the policy to be gone', async () => !(await vscode.workspace.fs.stat(policyUri()).then(() => true, () => false)));
    const created = await vscode.commands.executeCommand<vscode.Uri>('omni.createPolicy', 'ollama');
    assert.equal(created?.toString(), policyUri().toString());
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(policyUri()));
    assert.match(text, /"provider": "ollama"/);
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), policyUri().toString());
    await usePolicy(testPolicy());
  });

  test('Create Policy fills an empty .omni/policies.json, as its "the file is empty" problem says to run it', async () => {
    await writeText(policyUri(), '\n');
    const [problem] = await waitFor('the empty-file problem', () => {
      const found = vscode.languages.getDiagnostics(policyUri());
      return found.length > 0 ? found : undefined;
    });
    assert.match(problem.message, /^the file is empty: .*run "Omni: Create Policy"/);
    await vscode.commands.executeCommand('omni.createPolicy', 'ollama');
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(policyUri()));
    assert.match(text, /"provider": "ollama"/);
    await waitFor('the problem to go', () => vscode.languages.getDiagnostics(policyUri()).length === 0);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await usePolicy(testPolicy());
  });

  test('Open Chat, Open Chat in Editor and New Chat run, and the editor chat is a webview tab', async () => {
    await vscode.commands.executeCommand('omni.openChat');
    await vscode.commands.executeCommand('omni.openChatInEditor');
    await waitFor('the chat tab', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.input instanceof vscode.TabInputWebview && t.label === 'Omni Chat'));
    await vscode.commands.executeCommand('omni.newChat');
    assert.ok(workspaceFolder());
  });
});
