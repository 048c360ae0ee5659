/**
 * What the CLI prints, safe for a terminal. Much of it comes from files and models: a policy's model ids, an examples
 * file's routes, a providers file's keys, a model's answer or a provider's error message.
 */

/**
 * Control characters other than tab and line feed, C1 included: a terminal runs them. A model's text (steered, say,
 * by a prompt injection in the selected code), a provider's error message or a file's text could otherwise set the
 * clipboard (OSC 52), rewrite what is on screen (`\r`, cursor moves) or hide text. Redirected output keeps them as sent.
 */
const TERMINAL_CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

export function forTerminal(text: string): string {
  return text.replace(TERMINAL_CONTROLS, '');
}

/** A line on stdout. Through console, which ignores a reader that went away (`omni check | head -1`) as it should. */
export function printLine(text: string): void {
  console.log(process.stdout.isTTY ? forTerminal(text) : text);
}

/** A line on stderr, as `printLine` writes one on stdout. */
export function printErrorLine(text: string): void {
  console.error(process.stderr.isTTY ? forTerminal(text) : text);
}
