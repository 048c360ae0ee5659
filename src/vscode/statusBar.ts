/**
 * The status bar item: the last route → model, a click opening the routing log; marked with a warning while the
 * policy that routes the active file has a problem (errors, Restricted Mode), a click then opening the Problems, or
 * while its file is gone (deleted, a folder in its place), a click then running "Omni: Create Policy" for its folder.
 */
import * as vscode from 'vscode';
import type { ActivePolicy } from './policyService';

export class RouteStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('omni.route', vscode.StatusBarAlignment.Right, 100);
  private lastRoute?: { route: string; model: string | undefined; policy?: string };
  private problem?: { text: string; click: string; command: vscode.Command };

  constructor() {
    this.item.name = 'Omni route';
    this.render();
    this.item.show();
  }

  /**
   * `model` undefined: the request was routed, and no model answered it. `policy` names the folder's policy that
   * routed it, in a multi-root workspace only.
   */
  show(route: string, model: string | undefined, policy?: string): void {
    this.lastRoute = { route, model, policy };
    this.render();
  }

  /** Follows the policy that routes the active file: its errors, Restricted Mode keeping it from applying, its file gone. */
  showPolicyState(active: Pick<ActivePolicy, 'warning' | 'restricted' | 'removed' | 'label' | 'folder'>): void {
    const problems = { title: 'Show Problems', command: 'workbench.actions.view.problems' };
    const text = active.warning ?? (active.restricted ? 'Restricted Mode keeps the workspace policy from applying' : undefined);
    this.problem = text
      ? { text, click: 'Click to show the problems.', command: problems }
      : active.removed
        ? {
            text: `${active.removed.problem}; the ${active.label} routes now`,
            click: 'Click to create it (Omni: Create Policy).',
            command: { title: 'Create Policy', command: 'omni.createPolicy', arguments: [undefined, active.folder?.uri] },
          }
        : undefined;
    this.render();
  }

  dispose(): void {
    this.item.dispose();
  }

  private render(): void {
    const routed = this.lastRoute ? `${this.lastRoute.route} → ${this.lastRoute.model ?? 'no answer'}` : 'Omni';
    const by = this.lastRoute?.policy ? ` by ${this.lastRoute.policy}` : '';
    const last = !this.lastRoute
      ? 'Omni: no request routed yet.'
      : this.lastRoute.model
        ? `Omni routed the last request${by} to ${routed}.`
        : `Omni routed the last request${by} to ${this.lastRoute.route}, and no model answered it (the chat says why).`;
    if (this.problem) {
      this.item.text = `$(warning) ${routed}`;
      this.item.tooltip = `${last}\nPolicy problem: ${this.problem.text}. ${this.problem.click}`;
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
      this.item.command = this.problem.command;
      this.item.accessibilityInformation = { label: `${this.spoken()}; policy problem: ${this.problem.text}` };
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
    const by = this.lastRoute.policy ? `, by ${this.lastRoute.policy}` : '';
    return `Omni: last route ${this.lastRoute.route}, ${this.lastRoute.model ? `model ${this.lastRoute.model}` : 'no model answered'}${by}`;
  }
}
