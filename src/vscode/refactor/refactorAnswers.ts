/**
 * Turns Refactor Selection's answers into proposals by one set of rules, for the first answer and for each Retry
 * with… of it: an answer cut short makes none, and a retry's proposal takes the place of the one it retried, so no
 * diff of an older answer stays open as if it were the latest.
 */
import * as vscode from 'vscode';
import type { AskResult, ChatController } from '../chat/chatController';
import type { ProposalPreview, SelectionSnapshot } from './proposalPreview';
import type { EditorContext } from '../../core/request';
import { findAskedSelection } from './askedSelection';
import { extractCode } from './proposedCode';

/** Each holds a copy of its file: the oldest are forgotten (their retries then look for their code again) rather than kept all session. */
const REMEMBERED = 20;

/** One refactoring asked for: the selection it replaces, and the proposal open for its latest answer. */
interface Refactoring {
  selection: SelectionSnapshot;
  proposal?: string;
}

export class RefactorAnswers implements vscode.Disposable {
  /** Refactor requests of this window and their retries, by request id; a retry shares its original's entry. */
  private readonly requests = new Map<string, Refactoring>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly preview: ProposalPreview, controller: ChatController) {
    this.subscription = controller.onDidRetry(({ retryOf, requestId, editor, answered }) => {
      const refactoring = this.requests.get(retryOf);
      if (!refactoring) {
        if (editor.command === 'refactor') void this.retryForgotten(requestId, editor, answered);
        return;
      }
      this.remember(requestId, refactoring);
      // Closed now: while the new answer streams, the old diff's Apply would write an answer the user asked to replace.
      if (refactoring.proposal) void this.preview.discard(refactoring.proposal, 'retried');
      void answered.then((result) => this.open(refactoring, result));
    });
  }

  /** Opens the proposal of the refactor answer `result` for `selection`; returns its id, or undefined when it made none. */
  async propose(selection: SelectionSnapshot, result: AskResult): Promise<string | undefined> {
    const refactoring: Refactoring = { selection };
    this.remember(result.requestId, refactoring);
    return this.open(refactoring, result);
  }

  dispose(): void {
    this.subscription.dispose();
  }

  private remember(requestId: string, refactoring: Refactoring): void {
    this.requests.set(requestId, refactoring);
    for (const oldest of this.requests.keys()) {
      if (this.requests.size <= REMEMBERED) break;
      this.requests.delete(oldest);
    }
  }

  /**
   * A retry of a refactoring this window does not remember (asked before a reload, or among the oldest): its code is
   * looked up in the file as it is now, and the user is told when it is not there to make a diff against.
   */
  private async retryForgotten(requestId: string, editor: EditorContext, answered: Promise<AskResult>): Promise<void> {
    const found = await findAskedSelection(editor);
    if (typeof found !== 'string') {
      const refactoring: Refactoring = { selection: found };
      this.remember(requestId, refactoring);
      await this.open(refactoring, await answered);
    } else if (this.proposedCode(await answered) !== undefined) {
      void vscode.window.showInformationMessage(found);
    }
  }

  private async open(refactoring: Refactoring, result: AskResult): Promise<string | undefined> {
    const code = this.proposedCode(result);
    if (code === undefined) return undefined;
    refactoring.proposal = await this.preview.show(refactoring.selection, code, 'Refactor');
    this.preview.offerChoice(refactoring.proposal, 'Omni: the refactoring proposal is open as a diff.');
    return refactoring.proposal;
  }

  /** The code `result` proposes; none from a cut-off answer or one without a code block, and the user is told why. */
  private proposedCode(result: AskResult): string | undefined {
    // A failed or stopped answer says so in the chat.
    if (!result.ok) return undefined;
    const retry = 'use Retry with… under the answer to ask another model; its proposal opens as a diff.';
    // Its code may end mid-function, or the prose and fences after an unclosed block would be taken for code.
    if (result.incomplete) {
      void vscode.window.showWarningMessage(`Omni: ${result.incomplete}, so no proposal was made. Select less code and refactor again, or ${retry}`);
      return undefined;
    }
    const code = extractCode(result.text);
    if (code === undefined) void vscode.window.showWarningMessage(`Omni: the answer has no code block, so no proposal was made. Refactor again with a clearer instruction, or ${retry}`);
    return code;
  }
}
