/** Reads the editor facts the core needs (language, file, selection) from VS Code, so the core never asks VS Code. */
import * as vscode from 'vscode';
import type { EditorContext, OmniCommand } from '../core/request';

/** Lines of context around a selection given to Explain, so the model sees where the code sits. */
const SURROUNDING_LINES = 5;

export interface SelectionContext extends EditorContext {
  /** A few lines before and after the selection, for Explain. */
  surrounding?: { before: string; after: string };
}

let lastActive: vscode.TextEditor | undefined;

/** Remembers the text editor the user last worked in; `workingEditor` needs it while the chat has focus. */
export function trackWorkingEditor(): vscode.Disposable {
  lastActive = vscode.window.activeTextEditor;
  return vscode.window.onDidChangeActiveTextEditor((editor) => {
    if (editor && isWorkEditor(editor)) lastActive = editor;
  });
}

/**
 * The text editor the user works in: the active one or, while a webview has focus (the chat in an editor tab), the
 * one they used last if it is still visible. Without this, a request from that chat lost its file and language, and
 * in a multi-root workspace went by the first folder's policy.
 */
export function workingEditor(): vscode.TextEditor | undefined {
  const visible = vscode.window.visibleTextEditors.filter(isWorkEditor);
  const active = vscode.window.activeTextEditor;
  return (active && isWorkEditor(active) ? active : undefined) ?? visible.find((editor) => editor === lastActive) ?? visible[0];
}

/** The Output panel is a text editor too; its channel name is no file the user works in. */
function isWorkEditor(editor: vscode.TextEditor): boolean {
  return editor.document.uri.scheme !== 'output';
}

/**
 * A document's path as rules and privacy globs see it: workspace-relative. Views of a file under another scheme (the
 * saved side of "Compare with Saved", a side of a git diff) carry the file's path and count as that file; taken as
 * they are, they came out absolute and no workspace glob (`privacy.localOnly` included) matched them.
 */
export function workspaceFileName(uri: vscode.Uri): string | undefined {
  if (uri.scheme === 'untitled') return undefined;
  return vscode.workspace.asRelativePath(fileOfView(uri), false);
}

/**
 * The workspace folder of the file a document shows, a view of it under another scheme included: in a multi-root
 * workspace a git diff's side of beta/b.py is routed by beta's policy, not the first folder's.
 */
export function workspaceFolderOf(uri: vscode.Uri): vscode.WorkspaceFolder | undefined {
  return uri.scheme === 'untitled' ? undefined : vscode.workspace.getWorkspaceFolder(fileOfView(uri));
}

/** The file a view shows (the path under the workspace's scheme), or `uri` itself when it is in a folder already. */
function fileOfView(uri: vscode.Uri): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (vscode.workspace.getWorkspaceFolder(uri) || !folder || !uri.path.startsWith('/')) return uri;
  return uri.with({ scheme: folder.scheme, authority: folder.authority, query: '', fragment: '' });
}

/**
 * `editor`'s context (the working editor's by default); the selection only when `withSelection` (a chat message does
 * not send it unasked).
 */
export function editorContext(command: OmniCommand, withSelection: boolean, editor = workingEditor()): SelectionContext {
  if (!editor) return { command };
  const { document, selection } = editor;
  const context: SelectionContext = {
    command,
    languageId: document.languageId,
    fileName: workspaceFileName(document.uri),
  };
  if (withSelection && !selection.isEmpty) {
    context.selection = document.getText(selection);
    const before = new vscode.Range(Math.max(0, selection.start.line - SURROUNDING_LINES), 0, selection.start.line, 0);
    const afterEnd = Math.min(document.lineCount - 1, selection.end.line + SURROUNDING_LINES);
    const after = new vscode.Range(selection.end.line + 1, 0, afterEnd, document.lineAt(afterEnd).text.length);
    context.surrounding = { before: document.getText(before), after: selection.end.line + 1 <= afterEnd ? document.getText(after) : '' };
  }
  return context;
}
