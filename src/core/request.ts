/** What a user asks, with the editor facts the router may use. Shared by the CLI, the extension and the tests. */

export type OmniCommand = 'chat' | 'explain' | 'refactor';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** The few editor facts the core needs; the extension and the CLI both fill it, so the core never asks VS Code. */
export interface EditorContext {
  /** VS Code language id of the active file, e.g. `python`. */
  languageId?: string;
  /** Workspace-relative path of the active file, with `/` separators. */
  fileName?: string;
  /** The selected text, if any. */
  selection?: string;
  /** Which Omni entry point sent the request. */
  command?: OmniCommand;
}

export interface OmniRequest {
  /** Oldest first; the last message is the latest user turn. */
  messages: ChatMessage[];
  editor?: EditorContext;
  /**
   * Workspace-relative files the earlier turns were asked from: their content may be in `messages` (a selection, an
   * answer quoting it), so `privacy.localOnly` covers them as it covers `editor.fileName`.
   */
  earlierFiles?: string[];
}

/** The latest user turn's text, or '' when there is none. */
export function latestUserText(request: OmniRequest): string {
  for (let i = request.messages.length - 1; i >= 0; i--) {
    const message = request.messages[i];
    if (message.role === 'user') return message.content;
  }
  return '';
}
