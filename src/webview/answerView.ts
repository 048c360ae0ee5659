/** One answer in the transcript: tag, fallback notes, reasoning, streamed markdown, footer, error and actions. */
import type {
  AnswerError,
  AnswerFooter,
  AssistantTurn,
  DecisionTag,
  FallbackNote,
  ModelChoice,
  SetupLines,
  Usage,
} from '../protocol/messages';
import { h, replaceChildren } from './dom';
import { formatCost, formatCount, formatDuration } from './format';
import { renderRetryMenu } from './modelPicker';
import { renderSetupNotice } from './setupNotice';
import { markUnfinished } from './codeBlocks';
import { endsInOpenFence, StreamRenderer } from './streamRenderer';
import { renderFallbackNote, renderPendingTag, renderTag } from './tagView';

export interface AnswerContext {
  models(): ModelChoice[];
  /** Why a retry cannot start now (telling screen readers too), or undefined when it can. */
  retryRefusal(): string | undefined;
  showReasoning(): boolean;
  retry(retryOf: string, model: string): void;
  /** Asks the host to save the answer's request as a routing example. */
  saveExample(requestId: string): void;
  /** Asks the host to run "Omni: Set API Key" for `provider`. */
  setKey(provider: string): void;
  /** Called after the answer's content or status changed. */
  changed(): void;
}

/** `~1,234 in · ~56 out tokens`: `~` marks estimated counts. */
function formatUsage(usage: Usage): string {
  const mark = usage.estimated ? '~' : '';
  return `${mark}${formatCount(usage.inputTokens)} in · ${mark}${formatCount(usage.outputTokens)} out tokens`;
}

/** Routing shorter than this is not worth a mention: the local stage decides in under a millisecond. */
const NOTICEABLE_ROUTING_MS = 100;

/** `routingMs`: the router's time, which the first-token and total times include. */
function footerParts(footer: AnswerFooter, routingMs: number | undefined): string[] {
  // A slow router (an Arch-Router timeout) would otherwise pass for a slow model.
  const routing = routingMs !== undefined && routingMs >= NOTICEABLE_ROUTING_MS ? ` (routing ${formatDuration(routingMs)})` : '';
  return [
    formatUsage(footer),
    // A cost priced on estimated tokens is an estimate too.
    `${footer.estimated && footer.costUsd !== null ? '~' : ''}${formatCost(footer.costUsd)}`,
    `first token ${footer.timeToFirstTokenMs === null ? '—' : formatDuration(footer.timeToFirstTokenMs)}${routing}`,
    `total ${formatDuration(footer.totalMs)}`,
    footer.model,
  ];
}

export class AnswerView {
  /** The answer's element, to place in the transcript. */
  readonly element: HTMLElement;
  private readonly tagSlot = h('div', { class: 'tag-slot' });
  private readonly notes = h('div', { class: 'fallback-notes' });
  private readonly setupSlot = h('div', { class: 'setup-slot' });
  private readonly reasoningText = document.createTextNode('');
  private readonly reasoning = h('details', { class: 'reasoning', hidden: true }, h('summary', {}, 'Reasoning'), h('div', { class: 'reasoning-text' }, this.reasoningText));
  /** "Reasoning… 12 s" while the model reasons and has sent no answer yet: a reasoning model may think for a minute. */
  private readonly thinking = h('p', { class: 'reasoning-status', hidden: true });
  private thinkingTimer = 0;
  private readonly body = h('div', { class: 'markdown' });
  private readonly errorSlot = h('div', { class: 'error-slot' });
  private readonly footer = h('div', { class: 'answer-footer' });
  private readonly actions = h('div', { class: 'answer-actions' });
  private readonly renderer: StreamRenderer;

  constructor(
    /** The stored form of this answer; kept up to date as messages arrive, for saving and replay. */
    readonly turn: AssistantTurn,
    private readonly context: AnswerContext,
  ) {
    this.element = h(
      // Not a live region: streamed text would be read token by token. main.ts announces when it is complete.
      'article',
      { class: 'answer', 'aria-label': 'Answer' },
      this.tagSlot,
      this.notes,
      this.setupSlot,
      this.reasoning,
      this.thinking,
      this.body,
      this.errorSlot,
      this.footer,
      this.actions,
    );
    this.renderer = new StreamRenderer(this.body, () => context.changed());
    this.replay();
  }

