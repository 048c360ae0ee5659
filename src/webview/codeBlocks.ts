/** Code block chrome: the language label and the Copy / Insert at Cursor / Apply to Selection buttons. */
import type { WebviewMessageOf } from '../protocol/messages';
import { h } from './dom';

type CodeAction = WebviewMessageOf<'copy' | 'insertAtCursor' | 'applyToSelection'>['type'];

const copyLabel = 'Copy';
/** How long a Copy button says "Copied" after a click. */
const copiedForMs = 2_000;
const restoreTimers = new WeakMap<HTMLButtonElement, number>();

const actions: { type: CodeAction; label: string; ariaLabel: string }[] = [
  { type: 'copy', label: copyLabel, ariaLabel: 'Copy code' },
  { type: 'insertAtCursor', label: 'Insert', ariaLabel: 'Insert code at cursor' },
  { type: 'applyToSelection', label: 'Apply', ariaLabel: 'Apply code to selection' },
];

function toolbar(language: string | undefined): HTMLElement {
  return h(
    'div',
    { class: 'code-toolbar' },
    h('span', { class: 'code-language' }, language ?? 'text'),
    ...actions.map(({ type, label, ariaLabel }) =>
      h('button', { type: 'button', class: 'code-action', 'data-code-action': type, 'aria-label': ariaLabel }, label),
    ),
  );
}

/** Wraps every `<pre>` of sanitized answer nodes in a block with the action toolbar; the buttons are ours, never the model's. */
export function decorateCodeBlocks(fragment: DocumentFragment): void {
  for (const pre of fragment.querySelectorAll('pre')) {
    const language = /\blanguage-(\S+)/.exec(pre.querySelector('code')?.className ?? '')?.[1];
    // Named, so a screen reader says which code the Copy / Insert / Apply buttons inside act on.
    const block = h('div', { class: 'code-block', role: 'group', 'aria-label': `${language ?? 'text'} code` }, toolbar(language));
    // A long line scrolls sideways; focusable, the arrow keys can scroll it without a mouse.
    pre.tabIndex = 0;
    pre.replaceWith(block);
    block.append(pre);
  }
}

/**
 * Marks `block` as cut off mid-code (the answer was stopped or cut short): Copy stays, but Insert and Apply go, as
 * they would put half-written code into the file.
 */
export function markUnfinished(block: Element): void {
  block.classList.add('unfinished');
  for (const button of block.querySelectorAll('button[data-code-action]:not([data-code-action="copy"])')) button.remove();
  const language = block.querySelector('.code-language');
  language?.after(h('span', { class: 'code-unfinished' }, 'incomplete: the answer ended mid-block'));
  block.setAttribute('aria-label', `${block.getAttribute('aria-label') ?? 'code'}, incomplete`);
}

/** The message a click on a code action button asks for, or undefined when `target` is not one. */
export function codeActionMessage(target: Element): WebviewMessageOf<CodeAction> | undefined {
  const button = target.closest<HTMLButtonElement>('button[data-code-action]');
  const type = actions.find((action) => action.type === button?.dataset.codeAction)?.type;
  const code = button?.closest('.code-block')?.querySelector('pre code, pre')?.textContent;
  if (!type || code === undefined || code === null) return undefined;
  // The newline that ends the block's last line is not part of the code: Copy gives what Insert inserts.
  return { type, code: code.replace(/\r?\n$/, '') };
}

/** Says "Copied" on the clicked Copy button for a moment: copying changes nothing else on screen. */
export function showCopied(target: Element): void {
  const button = target.closest<HTMLButtonElement>('button[data-code-action="copy"]');
  if (!button) return;
  button.textContent = 'Copied';
  window.clearTimeout(restoreTimers.get(button));
  restoreTimers.set(button, window.setTimeout(() => (button.textContent = copyLabel), copiedForMs));
}
