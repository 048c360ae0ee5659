/** What Omni says when something needs a workspace folder and none is open. */
import * as vscode from 'vscode';

const OPEN_FOLDER = 'Open Folder…';

/** Shows `message` with a button to VS Code's folder picker, so the message is no dead end. */
export function showOpenFolderFirst(message: string): void {
  void vscode.window.showInformationMessage(message, OPEN_FOLDER).then((choice) => {
    // Without a URI, VS Code asks for the folder (its own dialog, as File > Open Folder… does).
    if (choice === OPEN_FOLDER) void vscode.commands.executeCommand('vscode.openFolder');
  });
}
