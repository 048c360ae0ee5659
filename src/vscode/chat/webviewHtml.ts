/** The chat webview's HTML: a strict Content-Security-Policy with a fresh nonce, and only the bundled script and styles. */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** Options for any webview that shows the chat: scripts on, and files only from `media/`. */
export function chatWebviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')] };
}

export function chatHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const media = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', file)).toString();
  // No connect-src: the page cannot reach the network; model output is untrusted.
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${media('webview.css')}">
<title>Omni</title>
</head>
<body>
<script nonce="${nonce}" src="${media('webview.js')}"></script>
</body>
</html>`;
}
