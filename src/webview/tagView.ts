/** The routing tag on each answer: route, model, provider, deciding stage and reason, with expandable details. */
import type { DecisionStage, DecisionTag, FallbackNote } from '../protocol/messages';
import { h } from './dom';
import { formatDuration, formatPercent } from './format';

const stageNames: Record<DecisionStage, string> = {
  rule: 'policy rule',
  local: 'local classifier',
  'arch-router': 'Arch-Router',
  default: 'default route',
  override: 'your choice',
  conversation: 'kept from earlier',
};

/** The tag shown between sending and the router's decision. */
export function renderPendingTag(): HTMLElement {
  return h('div', { class: 'tag pending', role: 'group', 'aria-label': 'Routing decision' }, 'Routing…');
}

/** The tag for a decision; `notes` fill the "fallbacks tried" detail, `detailsOpen` keeps the expanded state. */
export function renderTag(tag: DecisionTag, notes: FallbackNote[], detailsOpen: boolean): HTMLElement {
  const details: [string, string][] = [
    ['Confidence', tag.confidence === undefined ? 'n/a' : formatPercent(tag.confidence)],
    ['Router latency', formatDuration(tag.routerLatencyMs)],
    ['Fallback order', tag.fallbacks.length > 0 ? tag.fallbacks.join(' → ') : 'none'],
    ['Fallbacks tried', notes.length > 0 ? notes.map((note) => `${note.failedModel} (${note.cause})`).join(', ') : 'none'],
    ...(tag.policy === undefined ? [] : [['Policy', tag.policy] as [string, string]]),
  ];
  return h(
    'div',
    { class: 'tag', role: 'group', 'aria-label': 'Routing decision' },
    // The hidden words say what each part is to screen readers; the visible tag relies on its layout.
    h('span', { class: 'visually-hidden' }, 'Route'),
    h('span', { class: 'tag-route', title: 'Route' }, tag.route),
    h('span', { class: 'visually-hidden' }, 'Model'),
    h('span', { class: 'tag-model', title: `Model ${tag.model}` }, tag.modelDisplayName),
    h('span', { class: 'visually-hidden' }, 'Provider'),
    h('span', { class: 'tag-provider', title: 'Provider' }, tag.provider),
    h('span', { class: 'tag-stage', title: 'Stage that decided' }, stageNames[tag.stage]),
    h('span', { class: 'tag-reason' }, tag.reason),
    h(
      'details',
      { class: 'tag-details', open: detailsOpen },
      h('summary', { 'aria-label': 'Routing details' }, 'Details'),
      h('dl', {}, ...details.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)])),
    ),
  );
}

/** "coder failed (HTTP 500); trying general — partial text discarded": the next model may fail too. */
export function renderFallbackNote(note: FallbackNote): HTMLElement {
  const discarded = note.partialDiscarded ? ' — partial text discarded' : '';
  const next = note.retryInMs === undefined ? `trying ${note.nextModel}` : `asking it again in ${formatDuration(note.retryInMs)}`;
  return h('p', { class: 'fallback-note', role: 'note' }, `${note.failedModel} failed (${note.cause}); ${next}${discarded}`);
}
