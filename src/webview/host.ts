/** The webview's end of the VS Code bridge: validated messages in, typed messages out, and state that survives reloads. */
import { parseHostMessage, type HostMessage, type WebviewMessage } from '../protocol/messages';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** What the webview keeps across reloads: host messages to replay, plus the unsent draft. */
export interface SavedState {
  replay: HostMessage[];
  draft: string;
}

export interface HostBridge {
  post(message: WebviewMessage): void;
  /** Calls `handler` with each valid host message; invalid ones are logged and dropped. */
  listen(handler: (message: HostMessage) => void): void;
  loadState(): SavedState;
  saveState(state: SavedState): void;
}

/** Connects to VS Code; call once, as `acquireVsCodeApi` may only be called once. */
export function connectToHost(): HostBridge {
  const vscode = acquireVsCodeApi();
  return {
    post: (message) => vscode.postMessage(message),
    listen(handler) {
      window.addEventListener('message', (event: MessageEvent) => {
        const result = parseHostMessage(event.data);
        if (result.ok) handler(result.message);
        else console.warn(result.error);
      });
    },
    loadState() {
      // Saved by an older build, the state may no longer fit the protocol: keep what still parses.
      const saved = vscode.getState() as Partial<Record<keyof SavedState, unknown>> | undefined;
      const replay = Array.isArray(saved?.replay) ? saved.replay : [];
      return {
        replay: replay.flatMap((data) => {
          const result = parseHostMessage(data);
          return result.ok ? [result.message] : [];
        }),
        draft: typeof saved?.draft === 'string' ? saved.draft : '',
      };
    },
    saveState: (state) => vscode.setState(state),
  };
}
