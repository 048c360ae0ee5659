/**
 * Renders a streamed markdown answer incrementally, at most once per animation frame.
 *
 * Markdown blocks close for good once a later block starts (CommonMark parses line by line and never reopens a
 * closed block), so each frame parses only the text from the first still-open block on: closed blocks are rendered
 * once and frozen, the open block is re-rendered. A top-level fenced code block is streamed line by line into a
 * text node instead, and highlighted once when its closing fence arrives, so a long code block costs no more than
 * its length. Work per frame is bounded by the size of the open block, so total work grows linearly with the answer
 * as long as blocks stay a bounded size (one list or quote as long as the whole answer is re-rendered each frame).
 *
 * Frozen blocks go into segments of at most `nodesPerSegment` nodes, so the browser's own layout per frame stays
 * small too: appending to one flat container of thousands of blocks costs layout time in proportion to all of them,
 * and finished segments scrolled out of view are skipped entirely (`content-visibility: auto` in styles.css).
 *
 * Known trade-off: reference-style link definitions only apply within the part parsed with them.
 */
import { decorateCodeBlocks } from './codeBlocks';
import { h } from './dom';
import { parseMarkdown, renderTokens, type Token } from './markdown';
import { sanitizeToFragment } from './sanitize';

/** What the keyboard reaches in rendered markdown: links, code buttons and the code blocks (they scroll sideways). */
const focusable = 'a[href], button, [tabindex]';

/** Enough for a screenful or so of blocks; markdown-it puts a newline text node after each block. */
const nodesPerSegment = 64;

/** A top-level block of one parse: where its tokens start and its first line. */
interface Block {
  tokenIndex: number;
  firstLine: number;
}

/** A top-level fenced code block still waiting for its closing fence; it starts the unfrozen text. */
interface OpenFence {
  marker: string;
  indent: number;
  /** Offset in the unfrozen text of the first line not yet shown. */
  next: number;
  lines: Text;
  partialLine: Text;
}

export class StreamRenderer {
  /**
   * Text received but not frozen yet. Only this part is kept: string searches flatten V8's concatenated strings,
   * which on the whole answer would copy it once per frame.
   */
  private unfrozen = '';
  private pending = '';
  private fence: OpenFence | undefined;
  /** Nodes of the open part, replaced on each frame. */
  private openNodes: ChildNode[] = [];
  /** The segment frozen nodes are added to until it is full. */
  private segment: HTMLElement | undefined;
  private frame = 0;

  /** `root` receives the rendered answer; `onRender` runs after each frame that changed it. */
  constructor(
    private readonly root: HTMLElement,
    private readonly onRender: () => void,
  ) {}

  /** Queues streamed text; it shows on the next animation frame. */
  append(text: string): void {
    if (!text) return;
    this.pending += text;
    if (this.frame === 0) this.frame = requestAnimationFrame(() => this.renderFrame(false));
  }

  /** Renders everything received, final: no block stays open. */
  finish(): void {
    if (this.frame !== 0) cancelAnimationFrame(this.frame);
    this.renderFrame(true);
  }

  /** Drops all text and output, e.g. when a fallback model starts over. */
  reset(): void {
    if (this.frame !== 0) cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.unfrozen = '';
    this.pending = '';
    this.fence = undefined;
    this.openNodes = [];
    this.segment = undefined;
    this.root.replaceChildren();
  }

  private renderFrame(final: boolean): void {
    this.frame = 0;
    // Carriage returns would shift markdown-it's line numbers against our offsets; a trailing `\r` may be half of `\r\n`.
    let text = this.pending;
    this.pending = '';
    if (!final && text.endsWith('\r')) {
      this.pending = '\r';
      text = text.slice(0, -1);
    }
    this.unfrozen += text.replace(/\r\n?/g, '\n');
    const focused = this.focusedInOpenPart();
    for (;;) {
      if (this.fence) {
        if (!this.streamFence(final)) break;
      } else if (!this.renderOpenPart(final)) break;
    }
    if (focused !== undefined) this.refocus(focused);
    this.onRender();
  }

  /**
   * Where the keyboard is among the answer's controls, when it is on a link or code button of the open part: drawn
   * anew, that part takes the focused element away, and the keyboard would fall to the page.
   */
  private focusedInOpenPart(): number | undefined {
    const active = document.activeElement;
    if (!active || !this.openNodes.some((node) => node.contains(active))) return undefined;
    return [...this.root.querySelectorAll(focusable)].indexOf(active);
  }

  /** Puts the keyboard on the control at `index` again: the text only grew, so the controls before it are the same. */
  private refocus(index: number): void {
    if (this.root.contains(document.activeElement)) return;
    // Not scrolled to: the user's own scrolling, or following the end, decides what is in view.
    this.root.querySelectorAll<HTMLElement>(focusable)[index]?.focus({ preventScroll: true });
  }

  /** Freezes the blocks that can no longer change and re-renders the rest; true when a fence opened. */
  private renderOpenPart(final: boolean): boolean {
    const open = this.unfrozen;
    const tokens = parseMarkdown(open);
    if (final) {
      this.replaceOpen([]);
      this.freeze(tokens);
      this.unfrozen = '';
      return false;
    }
    // Only a block whose first line is complete is known for sure: `#` alone is a heading, `#tag` is not.
    const completeLines = countNewlines(open);
    const blocks = topLevelBlocks(tokens).filter((block) => block.firstLine < completeLines);
    const last = blocks.at(-1);
    if (!last) {
      this.showOpen(tokens);
      return false;
    }
    this.freeze(tokens.slice(0, last.tokenIndex));
    this.unfrozen = open.slice(offsetOfLine(open, last.firstLine));
    const token = tokens[last.tokenIndex];
    if (token.type === 'fence') {
      this.openFence(token);
      return true;
    }
    this.showOpen(tokens.slice(last.tokenIndex));
    return false;
  }

