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
  said.errors.push(text.replace(/^omni: /, ''));
  console.error(process.stderr.isTTY ? forTerminal(text) : text);
}

/**
 * What this run has printed, so that a `--json` run that fails before its result (a broken policy, an unreadable
 * file, a usage mistake) still ends with a JSON line: a script reading the last line gets one either way.
 */
const said = { errors: [] as string[], result: false };

/** A JSON line on stdout; `result` when it is the command's outcome (the last line a script reads), not a progress event. */
export function printJson(value: unknown, result = true): void {
  printLine(JSON.stringify(value));
  said.result = result;
}

/** Exit code after Ctrl-C, as shells report a SIGINT. */
export const EXIT_CANCELLED = 130;

/** The line a failed `--json` run ends with when the command printed no result of its own: what stderr said. */
export function failureJson(exitCode: number): string | undefined {
  return said.result ? undefined : JSON.stringify({ ok: false, exitCode, error: said.errors.join('\n') });
}
