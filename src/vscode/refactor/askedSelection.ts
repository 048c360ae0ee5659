/**
 * Where the code of a refactoring asked in an earlier window is now. A reload forgets the selection a Refactor
 * request took, but the conversation keeps the file's name and the selected text: found once in that file, the
 * retried answer can open its diff as the first answer did.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EditorContext } from '../../core/request';
import { workspaceFileName } from '../editorContext';
import { snapshotOf, type SelectionSnapshot } from './proposalPreview';

const USE_APPLY = 'Select the code to replace, then click Apply on the code block of the new answer in the chat.';

/** The selection `asked` names, in its file as it is now; or, when it is not found exactly once, what to tell the user. */
export async function findAskedSelection(asked: EditorContext): Promise<SelectionSnapshot | string> {
  const where = asked.fileName ?? 'the untitled file';
  if (!asked.selection) return `Omni: the retried refactoring does not say which code it was asked about, so it opens no diff. ${USE_APPLY}`;
  const documents = await candidates(asked.fileName);
  if (documents.length === 0) return `Omni: ${where} is not open and not in the workspace, so the retried refactoring opens no diff. ${USE_APPLY}`;
  for (const document of documents) {
    const range = rangeOf(document, asked.selection);
    if (range) return snapshotOf(document, range);
  }
  return (
    `Omni: the code the refactoring was asked about is not in ${where} exactly once any more, so the retried answer ` +
    `opens no diff. ${USE_APPLY}`
  );
}

/**
 * The documents that `fileName` (workspace-relative, as the conversation saved it) may name: open ones first, else the
 * file in each workspace folder. Views under other schemes (a side of a git diff) are read-only and left out.
 */
async function candidates(fileName: string | undefined): Promise<vscode.TextDocument[]> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const editable = new Set(['file', 'untitled', 'vscode-notebook-cell', ...folders.map((folder) => folder.uri.scheme)]);
  const open = vscode.workspace.textDocuments.filter(
    (document) => editable.has(document.uri.scheme) && (fileName === undefined ? document.isUntitled : workspaceFileName(document.uri) === fileName),
  );
  if (open.length > 0 || fileName === undefined) return open;
  const uris = path.isAbsolute(fileName) ? [vscode.Uri.file(fileName)] : folders.map((folder) => vscode.Uri.joinPath(folder.uri, fileName));
  for (const uri of uris) {
    const document = await Promise.resolve(vscode.workspace.openTextDocument(uri)).catch(() => undefined);
    if (document) return [document];
  }
  return [];
}

/** Where `text` is in `document`: the selection of an editor showing it when that is the text, else its only occurrence. */
function rangeOf(document: vscode.TextDocument, text: string): vscode.Range | undefined {
  const selected = vscode.window.visibleTextEditors
    .filter((editor) => editor.document === document)
    .map((editor) => editor.selection)
    .find((selection) => document.getText(selection) === text);
  if (selected) return new vscode.Range(selected.start, selected.end);
  const whole = document.getText();
  const at = whole.indexOf(text);
  if (at < 0 || whole.indexOf(text, at + 1) >= 0) return undefined;
  return new vscode.Range(document.positionAt(at), document.positionAt(at + text.length));
}
