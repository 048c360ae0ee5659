/** Builds the request a CLI invocation stands for, from the prompt and the editor-context flags. */
import { readFileSync } from 'node:fs';
import { commandSchema, type Policy } from '../core/policy/schema';
import type { OmniRequest } from '../core/request';
import type { ProviderRegistry } from '../core/providers/types';
import { UsageError } from './args';
import { loadPolicyForCommand } from './policy';
import { cliProviders } from './providers';

export interface RequestFlags {
  lang?: string;
  file?: string;
  'selection-file'?: string;
  command?: string;
}

export function requestFromFlags(prompt: string, flags: RequestFlags): OmniRequest {
  const command = commandSchema.safeParse(flags.command ?? 'chat');
  if (!command.success) throw new UsageError(`--command must be chat, explain or refactor (got "${flags.command}")`);
  let selection: string | undefined;
  if (flags['selection-file']) {
    try {
      selection = readFileSync(flags['selection-file'], 'utf8');
    } catch (error) {
      throw new UsageError(`--selection-file: cannot read ${flags['selection-file']} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  }
  return {
    messages: [{ role: 'user', content: prompt }],
    editor: { languageId: flags.lang, fileName: flags.file, selection, command: command.data },
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
  return { request: requestFromFlags(prompt, values), loaded, providers: cliProviders(values.providers) };
}
