/**
 * One line of a JSON Lines file, parsed strictly (no comments or trailing commas: other JSONL readers reject them),
 * with a syntax error placed at its column and explained in terms of the format's usual mistakes.
 */
import { parseTree, type ParseError, printParseErrorCode } from 'jsonc-parser';
import { jsonValue } from '../policy/jsonTree';
import { describeSyntaxError, firstOffsetDeeperThan, syntaxErrorWords } from '../text/jsonSyntax';

/** An example nests three levels (the line, its "history", a turn); far deeper input is no example. */
const MAX_DEPTH = 64;

const STRICT = 'JSONL lines are strict JSON (no trailing commas or comments), one object per line';

export type JsonLine = { ok: true; value: unknown } | { ok: false; column: number; message: string };

/** The line's value, with JSON.parse's semantics, or what is wrong with it at which 1-based column. */
export function parseJsonLine(raw: string): JsonLine {
  const tooDeep = firstOffsetDeeperThan(raw, MAX_DEPTH);
  if (tooDeep !== undefined) {
    return { ok: false, column: tooDeep + 1, message: `nested deeper than ${MAX_DEPTH} levels; an example needs three (the line, its "history", a turn)` };
  }
  const errors: ParseError[] = [];
  const tree = parseTree(raw, errors, { allowTrailingComma: false, disallowComments: true, allowEmptyContent: false });
  // Only the first error is the mistake: the ones after it follow from it (a brace left open is missing again at the end).
  const [error] = errors;
  if (error) return { ok: false, ...explain(raw, error) };
  // Text that is not blank parses to a value or fails with an error.
  return { ok: true, value: jsonValue(tree!) };
}

/** Where the error is and what to do about it, for the mistakes JSONL files commonly have. */
function explain(raw: string, error: ParseError): { column: number; message: string } {
  const at = (offset: number, message: string) => ({ column: offset + 1, message });
  const code = printParseErrorCode(error.error);
  const start = raw.length - raw.trimStart().length;
  const end = raw.trimEnd().length;
  const comma = trailingComma(raw, error);
  if (code === 'InvalidCommentToken') return at(error.offset, `comment: ${STRICT}`);
  if (comma !== undefined) return at(comma, `trailing comma: ${STRICT}`);
  // The second half of an object split over lines: `}` or `"route": "…"}` on a line of its own.
  if (raw[start] !== '{') {
    return at(start, 'the line does not start with "{": JSONL holds one whole object per line; if this continues the object on the line above, join the two lines');
  }
  if (code === 'UnexpectedEndOfString' || (error.length === 0 && error.offset >= end)) {
    return at(
      Math.min(error.offset, end),
      `the line ends inside the object (${syntaxErrorWords(error)}): JSONL holds one whole object per line; close it, or join it with the line it goes on over`,
    );
  }
  if (code === 'EndOfFileExpected') {
    return at(error.offset, 'more after the end of the object: JSONL holds one object per line and nothing after it; put the next object on a line of its own');
  }
  // A name or text without double quotes (`{prompt: …}`, `'hi'`), or a value JSON does not have (`NaN`).
  if (code === 'InvalidSymbol') {
    const symbol = raw.slice(error.offset, error.offset + error.length);
    return at(error.offset, `not valid JSON: ${symbol} is no JSON value; names and text take double quotes ("…"), other values are numbers, true, false or null`);
  }
  return at(error.offset, `not valid JSON: ${describeSyntaxError(error)}`);
}

/** The offset of a comma just before a closing `}` or `]` where the parser wanted another property or value. */
function trailingComma(raw: string, error: ParseError): number | undefined {
  const code = printParseErrorCode(error.error);
  const closing = raw[error.offset];
  if ((code !== 'PropertyNameExpected' && code !== 'ValueExpected') || (closing !== '}' && closing !== ']')) return undefined;
  const before = raw.slice(0, error.offset).trimEnd();
  return before.endsWith(',') ? before.length - 1 : undefined;
}
