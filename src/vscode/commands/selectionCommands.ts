/** Explain and Refactor Selection, and the code actions of answers (copy, insert at cursor, apply to selection). */
import * as vscode from 'vscode';
import { z } from 'zod';
import type { WebviewMessageOf } from '../../protocol/messages';
import type { ChatController } from '../chat/chatController';
import type { ChatViews } from '../chat/chatViews';
import { estimateTokens } from '../../core/text/tokens';
import { editorContext, workingEditor, workspaceFileName } from '../editorContext';
import { enclosingCode } from '../enclosingCode';
import { readSettings } from '../settings';
import { proposalIdOf, snapshotSelection, type ProposalPreview, type SelectionSnapshot } from '../refactor/proposalPreview';
import { RefactorAnswers } from '../refactor/refactorAnswers';

/** The argument of the Ctrl+Alt+E binding that applies in the Output panel (package.json). */
const fromOutputPanel = z.object({ from: z.literal('output') });

const DEFAULT_INSTRUCTION = 'improve readability and structure while keeping the behaviour';

export interface SelectionCommandDeps {
  controller: ChatController;
  views: ChatViews;
  preview: ProposalPreview;
}

export function registerSelectionCommands(deps: SelectionCommandDeps): vscode.Disposable[] {
  const { controller, views, preview } = deps;
  const refactorAnswers = new RefactorAnswers(preview, controller);

  /**
   * The editor with a selection small enough to send, or a message telling the user what to select. Without a
   * selection, the code around the cursor is selected (if small enough): the user sees what is sent, and Refactor's
   * Apply replaces it.
   */
  const selectedEditor = async (): Promise<vscode.TextEditor | undefined> => {
    const editor = workingEditor();
    if (!editor) {
      void vscode.window.showInformationMessage('Omni: open a file, then select some code or put the cursor inside a function.');
      return undefined;
    }
    const { maxSelectionTokens } = readSettings();
    const selections = editor.selections.length;
    // Only the primary selection is sent and replaced; the others go, as Escape takes them, so the editor shows
    // what is sent and what Apply replaces instead of cursors that nothing will touch.
    if (selections > 1) editor.selections = [editor.selection];
    let range: vscode.Range = editor.selection;
    let what = 'the selection';
    if (range.isEmpty) {
      const around = await enclosingCode(editor.document, editor.selection.active);
      if (!around) {
        void vscode.window.showInformationMessage('Omni: select some code, or put the cursor inside a function, first.');
        return undefined;
      }
      ({ range, what } = around);
    }
    // A Ctrl+A on a generated file would otherwise go out whole, at the price of hundreds of thousands of tokens.
    const tokens = estimateTokens(editor.document.getText(range));
    if (tokens > maxSelectionTokens) {
      const message =
        // "would take", not "is": `what` may be plural ("the lines around the cursor").
        `Omni: ${what} would take about ${tokens.toLocaleString('en-US')} tokens to send, over the ${maxSelectionTokens.toLocaleString('en-US')} ` +
        'of "omni.maxSelectionTokens". Select less, or raise the setting.';
      void vscode.window.showWarningMessage(message, 'Open Setting').then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'omni.maxSelectionTokens');
      });
      return undefined;
    }
    const taking = (which: string) => vscode.window.setStatusBarMessage(`Omni: taking ${which} (lines ${range.start.line + 1}–${range.end.line + 1})`, 5000);
    if (selections > 1) taking(`only the primary one of ${selections} selections`);
    if (editor.selection.isEmpty) {
      editor.selection = new vscode.Selection(range.start, range.end);
      editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
      taking(what);
    }
    return editor;
  };

  const where = (editor: vscode.TextEditor) => {
    const { start, end } = editor.selection;
    // Whole lines selected with Shift+Down end at column 0 of the next line, which holds nothing selected.
    const lastLine = end.character === 0 && end.line > start.line ? end.line - 1 : end.line;
    return `${workspaceFileName(editor.document.uri) ?? editor.document.fileName}:${start.line + 1}-${lastLine + 1}`;
  };

  /**
   * One answer at a time, as in the chat's composer: a second one would take the first's unfinished text as an
   * earlier turn. Given while an answer streams, the command is not dropped: it starts once the chat is free, with
   * the selection (and instruction) taken when it was given. The notice saying so goes by itself when it starts, as
   * a warning could not; Cancel drops the command, and stopping the answer in the chat starts it at once. Resolves
   * with what `start` returned, or undefined when cancelled.
   */
  const whenChatIsFree = async <T>(command: string, start: () => Promise<T>): Promise<T | undefined> => {
    // Checked and started in one step: a second waiting command must see this one's answer, not a free chat.
    while (controller.busy) {
      const waited = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: `Omni: ${command} starts when the answer streaming in the chat ends; stop that answer to start now.`,
          cancellable: true,
        },
        (_progress, token) =>
          new Promise<boolean>((resolve) => {
            token.onCancellationRequested(() => resolve(false));
            void controller.whenIdle().then(() => resolve(true));
          }),
      );
      if (!waited) return undefined;
    }
    return start();
  };

  return [
    refactorAnswers,
    vscode.commands.registerCommand('omni.explainSelection', async (source?: unknown) => {
      // Extensions cannot read the Output panel's selection: explaining the editor behind it would explain other code.
      // From the key binding the argument says so; from the palette, the Output panel is the active editor.
      if (fromOutputPanel.safeParse(source).success || vscode.window.activeTextEditor?.document.uri.scheme === 'output') return explainsOnlyEditors(views);
      const editor = await selectedEditor();
      if (!editor) return undefined;
      // The request and the policy that routes it come from this editor, whatever the user opens while the chat is busy.
      const context = editorContext('explain', true, editor);
      const around = context.surrounding;
      const surrounding =
        around && (around.before.trim() || around.after.trim())
          ? `\n\nFor context, the lines around it:\n\`\`\`\n${around.before}…selection…\n${around.after}\n\`\`\``
          : '';
      const request = {
        display: `Explain the selection (${where(editor)})`,
        prompt: `Explain what the selected code does and why, for a developer reading it.${surrounding}`,
        editor: context,
        resource: editor.document.uri,
      };
      await views.reveal();
      return whenChatIsFree('Explain Selection', () => controller.ask(request));
    }),

    // From the editor's context menu VS Code passes the document's URI as the first argument: only a string is an
    // instruction, anything else still asks for one.
    vscode.commands.registerCommand('omni.refactorSelection', async (instructionArg?: unknown) => {
      const editor = await selectedEditor();
      if (!editor) return undefined;
      const instruction =
        typeof instructionArg === 'string'
          ? instructionArg
          : await vscode.window.showInputBox({
              title: 'Omni: Refactor Selection',
              prompt: 'How should the selection change? Leave empty for a general clean-up.',
              placeHolder: DEFAULT_INSTRUCTION,
            });
      if (instruction === undefined) return undefined;
      // Taken before the answer streams: Apply must replace this code, or refuse if it changed meanwhile.
      const selected = snapshotSelection(editor);
      const request = {
        display: `Refactor the selection (${where(editor)}): ${instruction.trim() || DEFAULT_INSTRUCTION}`,
        prompt:
          `Refactor the selected code: ${instruction.trim() || DEFAULT_INSTRUCTION}. ` +
          'Answer with the complete replacement for the selection in one fenced code block, then at most three sentences on what changed.',
        editor: editorContext('refactor', true, editor),
        resource: editor.document.uri,
      };
      await views.reveal();
      const result = await whenChatIsFree('Refactor Selection', () => controller.ask(request));
      return result && refactorAnswers.propose(selected, result);
    }),

    vscode.commands.registerCommand('omni.applyProposal', (arg?: unknown) => preview.applyAndReport(proposalIdOf(arg) ?? preview.activeId())),
    vscode.commands.registerCommand('omni.discardProposal', async (arg?: unknown) => {
      const target = proposalIdOf(arg) ?? preview.activeId();
      if (target) await preview.discard(target);
    }),
  ];
}

