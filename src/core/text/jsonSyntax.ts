/** What the policy file (JSONC) and examples files (JSONL) share about JSON syntax, both read with jsonc-parser. */
import { createScanner, type ParseError, printParseErrorCode } from 'jsonc-parser';

/** jsonc-parser's SyntaxKind values; it is a const enum, which isolated modules cannot read. */
const OPEN_BRACE = 1;
const CLOSE_BRACE = 2;
const OPEN_BRACKET = 3;
const CLOSE_BRACKET = 4;
const EOF = 17;

/**
 * Where nesting first exceeds `max` levels, found with the non-recursive scanner; undefined when it never does. The
 * parser is recursive, so far deeper input would overflow the stack before it could say what is wrong.
 */
export function firstOffsetDeeperThan(text: string, max: number): number | undefined {
  const scanner = createScanner(text, false);
  let depth = 0;
  for (let kind: number = scanner.scan(); kind !== EOF; kind = scanner.scan()) {
    if (kind === OPEN_BRACE || kind === OPEN_BRACKET) {
      if (++depth > max) return scanner.getTokenOffset();
    } else if (kind === CLOSE_BRACE || kind === CLOSE_BRACKET) {
      depth = Math.max(0, depth - 1);
    }
  }
  return undefined;
}

/** A syntax error's kind in words, e.g. "comma expected". */
export function syntaxErrorWords(error: ParseError): string {
  return printParseErrorCode(error.error).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/** A syntax error in words, with where to look: "comma expected; check the punctuation just before this point". */
export function describeSyntaxError(error: ParseError): string {
  return `${syntaxErrorWords(error)}; check the punctuation just before this point`;
}
