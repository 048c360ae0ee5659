/** Argument parsing shared by the sub-commands: node:util's parseArgs, with usage errors the user can act on. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { printLine } from './terminal';

export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

/** The arguments a command takes besides its options, e.g. `{ command: 'check', max: 1, what: 'one policy file' }`. */
export interface Takes {
  command: string;
  max: number;
  what: string;
}

/**
 * Parses `args` for one sub-command; `--help` prints `usage` and returns undefined. Without `takes`, any number of
 * arguments is taken (the words of a prompt).
 */
export function parseCommandArgs<O extends Options>(args: string[], options: O, usage: string, takes?: Takes) {
  const parsed = (() => {
    try {
      return parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    } catch (error) {
      throw new UsageError(`${(error as Error).message}\n\n${usage}`);
    }
  })();
  if ((parsed.values as { help?: boolean }).help) {
    printLine(usage);
    return undefined;
  }
  // An empty value is almost always an unset shell variable (`--policy "$POLICY"`); taken as absent, it would
  // silently fall back to a default.
  for (const [name, value] of Object.entries(parsed.values)) {
    if (typeof value === 'string' && value.trim() === '') throw new UsageError(`--${name} needs a value, got an empty one (an unset variable?)\n\n${usage}`);
  }
  if (parsed.positionals.some((positional) => positional.trim() === '')) {
    throw new UsageError(`an argument is empty (an unset variable?); leave it out or give a value\n\n${usage}`);
  }
  // An argument past the last one a command reads would be ignored: `omni check good.json bad.json` passing on
  // good.json alone.
  if (takes && parsed.positionals.length > takes.max) {
    throw new UsageError(`omni ${takes.command} takes ${takes.what}, got ${parsed.positionals.length}: ${parsed.positionals.join(', ')}\n\n${usage}`);
  }
  return parsed as { values: { [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : string }; positionals: string[] };
}

/** `--name MS` as whole milliseconds within [min, max], or undefined when the flag is absent. */
export function millisecondsOption(values: Record<string, unknown>, name: string, min: number, max: number, usage: string): number | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < min || ms > max) {
    throw new UsageError(`--${name} must be whole milliseconds from ${min} to ${max}, got "${String(value)}"\n\n${usage}`);
  }
  return ms;
}

/** Options every command that builds a request accepts. */
export const requestOptions = {
  policy: { type: 'string' },
  providers: { type: 'string' },
  lang: { type: 'string' },
  file: { type: 'string' },
  'selection-file': { type: 'string' },
  'history-file': { type: 'string' },
  command: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export const requestUsage = `  --policy P           policy file (default: .omni/policies.json here or above, else the built-in default)
  --providers F        user-level providers file (default: $OMNI_PROVIDERS)
  --lang ID            VS Code language id of the open file, e.g. python
  --file PATH          the open file, relative to the current folder or absolute (policy globs see it workspace-relative;
                       a relative path that leads outside the workspace is read as workspace-relative)
  --selection-file F   a file whose text stands for the selected code (privacy.localOnly covers it too)
  --history-file F     earlier turns, oldest first: a JSON array of {"role": "user" | "assistant", "content": "…"};
                       a user turn may add "fileName", the file it was asked from, for privacy.localOnly
  --command C          chat | explain | refactor (default chat)
  --json               machine-readable output`;
