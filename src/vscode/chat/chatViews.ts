/** Shows the chat in the Omni sidebar view and, on request, as an editor panel; both attach to one controller. */
import * as vscode from 'vscode';
import type { HostMessage } from '../../protocol/messages';
import type { ChatController } from './chatController';
import { chatHtml, chatWebviewOptions } from './webviewHtml';

export const CHAT_VIEW_ID = 'omni.chatView';
/** The chat as an editor tab; `onWebviewPanel:` of this type in package.json lets VS Code restore the tab after a reload. */
const CHAT_PANEL_TYPE = 'omni.chatPanel';

export class ChatViews implements vscode.WebviewViewProvider, vscode.Disposable {
  private panel?: vscode.WebviewPanel;
  private view?: vscode.WebviewView;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly controller: ChatController,
  ) {
    this.disposables.push(
      vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, this),
      vscode.window.registerWebviewPanelSerializer(CHAT_PANEL_TYPE, { deserializeWebviewPanel: async (panel) => this.adopt(panel) }),
    );
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    view.webview.options = chatWebviewOptions(this.extensionUri);
    view.webview.html = chatHtml(view.webview, this.extensionUri);
    const attached = this.controller.attach(view.webview);
    view.onDidDispose(() => {
      attached.dispose();
      this.view = undefined;
    });
  }

  /**
   * Reveals the chat where the user last saw it: the editor panel if open, else the sidebar view. With `focusComposer`
   * ("Omni: Open Chat") the cursor goes to the message box, so the user can type at once.
   */
  async reveal(options: { focusComposer?: boolean } = {}): Promise<void> {
    const focusComposer: HostMessage = { type: 'focusComposer' };
    if (this.panel) {
      this.panel.reveal(undefined, !options.focusComposer);
      if (options.focusComposer) void this.panel.webview.postMessage(focusComposer);
      return;
    }
    await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);
    // A view created just now focuses its message box as it loads; one that existed is told to.
    if (options.focusComposer) void this.view?.webview.postMessage(focusComposer);
  }

  /** Opens (or reveals) the chat as an editor tab. */
  openInEditor(): void {
    if (this.panel) {
      this.panel.reveal();
      return;
    }
    this.adopt(vscode.window.createWebviewPanel(CHAT_PANEL_TYPE, 'Omni Chat', vscode.ViewColumn.Beside, chatWebviewOptions(this.extensionUri)));
  }

  /** Makes `panel` (new, or restored by VS Code after a reload) the chat's editor tab. */
  private adopt(panel: vscode.WebviewPanel): void {
    if (this.panel) {
      // Only one chat tab: a second restored one (two windows' worth of state) closes.
      panel.dispose();
      return;
    }
    panel.webview.options = chatWebviewOptions(this.extensionUri);
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'omni.svg');
    panel.webview.html = chatHtml(panel.webview, this.extensionUri);
    const attached = this.controller.attach(panel.webview);
    panel.onDidDispose(() => {
      attached.dispose();
      this.panel = undefined;
    });
    this.panel = panel;
  }

  /** True when some chat webview exists (the sidebar view was resolved or the panel is open). */
  get isShown(): boolean {
    return !!this.view || !!this.panel;
  }

  dispose(): void {
    this.panel?.dispose();
    vscode.Disposable.from(...this.disposables).dispose();
  }
}
