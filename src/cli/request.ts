/** Builds the request a CLI invocation stands for, from the prompt and the editor-context flags. */
import { readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { pathIn, realPath } from '../core/files/paths';
import { commandSchema, type Policy } from '../core/policy/schema';
import { describeFileError } from '../core/storage/fileErrors';
import { decodeText } from '../core/text/decode';
import { historySchema } from '../core/eval/dataset';
import type { CarriedFile, ChatMessage, OmniRequest } from '../core/request';
import { describeIssues } from '../core/text/issues';
import type { ProviderRegistry } from '../core/providers/types';
import { UsageError } from './args';
import { loadPolicyForCommand } from './policy';
import { cliProviders } from './providers';
import { printErrorLine } from './terminal';

export interface RequestFlags {
  lang?: string;
  file?: string;
  'selection-file'?: string;
  'history-file'?: string;
  command?: string;
}

/** A file a flag names; one that cannot be read, or holds the wrong thing, is a problem of the input: exit 1, not 2. */
function readFlagFile(flag: string, path: string): string {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new Error(`--${flag}: cannot read ${path}: ${describeFileError(error)}`);
  }
  const { text, problem } = decodeText(bytes);
  if (problem) throw new Error(`--${flag}: ${path}:${problem.line}:${problem.column}: ${problem.message}`);
  return text;
}

/** The earlier turns in a JSON file: the `history` array of an examples line. */
function readHistory(path: string): ChatMessage[] {
  const text = readFlagFile('history-file', path);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`--history-file: ${path} is not valid JSON (${(error as Error).message})`);
  }
  const parsed = historySchema.safeParse(value);
  if (!parsed.success) {
    const problems = describeIssues(parsed.error.issues, 'file').join('; ');
    throw new Error(`--history-file: ${path} must be a JSON array of {"role": "user" | "assistant", "content": "…"}, oldest first (${problems})`);
  }
  return parsed.data;
}

/** A path given on the command line, as policy globs see it. */
export interface WorkspaceFile {
  /** Workspace-relative when it is in the workspace, else absolute (or as typed, see `workspaceFile`). */
  fileName: string;
  /** Workspace-relative path of the file itself, when symbolic links make it differ from `fileName`. */
  real?: string;
}

/**
 * `--file` (or `--selection-file`) as policy globs see it. The workspace is the folder holding the policy's `.omni`
 * folder, or the policy's own folder for one kept elsewhere (`--policy team-policy.json`). A path is taken like any
 * other command-line path, relative to the current folder, so `--file "$PWD/secrets/key.env"` and, from `secrets/`,
 * `--file key.env` both meet `privacy.localOnly`; a relative path that lands outside the workspace is taken as
 * workspace-relative already (`--file src/app.py` from elsewhere). Symbolic links are followed on both sides: a
 * workspace reached through one, or a link to a private file, must not slip past `privacy.localOnly`.
 */
export function workspaceFile(file: string, policySource: string, cwd = process.cwd()): WorkspaceFile {
  const workspace = isAbsolute(policySource) ? policyWorkspace(policySource) : cwd;
  const realWorkspace = realPath(workspace);
  const absolute = resolve(cwd, file);
  const real = realPath(absolute);
  const named = pathIn(workspace, absolute) ?? pathIn(realWorkspace, real);
  if (named === undefined) return { fileName: isAbsolute(file) ? absolute : file };
  const realName = pathIn(realWorkspace, real);
  return realName !== undefined && realName !== named ? { fileName: named, real: realName } : { fileName: named };
}

function policyWorkspace(policySource: string): string {
  const folder = dirname(policySource);
  return basename(folder) === '.omni' ? dirname(folder) : folder;
}

export function requestFromFlags(prompt: string, flags: RequestFlags, policySource: string): OmniRequest {
  const command = commandSchema.safeParse(flags.command ?? 'chat');
  if (!command.success) throw new UsageError(`--command must be chat, explain or refactor (got "${flags.command}")`);
  const selectionPath = flags['selection-file'];
  const selection = selectionPath ? readFlagFile('selection-file', selectionPath) : undefined;
  const history = flags['history-file'] ? readHistory(flags['history-file']) : [];
  const file = flags.file === undefined ? undefined : workspaceFile(flags.file, policySource);
  const selectionFile = selectionPath ? workspaceFile(selectionPath, policySource) : undefined;
  // The selection's own file, and the files behind links, may be private even when the open file is not.
  const carriedFiles: CarriedFile[] = [
    ...(file?.real ? [{ fileName: file.real, via: `${file.fileName} links to it` }] : []),
    ...(selectionFile ? [{ fileName: selectionFile.fileName, via: 'the --selection-file' }] : []),
    ...(selectionFile?.real ? [{ fileName: selectionFile.real, via: 'the --selection-file links to it' }] : []),
  ];
  return {
    messages: [...history, { role: 'user', content: prompt }],
    editor: { languageId: flags.lang, fileName: file?.fileName, selection, command: command.data },
    ...(carriedFiles.length > 0 ? { carriedFiles } : {}),
  };
}

/** What `route` and `ask` both start from: the prompt, the policy, and the user's providers. */
export interface PromptCommandSetup {
  request: OmniRequest;
  loaded: { policy: Policy; source: string };
  providers: ProviderRegistry;
}

/** The prompt piped in for `-`: `git diff | omni ask -`, or one longer than the system lets an argument be (128 KiB on Linux). */
async function readStdinPrompt(): Promise<string> {
  if (process.stdin.isTTY) printErrorLine('omni: reading the prompt from stdin (-); end it with Ctrl-D');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const { text, problem } = decodeText(Buffer.concat(chunks));
  if (problem) throw new Error(`the prompt on stdin (-) is not UTF-8 text (at ${problem.line}:${problem.column}); convert it first, e.g. iconv -f latin1 -t utf-8`);
  // The line end `echo` and editors leave is not part of the question.
  const prompt = text.replace(/\r?\n$/, '');
  if (prompt.trim() === '') throw new Error('the prompt on stdin (-) is empty; pipe the text in, e.g. echo "why does this crash?" | omni ask -');
  return prompt;
}

/** Reads the prompt and loads the policy and providers; undefined after printing why the policy cannot be used. */
export async function setUpPromptCommand(
  values: RequestFlags & { policy?: string; providers?: string },
  positionals: string[],
  usage: string,
): Promise<PromptCommandSetup | undefined> {
  // A lone "-" is stdin, as for most tools; taken as the words of a prompt it would be routed, and sent, as "-".
  const prompt = positionals.length === 1 && positionals[0] === '-' ? await readStdinPrompt() : positionals.join(' ');
  if (prompt.trim() === '') throw new UsageError(`a prompt is required\n\n${usage}`);
  const loaded = loadPolicyForCommand(values.policy);
  if (!loaded) return undefined;
  return { request: requestFromFlags(prompt, values, loaded.source), loaded, providers: cliProviders(values.providers) };
}
