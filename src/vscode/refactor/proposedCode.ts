/** The code a model's answer proposes, shaped to replace the selection it was asked about. Plain text, no `vscode`. */

/**
 * The first fenced block of an answer; after an opening fence that is never closed (the model forgot it), the rest
 * of the answer, not the prose before it; the whole answer when it has no fence.
 */
export function extractCode(answer: string): string {
  const closed = /^(`{3,}|~{3,})[^\n]*\n([\s\S]*?)\n\1[ \t]*$/m.exec(answer);
  if (closed) return closed[2];
  const unclosed = /^(?:`{3,}|~{3,})[^\n]*\n([\s\S]*)$/m.exec(answer);
  // trimEnd only: the first line's indentation is code.
  return unclosed ? unclosed[1].trimEnd() : answer.trim();
}

/**
 * `proposed`, ending with a line break exactly when the `selected` text it replaces does. Whole lines selected with
 * Shift+Down end with one, and a code block's text has none: the line after the selection would join the last line.
 */
export function withSelectionLineEnd(selected: string, proposed: string): string {
  const lineEnd = /\r?\n$/.exec(selected)?.[0] ?? '';
  return proposed.replace(/\r?\n$/, '') + lineEnd;
}
