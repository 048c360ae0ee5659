import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AssistantTurn } from '../../src/protocol/messages';
import { ConversationStore } from '../../src/vscode/chat/conversationStore';
import { scratchDir } from '../support/scratch';

describe('ConversationStore', () => {
  it('reads an answer saved while it streamed (the window closed mid-answer) as stopped, so the conversation takes follow-ups', async () => {
    const store = new ConversationStore(scratchDir('omni-conversations-'), () => assert.fail('nothing is unreadable'));
    const conversation = store.create();
    conversation.turns.push(
      { role: 'user', text: 'first' },
      { role: 'assistant', requestId: 'r1', text: 'done answer', notes: [], status: 'done' },
      { role: 'user', text: 'second' },
      { role: 'assistant', requestId: 'r2', text: 'half an ans', notes: [], status: 'streaming' },
    );
    await store.save(conversation);
    const read = await store.get(conversation.id);
    assert.deepEqual(read?.turns.map((turn) => (turn.role === 'assistant' ? [turn.status, turn.text] : turn.text)), ['first', ['done', 'done answer'], 'second', ['stopped', 'half an ans']]);
  });

  it('lists two conversations that start alike apart: by their latest question and the model that answered last', async () => {
    const store = new ConversationStore(scratchDir('omni-conversations-'), () => assert.fail('nothing is unreadable'));
    const footer = (model: string) => ({ inputTokens: 1, outputTokens: 1, estimated: false, costUsd: null, timeToFirstTokenMs: 1, totalMs: 2, model });
    const once = store.create();
    once.title = 'why does my build fail?';
    once.turns.push({ role: 'user', text: 'why does my build fail?' }, { role: 'assistant', requestId: 'a1', text: 'tsx', notes: [], footer: footer('Coder'), status: 'done' });
    await store.save(once);
    const followedUp = store.create();
    followedUp.title = 'why does my build fail?';
    followedUp.turns.push(
      { role: 'user', text: 'why does my build fail?' },
      { role: 'assistant', requestId: 'b1', text: 'tsx', notes: [], footer: footer('Coder'), status: 'done' },
      { role: 'user', text: 'and how do I pin its version\nin package.json?' },
      { role: 'assistant', requestId: 'b2', text: '', notes: [], status: 'error' },
    );
    await store.save(followedUp);
    const summaries = await store.summaries();
    assert.deepEqual(
      summaries.map(({ id, latest, model, turnCount }) => ({ id, latest, model, turnCount })),
      [
        { id: followedUp.id, latest: 'and how do I pin its version', model: undefined, turnCount: 4 },
        { id: once.id, latest: undefined, model: 'Coder', turnCount: 2 },
      ],
      'a failed latest answer names no model; a single question repeats no title',
    );
  });

  it('names the model that was answering when a window reload cut the answer off, a fallback included', async () => {
    const store = new ConversationStore(scratchDir('omni-conversations-'), () => assert.fail('nothing is unreadable'));
    const tag = { route: 'code_generation', model: 'coder', modelDisplayName: 'Coder', provider: 'fake', stage: 'local' as const, reason: 'code', routerLatencyMs: 1, fallbacks: ['General'] };
    const savedMidAnswer = async (turn: Partial<AssistantTurn>) => {
      const conversation = store.create();
      conversation.turns.push({ role: 'user', text: 'write a parser' }, { role: 'assistant', requestId: 'r1', text: 'def par', notes: [], status: 'streaming', ...turn });
      await store.save(conversation);
      return conversation.id;
    };
    const routed = await savedMidAnswer({ tag });
    const fellBack = await savedMidAnswer({ tag, notes: [{ failedModel: 'Coder', cause: 'HTTP 500', nextModel: 'General', partialDiscarded: true }] });
    // Reopened after the reload and saved again, the answer is stopped: still the same model's.
    const reopened = await savedMidAnswer({ tag, status: 'stopped' });
    const unrouted = await savedMidAnswer({ text: '' });
    const models = new Map((await store.summaries()).map(({ id, model }) => [id, model]));
    assert.deepEqual([routed, fellBack, reopened, unrouted].map((id) => models.get(id)), ['Coder', 'General', 'Coder', undefined]);
  });
});
