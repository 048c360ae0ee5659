/** The list of past conversations, to reopen or delete one. */
import type { ConversationSummary } from '../protocol/messages';
import { h } from './dom';

export interface HistoryActions {
  open(conversationId: string): void;
  remove(conversationId: string): void;
}

function describe(conversation: ConversationSummary): string {
  const when = new Date(conversation.updatedAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  return `${when} · ${conversation.turnCount} ${conversation.turnCount === 1 ? 'turn' : 'turns'}`;
}

/** Fills `list` with one row per conversation; the active one is marked `aria-current`. */
export function renderHistory(list: HTMLElement, conversations: ConversationSummary[], activeId: string | null, older: number, actions: HistoryActions): void {
  list.replaceChildren(
    ...conversations.map((conversation) => {
      const open = h(
        'button',
        { type: 'button', class: 'history-open', 'aria-current': conversation.id === activeId ? 'true' : undefined },
        h('span', { class: 'history-title' }, conversation.title),
        h('span', { class: 'muted' }, describe(conversation)),
      );
      open.addEventListener('click', () => actions.open(conversation.id));
      const remove = h('button', { type: 'button', class: 'icon history-delete', 'aria-label': `Delete conversation “${conversation.title}”`, title: 'Delete' }, '✕');
      remove.addEventListener('click', () => actions.remove(conversation.id));
      return h('li', { class: 'history-item' }, open, remove);
    }),
  );
  if (conversations.length === 0) list.append(h('li', { class: 'muted' }, 'No saved conversations yet.'));
  if (older > 0) list.append(h('li', { class: 'muted' }, `${older} older ${older === 1 ? 'conversation is' : 'conversations are'} saved but not listed.`));
}
