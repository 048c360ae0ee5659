/** Omni's user settings, read and validated in one place. Providers live only in user (application) settings. */
import * as vscode from 'vscode';
import { z } from 'zod';
import { parseProvidersLeniently, type ProvidersConfig } from '../core/providers/config';

export const SECTION = 'omni';

/** About 80 KB of code: far more than anyone reads in one answer, and a few cents to a dollar per request. */
const MAX_SELECTION_TOKENS = 20_000;

const stickinessSchema = z.enum(['keep', 'switch-when-confident', 'always-route']).catch('switch-when-confident');

export interface OmniSettings {
  providers: ProvidersConfig | undefined;
  /** Provider entries of the setting that are not used, with why. */
  rejectedProviders: Record<string, string>;
  stickiness: z.infer<typeof stickinessSchema>;
  switchConfidence: number;
  firstTokenTimeoutMs: number;
  /** Explain/Refactor refuse a larger selection (estimated tokens) instead of sending it whole. */
  maxSelectionTokens: number;
}

export function readSettings(): OmniSettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  // Only the user's own value counts: a workspace must not add endpoints or redirect keys.
  const userProviders = config.inspect<Record<string, unknown>>('providers')?.globalValue;
  const { config: providers, rejected: rejectedProviders } = userProviders === undefined ? { config: undefined, rejected: {} } : parseProvidersLeniently(userProviders);
  return {
    providers,
    rejectedProviders,
    stickiness: stickinessSchema.parse(config.get('conversation.stickiness')),
    switchConfidence: z.number().min(0).max(1).catch(0.8).parse(config.get('conversation.switchConfidence')),
    firstTokenTimeoutMs: z.number().int().min(1000).max(600_000).catch(20_000).parse(config.get('firstTokenTimeoutMs')),
    maxSelectionTokens: z.number().int().min(100).catch(MAX_SELECTION_TOKENS).parse(config.get('maxSelectionTokens')),
  };
}
