/** The status bar item: the last route → model; a click opens the routing log. */
import * as vscode from 'vscode';

export class RouteStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('omni.route', vscode.StatusBarAlignment.Right, 100);

  constructor() {
    this.item.name = 'Omni route';
    this.item.command = 'omni.showRoutingLog';
    this.item.text = '$(sparkle) Omni';
    this.item.tooltip = 'Omni: no request routed yet. Click to show the routing log.';
    this.item.show();
  }

  show(route: string, model: string): void {
    this.item.text = `$(sparkle) ${route} → ${model}`;
    this.item.tooltip = `Omni routed the last request to ${route} → ${model}. Click to show the routing log.`;
    this.item.accessibilityInformation = { label: `Omni: last route ${route}, model ${model}` };
  }

  dispose(): void {
    this.item.dispose();
  }
}
