import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HistoryPages } from '../../src/vscode/chat/historyPages';

const summaries = Array.from({ length: 5 }, (_, i) => ({ id: `c${i}`, title: `Chat ${i}`, updatedAt: 5 - i, turnCount: 2 }));
const ids = (page: { conversations: { id: string }[]; older: number }) => [page.conversations.map((c) => c.id).join(' '), page.older];

describe('History pages', () => {
  it('lists a batch, one more per "Show more" in the view that asked, and keeps it listed in later updates', () => {
    const pages = new HistoryPages<object>(2);
    const [sidebar, editor] = [{}, {}];
    assert.deepEqual(ids(pages.page(sidebar, summaries)), ['c0 c1', 3]);
    pages.more(sidebar);
    assert.deepEqual(ids(pages.page(sidebar, summaries)), ['c0 c1 c2 c3', 1]);
    assert.deepEqual(ids(pages.page(editor, summaries)), ['c0 c1', 3], 'the other view lists its own batch');
    // A later update, e.g. after a deletion, still lists as many.
    assert.deepEqual(ids(pages.page(sidebar, summaries.slice(1))), ['c1 c2 c3 c4', 0]);
    pages.more(sidebar);
    assert.deepEqual(ids(pages.page(sidebar, summaries)), ['c0 c1 c2 c3 c4', 0]);
  });
});
