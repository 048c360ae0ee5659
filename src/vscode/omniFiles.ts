/**
 * Omni's files inside a workspace folder (`.omni/…`). The core names them with the platform's path separator,
 * which URIs and file watcher globs do not take, so the adapters reach them through these two.
 */
import * as vscode from 'vscode';

/** `relativePath` (e.g. `POLICY_PATH`) inside the folder at `folder`. */
export function omniFileUri(folder: vscode.Uri, relativePath: string): vscode.Uri {
  return vscode.Uri.joinPath(folder, ...relativePath.split(/[\\/]/));
}

/** A watcher glob for `relativePath` in every workspace folder. */
export function omniFileGlob(relativePath: string): string {
  return `**/${relativePath.replace(/\\/g, '/')}`;
}
