/** Builds the request a CLI invocation stands for, from the prompt and the editor-context flags. */
import { readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative, resolve } from 'node:path';
import { commandSchema, type Policy } from '../core/policy/schema';
import { withoutBom } from '../core/text/bom';
import { historySchema } from '../core/eval/dataset';
import type { ChatMessage, OmniRequest } from '../core/request';
import { describeIssues } from '../core/text/issues';
import type { ProviderRegistry } from '../core/providers/types';
import { UsageError } from './args';
import { loadPolicyForCommand } from './policy';
import { cliProviders } from './providers';

export interface RequestFlags {
  lang?: string;
  file?: string;
  'selection-file'?: string;
  'history-file'?: string;
  command?: string;
}

function readFlagFile(flag: string, path: string): string {
  try {
    return withoutBom(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`--${flag}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/** The earlier turns in a JSON file: the `history` array of an examples line. */
function readHistory(path: string): ChatMessage[] {
  const text = readFlagFile('history-file', path);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--history-file: ${path} is not valid JSON (${(error as Error).message})`);
  }
  const parsed = historySchema.safeParse(value);
  if (!parsed.success) {
    const problems = describeIssues(parsed.error.issues, 'file').join('; ');
    throw new UsageError(`--history-file: ${path} must be a JSON array of {"role": "user" | "assistant", "content": "…"}, oldest first (${problems})`);
  }
  return parsed.data;
}

/**
 * `--file` as policy globs see it: workspace-relative. A path is taken like any other command-line path, relative to
 * the current folder, and made relative to the workspace that holds the policy's `.omni` folder, so
 * `--file "$PWD/secrets/key.env"` and, from `secrets/`, `--file key.env` both meet `privacy.localOnly`. From outside
 * that workspace a relative path is taken as workspace-relative already.
 */
export function policyFileName(file: string, policySource: string, cwd = process.cwd()): string {
  const omniFolder = dirname(policySource);
  if (basename(omniFolder) !== '.omni') return file;
  const workspace = dirname(omniFolder);
  if (!isAbsolute(file) && !isInside(workspace, cwd)) return file;
  const absolute = resolve(cwd, file);
  return isInside(workspace, absolute) && absolute !== workspace ? relative(workspace, absolute) : absolute;
}

function isInside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

export function requestFromFlags(prompt: string, flags: RequestFlags, policySource: string): OmniRequest {
  const command = commandSchema.safeParse(flags.command ?? 'chat');
  if (!command.success) throw new UsageError(`--command must be chat, explain or refactor (got "${flags.command}")`);
  const selection = flags['selection-file'] ? readFlagFile('selection-file', flags['selection-file']) : undefined;
  const history = flags['history-file'] ? readHistory(flags['history-file']) : [];
  return {
    messages: [...history, { role: 'user', content: prompt }],
    editor: {
      languageId: flags.lang,
      fileName: flags.file === undefined ? undefined : policyFileName(flags.file, policySource),
      selection,
      command: command.data,
    },
  };
}

/** What `route` and `ask` both start from: the prompt, the policy, and the user's providers. */
export interface PromptCommandSetup {
  request: OmniRequest;
  loaded: { policy: Policy; source: string };
  providers: ProviderRegistry;
}

/** Reads the prompt and loads the policy and providers; undefined after printing why the policy cannot be used. */
export function setUpPromptCommand(
  values: RequestFlags & { policy?: string; providers?: string },
  positionals: string[],
  usage: string,
): PromptCommandSetup | undefined {
  const prompt = positionals.join(' ');
  if (prompt.trim() === '') throw new UsageError(`a prompt is required\n\n${usage}`);
  const loaded = loadPolicyForCommand(values.policy);
  if (!loaded) return undefined;
  return { request: requestFromFlags(prompt, values, loaded.source), loaded, providers: cliProviders(values.providers) };
}
