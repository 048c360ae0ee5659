/**
 * TeX math in answers. `$…$` and `$$…$$` are parsed by VS Code's own markdown-it plugin; `\(…\)` and `\[…\]`, which
 * models write as often, by the two rules below into the same tokens. KaTeX renders them as MathML only: Chromium
 * draws MathML itself, so neither KaTeX's fonts nor its CSS ship with the webview (nor need a CSP exception).
 */
import markdownItKatex, { type MarkdownKatexOptions } from '@vscode/markdown-it-katex';
import katex, { type KatexOptions } from 'katex';
import type { MarkdownIt, StateBlock, StateInline } from 'markdown-it';

/**
 * One formula as MathML. TeX that does not parse (a model's TeX is often slightly off) shows as written, with KaTeX's
 * reason as its tooltip: KaTeX's own error rendering colours it with a `style` attribute, which the CSP refuses.
 */
function renderToString(tex: string, options?: KatexOptions): string {
  try {
    return withStyledLetters(katex.renderToString(tex, { ...options, throwOnError: true }));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return `<span class="katex-error" title="${escapeHtml(reason)}">${escapeHtml(tex)}</span>`;
  }
}

/**
 * Where the first capital, small letter and digit of each letter style sit in Unicode's mathematical alphanumeric
 * symbols, and the letters that were encoded earlier elsewhere (ℝ, ℋ, ℭ…).
 */
const LETTER_STYLES: Readonly<Record<string, { capital: number; small: number; digit?: number; holes?: Record<string, number> }>> = {
  bold: { capital: 0x1d400, small: 0x1d41a, digit: 0x1d7ce },
  italic: { capital: 0x1d434, small: 0x1d44e, holes: { h: 0x210e } },
  'bold-italic': { capital: 0x1d468, small: 0x1d482 },
  script: {
    capital: 0x1d49c,
    small: 0x1d4b6,
    holes: { B: 0x212c, E: 0x2130, F: 0x2131, H: 0x210b, I: 0x2110, L: 0x2112, M: 0x2133, R: 0x211b, e: 0x212f, g: 0x210a, o: 0x2134 },
  },
  'bold-script': { capital: 0x1d4d0, small: 0x1d4ea },
  fraktur: { capital: 0x1d504, small: 0x1d51e, holes: { C: 0x212d, H: 0x210c, I: 0x2111, R: 0x211c, Z: 0x2128 } },
  'double-struck': {
    capital: 0x1d538,
    small: 0x1d552,
    digit: 0x1d7d8,
    holes: { C: 0x2102, H: 0x210d, N: 0x2115, P: 0x2119, Q: 0x211a, R: 0x211d, Z: 0x2124 },
  },
  'bold-fraktur': { capital: 0x1d56c, small: 0x1d586 },
  'sans-serif': { capital: 0x1d5a0, small: 0x1d5ba, digit: 0x1d7e2 },
  'bold-sans-serif': { capital: 0x1d5d4, small: 0x1d5ee, digit: 0x1d7ec },
  'sans-serif-italic': { capital: 0x1d608, small: 0x1d622 },
  'sans-serif-bold-italic': { capital: 0x1d63c, small: 0x1d656 },
  monospace: { capital: 0x1d670, small: 0x1d68a, digit: 0x1d7f6 },
};

/**
 * Chromium draws MathML Core, which ignores `mathvariant` but for "normal": ℝ from \mathbb{R} would show as a plain R.
 * The styled letters are written as the Unicode characters for them instead, as MathML Core recommends.
 */
function withStyledLetters(html: string): string {
  return html.replace(/<(mi|mn|mtext) mathvariant="([a-z-]+)">([^<]*)<\/\1>/g, (whole, tag: string, variant: string, text: string) => {
    const style = LETTER_STYLES[variant];
    if (!style) return whole;
    const styled = text.replace(/[A-Za-z0-9]/g, (char) => {
      const hole = style.holes?.[char];
      if (hole) return String.fromCodePoint(hole);
      if (char <= '9') return style.digit ? String.fromCodePoint(style.digit + Number(char)) : char;
      const code = char.charCodeAt(0);
      return String.fromCodePoint(char <= 'Z' ? style.capital + code - 65 : style.small + code - 97);
    });
    return `<${tag}>${styled}</${tag}>`;
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

const katexOptions: MarkdownKatexOptions & KatexOptions = {
  katex: { ...katex, renderToString },
  output: 'mathml',
  // No \href, \url or \htmlClass: an answer must not carry links or classes in through math.
  trust: false,
  // KaTeX warns on the console about non-standard TeX that it renders anyway.
  strict: 'ignore',
  // Bounds the work one formula can cause: macro expansions, and the size of \rule or \kern boxes (in em).
  maxExpand: 1000,
  maxSize: 50,
};

export function useMath(parser: MarkdownIt): void {
  parser.use(markdownItKatex, katexOptions);
  // Before `escape`, which would otherwise turn `\(` into a plain "(".
  parser.inline.ruler.before('escape', 'math_bracket_inline', bracketInline);
  parser.block.ruler.after('math_block', 'math_bracket_block', bracketBlock, { alt: ['paragraph', 'reference', 'blockquote', 'list'] });
}

/**
 * `\(…\)` inline, and `\[…\]` on lines of its own inside a paragraph; both close in the same paragraph. Mid-line,
 * `\[` stays markdown's escaped bracket, as in `arr\[i\]`.
 */
function bracketInline(state: StateInline, silent: boolean): boolean {
  const { src, pos } = state;
  if (src.charCodeAt(pos) !== 0x5c) return false;
  const open = src[pos + 1];
  if (open !== '(' && !(open === '[' && startsLine(src, pos))) return false;
  const end = src.indexOf(open === '(' ? '\\)' : '\\]', pos + 2);
  if (end <= pos + 2 || end + 2 > state.posMax) return false;
  if (!silent) {
    const token = state.push(open === '(' ? 'math_inline' : 'math_inline_block', 'math', 0);
    token.markup = `\\${open}`;
    token.content = src.slice(pos + 2, end);
  }
  state.pos = end + 2;
  return true;
}

function startsLine(src: string, pos: number): boolean {
  return /^[ \t]*$/.test(src.slice(src.lastIndexOf('\n', pos - 1) + 1, pos));
}

/** A display formula: a line starting with `\[`, up to the line that ends with `\]`. */
function bracketBlock(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  // Four spaces of indentation make an indented code block, not math.
  if (state.sCount[startLine] - state.blkIndent >= 4) return false;
  const start = state.bMarks[startLine] + state.tShift[startLine];
  if (!state.src.startsWith('\\[', start)) return false;
  for (let line = startLine; line < endLine; line++) {
    const from = line === startLine ? start + 2 : state.bMarks[line] + state.tShift[line];
    const lineEnd = state.eMarks[line];
    const close = state.src.lastIndexOf('\\]', lineEnd - 2);
    if (close < from || state.src.slice(close + 2, lineEnd).trim() !== '') continue;
    if (silent) return true;
    const token = state.push('math_block', 'math', 0);
    token.block = true;
    token.markup = '\\[';
    token.content = state.src.slice(start + 2, close).trim();
    token.map = [startLine, line + 1];
    state.line = line + 1;
    return true;
  }
  return false;
}