  private openFence(token: Token): void {
    const lineEnd = this.unfrozen.indexOf('\n');
    const indent = /^ */.exec(this.unfrozen)?.[0].length ?? 0;
    const lines = document.createTextNode('');
    const partialLine = document.createTextNode('');
    const language = token.info.trim().split(/\s+/)[0];
    const code = h('code', language ? { class: `language-${language}` } : {}, lines, partialLine);
    this.replaceOpen([h('div', { class: 'code-block streaming' }, h('pre', {}, code))]);
    this.fence = { marker: token.markup, indent, next: lineEnd + 1, lines, partialLine };
  }

  /** Shows new complete lines of the open fence; true when its closing fence arrived and it was frozen. */
  private streamFence(final: boolean): boolean {
    const fence = this.fence!;
    const text = this.unfrozen;
    let added = '';
    for (let end = text.indexOf('\n', fence.next); end !== -1; end = text.indexOf('\n', fence.next)) {
      const line = text.slice(fence.next, end);
      if (isClosingFence(line, fence.marker)) {
        this.closeFence(end + 1);
        return true;
      }
      added += stripIndent(line, fence.indent) + '\n';
      fence.next = end + 1;
    }
    if (final) {
      this.closeFence(text.length);
      return false;
    }
    if (added) fence.lines.appendData(added);
    const partial = text.slice(fence.next);
    // Hide what may be a closing fence still arriving, so "``" does not flash before it completes.
    fence.partialLine.data = mayBecomeClosingFence(partial, fence.marker) ? '' : stripIndent(partial, fence.indent);
    return false;
  }

  /** Renders the whole fence once, highlighted, and freezes it. */
  private closeFence(end: number): void {
    this.fence = undefined;
    this.replaceOpen([]);
    this.freeze(parseMarkdown(this.unfrozen.slice(0, end)));
    this.unfrozen = this.unfrozen.slice(end);
  }

  /** Renders final blocks into segments; the split depends only on the node sequence, not on how text arrived. */
  private freeze(tokens: Token[]): void {
    if (tokens.length === 0) return;
    const fragment = toNodes(tokens);
    while (fragment.firstChild) {
      if (!this.segment || this.segment.childNodes.length >= nodesPerSegment) {
        this.segment = h('div', { class: 'md-segment' });
        this.root.insertBefore(this.segment, this.openNodes[0] ?? null);
      }
      this.segment.append(fragment.firstChild);
    }
  }

  private showOpen(tokens: Token[]): void {
    const fragment = toNodes(tokens);
    this.replaceOpen([...fragment.childNodes]);
  }

  private replaceOpen(nodes: ChildNode[]): void {
    for (const node of this.openNodes) node.remove();
    this.openNodes = nodes;
    this.root.append(...nodes);
  }
}

function toNodes(tokens: Token[]): DocumentFragment {
  const fragment = sanitizeToFragment(renderTokens(tokens));
  decorateCodeBlocks(fragment);
  return fragment;
}

/** Top-level blocks in order: opening or self-contained tokens at nesting level 0. */
function topLevelBlocks(tokens: Token[]): Block[] {
  const blocks: Block[] = [];
  tokens.forEach((token, tokenIndex) => {
    if (token.level === 0 && token.nesting !== -1 && token.map) blocks.push({ tokenIndex, firstLine: token.map[0] });
  });
  return blocks;
}

function countNewlines(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

function offsetOfLine(text: string, line: number): number {
  let offset = 0;
  for (let i = 0; i < line; i++) offset = text.indexOf('\n', offset) + 1;
  return offset;
}

/**
 * True when `text` ends inside a fenced code block that never got its closing fence: the answer stopped or was cut
 * off mid-code, so that block is half written.
 */
export function endsInOpenFence(text: string): boolean {
  const fence = parseMarkdown(text)
    .filter((token) => token.type === 'fence')
    .at(-1);
  if (!fence?.map) return false;
  const lines = text.replace(/\r\n?/g, '\n').replace(/\n$/, '').split('\n');
  const [first, end] = fence.map;
  // The fence reaches the end of the text, and its last line is not a closing fence (or is its opening line).
  return end >= lines.length && (end - 1 === first || !isClosingFence(lines[end - 1], fence.markup));
}

/** CommonMark's closing fence: up to 3 spaces, the opening character at least as many times, then only spaces. */
function isClosingFence(line: string, marker: string): boolean {
  const match = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
  return match !== null && match[1][0] === marker[0] && match[1].length >= marker.length;
}

/** True while an incomplete last line is still on its way to being a closing fence. */
function mayBecomeClosingFence(partial: string, marker: string): boolean {
  const match = /^ {0,3}(`*|~*)[ \t]*$/.exec(partial);
  return match !== null && (match[1] === '' || match[1][0] === marker[0]);
}

/** Removes up to `indent` leading spaces, as markdown-it does for lines of an indented fence. */
function stripIndent(line: string, indent: number): string {
  let i = 0;
  while (i < indent && line[i] === ' ') i++;
  return line.slice(i);
}
