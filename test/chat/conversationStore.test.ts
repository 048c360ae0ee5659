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
});
