/** A user's turn in the transcript: a long one shows its first lines, and a toggle under it shows the rest. */
import { h } from './dom';

/** Lines a collapsed turn shows (styles.css clamps it to as many). */
const collapsedLines = 6;
/** Characters that take more than `collapsedLines` lines at up to 150 characters a line. */
const collapsedChars = 900;

function isLong(text: string): boolean {
  return text.length > collapsedChars || text.split('\n', collapsedLines + 1).length > collapsedLines;
}

/** The turn's text, then for a long one its Show all / Show less toggle. */
export function renderUserTurn(text: string): HTMLElement[] {
  if (!isLong(text)) return [h('div', { class: 'user-turn' }, text)];
  // Clamped inside the turn's padding, where no part of the next line shows under the last. The whole text stays in
  // the page: screen readers read it, and it can be selected and copied.
  const lines = h('div', { class: 'user-turn-lines collapsed' }, text);
  const toggle = h('button', { type: 'button', class: 'user-turn-toggle', 'aria-expanded': 'false' }, 'Show all');
  toggle.addEventListener('click', () => {
    const collapsed = lines.classList.toggle('collapsed');
    toggle.textContent = collapsed ? 'Show all' : 'Show less';
    toggle.setAttribute('aria-expanded', String(!collapsed));
  });
  return [h('div', { class: 'user-turn' }, lines), toggle];
}
