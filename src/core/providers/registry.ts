/** Finds the provider a policy names: built-ins plus the user's providers file, each with its own SDK and key. */
import { isOnThisMachine, resolveProviderSettings, type ProvidersConfig, type ProviderSettings } from './config';
import { createChatProvider } from './chatProvider';
import { huggingFaceTransport } from './huggingface';
import { openAICompatibleTransport } from './openaiCompatible';
import { ProviderError, type ChatProvider, type KeyLookup, type ProviderRegistry } from './types';

export interface ProviderRegistryOptions {
  /** The user's providers file, already validated (see `loadProvidersFile`, `parseProvidersConfig`). */
  config?: ProvidersConfig;
  /** Where `config` came from, named in errors: a file path or a setting. */
  configSource?: string;
  /** Where the user defines providers, for "add it to …": `the "omni.providers" user setting`. */
  definedIn?: string;
  /** Names whose entry is invalid, with why: unusable until fixed (never silently the built-in of that name). */
  rejected?: Readonly<Record<string, string>>;
  /** Environment to read keys from when `keys` is not given; default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Key source, e.g. SecretStorage with the environment as fallback; default: the provider's `apiKeyEnv` in `env`. */
  keys?: KeyLookup;
  /** The command that stores a key where Omni runs, named in key errors; the CLI has none and names the variable. */
  keyCommand?: string;
  /** How the user sends less where Omni runs, named when a model refuses a conversation as too long: the chat's New Chat. */
  lessText?: string;
  fetch?: typeof fetch;
}

/** The registry of every provider a policy may name. Providers are built on first use and kept. */
export function createProviderRegistry(options: ProviderRegistryOptions = {}): ProviderRegistry {
  const settings = resolveProviderSettings(options.config);
  const env = options.env ?? process.env;
  const keys: KeyLookup = options.keys ?? ((_provider, envVar) => (envVar ? env[envVar] : undefined));
  const providers = new Map<string, ChatProvider>();
  const where = options.configSource ?? 'none loaded: pass --providers FILE or set OMNI_PROVIDERS';
  const definedIn = options.definedIn ?? `your providers file (${where})`;
  const rejected = options.rejected ?? {};

  return {
    get(name) {
      const known = providers.get(name);
      if (known) return known;
      if (Object.hasOwn(rejected, name)) {
        throw new ProviderError(name, 'config', `provider "${name}" is not used until its entry in ${definedIn} is fixed: ${rejected[name]}`);
      }
      const entry = settings.get(name);
      if (!entry) {
        const defined = [...settings.keys()].join(', ');
        throw new ProviderError(name, 'config', `provider "${name}" is not defined: add it to ${definedIn}; defined: ${defined}`);
      }
      const provider = createChatProvider(entry, transportFor(entry), { keys, fetch: options.fetch ?? globalThis.fetch, keyCommand: options.keyCommand, lessText: options.lessText, definedIn });
      providers.set(name, provider);
      return provider;
    },
    names: () => [...settings.keys()].filter((name) => !Object.hasOwn(rejected, name)),
    localNames: () =>
      [...settings.values()].filter((entry) => !Object.hasOwn(rejected, entry.name) && isOnThisMachine(entry.baseURL)).map((entry) => entry.name),
    rejected: () => ({ ...rejected }),
  };
}

function transportFor(entry: ProviderSettings) {
  return entry.type === 'huggingface' ? huggingFaceTransport(entry.baseURL) : openAICompatibleTransport(entry.baseURL);
}
