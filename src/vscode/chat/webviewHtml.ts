/** The chat webview for VS Code: the shared HTML shell with a fresh nonce, loading only the bundle from `media/`. */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { webviewHtml } from '../../protocol/webviewHtml';

/** Options for any webview that shows the chat: scripts on, and files only from `media/`. */
export function chatWebviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')] };
}

export function chatHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const media = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', file)).toString();
  return webviewHtml({
    cspSource: webview.cspSource,
    nonce: randomBytes(16).toString('base64'),
    scriptUri: media('webview.js'),
    styleUri: media('webview.css'),
  });
}
