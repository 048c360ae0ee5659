/**
 * Separates `<think>…</think>` reasoning from answer text in a stream whose chunks may cut a tag anywhere,
 * e.g. `<thi` + `nk>`: a possible partial tag is held back until the next chunk decides it. Only tags where models
 * write them count: an answer that quotes `<think>` or `</think>` keeps its text.
 */

export interface SplitText {
  type: 'token' | 'reasoning';
  text: string;
  /**
   * On reasoning only: the answer text split out so far was reasoning too, and this text continues it. Chat templates
   * that open `<think>` in the prompt (Qwen3's, DeepSeek-R1's) make the model stream its reasoning untagged, up to a
   * lone `</think>`.
   */
  answerWasReasoning?: true;
}

const OPEN = '<think>';
const CLOSE = '</think>';

/** An incremental splitter: `push` each chunk's text, then `flush` once at the end of the stream. */
export class ThinkSplitter {
  private inside = false;
  private pending = '';
  /** Models put blank lines at the start and right after `</think>` that are not part of the answer. */
  private trimNextAnswer = true;
  /** Until the first tag, a `</think>` can still turn the text before it into reasoning. */
  private sawTag = false;
  /**
   * The answer text passed on so far (since a lone `</think>` withdrew the earlier one): whether a tag sits in a code
   * fence, or starts the answer, depends on all of it.
   */
  private answer = '';

  push(text: string): SplitText[] {
    this.pending += text;
    return this.split(false);
  }

  /** Whatever was held back as a possible tag is decided with nothing after it, and the rest is plain text. */
  flush(): SplitText[] {
    const out = this.split(true);
    this.emit(out, this.pending);
    this.pending = '';
    return out;
  }

  private split(final: boolean): SplitText[] {
    const out: SplitText[] = [];
    for (;;) {
      const tag = this.inside ? CLOSE : OPEN;
      const at = this.inside ? this.pending.indexOf(CLOSE) : this.opening();
      const close = this.sawTag ? undefined : this.unopenedClose(at < 0 ? this.pending.length : at, final);
      if (close?.undecided) {
        // Only the next chunk says whether the line goes on after this `</think>`.
        this.emit(out, this.pending.slice(0, close.at));
        this.pending = this.pending.slice(close.at);
        return out;
      }
      if (close) {
        out.push({ type: 'reasoning', text: this.pending.slice(0, close.at), answerWasReasoning: true });
        this.pending = this.pending.slice(close.at + CLOSE.length);
        this.sawTag = true;
        this.answer = '';
        this.trimNextAnswer = true;
        continue;
      }
      if (at < 0) break;
      this.emit(out, this.pending.slice(0, at));
      this.pending = this.pending.slice(at + tag.length);
      this.inside = !this.inside;
      this.trimNextAnswer = !this.inside;
      this.sawTag = true;
    }
    if (final) return out;
    // Before the first tag, a partial `</thi` is held back as well as a partial `<thi`.
    const keep = Math.max(partialTagLength(this.pending, this.inside ? CLOSE : OPEN), this.sawTag ? 0 : partialTagLength(this.pending, CLOSE));
    this.emit(out, this.pending.slice(0, this.pending.length - keep));
    this.pending = this.pending.slice(this.pending.length - keep);
    return out;
  }

  /**
   * The first `</think>` in `pending` before `end` that ends untagged reasoning: one that ends its line (or the stream),
   * outside a code fence, as templates that open `<think>` make models write it. Any other `</think>`, such as an
   * answer's "close it with `</think>`", is answer text.
   */
  private unopenedClose(end: number, final: boolean): { at: number; undecided?: true } | undefined {
    for (let at = this.pending.indexOf(CLOSE); at >= 0 && at < end; at = this.pending.indexOf(CLOSE, at + 1)) {
      const rest = /^[ \t\r]*(\n)?/.exec(this.pending.slice(at + CLOSE.length))!;
      const endsLine = rest[1] !== undefined || at + CLOSE.length + rest[0].length === this.pending.length;
      if (!endsLine || inCodeFence(this.answer + this.pending.slice(0, at))) continue;
      return rest[1] === undefined && !final ? { at, undecided: true } : { at };
    }
    return undefined;
  }

  /**
   * Where the first `<think>` in `pending` that opens reasoning is, or -1: one at the start of the answer, or at the
   * start of a line outside a code fence, as models write it (Qwen3, DeepSeek-R1 and QwQ open with it). Any other,
   * such as an answer's "wrap it in `<think>` tags" or a code block that shows one, is answer text.
   */
  private opening(): number {
    for (let at = this.pending.indexOf(OPEN); at >= 0; at = this.pending.indexOf(OPEN, at + 1)) {
      const before = this.answer + this.pending.slice(0, at);
      if (before.trim() === '' || (/\n {0,3}$/.test(before) && !inCodeFence(before))) return at;
    }
    return -1;
  }

  private emit(out: SplitText[], text: string): void {
    let value = text;
    if (!this.inside && this.trimNextAnswer) {
      value = value.replace(/^\s+/, '');
      if (value.length > 0) this.trimNextAnswer = false;
    }
    if (!this.inside) this.answer += value;
    if (value.length > 0) out.push({ type: this.inside ? 'reasoning' : 'token', text: value });
  }
}

/** Whether `text` ends inside a fenced code block: it has an odd number of fence lines (``` or ~~~). */
function inCodeFence(text: string): boolean {
  return (text.match(/^ {0,3}(```|~~~)/gm)?.length ?? 0) % 2 === 1;
}

/** Length of the longest suffix of `text` that is a proper prefix of `tag`. */
function partialTagLength(text: string, tag: string): number {
  for (let length = Math.min(tag.length - 1, text.length); length > 0; length--) {
    if (text.endsWith(tag.slice(0, length))) return length;
  }
  return 0;
}
