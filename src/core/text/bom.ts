/** Text read from files the user wrote, as the parsers expect it. */

/** `text` without a leading UTF-8 byte-order mark, which Notepad and Windows PowerShell 5 write and JSON.parse rejects. */
export function withoutBom(text: string): string {
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}
