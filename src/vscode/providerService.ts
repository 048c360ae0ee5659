/**
 * The model providers of the user's settings ("omni.providers" plus the built-in ones) with their keys from
 * SecretStorage: one registry shared by the chat and the routing examples, rebuilt when the settings change.
 */
import * as vscode from 'vscode';
import { createProviderRegistry } from '../core/providers/registry';
import type { ProviderRegistry } from '../core/providers/types';
import type { ApiKeys } from './secrets';
import { SECTION, readSettings } from './settings';

export class ProviderService implements vscode.Disposable {
  private registry: ProviderRegistry;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after the registry was rebuilt: whatever holds a provider from the old one (a router) should let it go. */
  readonly onDidChange = this.changed.event;
  private readonly listener: vscode.Disposable;

  constructor(private readonly keys: ApiKeys) {
    this.registry = this.create();
    this.listener = vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration(`${SECTION}.providers`)) return;
      this.registry = this.create();
      this.changed.fire();
    });
  }

  /** The registry for the settings as they are now; look it up per use rather than keeping it. */
  get current(): ProviderRegistry {
    return this.registry;
  }

  dispose(): void {
    this.listener.dispose();
    this.changed.dispose();
  }

  private create(): ProviderRegistry {
    return createProviderRegistry({
      config: readSettings().providers,
      configSource: 'setting "omni.providers"',
      keys: this.keys.lookup,
      keyCommand: '"Omni: Set API Key"',
    });
  }
}
