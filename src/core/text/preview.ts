/** A text shown in one line of a list or prompt: whitespace runs become one space, and a cut ends with "…". */
export function oneLinePreview(text: string, maxLength: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > maxLength ? `${line.slice(0, maxLength - 1)}…` : line;
}
