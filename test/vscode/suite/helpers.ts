// Shared set-up for the extension-host suites: a loopback fake provider configured through the user settings a
// person would edit, a test policy in the workspace, and small waits for VS Code's asynchronous updates.
import * as vscode from 'vscode';
import type { OmniApi } from '../../../src/extension';
import { startFakeProvider, type FakeProvider } from '../../fake-provider/server';
// @ts-expect-error: plain JavaScript shared with the runner, which searches the run's files for this key.
import { FAKE_KEY } from '../fakeKey.mjs';

export const EXTENSION_ID = 'omni-dev.omni-router';

export function workspaceFolder(): vscode.WorkspaceFolder {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the extension-host tests need a workspace folder');
  return folder;
}

export const policyUri = () => vscode.Uri.joinPath(workspaceFolder().uri, '.omni', 'policies.json');

/** The policy the suites route with: two fake models, rules for the editor commands, local routing only. */
export function testPolicy(overrides: { explainRoute?: string } = {}): Record<string, unknown> {
  return {
    version: 1,
    models: {
      coder: { provider: 'fake', model: 'fake-coder', displayName: 'Fake Coder', price: { input: 2, output: 2 } },
      general: { provider: 'fake', model: 'fake-general', displayName: 'Fake General', price: { input: 0.6, output: 0.6 } },
    },
    routes: [
      { name: 'code_generation', description: 'writing new code: functions, classes, scripts, parsers', model: 'coder', fallbacks: ['general'] },
      { name: 'code_explanation', description: 'explaining what code does', model: 'coder' },
      { name: 'refactoring', description: 'restructuring existing code', model: 'coder' },
      { name: 'general_chat', description: 'questions not about software: cooking, travel, recipes, small talk', model: 'general' },
    ],
    rules: [
      { when: { command: 'explain' }, route: overrides.explainRoute ?? 'code_explanation' },
      { when: { command: 'refactor' }, route: 'refactoring' },
    ],
    defaultRoute: 'general_chat',
    router: { mode: 'local' },
  };
}

export async function writeText(uri: vscode.Uri, text: string): Promise<void> {
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
}

/** Polls `check` until it returns a truthy value; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | Promise<T>, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Writes the test policy and waits until Omni has loaded it (its diagnostics are cleared). */
export async function usePolicy(policy: Record<string, unknown>): Promise<void> {
  await writeText(policyUri(), JSON.stringify(policy, null, 2));
  await waitFor('the policy to load without problems', () => vscode.languages.getDiagnostics(policyUri()).length === 0);
  // The watcher reloads asynchronously; a short settle keeps the next request from racing it.
  await new Promise((r) => setTimeout(r, 300));
}

/**
 * Resolves when Omni next applies a workspace policy (its onDidChangePolicy), failing after `timeoutMs`. Call it before
 * the change: usePolicy's wait ends once the diagnostics are clear, which they often were before the write.
 */
export function nextPolicyChange(api: OmniApi, timeoutMs = 10_000): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      listener.dispose();
      reject(new Error('timed out waiting for Omni to apply .omni/policies.json'));
    }, timeoutMs);
    const listener = api.onDidChangePolicy(() => {
      clearTimeout(timer);
      listener.dispose();
      resolve();
    });
  });
}

/**
 * Runs `body` with `addProviders`, which sets the user's "omni.providers" to the fake provider's entries plus the given
 * ones (an entry of the same name replaces it); afterwards the setting and the test policy are back, whatever happened.
 */
export async function withProviders(body: (addProviders: (entries: Record<string, unknown>) => Promise<void>) => Promise<void>): Promise<void> {
  const config = vscode.workspace.getConfiguration('omni');
  const original = config.get<Record<string, unknown>>('providers');
  try {
    await body(async (entries) => {
      await config.update('providers', { ...original, ...entries }, vscode.ConfigurationTarget.Global);
    });
  } finally {
    await config.update('providers', original, vscode.ConfigurationTarget.Global);
    await usePolicy(testPolicy());
  }
}

let fake: FakeProvider | undefined;

export { FAKE_KEY };

