/**
 * Omni's files inside a workspace folder (`.omni/…`). The core names them with the platform's path separator,
 * which URIs and file watcher globs do not take, so the adapters reach them through these.
 */
import * as vscode from 'vscode';

/** `relativePath` (e.g. `POLICY_PATH`) inside the folder at `folder`. */
export function omniFileUri(folder: vscode.Uri, relativePath: string): vscode.Uri {
  return vscode.Uri.joinPath(folder, ...relativePath.split(/[\\/]/));
}

/** Whether `uri` is `relativePath` inside the workspace folder that holds it. */
export function isOmniFile(uri: vscode.Uri, relativePath: string): boolean {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  return !!folder && omniFileUri(folder.uri, relativePath).toString() === uri.toString();
}

/** The open document of `uri` when it has unsaved edits: those are what the user sees, not the file on disk. */
export function unsavedDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((document) => document.isDirty && document.uri.toString() === uri.toString());
}

/**
 * Calls `changed` with the file's URI whenever `relativePath` may have changed in any workspace folder: the file
 * created, saved or deleted, and also its folder (`.omni`) deleted, renamed or created as a whole, which a watcher
 * on the file alone does not report. A copy deeper in the folder (a sub-project's `.omni`) is not the folder's own
 * file, so it is not reported.
 */
export function watchOmniFile(relativePath: string, changed: (uri: vscode.Uri) => void): vscode.Disposable {
  const parts = relativePath.split(/[\\/]/);
  const files = vscode.workspace.createFileSystemWatcher(`**/${parts.join('/')}`);
  // A folder deleted and made again at once (a script, `git checkout`) may reach the watcher as one change of it.
  const folders = vscode.workspace.createFileSystemWatcher(`**/${parts.slice(0, -1).join('/')}`);
  const fileChanged = (uri: vscode.Uri) => {
    if (isOmniFile(uri, relativePath)) changed(uri);
  };
  const fileIn = (folder: vscode.Uri) => fileChanged(vscode.Uri.joinPath(folder, parts[parts.length - 1]));
  return vscode.Disposable.from(
    files,
    folders,
    files.onDidCreate(fileChanged),
    files.onDidChange(fileChanged),
    files.onDidDelete(fileChanged),
    folders.onDidCreate(fileIn),
    folders.onDidChange(fileIn),
    folders.onDidDelete(fileIn),
  );
}
