/**
 * "Omni: Save as Routing Example": turns a chat answer's request into a line of the folder's routing examples
 * (`.omni/policies.test.jsonl`), expecting the route the user picks. A request Omni routed wrongly becomes a failing
 * example in the Testing view and in `omni test`, and a right one guards the policy against later changes.
 */
import * as vscode from 'vscode';
import { appendLine, exampleHistory, exampleLine } from '../core/eval/dataset';
import { POLICY_TESTS_PATH } from '../core/policy/load';
import type { RouteEntry } from '../core/policy/schema';
import { oneLinePreview } from '../core/text/preview';
import type { ChatController } from './chat/chatController';
import { omniFileUri } from './omniFiles';
import { showOpenFolderFirst } from './openFolder';
import { offerPolicyFix } from './policyFix';
import type { PolicyService } from './policyService';

/** Where the example went; returned by the command for scripts and tests. */
export interface SavedExample {
  /** Workspace-relative path of the examples file. */
  file: string;
  /** 1-based line of the new example. */
  line: number;
  route: string;
  /** The route the router chose for the request (not a route the conversation kept from earlier). */
  routed: string;
}

const TITLE = 'Omni: Save as Routing Example';
const PROMPT_PREVIEW = 60;

/**
 * Saves `requestId`'s request (the latest routed answer when omitted) expecting `route`; without `route` the user
 * picks one. Says what happened either way; resolves undefined when nothing was saved.
 */
export async function saveRoutingExample(
  deps: { controller: ChatController; policies: PolicyService },
  requestId?: string,
  route?: string,
): Promise<SavedExample | undefined> {
  const answer = deps.controller.routedAnswer(requestId);
  if (!answer) {
    void vscode.window.showInformationMessage('Omni: ask something in the chat first; then its routing can be saved as an example.');
    return undefined;
  }
  if (!answer.input) {
    void vscode.window.showInformationMessage(
      'Omni: this answer is older than routing examples, so what it was routed on was not kept. Ask again, then save that answer.',
    );
    return undefined;
  }
  if (!answer.input.folder) {
    // Asked with no folder open: there is no policy the example could test.
    const ask = `Omni: routing examples live in a workspace folder (${POLICY_TESTS_PATH}), and this request was made with no folder open.`;
    if (vscode.workspace.workspaceFolders?.length) void vscode.window.showInformationMessage(`${ask} Ask it again here, then save that answer.`);
    else showOpenFolderFirst(`${ask} Open a folder, ask there, then save that answer.`);
    return undefined;
  }
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(answer.input.folder, true));
  if (!folder) {
    void vscode.window.showWarningMessage(`Omni: routing examples live in a workspace folder (${POLICY_TESTS_PATH}); open the folder the request was made in.`);
    return undefined;
  }
  const active = deps.policies.current(folder.uri);
  if (active.uri === undefined) {
    await offerPolicyFix(active, folder);
    return undefined;
  }
  const routes = active.policy.routes;
  // An example is routed afresh, without the conversation's earlier pick: the router's own choice is what it tests.
  const routed = answer.tag.routerPick ?? answer.tag.route;
  const kept = answer.tag.routerPick === undefined ? undefined : answer.tag.route;
  const expected = route ?? (await pickRoute(routes, { routed, kept }, answer.input.prompt));
  if (expected === undefined) return undefined;
  if (!routes.some((candidate) => candidate.name === expected)) {
    void vscode.window.showErrorMessage(`Omni: ${active.label} has no route "${expected}".`);
    return undefined;
  }
  const uri = omniFileUri(folder.uri, POLICY_TESTS_PATH);
  const { prompt, languageId, fileName, selection, command } = answer.input;
  const history = exampleHistory(answer.history, active.policy.router.archRouter?.tokenBudget);
  const line = await appendExample(uri, exampleLine(prompt, { languageId, fileName, selection, command }, expected, history));
  const saved: SavedExample = { file: vscode.workspace.asRelativePath(uri), line: line.number, route: expected, routed };
  void report(saved, uri, line.unsaved, line.already === true);
  return saved;
}

/**
 * The policy's routes to choose from; the one Omni chose is marked in the list rather than repeated in the prompt.
 * When the conversation kept an earlier route, both are marked: the example will be routed as a fresh request.
 */
async function pickRoute(routes: readonly RouteEntry[], omni: { routed: string; kept?: string }, prompt: string): Promise<string | undefined> {
  const mark = (name: string) => {
    if (omni.kept === undefined) return name === omni.routed ? 'Omni routed here' : undefined;
    if (name === omni.routed) return 'the router picked this';
    return name === omni.kept ? 'the conversation kept this route from earlier' : undefined;
  };
  const items = routes.map((candidate) => ({ label: candidate.name, description: mark(candidate.name), detail: candidate.description }));
  const picked = await vscode.window.showQuickPick(items, {
    title: TITLE,
    placeHolder: `Which route should "${oneLinePreview(prompt, PROMPT_PREVIEW)}" take?`,
    matchOnDetail: true,
  });
  return picked?.label;
}

/**
 * Adds `text` as the last line of the examples file through the editor, so an open copy with unsaved changes is
 * edited rather than overwritten; such a copy is left unsaved (saving would also save the user's own changes).
 */
async function appendExample(uri: vscode.Uri, text: string): Promise<{ number: number; unsaved: boolean; already?: boolean }> {
  const exists = await vscode.workspace.fs.stat(uri).then(
    () => true,
    () => false,
  );
  if (!exists) {
    const edit = new vscode.WorkspaceEdit();
    edit.createFile(uri, { ignoreIfExists: true });
    await vscode.workspace.applyEdit(edit);
  }
  const document = await vscode.workspace.openTextDocument(uri);
  const wasDirty = document.isDirty;
  const planned = appendLine(document.getText(), text);
  if (planned.insert === '') return { number: planned.line, unsaved: wasDirty, already: true };
  const edit = new vscode.WorkspaceEdit();
  edit.insert(uri, document.positionAt(document.getText().length), planned.insert);
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`could not edit ${vscode.workspace.asRelativePath(uri)}`);
  if (!wasDirty) await document.save();
  return { number: planned.line, unsaved: wasDirty, already: false };
}

async function report(saved: SavedExample, uri: vscode.Uri, unsaved: boolean, already: boolean): Promise<void> {
  const verdict = saved.route === saved.routed ? 'the route Omni chose' : `Omni chose ${saved.routed}`;
  const save = unsaved && !already ? ' The file had unsaved changes, so it is left unsaved: save it to keep the example.' : '';
  const what = already ? `already saved as line ${saved.line} of ${saved.file}` : `saved as line ${saved.line} of ${saved.file}`;
  const open = 'Open';
  const run = 'Run Routing Examples';
  const choice = await vscode.window.showInformationMessage(
    `Omni: ${what}, expecting ${saved.route} (${verdict}).${save}`,
    open,
    run,
  );
  if (choice === open) {
    const range = new vscode.Range(saved.line - 1, 0, saved.line - 1, 0);
    await vscode.window.showTextDocument(uri, { selection: range });
  } else if (choice === run) {
    await vscode.commands.executeCommand('omni.runRoutingExamples');
  }
}
