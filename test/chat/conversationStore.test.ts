import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SUMMARY_INDEX_FILE } from '../../src/core/storage/summaryIndex';
import type { AssistantTurn } from '../../src/protocol/messages';
import { ConversationStore, type Conversation } from '../../src/vscode/chat/conversationStore';
import { scratchDir } from '../support/scratch';

const noneUnreadable = () => assert.fail('nothing is unreadable');

/** Waits for the clock to move on, so conversations saved one after the other list in that order (by updatedAt). */
async function later(): Promise<void> {
  const now = Date.now();
  while (Date.now() === now) await new Promise((resolve) => setTimeout(resolve, 1));
}

/** A store with `count` saved conversations of one question each, titled `conversation 0`…, oldest first. */
async function storeWith(count: number): Promise<{ store: ConversationStore; saved: Conversation[] }> {
  const store = new ConversationStore(scratchDir('omni-conversations-'), noneUnreadable);
  const saved: Conversation[] = [];
  for (let n = 0; n < count; n++) {
    const conversation = store.create();
    conversation.title = `conversation ${n}`;
    conversation.turns.push({ role: 'user', text: `question ${n}` });
    await later();
    await store.save(conversation);
    saved.push(conversation);
  }
  return { store, saved };
}

/** The store the next window opens on the same folder. */
const reopened = (store: ConversationStore) => new ConversationStore(store.folder, noneUnreadable);
const titles = async (store: ConversationStore) => (await store.summaries()).map((summary) => `${summary.title} (${summary.turnCount})`);

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

  describe('the index of the summaries History lists', () => {
    it('is what a listing reads, not the conversations, while their files are as it saw them', async () => {
      const { store } = await storeWith(2);
      const index = join(store.folder, SUMMARY_INDEX_FILE);
      writeFileSync(index, readFileSync(index, 'utf8').replace('"conversation 0"', '"from the index"'));
      assert.deepEqual(await titles(reopened(store)), ['conversation 1 (1)', 'from the index (1)']);
    });

    it('is rebuilt from the conversations when it is missing or unreadable', async () => {
      const { store } = await storeWith(3);
      const expected = await store.summaries();
      const index = join(store.folder, SUMMARY_INDEX_FILE);
      rmSync(index);
      assert.deepEqual(await reopened(store).summaries(), expected, 'missing');
      assert.ok(existsSync(index), 'a rebuilt index is written back');
      for (const unreadable of ['{"version": 1, "records": {"x": {"stamp": 1', '{"version": 99, "records": {}}', '[]']) {
        writeFileSync(index, unreadable);
        assert.deepEqual(await reopened(store).summaries(), expected, unreadable);
      }
    });

    it('follows conversations written or deleted by another window, or written before a crash left the index behind', async () => {
      const { store: mine, saved } = await storeWith(3);
      await mine.summaries();
      const other = reopened(mine);
      const [first, second, third] = saved;
      first.turns.push({ role: 'assistant', requestId: 'r1', text: 'answer', notes: [], status: 'done' }, { role: 'user', text: 'follow-up' });
      await later();
      await other.save(first);
      await other.delete(second.id);
      const added = other.create();
      added.title = 'from the other window';
      added.turns.push({ role: 'user', text: 'hi' });
      await later();
      await other.save(added);
      assert.deepEqual(await titles(mine), ['from the other window (1)', 'conversation 0 (3)', 'conversation 2 (1)']);
      // The conversation file written, then the window gone before its index was: the index on disk is stale.
      const index = join(mine.folder, SUMMARY_INDEX_FILE);
      const staleIndex = readFileSync(index, 'utf8');
      third.title = 'renamed before the crash';
      await later();
      await mine.save(third);
      writeFileSync(index, staleIndex);
      assert.deepEqual(await titles(reopened(mine)), ['renamed before the crash (1)', 'from the other window (1)', 'conversation 0 (3)']);
    });

    it('drops a deleted conversation, in this window and the next', async () => {
      const { store, saved } = await storeWith(2);
      await store.delete(saved[0].id);
      assert.deepEqual(await titles(store), ['conversation 1 (1)']);
      assert.doesNotMatch(readFileSync(join(store.folder, SUMMARY_INDEX_FILE), 'utf8'), /conversation 0/);
      assert.deepEqual(await titles(reopened(store)), ['conversation 1 (1)']);
    });
  });
});
