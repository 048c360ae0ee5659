/** The message box: Enter sends, Shift+Enter adds a line; its button turns into Stop while an answer streams. */
import { MAX_MESSAGE_CHARS } from '../protocol/messages';
import { h } from './dom';

/** What the keys do now, below the box. */
const hints = {
  idle: 'Enter to send · Shift+Enter for a new line',
  streaming: 'Esc stops the answer · Enter sends once it has ended · Shift+Enter for a new line',
};

export interface ComposerActions {
  send(text: string): void;
  stop(): void;
  /** Enter while an answer streams: nothing is sent, and the user should be told why. */
  busy(): void;
  /** A message too long to send: it stays in the box, and `why` is shown beside it; announce it too. */
  refused(why: string): void;
  /** Called when the draft changes, so it can be saved. */
  draftChanged(): void;
}

export class Composer {
  readonly element: HTMLFormElement;
  private readonly input = h('textarea', {
    class: 'composer-input',
    rows: '3',
    placeholder: 'Ask Omni…',
    'aria-label': 'Message',
    'aria-describedby': 'composer-hint',
  });
  private readonly button = h('button', { type: 'submit', class: 'primary composer-button' }, 'Send');
  private readonly hint = h('span', { id: 'composer-hint', class: 'muted' });
  /** Why something just asked for did not happen; not a live region, as main.ts announces it. */
  private readonly note = h('p', { class: 'composer-note', hidden: true });
  private streaming = false;

  constructor(private readonly actions: ComposerActions) {
    this.element = h(
      'form',
      { class: 'composer', 'aria-label': 'Ask Omni' },
      this.note,
      this.input,
      h('div', { class: 'composer-row' }, this.hint, this.button),
    );
    this.element.addEventListener('submit', (event) => {
      event.preventDefault();
      if (this.streaming) actions.stop();
      else this.send();
    });
    this.input.addEventListener('keydown', (event) => {
      // isComposing: Enter that confirms an IME composition must not send.
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        if (this.streaming) actions.busy();
        else this.send();
      }
    });
    this.input.addEventListener('input', () => actions.draftChanged());
    this.setStreaming(false);
  }

  get draft(): string {
    return this.input.value;
  }

  set draft(text: string) {
    this.input.value = text;
  }

  /** Switches the button between Send and Stop. */
  setStreaming(streaming: boolean): void {
    // Called for every host message: touching the DOM each time would dirty the layout thousands of times a stream.
    if (streaming === this.streaming && this.button.hasAttribute('aria-label')) return;
    this.streaming = streaming;
    this.button.textContent = streaming ? 'Stop' : 'Send';
    this.button.classList.toggle('stop', streaming);
    this.button.setAttribute('aria-label', streaming ? 'Stop answer' : 'Send message');
    // The shortcut in the tooltip, as VS Code's own buttons show theirs.
    this.button.title = streaming ? 'Stop (Escape)' : 'Send (Enter)';
    this.hint.textContent = streaming ? hints.streaming : hints.idle;
    // What it said was about the answer that just ended.
    if (!streaming) this.note.hidden = true;
  }

  /** Shows above the box why something the user asked for did not happen, until the answer in the way ends. */
  showNote(text: string): void {
    this.note.textContent = text;
    this.note.hidden = false;
  }

  focus(): void {
    this.input.focus();
  }

  private send(): void {
    const text = this.input.value;
    if (!text.trim()) return;
    if (text.length > MAX_MESSAGE_CHARS) {
      // The host drops a longer message: sent, it would wait for an answer that never comes.
      const [length, limit] = [text.length, MAX_MESSAGE_CHARS].map((n) => n.toLocaleString('en-US'));
      const why = `Not sent: the message has ${length} characters, and the chat takes at most ${limit}. Shorten it, e.g. keep only the part of a log that matters.`;
      this.showNote(why);
      this.actions.refused(why);
      return;
    }
    // What the note said was about an earlier attempt.
    this.note.hidden = true;
    this.input.value = '';
    this.actions.send(text);
    this.actions.draftChanged();
  }
}
