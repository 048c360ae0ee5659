// Wires Omni's adapters into VS Code. Each adapter owns its disposables; nothing else happens here.
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Omni', { log: true });
  context.subscriptions.push(
    log,
    vscode.commands.registerCommand('omni.showRoutingLog', () => log.show(true)),
  );
  log.info('Omni activated');
}

export function deactivate(): void {}