  get requestId(): string {
    return this.turn.requestId;
  }

  get streaming(): boolean {
    return this.turn.status === 'streaming';
  }

  setDecision(tag: DecisionTag): void {
    this.turn.tag = tag;
    this.renderTagSlot();
  }

  appendToken(text: string): void {
    this.stopThinking();
    this.turn.text += text;
    this.renderer.append(text);
  }

  /**
   * `replacesAnswer`: the answer shown so far was reasoning, and `text` repeats it. Returns whether this starts the
   * "Reasoning…" status, for main.ts to announce once.
   */
  appendReasoning(text: string, replacesAnswer = false): boolean {
    if (replacesAnswer) {
      this.turn.text = '';
      this.renderer.reset();
    }
    this.turn.reasoning = (this.turn.reasoning ?? '') + text;
    this.showReasoning(text);
    return this.startThinking();
  }

  addFallback(note: FallbackNote): void {
    // The next model may not reason; if it does, its reasoning starts the status anew.
    this.stopThinking();
    this.turn.notes.push(note);
    const rendered = renderFallbackNote(note);
    this.notes.append(rendered);
    if (note.partialDiscarded) {
      const hadFocus = this.body.contains(document.activeElement);
      this.turn.text = '';
      // The failed model's reasoning goes with its text: the next model's would otherwise continue it.
      this.turn.reasoning = undefined;
      this.renderer.reset();
      this.reasoningText.data = '';
      this.reasoning.hidden = true;
      if (hadFocus) {
        // The link or code button that had the keyboard is gone, which would leave it on the page; the note saying
        // why is the nearest place, and Tab goes on from there into the new answer.
        rendered.tabIndex = -1;
        rendered.focus();
      }
    }
    this.renderTagSlot();
  }

  setUsage(usage: Usage): void {
    this.turn.usage = usage;
    replaceChildren(this.footer, formatUsage(usage));
  }

  /** Ends the answer with the two-line setup notice: no key or no reachable model, so nothing was asked. */
  needsSetup(lines: SetupLines, keyFor?: string[]): void {
    this.turn.setup = lines;
    if (keyFor) this.turn.keyFor = keyFor;
    this.turn.status = 'error';
    this.showSetup(lines);
    this.settle();
  }

  /** `footer` is absent for an answer stopped before the router decided. */
  complete(footer: AnswerFooter | undefined, stopped: boolean): void {
    this.turn.footer = footer;
    this.turn.status = stopped ? 'stopped' : 'done';
    this.settle();
  }

  fail(error: AnswerError, keyFor?: string[]): void {
    this.turn.error = error;
    if (keyFor) this.turn.keyFor = keyFor;
    this.turn.status = 'error';
    this.settle();
  }

  /** Builds the view from `turn`, for an answer restored or reopened rather than streamed. */
  private replay(): void {
    const { turn } = this;
    this.renderTagSlot();
    for (const note of turn.notes) this.notes.append(renderFallbackNote(note));
    if (turn.setup) this.showSetup(turn.setup);
    if (turn.reasoning) this.showReasoning(turn.reasoning);
    this.renderer.append(turn.text);
    if (turn.usage) this.setUsage(turn.usage);
    if (this.streaming) {
      this.element.setAttribute('aria-busy', 'true');
      if (turn.reasoning) this.startThinking();
    } else {
      this.settle();
    }
  }

