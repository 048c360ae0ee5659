/** API keys in VS Code's SecretStorage (the OS keyring), one per provider, with environment variables as fallback. */
import * as vscode from 'vscode';
import type { KeyLookup } from '../core/providers/types';

const keyName = (provider: string) => `omni.apiKey.${provider}`;

export class ApiKeys {
  constructor(private readonly secrets: vscode.SecretStorage) {}

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
  }

  async remove(provider: string): Promise<void> {
    await this.secrets.delete(keyName(provider));
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
