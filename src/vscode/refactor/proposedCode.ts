/** The code a model's answer proposes, shaped to replace the selection it was asked about. Plain text, no `vscode`. */

/**
 * The first fenced block of an answer; after an opening fence that is never closed (the model forgot it), the rest
 * of the answer, not the prose before it. None without a fence: the request asks for one, and an answer without it is
 * prose (a refusal, or a fallback model's explanation) that would replace the code in the diff.
 */
export function extractCode(answer: string): string | undefined {
  const closed = /^(`{3,}|~{3,})[^\n]*\n([\s\S]*?)\n\1[ \t]*$/m.exec(answer);
  if (closed) return closed[2];
  const unclosed = /^(?:`{3,}|~{3,})[^\n]*\n([\s\S]*)$/m.exec(answer);
  // trimEnd only: the first line's indentation is code.
  return unclosed?.[1].trimEnd();
}

/**
 * `proposed`, ending with a line break exactly when the `selected` text it replaces does. Whole lines selected with
 * Shift+Down end with one, and a code block's text has none: the line after the selection would join the last line.
 */
export function withSelectionLineEnd(selected: string, proposed: string): string {
  const lineEnd = /\r?\n$/.exec(selected)?.[0] ?? '';
  return proposed.replace(/\r?\n$/, '') + lineEnd;
}

/** Where a selection sits, for `fitIndentation`: the text before it on its first line, and the file's indentation. */
export interface SelectionPlace {
  selected: string;
  /** The start of the selection's first line, up to the selection. */
  linePrefix: string;
  tabSize: number;
  insertSpaces: boolean;
}

/**
 * `proposed`, indented as the code it replaces. Models often answer with the code moved to the left margin, or
 * indented with spaces where the file has tabs; applied as it came, a method's body in a Python class lost its
 * indentation. Only the indentation is touched, and only when it does not fit: an answer that fits comes back as it is.
 */
export function fitIndentation(proposed: string, place: SelectionPlace): string {
  const { linePrefix, tabSize } = place;
  const width = (indent: string) => [...indent].reduce((at, char) => (char === '\t' ? at + tabSize - (at % tabSize) : at + 1), 0);
  const indentOf = (line: string) => /^[ \t]*/.exec(line)![0];
  const least = (lines: string[]) => {
    const widths = lines.filter((line) => line.trim()).map((line) => width(indentOf(line)));
    return widths.length > 0 ? Math.min(...widths) : undefined;
  };
  const lines = proposed.split(/\r?\n/);
  // The selection as whole lines: its first line with the indentation before the selection, when that is all there is.
  const startLine = /^[ \t]*$/.test(linePrefix) ? linePrefix : indentOf(linePrefix);
  const selectedLines = place.selected.split(/\r?\n/);
  selectedLines[0] = startLine + selectedLines[0];
  const indents = selectedLines.filter((line) => line.trim()).map(indentOf).filter(Boolean);
  const tabs = indents.length > 0 ? indents.some((indent) => indent.startsWith('\t')) : !place.insertSpaces;

  let shift: number;
  let first = lines[0];
  if (linePrefix === '') {
    // Whole lines: the answer's least indented line goes where the selection's is.
    shift = (least(selectedLines) ?? 0) - (least(lines) ?? 0);
  } else {
    // From mid-line: the first line follows the text before it, so only the others move. The model saw the first
    // line without its indentation, so the lines after it tell how it indented the rest.
    first = indentOf(place.selected) + first.trimStart();
    const selectedRest = least(selectedLines.slice(1));
    const proposedRest = least(lines.slice(1));
    shift = proposedRest === undefined ? 0 : selectedRest !== undefined ? selectedRest - proposedRest : width(indentOf(startLine)) - width(indentOf(lines[0]));
  }
  const mixed = lines.some((line) => line.trim() && (tabs ? indentOf(line).includes(' '.repeat(tabSize)) : indentOf(line).includes('\t')));
  if (shift === 0 && !mixed && first === lines[0]) return proposed;
  const indent = (to: number) => (tabs ? '\t'.repeat(Math.floor(to / tabSize)) + ' '.repeat(to % tabSize) : ' '.repeat(to));
  const moved = (line: string) => (line.trim() ? indent(Math.max(0, width(indentOf(line)) + shift)) + line.trimStart() : line);
  return [linePrefix === '' ? moved(first) : first, ...lines.slice(1).map(moved)].join('\n');
}
