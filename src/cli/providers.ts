/** The provider registry for CLI commands: built-ins plus the user's providers file (`--providers` or `OMNI_PROVIDERS`). */
import { loadProvidersFile, type ProvidersConfig } from '../core/providers/config';
import { createProviderRegistry } from '../core/providers/registry';
import type { ProviderRegistry } from '../core/providers/types';

export function cliProviders(explicit: string | undefined): ProviderRegistry {
  const file = explicit ?? process.env.OMNI_PROVIDERS;
  if (!file) return createProviderRegistry();
  const fromEnvironment = explicit === undefined;
  // Messages name the file where an entry is fixed; one the environment names says so, as a file it cannot read does.
  const configSource = fromEnvironment ? `${file}, named by $OMNI_PROVIDERS` : file;
  return createProviderRegistry({ config: readProviders(file, fromEnvironment), configSource });
}

/** The file's entries; a file the environment names says so, or a user who set it long ago would not know where it came from. */
function readProviders(file: string, fromEnvironment: boolean): ProvidersConfig {
  try {
    return loadProvidersFile(file);
  } catch (error) {
    if (!fromEnvironment) throw error;
    const message = (error as Error).message;
    // After a list of problems, on a line of its own: appended to the last one, it would read as part of it.
    const note = '$OMNI_PROVIDERS names this file: fix it, or unset the variable to use only the built-in providers';
    throw new Error(message.includes('\n') ? `${message}\n${note}` : `${message}; ${note}`);
  }
}
