/** What Omni says when routing examples need a folder's policy and it has none that applies, with the fix as a button. */
import * as vscode from 'vscode';
import { POLICY_PATH } from '../core/policy/load';
import { omniFileUri } from './omniFiles';
import type { ActivePolicy } from './policyService';

/** Why examples have no policy to run against (`active` has no `uri`): Restricted Mode, errors in its file, or none. */
export function noPolicyToTest(active: ActivePolicy): string {
  if (active.restricted) return 'Restricted Mode keeps its .omni/policies.json from applying; trust the workspace ("Workspaces: Manage Workspace Trust") first';
  // A warning without a policy: the file is there, with errors and no earlier valid version.
  return `routing examples test a workspace policy, and ${active.warning ?? `${active.folder?.name ?? 'the workspace'} has no .omni/policies.json`}`;
}

/**
 * Says why `folder` has no policy to test (`active`, its policy, has no `uri`) and offers the fix for that folder: open
 * the broken file or its problems, or create one.
 */
export async function offerPolicyFix(active: ActivePolicy, folder: vscode.WorkspaceFolder): Promise<void> {
  const actions = active.restricted ? [] : active.warning ? ['Open Policy', 'Show Problems'] : ['Create Policy'];
  const choice = await vscode.window.showWarningMessage(`Omni: ${noPolicyToTest(active)}.`, ...actions);
  if (choice === 'Open Policy') await vscode.window.showTextDocument(omniFileUri(folder.uri, POLICY_PATH));
  else if (choice === 'Show Problems') await vscode.commands.executeCommand('workbench.actions.view.problems');
  else if (choice === 'Create Policy') await vscode.commands.executeCommand('omni.createPolicy', undefined, folder.uri);
}
