/** Quick fixes for the policy's Problems entries: a did-you-mean becomes one click (Ctrl+.) instead of retyping. */
import * as vscode from 'vscode';

/** The source of the policy's own diagnostics (see policyService). */
export const POLICY_DIAGNOSTIC_SOURCE = 'Omni policy';

/** The JSON string the policy checks suggest, as they write it: `Did you mean "coder"?`. */
const DID_YOU_MEAN = /Did you mean ("(?:[^"\\]|\\.)*")\?/;

export class PolicyQuickFixes implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    return context.diagnostics.flatMap((diagnostic) => {
      const fix = diagnostic.source === POLICY_DIAGNOSTIC_SOURCE ? diagnostic.message.match(DID_YOU_MEAN)?.[1] : undefined;
      // Only a name written as a string is swapped for the suggested one: a number or an object there is no typo of it.
      if (!fix || !/^"[\s\S]*"$/.test(document.getText(diagnostic.range))) return [];
      const action = new vscode.CodeAction(`Change to ${fix}`, vscode.CodeActionKind.QuickFix);
      action.edit = new vscode.WorkspaceEdit();
      action.edit.replace(document.uri, diagnostic.range, fix);
      action.diagnostics = [diagnostic];
      action.isPreferred = true;
      return [action];
    });
  }
}

/** For the policy file wherever it is, as package.json's jsonValidation matches it (a glob takes / on every OS). */
export function registerPolicyQuickFixes(): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider({ pattern: '**/.omni/policies.json' }, new PolicyQuickFixes(), {
    providedCodeActionKinds: PolicyQuickFixes.kinds,
  });
}
