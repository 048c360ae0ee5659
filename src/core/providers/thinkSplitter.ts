/**
 * Separates `<think>…</think>` reasoning from answer text in a stream whose chunks may cut a tag anywhere,
 * e.g. `<thi` + `nk>`: a possible partial tag is held back until the next chunk decides it.
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
  /** Right after `</think>` models put blank lines that are not part of the answer. */
  private trimNextAnswer = false;
  /** Until the first tag, a `</think>` can still turn the text before it into reasoning. */
  private sawTag = false;

  push(text: string): SplitText[] {
    this.pending += text;
    const out: SplitText[] = [];
    for (;;) {
      const tag = this.inside ? CLOSE : OPEN;
      const at = this.pending.indexOf(tag);
      const unopenedClose = this.sawTag ? -1 : this.pending.indexOf(CLOSE);
      if (unopenedClose >= 0 && (at < 0 || unopenedClose < at)) {
        out.push({ type: 'reasoning', text: this.pending.slice(0, unopenedClose), answerWasReasoning: true });
        this.pending = this.pending.slice(unopenedClose + CLOSE.length);
        this.sawTag = true;
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
    // Before the first tag, a partial `</thi` is held back as well as a partial `<thi`.
    const keep = Math.max(partialTagLength(this.pending, this.inside ? CLOSE : OPEN), this.sawTag ? 0 : partialTagLength(this.pending, CLOSE));
    this.emit(out, this.pending.slice(0, this.pending.length - keep));
    this.pending = this.pending.slice(this.pending.length - keep);
    return out;
  }

  /** Whatever was held back as a possible tag start is plain text after all. */
  flush(): SplitText[] {
    const out: SplitText[] = [];
    this.emit(out, this.pending);
    this.pending = '';
    return out;
  }

  private emit(out: SplitText[], text: string): void {
    let value = text;
    if (!this.inside && this.trimNextAnswer) {
      value = value.replace(/^\s+/, '');
      if (value.length > 0) this.trimNextAnswer = false;
    }
    if (value.length > 0) out.push({ type: this.inside ? 'reasoning' : 'token', text: value });
  }
}

/** Length of the longest suffix of `text` that is a proper prefix of `tag`. */
function partialTagLength(text: string, tag: string): number {
  for (let length = Math.min(tag.length - 1, text.length); length > 0; length--) {
    if (text.endsWith(tag.slice(0, length))) return length;
  }
  return 0;
}
