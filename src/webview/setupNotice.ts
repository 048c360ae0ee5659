/** The two-line "setup needed" notice: what is missing, then what to do. */
import type { SetupLines } from '../protocol/messages';
import { h } from './dom';

/** The notice as an element; shown under an answer's tag or as the first-run banner. */
export function renderSetupNotice([problem, action]: SetupLines): HTMLElement {
  return h(
    'div',
    { class: 'setup-notice', role: 'status' },
    h('p', { class: 'setup-problem' }, problem),
    h('p', { class: 'setup-action' }, action),
  );
}
