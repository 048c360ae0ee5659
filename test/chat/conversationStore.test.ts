import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
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
});
