/**
 * The markdown parser for answers: markdown-it with raw HTML off and linkify on, code highlighted by a fixed set of
 * highlight.js languages (the full set would triple the bundle), TeX math as MathML (`math.ts`). Its output still
 * goes through `sanitize.ts`.
 */
import MarkdownIt, { type Token } from 'markdown-it';
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import csharp from 'highlight.js/lib/languages/csharp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import dockerfile from 'highlight.js/lib/languages/dockerfile';
import go from 'highlight.js/lib/languages/go';
import ini from 'highlight.js/lib/languages/ini';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import markdown from 'highlight.js/lib/languages/markdown';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';
import { useMath } from './math';

const languages = {
  bash, c, cpp, csharp, css, diff, dockerfile, go, ini, java, javascript, json, markdown, python, rust, shell, sql,
  typescript, xml, yaml,
};
for (const [name, language] of Object.entries(languages)) hljs.registerLanguage(name, language);

/** Highlighted HTML for a known language; '' lets markdown-it escape the code as plain text. */
function highlight(code: string, language: string): string {
  if (!language || !hljs.getLanguage(language)) return '';
  return hljs.highlight(code, { language, ignoreIllegals: true }).value;
}

const parser = new MarkdownIt('default', { html: false, linkify: true, highlight });
// Bare e-mail addresses would become mailto: links, which the host does not open.
parser.linkify.set({ fuzzyEmail: false });
useMath(parser);

// Table cells carry `style="text-align:…"`, which the CSP (no inline styles) would block: use classes instead.
parser.core.ruler.push('align_by_class', (state) => {
  for (const token of state.tokens) {
    const style = token.attrGet('style');
    if (style === null) continue;
    token.attrs = (token.attrs ?? []).filter(([name]) => name !== 'style');
    const align = /text-align:\s*(left|center|right)/.exec(String(style))?.[1];
    if (align) token.attrJoin('class', `align-${align}`);
  }
});

/** Block tokens of `source`; `map` on each top-level block gives its [first, end) lines. */
export function parseMarkdown(source: string): Token[] {
  return parser.parse(source, {});
}

/** HTML for a run of tokens from one `parseMarkdown` call (untrusted: sanitize before use). */
export function renderTokens(tokens: Token[]): string {
  return parser.renderer.render(tokens, parser.options, {});
}

export type { Token };
