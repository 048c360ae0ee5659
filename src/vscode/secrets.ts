/** API keys in VS Code's SecretStorage (the OS keyring), one per provider, with environment variables as fallback. */
import type * as vscode from 'vscode';
import type { KeyLookup } from '../core/providers/types';

const keyName = (provider: string) => `omni.apiKey.${provider}`;
/**
 * Names of the providers Omni stored a key for. SecretStorage cannot list its keys, and a key must stay removable
 * after its provider left the settings. Names are not secret, so they live in global state.
 */
const STORED_NAMES = 'omni.apiKeyProviders';

export class ApiKeys {
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly state: vscode.Memento,
  ) {}

  /** The lookup handed to the provider registry: each provider only ever receives its own key. */
  readonly lookup: KeyLookup = async (provider, envVar) => {
    try {
      const stored = await this.secrets.get(keyName(provider));
      if (stored) return stored;
    } catch {
      // An unavailable keyring is reported when the user stores a key; here the environment still works.
    }
    return envVar ? process.env[envVar] : undefined;
  };

  /** Stores a key; throws an Error whose message tells the user what to do when the keyring is unavailable. */
  async store(provider: string, key: string, envVar: string | undefined): Promise<void> {
    try {
      await this.secrets.store(keyName(provider), key);
    } catch (error) {
      const fallback = envVar ? `set the environment variable ${envVar} and restart VS Code` : 'check that your OS keyring is running';
      throw new Error(`Could not save the key in the OS keyring (${(error as Error).message}). Instead, ${fallback}.`);
    }
    await this.state.update(STORED_NAMES, [...new Set([...this.storedNames(), provider])]);
  }

  async remove(provider: string): Promise<void> {
    await this.secrets.delete(keyName(provider));
    await this.state.update(STORED_NAMES, this.storedNames().filter((name) => name !== provider));
  }

  /**
   * The providers, among `known` and those Omni stored a key for, whose key is in SecretStorage now; `known`
   * covers keys stored before Omni kept their names.
   */
  async stored(known: Iterable<string>): Promise<string[]> {
    const names = [...new Set([...known, ...this.storedNames()])];
    const present = await Promise.all(names.map((name) => this.isStored(name)));
    return names.filter((_, index) => present[index]);
  }

  private storedNames(): string[] {
    const names = this.state.get<unknown>(STORED_NAMES);
    return Array.isArray(names) ? names.filter((name): name is string => typeof name === 'string') : [];
  }

  /** Whether a key for `provider` is in SecretStorage (not the environment). */
  async isStored(provider: string): Promise<boolean> {
    try {
      return Boolean(await this.secrets.get(keyName(provider)));
    } catch {
      return false;
    }
  }

  async has(provider: string, envVar: string | undefined): Promise<boolean> {
    return (await this.lookup(provider, envVar)) !== undefined;
  }
}