/**
 * What the chat's code buttons do in the editor. Apply to Selection shows a diff first, never edits blind. Each
 * resolves to what happened, for the chat to tell screen-reader users.
 */
export function codeActions(preview: ProposalPreview) {
  return async (message: WebviewMessageOf<'copy' | 'insertAtCursor' | 'applyToSelection'>): Promise<string> => {
    if (message.type === 'copy') {
      await vscode.env.clipboard.writeText(message.code);
      return 'Code copied';
    }
    const editor = workingEditor();
    if (!editor) {
      void vscode.window.showInformationMessage('Omni: open a file in an editor first.');
      return 'No editor is open: nothing changed';
    }
    // A code block's text ends with a newline that is not part of the code.
    const code = message.code.replace(/\r?\n$/, '');
    if (message.type === 'insertAtCursor') {
      const at = editor.selection.active;
      const line = editor.document.lineAt(at.line).text;
      // On lines of its own: after the closing brace of a function Omni selected, "}export const…" breaks the file.
      const text = `${line.slice(0, at.character).trim() ? '\n' : ''}${code}${line.slice(at.character).trim() ? '\n' : ''}`;
      const version = editor.document.version;
      const inserted = (await editor.edit((edit) => edit.insert(at, text))) && editor.document.version !== version;
      return inserted ? `Code inserted in ${workspaceFileName(editor.document.uri) ?? editor.document.fileName}` : 'The editor is read-only: nothing changed';
    }
    // From a proposal's diff (it keeps the focus while the chat is in the side bar): the code replaces what that
    // proposal would, not text in the diff's read-only copy of the file.
    const selected = preview.selectionOf(editor.document.uri) ?? (await selectionToReplace(editor));
    if (!selected) {
      void vscode.window.showInformationMessage('Omni: select the code to replace, or put the cursor inside a function, first.');
      return 'Nothing is selected: nothing changed';
    }
    const id = await preview.show(selected, code, 'Apply');
    preview.offerChoice(id, 'Omni: review the change, then apply it.');
    return 'The change is open as a diff: review it, then apply or discard it';
  };
}

/** The editor's selection or, with only a cursor, the function around it (as Explain and Refactor take), selected. */
async function selectionToReplace(editor: vscode.TextEditor): Promise<SelectionSnapshot | undefined> {
  const around = editor.selection.isEmpty ? await enclosingCode(editor.document, editor.selection.active) : undefined;
  if (around) editor.selection = new vscode.Selection(around.range.start, around.range.end);
  return editor.selection.isEmpty ? undefined : snapshotSelection(editor);
}

/** Ctrl+Alt+E in the Output panel: says where Explain works, and how to ask about the output instead. */
async function explainsOnlyEditors(views: ChatViews): Promise<undefined> {
  const open = 'Open Chat';
  const choice = await vscode.window.showInformationMessage(
    'Omni: Explain Selection works on code in an editor, not in the Output panel. To ask about this output, copy it and paste it into the Omni chat.',
    open,
  );
  if (choice === open) await views.reveal({ focusComposer: true });
  return undefined;
}
