/**
 * The status bar item: the last route → model, a click opening the routing log; marked with a warning while the
 * policy that routes the active file has a problem (errors, Restricted Mode), a click then opening the Problems.
 */
import * as vscode from 'vscode';
import type { ActivePolicy } from './policyService';

export class RouteStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('omni.route', vscode.StatusBarAlignment.Right, 100);
  private lastRoute?: { route: string; model: string | undefined };
  private problem?: string;

  constructor() {
    this.item.name = 'Omni route';
    this.render();
    this.item.show();
  }

  /** `model` undefined: the request was routed, and no model answered it. */
  show(route: string, model: string | undefined): void {
    this.lastRoute = { route, model };
    this.render();
  }

  /** Follows the policy that routes the active file: its errors, or Restricted Mode keeping it from applying. */
  showPolicyState(active: Pick<ActivePolicy, 'warning' | 'restricted'>): void {
    this.problem = active.warning ?? (active.restricted ? 'Restricted Mode keeps the workspace policy from applying' : undefined);
    this.render();
  }

  dispose(): void {
    this.item.dispose();
  }

  private render(): void {
    const routed = this.lastRoute ? `${this.lastRoute.route} → ${this.lastRoute.model ?? 'no answer'}` : 'Omni';
    const last = !this.lastRoute
      ? 'Omni: no request routed yet.'
      : this.lastRoute.model
        ? `Omni routed the last request to ${routed}.`
        : `Omni routed the last request to ${this.lastRoute.route}, and no model answered it (the chat says why).`;
    if (this.problem) {
      this.item.text = `$(warning) ${routed}`;
      this.item.tooltip = `${last}\nPolicy problem: ${this.problem}. Click to show the problems.`;
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
      this.item.command = 'workbench.actions.view.problems';
      this.item.accessibilityInformation = { label: `${this.spoken()}; policy problem: ${this.problem}` };
    } else {
      this.item.text = `$(sparkle) ${routed}`;
      this.item.tooltip = `${last} Click to show the routing log.`;
      this.item.backgroundColor = undefined;
      this.item.command = 'omni.showRoutingLog';
      this.item.accessibilityInformation = { label: this.lastRoute ? this.spoken() : 'Omni' };
    }
  }

  /** The route in words for a screen reader, which would read the arrow of the item's text as "right arrow". */
  private spoken(): string {
    if (!this.lastRoute) return 'Omni: no request routed yet';
    return `Omni: last route ${this.lastRoute.route}, ${this.lastRoute.model ? `model ${this.lastRoute.model}` : 'no model answered'}`;
  }
}
