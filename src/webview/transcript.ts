/** The conversation on screen: user turns and answers in order, found by request id, kept scrolled to the newest. */
import type { AssistantTurn, HostMessageOf, Turn } from '../protocol/messages';
import { AnswerView, type AnswerContext } from './answerView';
import { h } from './dom';
import { renderUserTurn } from './userTurn';

/** How close to the bottom (px) still counts as being at the end. */
const followSlack = 32;
/** Keys that scroll the transcript up when it, or something in it, has the keyboard. */
const scrollUpKeys = new Set(['ArrowUp', 'PageUp', 'Home']);

export class Transcript {
  private turns: Turn[] = [];
  private readonly answers = new Map<string, AnswerView>();
  private conversationId: string | null = null;
  private title = '';
  /** Whether the view keeps the end in sight as content grows; only the user's own scrolling turns it off. */
  private following = true;
  /**
   * The scroll position when the view was last at the end, put there by Omni or by the user; undefined while a jump
   * to the end is due, which no scrolling cancels.
   */
  private endTop: number | undefined;
  /** The scroll position at the last scroll event, to tell a move down from a move up. */
  private lastTop = 0;
  /**
   * Sees every change of size, whenever it lands: answers grow as they stream, and finished segments of an answer
   * get their real height only once laid out (`content-visibility: auto` in styles.css), a frame or more later.
   */
  private readonly resizes = new ResizeObserver(() => this.keepAtEnd());

  constructor(
    private readonly root: HTMLElement,
    private readonly context: AnswerContext,
  ) {
    this.follow(true);
    this.resizes.observe(root);
    // Input tells intent at once: a smooth scroll's first steps may still be within the slack of the end.
    root.addEventListener(
      'wheel',
      (event) => {
        if (event.deltaY < 0) this.follow(false);
      },
      { passive: true },
    );
    root.addEventListener('keydown', (event) => {
      if (scrollUpKeys.has(event.key)) this.follow(false);
    });
    // Any other move (scroll bar, find): back at the end follows again, away from the end stops following.
    root.addEventListener('scroll', () => {
      const top = root.scrollTop;
      if (this.atEnd()) {
        // Not while moving up: the content shrinking, or a wheel turn up that began at the end.
        if (top >= this.lastTop) this.follow(true);
        this.endTop = top;
      } else if (this.leftTheEnd()) {
        this.follow(false);
      }
      this.lastTop = top;
    });
  }

  /** Shows a whole conversation, replacing what was on screen. */
  load(conversation: HostMessageOf<'conversation'>): void {
    this.turns = [];
    this.answers.clear();
    this.conversationId = conversation.conversationId;
    this.title = conversation.title;
    this.root.replaceChildren();
    this.resizes.disconnect();
    this.resizes.observe(this.root);
    // Times from the host move onto this page's clock, which a remote or WSL extension host need not share.
    const skew = conversation.sentAt === undefined ? 0 : Date.now() - conversation.sentAt;
    for (const turn of conversation.turns) {
      if (turn.role === 'user') this.addUserTurn(turn.text);
      else this.addAnswer(turn.reasoningSince === undefined ? turn : { ...turn, reasoningSince: turn.reasoningSince + skew });
    }
    this.jumpToEnd();
  }

  /** Adds a prompt and its empty answer, streaming until `done` or `error`. */
  addPrompt(requestId: string, text: string): AnswerView {
    this.addUserTurn(text);
    const answer = this.addAnswer({ role: 'assistant', requestId, text: '', notes: [], status: 'streaming' });
    this.jumpToEnd();
    return answer;
  }

  answer(requestId: string): AnswerView | undefined {
    return this.answers.get(requestId);
  }

  /** The request still streaming, newest first, if any. */
  streamingRequestId(): string | undefined {
    return [...this.answers.values()].reverse().find((answer) => answer.streaming)?.requestId;
  }

  /** The prompt that `requestId` answered. */
  promptOf(requestId: string): string | undefined {
    let prompt: string | undefined;
    for (const turn of this.turns) {
      if (turn.role === 'user') prompt = turn.text;
      else if (turn.requestId === requestId) return prompt;
    }
    return undefined;
  }

  /** The conversation as a host message, to save and replay. */
  snapshot(): HostMessageOf<'conversation'> {
    return { type: 'conversation', conversationId: this.conversationId, title: this.title, turns: this.turns };
  }

  /** Follows the end again and goes there once the new content is laid out. */
  private jumpToEnd(): void {
    this.follow(true);
    this.endTop = undefined;
  }

  /** Runs after layout, when sizes are known: reading them here forces no extra layout, even mid-stream. */
  private keepAtEnd(): void {
    if (!this.following) return;
    const { root } = this;
    // The user scrolled up in this frame.
    if (this.leftTheEnd()) {
      this.follow(false);
      return;
    }
    root.scrollTop = root.scrollHeight;
    this.endTop = this.lastTop = root.scrollTop;
  }

  /** Moved since it was last at the end, and not by the content shrinking back to it: the user scrolled away. */
  private leftTheEnd(): boolean {
    return this.endTop !== undefined && this.root.scrollTop !== this.endTop && !this.atEnd();
  }

  private atEnd(): boolean {
    const { root } = this;
    return root.scrollHeight - root.clientHeight - root.scrollTop <= followSlack;
  }

  private follow(following: boolean): void {
    this.following = following;
    // Omni keeps the end in sight itself; scroll anchoring would move the view too, which would read as the user's.
    this.root.classList.toggle('following', following);
  }

  private addUserTurn(text: string): void {
    this.turns.push({ role: 'user', text });
    // A heading per turn lets screen-reader users jump from one exchange to the next.
    this.place(h('h2', { class: 'visually-hidden' }, 'You said'), ...renderUserTurn(text));
  }

  private addAnswer(turn: AssistantTurn): AnswerView {
    this.turns.push(turn);
    const answer = new AnswerView(turn, this.context);
    this.answers.set(turn.requestId, answer);
    this.place(answer.element);
    return answer;
  }

  /** Adds `elements` at the end, watching their size. */
  private place(...elements: HTMLElement[]): void {
    this.root.append(...elements);
    for (const element of elements) this.resizes.observe(element);
  }
}
