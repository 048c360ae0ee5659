/** Model choice controls: the header's "Choose model" select and each answer's "Retry with…" menu. */
import type { ModelChoice } from '../protocol/messages';
import { h } from './dom';

const automatic = '';

/** Fills the header select: "Auto (routed)" first, then every model; `chosen` null selects Auto. */
export function renderModelOptions(select: HTMLSelectElement, models: ModelChoice[], chosen: string | null): void {
  select.replaceChildren(
    h('option', { value: automatic }, 'Auto (routed)'),
    ...models.map((model) => h('option', { value: model.alias }, `${model.displayName} · ${model.provider}`)),
  );
  select.value = chosen ?? automatic;
}

/** The alias the header select names, or null for automatic routing. */
export function selectedModel(select: HTMLSelectElement): string | null {
  return select.value === automatic ? null : select.value;
}

/**
 * A disclosure menu of the models available when it opens; picking one calls `onPick` with its alias. When a retry
 * cannot start now, `refusal` says why, and the menu shows that instead. Escape closes it and leaves the keyboard on
 * its summary.
 */
export function renderRetryMenu(models: () => ModelChoice[], refusal: () => string | undefined, onPick: (alias: string) => void): HTMLElement {
  const list = h('ul', { class: 'menu-list', 'aria-label': 'Retry with model' });
  const summary = h('summary', {}, 'Retry with…');
  const menu = h('details', { class: 'retry-menu' }, summary, list);
  menu.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || !menu.open) return;
    // Not the panel's Escape (stop the answer): this one only closes the menu.
    event.preventDefault();
    event.stopPropagation();
    menu.open = false;
    summary.focus();
  });
  // Listed on the click that opens the menu (Enter and Space on the summary click it too), not on its toggle event a
  // task later: a Tab pressed at once landed on the last opening's buttons, which the list then replaced, and the
  // keyboard fell to the page.
  summary.addEventListener('click', () => {
    if (menu.open) return;
    const why = refusal();
    if (why) {
      list.replaceChildren(h('li', { class: 'muted' }, why));
      return;
    }
    const choices = models();
    list.replaceChildren(
      ...choices.map((model) => {
        const button = h('button', { type: 'button', class: 'menu-item' }, model.displayName, h('span', { class: 'muted' }, ` ${model.provider}`));
        button.addEventListener('click', () => {
          menu.open = false;
          onPick(model.alias);
        });
        return h('li', {}, button);
      }),
    );
    if (choices.length === 0) list.append(h('li', { class: 'muted' }, 'No models available'));
  });
  return menu;
}
