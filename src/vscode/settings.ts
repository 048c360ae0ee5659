/** Omni's user settings, read and validated in one place. Providers live only in user (application) settings. */
import * as vscode from 'vscode';
import { parseProvidersLeniently, type ProvidersConfig } from '../core/providers/config';
import { describeProblem, settingsSchema, validateSettings, type SettingKey, type SettingProblem, type SimpleSettings } from './settingsSchema';

export const SECTION = 'omni';

export interface OmniSettings {
  providers: ProvidersConfig | undefined;
  /** Provider entries of the setting that are not used, with why. */
  rejectedProviders: Record<string, string>;
  stickiness: SimpleSettings['conversation.stickiness'];
  switchConfidence: number;
  firstTokenTimeoutMs: number;
  stallTimeoutMs: number;
  /** Explain/Refactor refuse a larger selection (estimated tokens) instead of sending it whole. */
  maxSelectionTokens: number;
  showReasoning: boolean;
}

/** The settings as they are now; an invalid value reads as its default (SettingsReporter tells the user). */
export function readSettings(): OmniSettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  // Only the user's own value counts: a workspace must not add endpoints or redirect keys.
  const userProviders = config.inspect<Record<string, unknown>>('providers')?.globalValue;
  const { config: providers, rejected: rejectedProviders } = userProviders === undefined ? { config: undefined, rejected: {} } : parseProvidersLeniently(userProviders);
  const { values } = checkSimpleSettings(config);
  return {
    providers,
    rejectedProviders,
    stickiness: values['conversation.stickiness'],
    switchConfidence: values['conversation.switchConfidence'],
    firstTokenTimeoutMs: values.firstTokenTimeoutMs,
    stallTimeoutMs: values.stallTimeoutMs,
    maxSelectionTokens: values.maxSelectionTokens,
    showReasoning: values.showReasoning,
  };
}

function checkSimpleSettings(config: vscode.WorkspaceConfiguration) {
  const keys = Object.keys(settingsSchema.shape) as SettingKey[];
  return validateSettings(Object.fromEntries(keys.map((key) => [key, config.get(key)])));
}

/**
 * Says when a setting holds a value Omni cannot use, once per value: on activation and whenever the settings change,
 * never per request. The warning names the setting, its value and the default used instead, and opens the setting.
 */
export class SettingsReporter implements vscode.Disposable {
  /** Each setting's bad value already reported, as JSON; forgotten once the setting changes, so a new mistake is told. */
  private readonly reported = new Map<string, string>();
  private readonly listener: vscode.Disposable;

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.check();
    this.listener = vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(SECTION)) this.check();
    });
  }

  dispose(): void {
    this.listener.dispose();
  }

  private check(): void {
    const { problems } = checkSimpleSettings(vscode.workspace.getConfiguration(SECTION));
    const bad = new Set(problems.map((problem) => problem.setting));
    for (const setting of [...this.reported.keys()].filter((setting) => !bad.has(setting))) this.reported.delete(setting);
    for (const problem of problems) {
      const value = JSON.stringify(problem.value);
      if (this.reported.get(problem.setting) === value) continue;
      this.reported.set(problem.setting, value);
      this.log.warn(describeProblem(problem));
      showSettingProblem(problem);
    }
  }
}

function showSettingProblem(problem: SettingProblem): void {
  const open = 'Open Setting';
  void vscode.window.showWarningMessage(`Omni: ${describeProblem(problem)}.`, open).then((choice) => {
    if (choice === open) void vscode.commands.executeCommand('workbench.action.openSettings', problem.setting);
  });
}
