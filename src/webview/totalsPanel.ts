/** Session totals: answers, tokens, cost, and what routing saved against the baseline model. */
import type { HostMessageOf } from '../protocol/messages';
import { h } from './dom';
import { formatCost, formatCount, formatPercent } from './format';

type Totals = HostMessageOf<'sessionTotals'>;

/** Savings against the baseline, e.g. `$0.0420 (84%)`, or why there is no figure. */
function describeSavings(totals: Totals): string {
  if (totals.baselineCostUsd === null || totals.savingUsd === null) return `unknown: ${totals.baselineModel} has no price`;
  const saved = totals.savingUsd;
  const share = totals.baselineCostUsd > 0 ? ` (${formatPercent(saved / totals.baselineCostUsd)})` : '';
  return saved >= 0 ? `${formatCost(saved)}${share}` : `none: ${formatCost(-saved)} more than the baseline`;
}

/** `3 answers`, `1 answer`. */
function answersOf(n: number): string {
  return `${formatCount(n)} answer${n === 1 ? '' : 's'}`;
}

/** What the panel says before the window's first answer. */
export function noAnswersYet(): HTMLElement {
  return h('p', { class: 'muted' }, 'No answers in this window yet. Tokens, cost and the saving against the baseline model add up here.');
}

/** Fills `panel` with the totals as a definition list. */
export function renderTotals(panel: HTMLElement, totals: Totals): void {
  // Before any answer there is no baseline to compare with, and "none has no price" would read as a problem.
  if (totals.answers === 0) {
    panel.replaceChildren(noAnswersYet());
    return;
  }
  const mark = totals.estimated ? '~' : '';
  const rows: [string, string][] = [
    // Stopped answers count (their tokens were paid for); a request no model answered costs nothing and does not.
    ['Answers', formatCount(totals.answers)],
    ['Tokens', `${mark}${formatCount(totals.inputTokens)} in · ${mark}${formatCount(totals.outputTokens)} out`],
    // A model without a price costs an unknown amount: not $0, and not compared with the baseline.
    ['Cost', `${mark}${formatCost(totals.costUsd)}${totals.unpriced ? `, and ${answersOf(totals.unpriced)} on models without a price` : ''}`],
    [
      `Baseline (${totals.baselineModel})`,
      `${formatCost(totals.baselineCostUsd)}${totals.unpriced && totals.baselineCostUsd !== null ? ` for the ${answersOf(totals.answers - totals.unpriced)} with a price` : ''}`,
    ],
    ['Saved', describeSavings(totals)],
  ];
  panel.replaceChildren(h('dl', { class: 'totals' }, ...rows.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)])));
}
