/**
 * Omni's files inside a workspace folder (`.omni/…`). The core names them with the platform's path separator,
 * which URIs and file watcher globs do not take, so the adapters reach them through these.
 */
import { readlink, realpath } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
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

/**
 * Where the file at `uri` (inside the workspace folder `folder`) really is, when a symbolic link (a linked `.omni`
 * folder, or a linked file) puts it outside the path VS Code watches; undefined when it is where its path says.
 */
async function linkedLocation(folder: vscode.Uri, uri: vscode.Uri): Promise<string | undefined> {
  if (uri.scheme !== 'file') return undefined;
  try {
    const real = await realLocation(uri.fsPath);
    return real === join(await realpath(folder.fsPath), relative(folder.fsPath, uri.fsPath)) ? undefined : real;
  } catch {
    return undefined;
  }
}

/** A missing file is placed where it would be created: a checkout deletes a file and writes it again, which must be seen. */
async function realLocation(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    const target = await readlink(path).then((link) => resolve(dirname(path), link), () => path);
    return join(await realpath(dirname(target)), basename(target));
  }
}

/**
 * Watches, per workspace folder, the real location of a linked file: VS Code's file watcher does not follow
 * symbolic links, so an edit made there (`git pull`, another editor, a script) would reach no workspace watcher.
 */
export class LinkedFileWatchers implements vscode.Disposable {
  private readonly watched = new Map<string, { path: string; watcher: vscode.Disposable }>();

  /**
   * Watches where `file` of `folder` really is, if a link takes it elsewhere, replacing the watcher of a link since
   * re-pointed or removed. Call it after every read: the workspace watcher sees a link created, re-pointed or removed
   * as a change of `.omni` or of the file.
   */
  async follow(folder: vscode.Uri, file: vscode.Uri, changed: () => void): Promise<void> {
    const key = folder.toString();
    const path = await linkedLocation(folder, file);
    if (this.watched.get(key)?.path === path) return;
    this.forget(key);
    if (path === undefined) return;
    // A pattern based outside the workspace folders is watched on its own, without recursion.
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(dirname(path)), basename(path)));
    this.watched.set(key, {
      path,
      watcher: vscode.Disposable.from(watcher, watcher.onDidCreate(changed), watcher.onDidChange(changed), watcher.onDidDelete(changed)),
    });
  }

  /** Stops watching for `key`, a workspace folder's URI (the folder was closed). */
  forget(key: string): void {
    this.watched.get(key)?.watcher.dispose();
    this.watched.delete(key);
  }

  dispose(): void {
    for (const key of [...this.watched.keys()]) this.forget(key);
  }
}
