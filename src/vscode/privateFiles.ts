/**
 * What `privacy.localOnly` must know that the routing policy cannot see from file names alone: in a multi-root
 * workspace each folder's own policy decides for its files (a conversation may carry one from another folder), and
 * a symbolic link may lead into a private path under another name.
 */
import { isAbsolute, sep } from 'node:path';
import * as vscode from 'vscode';
import { pathIn, realPath } from '../core/files/paths';
import { localOnlyMatcher } from '../core/policy/privacy';
import type { Policy } from '../core/policy/schema';
import type { CarriedFile } from '../core/request';

/** A file whose content a request carries, as the chat records it: relative to `folder` (a URI), or absolute. */
export interface AskedFile {
  fileName: string;
  folder?: string;
  /** How the request carries it ("from earlier in this conversation"). */
  via: string;
}

/**
 * The files among `files` that the policy of the folder they really are in keeps on this machine, where the routing
 * policy (`routing`'s) would not see it: marked `localOnly`, so the core keeps the request local whatever its globs.
 */
export function localOnlyElsewhere(files: AskedFile[], routing: vscode.WorkspaceFolder | undefined, policyOf: (uri: vscode.Uri) => Policy): CarriedFile[] {
  const multiRoot = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
  return files.flatMap((file) => {
    const named = uriOf(file);
    if (!named) return [];
    const real = realUri(named);
    return (real ? [named, real] : [named]).flatMap((uri): CarriedFile[] => {
      const found = uri === named ? inFolder(uri) : inRealFolder(uri);
      if (!found) return [];
      const { folder, path } = found;
      const sameFolder = folder.uri.toString() === routing?.uri.toString();
      // The routing policy already matches the name the request carries in its own folder.
      if (sameFolder && uri === named) return [];
      if (!localOnlyMatcher(policyOf(folder.uri))(path)) return [];
      const via = uri === named ? file.via : `${file.fileName} links to it`;
      return [{ fileName: multiRoot && !sameFolder ? `${folder.name}/${path}` : path, via, localOnly: true }];
    });
  });
}

function inFolder(uri: vscode.Uri): { folder: vscode.WorkspaceFolder; path: string } | undefined {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  return folder && { folder, path: vscode.workspace.asRelativePath(uri, false) };
}

/** A real path is compared with the folders' real paths: a workspace opened through a link holds it too. */
function inRealFolder(uri: vscode.Uri): { folder: vscode.WorkspaceFolder; path: string } | undefined {
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const path = folder.uri.scheme === 'file' ? pathIn(realPath(folder.uri.fsPath), uri.fsPath) : undefined;
    if (path) return { folder, path: path.split(sep).join('/') };
  }
  return undefined;
}

function uriOf({ fileName, folder }: AskedFile): vscode.Uri | undefined {
  if (isAbsolute(fileName)) return vscode.Uri.file(fileName);
  return folder ? vscode.Uri.joinPath(vscode.Uri.parse(folder, true), fileName) : undefined;
}

/** The file a symbolic link (of the file or a folder above it) leads to; undefined when there is none. */
function realUri(uri: vscode.Uri): vscode.Uri | undefined {
  const real = uri.scheme === 'file' ? realPath(uri.fsPath) : undefined;
  return real === undefined || real === uri.fsPath ? undefined : vscode.Uri.file(real);
}
