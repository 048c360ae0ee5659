/**
 * The chat webview's HTML shell and its Content Security Policy, shared by the extension host and the test harness
 * so both load the bundle under the same rules. No `vscode` import: the host passes `webview.cspSource` and URIs.
 */

export interface WebviewHtmlOptions {
  /** `webview.cspSource`: the origin the bundle and stylesheet load from. */
  cspSource: string;
  /** A fresh random value per page load, e.g. 16 random bytes in base64 or hex. */
  nonce: string;
  /** `webview.asWebviewUri(…/media/webview.js)`, as a string. */
  scriptUri: string;
  /** `webview.asWebviewUri(…/media/webview.css)`, as a string. */
  styleUri: string;
}

/** Scripts only with the nonce, styles/fonts only from the extension, images only from it or `data:`; nothing else. */
export function webviewCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
  ].join('; ');
}

function attribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** The full HTML document for the chat webview. */
export function webviewHtml({ cspSource, nonce, scriptUri, styleUri }: WebviewHtmlOptions): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attribute(webviewCsp(cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attribute(styleUri)}">
<title>Omni</title>
</head>
<body>
<script nonce="${attribute(nonce)}" src="${attribute(scriptUri)}"></script>
</body>
</html>
`;
}
