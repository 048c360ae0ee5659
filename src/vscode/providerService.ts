/**
 * The model providers of the user's settings ("omni.providers" plus the built-in ones) with their keys from
 * SecretStorage: one registry shared by the chat and the routing examples, rebuilt when the settings change.
 */
import * as vscode from 'vscode';
import { createProviderRegistry } from '../core/providers/registry';
import type { ProviderRegistry } from '../core/providers/types';
import type { ApiKeys } from './secrets';
import { SECTION, readSettings } from './settings';

const DEFINED_IN = 'the "omni.providers" user setting';

export class ProviderService implements vscode.Disposable {
  private registry: ProviderRegistry;
  /** The problems last reported, so a save that changes nothing about them does not repeat the notification. */
  private reported = '';
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after the registry was rebuilt: whatever holds a provider from the old one (a router) should let it go. */
  readonly onDidChange = this.changed.event;
  private readonly listener: vscode.Disposable;

  constructor(
    private readonly keys: ApiKeys,
    private readonly log: vscode.LogOutputChannel,
  ) {
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
    const { providers, rejectedProviders } = readSettings();
    this.report(rejectedProviders);
    return createProviderRegistry({
      config: providers,
      configSource: 'setting "omni.providers"',
      definedIn: DEFINED_IN,
      rejected: rejectedProviders,
      keys: this.keys.lookup,
      keyCommand: '"Omni: Set API Key"',
      lessText: 'start a New Chat (or send less code)',
    });
  }

  /** Says which entries of the setting are not used, once per change, where the user sees it. */
  private report(rejected: Record<string, string>): void {
    const text = describeEntries(rejected);
    if (text === this.reported) return;
    this.reported = text;
    if (text === '') return;
    this.log.error(`${DEFINED_IN}: not used until fixed: ${text}`);
    showUnusedProviderEntries(rejected);
  }
}

/** `"name": why; …` for each entry. */
function describeEntries(rejected: Record<string, string>): string {
  return Object.entries(rejected).map(([name, why]) => `"${name}": ${why}`).join('; ');
}

/** Tells the user which entries of the setting are not used and why, with a button to the file that fixes them. */
export function showUnusedProviderEntries(rejected: Record<string, string>): void {
  const count = Object.keys(rejected).length;
  const open = 'Open User Settings (JSON)';
  const message = `Omni: ${count === 1 ? 'an entry' : `${count} entries`} of ${DEFINED_IN} ${count === 1 ? 'is' : 'are'} not used until fixed: ${describeEntries(rejected)}`;
  void vscode.window.showErrorMessage(message, open).then((choice) => {
    if (choice) void vscode.commands.executeCommand('workbench.action.openSettingsJson');
  });
}