/**
 * Starts (once) the fake provider, points the user setting `omni.providers` at it and stores its key with
 * "Omni: Set API Key", as a user would.
 */
export async function fakeProvider(): Promise<FakeProvider> {
  if (!fake) {
    fake = await startFakeProvider();
    await vscode.workspace
      .getConfiguration('omni')
      .update('providers', { fake: { type: 'openai-compatible', baseURL: fake.baseURL, apiKeyEnv: 'OMNI_FAKE_KEY' } }, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('omni.setApiKey', 'fake', FAKE_KEY);
  }
  return fake;
}

export async function omniApi(): Promise<OmniApi> {
  const extension = vscode.extensions.getExtension<OmniApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not loaded`);
  return extension.activate();
}

/** Opens `name` in the workspace with `content`, and selects the lines `fromLine`..`toLine` (0-based, inclusive). */
export async function openWithSelection(name: string, content: string, fromLine: number, toLine: number): Promise<vscode.TextEditor> {
  const uri = vscode.Uri.joinPath(workspaceFolder().uri, name);
  await writeText(uri, content);
  const editor = await vscode.window.showTextDocument(uri);
  const end = editor.document.lineAt(toLine).range.end;
  editor.selection = new vscode.Selection(new vscode.Position(fromLine, 0), end);
  return editor;
}

/** The model ids the fake provider was asked for, in order, since `from` requests. */
export function modelsAsked(server: FakeProvider, from = 0): string[] {
  return server.chatRequests().slice(from).map((r) => r.body?.model ?? '');
}

/** A notification (information, warning or error) Omni showed while `watchMessages` ran; `click` answers it as the user would (undefined: closed). */
export interface ShownMessage {
  text: string;
  buttons: string[];
  click: (button: string | undefined) => void;
}

/**
 * Runs `body` with VS Code's information, warning and error messages recorded instead of shown, so a test can read them and
 * click their buttons; the extension shares this `vscode` API object, being loaded from the same folder.
 */
export async function watchMessages<T>(body: (shown: ShownMessage[]) => Promise<T>): Promise<T> {
  const shown: ShownMessage[] = [];
  const { window } = vscode as { window: Record<string, unknown> };
  const originals = { showInformationMessage: window.showInformationMessage, showWarningMessage: window.showWarningMessage, showErrorMessage: window.showErrorMessage };
  const record = (text: string, ...rest: unknown[]) =>
    new Promise<string | undefined>((click) => shown.push({ text, buttons: rest.filter((item): item is string => typeof item === 'string'), click }));
  Object.assign(window, { showInformationMessage: record, showWarningMessage: record, showErrorMessage: record });
  try {
    return await body(shown);
  } finally {
    Object.assign(window, originals);
  }
}

export interface ShownProgress {
  title: string | undefined;
  cancellable: boolean;
  /** Whether the task ended, which closes the notification. */
  ended: boolean;
  /** Presses the notification's Cancel. */
  cancel(): void;
}

/**
 * Runs `body` with VS Code's progress notifications recorded as well as shown, so a test can see when each closes and
 * press its Cancel; the extension shares this `vscode` API object, being loaded from the same folder.
 */
export async function watchProgress<T>(body: (shown: ShownProgress[]) => Promise<T>): Promise<T> {
  const shown: ShownProgress[] = [];
  const { window } = vscode as { window: Record<string, unknown> };
  const original = vscode.window.withProgress;
  const withProgress: typeof original = (options, task) => {
    const cancelled = new vscode.CancellationTokenSource();
    const entry: ShownProgress = { title: options.title, cancellable: options.cancellable === true, ended: false, cancel: () => cancelled.cancel() };
    shown.push(entry);
    return original(options, async (progress, token) => {
      token.onCancellationRequested(() => cancelled.cancel());
      try {
        return await task(progress, cancelled.token);
      } finally {
        entry.ended = true;
        cancelled.dispose();
      }
    });
  };
  Object.assign(window, { withProgress });
  try {
    return await body(shown);
  } finally {
    Object.assign(window, { withProgress: original });
  }
}
