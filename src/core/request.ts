/** What a user asks, with the editor facts the router may use. Shared by the CLI, the extension and the tests. */

export type OmniCommand = 'chat' | 'explain' | 'refactor';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
  /**
   * For an earlier user turn: the workspace-relative file it was asked from. Its content may be in this turn (a
   * selection) and in the answers after it, so `privacy.localOnly` covers it. Never sent to a model.
   */
  fileName?: string;
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
  /** Other files whose content the request carries, which `privacy.localOnly` covers as it covers `editor.fileName`. */
  carriedFiles?: CarriedFile[];
}

export interface CarriedFile {
  /** Workspace-relative, with `/` separators. */
  fileName: string;
  /** How the request carries it, to end "secrets/key.env (…) may only go to…": "the --selection-file". */
  via: string;
  /**
   * Already found local-only by the policy that covers it (another workspace folder's, in a multi-root workspace):
   * kept local whatever the routing policy's own globs say.
   */
  localOnly?: boolean;
}

/** The latest user turn's text, or '' when there is none. */
export function latestUserText(request: OmniRequest): string {
  for (let i = request.messages.length - 1; i >= 0; i--) {
    const message = request.messages[i];
    if (message.role === 'user') return message.content;
  }
  return '';
}