  private settle(): void {
    this.stopThinking();
    this.renderer.finish();
    this.element.removeAttribute('aria-busy');
    // The "Routing…" placeholder goes once the answer ends, decided or not.
    this.renderTagSlot();
    const { footer, error, status } = this.turn;
    // Stopped, failed or cut short mid-code: the last block is half written, and applying it would break the file.
    if ((status !== 'done' || footer?.incomplete) && endsInOpenFence(this.turn.text)) {
      const blocks = this.body.querySelectorAll('.code-block');
      if (blocks.length > 0) markUnfinished(blocks[blocks.length - 1]);
    }
    if (footer) {
      replaceChildren(this.footer, ...footerParts(footer, this.turn.tag?.routerLatencyMs).map((part) => h('span', {}, part)));
      if (status === 'stopped') this.footer.append(h('span', { class: 'stopped' }, 'stopped'));
      if (footer.incomplete) this.footer.append(h('span', { class: 'incomplete' }, footer.incomplete));
      if (footer.trimmed) this.footer.append(h('span', { class: 'trimmed' }, footer.trimmed));
    } else if (status === 'stopped') {
      // No footer: stopped before the router decided, or saved mid-answer and then the window closed or reloaded.
      const why = this.turn.tag ? 'stopped when the window closed or reloaded' : 'stopped before routing finished; no model was asked';
      replaceChildren(this.footer, h('span', { class: 'stopped' }, why));
    }
    if (error) {
      replaceChildren(
        this.errorSlot,
        h(
          'div',
          // Not role="alert": restored answers would re-announce old errors; main.ts announces live ones.
          { class: 'answer-error', role: 'group', 'aria-label': 'Error' },
          h('p', { class: 'error-message' }, error.message),
          error.hint && h('p', { class: 'error-hint' }, error.hint),
          error.attempts.length > 0 &&
            h('ul', { class: 'error-attempts', 'aria-label': 'Attempts' }, ...error.attempts.map((attempt) => h('li', {}, `${attempt.model}: ${attempt.cause}`))),
        ),
      );
    }
    replaceChildren(
      this.actions,
      ...(this.turn.keyFor ?? []).map((provider) => this.setKeyButton(provider)),
      renderRetryMenu(() => this.context.models(), () => this.context.retryRefusal(), (model) => this.context.retry(this.requestId, model)),
      this.turn.tag && this.saveExampleButton(),
    );
    this.context.changed();
  }

  private setKeyButton(provider: string): HTMLElement {
    const button = h('button', { type: 'button', class: 'set-key', title: `Store a key for ${provider} in VS Code's secret storage ("Omni: Set API Key")` }, `Set API Key for ${provider}`);
    button.addEventListener('click', () => this.context.setKey(provider));
    return button;
  }

  /** Only for a routed answer: without a decision there is no route to confirm or correct. */
  private saveExampleButton(): HTMLElement {
    const button = h(
      'button',
      { type: 'button', class: 'secondary save-example', title: 'Save this request, with the route it should take, to .omni/policies.test.jsonl' },
      'Save as routing example',
    );
    button.addEventListener('click', () => this.context.saveExample(this.requestId));
    return button;
  }

  private renderTagSlot(): void {
    const open = this.tagSlot.querySelector('details')?.open ?? false;
    // The tag is drawn anew when a fallback arrives and when the answer ends: a keyboard user on its Details stays there.
    const focused = this.tagSlot.contains(document.activeElement);
    const { tag, notes } = this.turn;
    replaceChildren(this.tagSlot, tag ? renderTag(tag, notes, open) : this.streaming && renderPendingTag());
    if (focused) this.tagSlot.querySelector('summary')?.focus();
  }

  private showSetup(lines: SetupLines): void {
    replaceChildren(this.setupSlot, renderSetupNotice(lines));
  }

  /** Shows the ticking status if the answer streams and has no text yet; true when it was not shown before. */
  private startThinking(): boolean {
    if (this.thinkingTimer !== 0 || !this.streaming || this.turn.text !== '') return false;
    // A view built anew while the model reasons counts on from when it started.
    const since = (this.turn.reasoningSince ??= Date.now());
    const tick = () => {
      // An answer dropped from the page (another conversation opened) stops its own clock.
      if (this.thinkingTimer !== 0 && !this.element.isConnected) this.stopThinking();
      else this.thinking.textContent = `Reasoning… ${Math.floor((Date.now() - since) / 1000)} s`;
    };
    tick();
    this.thinking.hidden = false;
    this.thinkingTimer = window.setInterval(tick, 1000);
    return true;
  }

  private stopThinking(): void {
    window.clearInterval(this.thinkingTimer);
    this.thinkingTimer = 0;
    delete this.turn.reasoningSince;
    this.thinking.hidden = true;
  }

  private showReasoning(text: string): void {
    if (this.reasoning.hidden) {
      this.reasoning.hidden = false;
      this.reasoning.open = this.context.showReasoning();
    }
    this.reasoningText.appendData(text);
  }
}
