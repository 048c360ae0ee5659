/** The list of past conversations, to reopen or delete one. */
import type { ConversationSummary } from '../protocol/messages';
import { h } from './dom';

export interface HistoryActions {
  open(conversation: ConversationSummary): void;
  remove(conversation: ConversationSummary, row: number): void;
  /** Asks for the next batch of the older conversations the list leaves out. */
  showMore(): void;
}

function describe(conversation: ConversationSummary): string {
  const when = new Date(conversation.updatedAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  const model = conversation.model ? ` · ${conversation.model}` : '';
  return `${when} · ${conversation.turnCount} ${conversation.turnCount === 1 ? 'turn' : 'turns'}${model}`;
}

/** Fills `list` with one row per conversation; the active one is marked `aria-current`. */
export function renderHistory(list: HTMLElement, conversations: ConversationSummary[], activeId: string | null, older: number, actions: HistoryActions): void {
  list.replaceChildren(
    ...conversations.map((conversation, row) => {
      const details = describe(conversation);
      const open = h(
        'button',
        { type: 'button', class: 'history-open', 'aria-current': conversation.id === activeId ? 'true' : undefined },
        h('span', { class: 'history-title' }, conversation.title),
        conversation.latest ? h('span', { class: 'muted history-latest' }, `Latest: ${conversation.latest}`) : undefined,
        h('span', { class: 'muted' }, details),
      );
      open.addEventListener('click', () => actions.open(conversation));
      const remove = h('button', { type: 'button', class: 'icon history-delete', 'aria-label': `Delete conversation “${conversation.title}”, ${details}`, title: 'Delete' }, '✕');
      remove.addEventListener('click', () => actions.remove(conversation, row));
      return h('li', { class: 'history-item', 'data-conversation-id': conversation.id }, open, remove);
    }),
  );
  if (conversations.length === 0) list.append(h('li', { class: 'muted' }, 'No saved conversations yet.'));
  if (older > 0) {
    const more = h('button', { type: 'button', class: 'secondary' }, 'Show more');
    more.addEventListener('click', () => actions.showMore());
    list.append(h('li', { class: 'muted' }, `${older} older ${older === 1 ? 'conversation is' : 'conversations are'} saved but not listed. `, more));
  }
}

/** The "open" button of the row at `row`, or of the last row when fewer are left; undefined for an empty list. */
export function historyRowButton(list: HTMLElement, row: number): HTMLButtonElement | undefined {
  const buttons = list.querySelectorAll<HTMLButtonElement>('.history-open');
  return buttons[Math.min(row, buttons.length - 1)];
}

/** The Delete button of the conversation `id`, if it is listed. */
export function historyDeleteButton(list: HTMLElement, id: string): HTMLButtonElement | undefined {
  return historyButton(list, id, true);
}

/** The open button, or with `remove` the Delete button, of the conversation `id`, if it is listed. */
export function historyButton(list: HTMLElement, id: string, remove: boolean): HTMLButtonElement | undefined {
  const row = [...list.querySelectorAll<HTMLElement>('.history-item')].find((item) => item.dataset.conversationId === id);
  return row?.querySelector<HTMLButtonElement>(remove ? '.history-delete' : '.history-open') ?? undefined;
}
