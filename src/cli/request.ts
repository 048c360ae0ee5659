/** Builds the request a CLI invocation stands for, from the prompt and the editor-context flags. */
import { readFileSync } from 'node:fs';
import { commandSchema } from '../core/policy/schema';
import type { OmniRequest } from '../core/request';
import { UsageError } from './args';

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
