/** The provider registry for CLI commands: built-ins plus the user's providers file (`--providers` or `OMNI_PROVIDERS`). */
import { loadProvidersFile } from '../core/providers/config';
import { createProviderRegistry } from '../core/providers/registry';
import type { ProviderRegistry } from '../core/providers/types';

export function cliProviders(explicit: string | undefined): ProviderRegistry {
  const file = explicit ?? process.env.OMNI_PROVIDERS;
  if (!file) return createProviderRegistry();
  return createProviderRegistry({ config: loadProvidersFile(file), configSource: file });
}
