/** `text` parsed as JSON, or undefined when it is not JSON (no JSON text parses to undefined). */
export function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
