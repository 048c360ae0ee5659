/** The conversation on screen: user turns and answers in order, found by request id, kept scrolled to the newest. */
import type { AssistantTurn, HostMessageOf, Turn } from '../protocol/messages';
import { AnswerView, type AnswerContext } from './answerView';
import { h } from './dom';

/** How close to the bottom (px) still counts as following the stream. */
const followSlack = 32;

export class Transcript {
  private turns: Turn[] = [];
  private readonly answers = new Map<string, AnswerView>();
  private conversationId: string | null = null;
  private title = '';
  private following = true;
  private scrollFrame = 0;
  private lastScrollTop = 0;

  constructor(
    private readonly root: HTMLElement,
    private readonly context: AnswerContext,
  ) {
    // Only a move up is the user leaving the stream: content that grows between Omni's scroll and this event would
    // otherwise read as scrolling away, and a fast stream would stop being followed on its own.
    root.addEventListener('scroll', () => {
      if (root.scrollTop + root.clientHeight >= root.scrollHeight - followSlack) this.following = true;
      else if (root.scrollTop < this.lastScrollTop) this.following = false;
      this.lastScrollTop = root.scrollTop;
    });
  }

  /** Shows a whole conversation, replacing what was on screen. */
  load(conversation: HostMessageOf<'conversation'>): void {
    this.turns = [];
    this.answers.clear();
    this.conversationId = conversation.conversationId;
    this.title = conversation.title;
    this.root.replaceChildren();
    this.following = true;
    for (const turn of conversation.turns) {
      if (turn.role === 'user') this.addUserTurn(turn.text);
      else this.addAnswer(turn);
    }
    this.scrollToEnd();
  }

  /** Adds a prompt and its empty answer, streaming until `done` or `error`. */
  addPrompt(requestId: string, text: string): AnswerView {
    this.addUserTurn(text);
    this.following = true;
    const answer = this.addAnswer({ role: 'assistant', requestId, text: '', notes: [], status: 'streaming' });
    this.scrollToEnd();
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

  /**
   * Keeps the newest content in view unless the user scrolled up to read. Scrolls at the start of the next frame,
   * while the layout from the last one is still valid: reading `scrollHeight` right after rendering would force a
   * synchronous layout on every frame of a stream.
   */
  scrollToEnd(): void {
    if (!this.following || this.scrollFrame !== 0) return;
    this.scrollFrame = requestAnimationFrame(() => {
      this.scrollFrame = 0;
      if (this.following) this.root.scrollTop = this.root.scrollHeight;
    });
  }

  private addUserTurn(text: string): void {
    this.turns.push({ role: 'user', text });
    // A heading per turn lets screen-reader users jump from one exchange to the next.
    this.root.append(h('h2', { class: 'visually-hidden' }, 'You said'), h('div', { class: 'user-turn' }, text));
  }

  private addAnswer(turn: AssistantTurn): AnswerView {
    this.turns.push(turn);
    const answer = new AnswerView(turn, this.context);
    this.answers.set(turn.requestId, answer);
    this.root.append(answer.element);
    return answer;
  }
}
