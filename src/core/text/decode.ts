/** The bytes of a file the user wrote, as text, with what to do when they are not in the encoding Omni reads. */
import { LineIndex } from '../policy/diagnostics';

export interface DecodedText {
  /** The text; where the bytes are not UTF-8, with U+FFFD in their place, as an editor opening them as UTF-8 shows. */
  text: string;
  /** Why the bytes cannot be read as they are. */
  problem?: TextProblem;
}

/** A problem at `offset` in the text (the first bad character), which is at 1-based `line` and `column`. */
export interface TextProblem {
  offset: number;
  line: number;
  column: number;
  message: string;
}

const SAVE_AS_UTF8 = 'the file must be saved as UTF-8 (in VS Code: "Reopen with Encoding" with the one it was written in, then "Save with Encoding" → UTF-8)';

/**
 * UTF-8 (a byte-order mark dropped), or UTF-16 when a byte-order mark says so: Windows PowerShell 5's `>` and
 * Notepad's "Unicode" write that, and an editor reads it without a word. Anything else is not silently read as UTF-8
 * with U+FFFD in it: a Latin-1 "é" in a description would pass, and a UTF-16 file without a mark would fail as a
 * column of syntax errors.
 */
export function decodeText(bytes: Uint8Array): DecodedText {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes) };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes) };
  const invalid = firstInvalidUtf8Byte(bytes);
  if (invalid !== undefined) {
    const byte = bytes[invalid].toString(16).toUpperCase().padStart(2, '0');
    const offset = new TextDecoder().decode(bytes.subarray(0, invalid)).length;
    const text = new TextDecoder().decode(bytes);
    return { text, problem: problemAt(text, offset, `byte 0x${byte} is not UTF-8: ${SAVE_AS_UTF8}`) };
  }
  const text = new TextDecoder().decode(bytes);
  // NUL is valid UTF-8 but never part of a text file: UTF-16 without a byte-order mark has one in every ASCII character.
  const nul = text.indexOf('\0');
  if (nul >= 0) return { text, problem: problemAt(text, nul, `a NUL character: the file looks like UTF-16 without a byte-order mark; ${SAVE_AS_UTF8}`) };
  return { text };
}

/** Placed by line and column as well, for a `file:line:col: message` line. */
function problemAt(text: string, offset: number, message: string): TextProblem {
  return { offset, ...new LineIndex(text).position(offset), message };
}

/** Where the first byte is that does not start or continue a well-formed UTF-8 sequence; undefined when all do. */
function firstInvalidUtf8Byte(bytes: Uint8Array): number | undefined {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return undefined;
  } catch {
    // Found below, byte by byte; the fast path above is what nearly every file takes.
  }
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes[i];
    if (lead < 0x80) {
      i++;
      continue;
    }
    const extra = lead >= 0xc2 && lead <= 0xdf ? 1 : lead >= 0xe0 && lead <= 0xef ? 2 : lead >= 0xf0 && lead <= 0xf4 ? 3 : 0;
    if (extra === 0) return i;
    // The second byte's range excludes overlong forms, surrogates and code points past U+10FFFF (RFC 3629).
    const low = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
    const high = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
    if (!(bytes[i + 1] >= low && bytes[i + 1] <= high)) return i;
    for (let k = 2; k <= extra; k++) if (!(bytes[i + k] >= 0x80 && bytes[i + k] <= 0xbf)) return i;
    i += extra + 1;
  }
  return undefined;
}
