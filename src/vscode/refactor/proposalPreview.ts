/**
 * Shows a proposed replacement for a selection as a diff of the whole file, with Apply and Discard. Apply is one
 * undoable edit and refuses to overwrite when the document changed since the proposal was made. A proposal lives as
 * long as its diff: closing the tab discards it, so no toast or button outlives what the user reviewed.
 */
import * as vscode from 'vscode';
import { fitIndentation, withSelectionLineEnd } from './proposedCode';

export const PROPOSAL_SCHEME = 'omni-proposal';

/** The selection a proposal replaces, as it was when the user asked: the answer may take a while, and the file may change. */
export interface SelectionSnapshot {
  target: vscode.Uri;
  range: vscode.Range;
  /** The whole document then, and where the selection sits in it. */
  text: string;
  offsets: { start: number; end: number };
  /** The file's indentation, for fitting the proposal's to it. */
  indent: { tabSize: number; insertSpaces: boolean };
}

/** The editor's selection as it is now. */
export function snapshotSelection(editor: vscode.TextEditor): SelectionSnapshot {
  return snapshotOf(editor.document, new vscode.Range(editor.selection.start, editor.selection.end));
}

/** `range` of `document` as it is now, with the indentation of an editor showing it (else of the settings). */
export function snapshotOf(document: vscode.TextDocument, range: vscode.Range): SelectionSnapshot {
  const settings = vscode.workspace.getConfiguration('editor', document);
  const options = vscode.window.visibleTextEditors.find((editor) => editor.document === document)?.options;
  // An editor's options hold numbers and booleans once read; 'auto' is only what an extension may set.
  const tabSize = typeof options?.tabSize === 'number' ? options.tabSize : settings.get<number>('tabSize', 4);
  const insertSpaces = typeof options?.insertSpaces === 'boolean' ? options.insertSpaces : settings.get<boolean>('insertSpaces', true);
  return {
    indent: { tabSize, insertSpaces },
    target: document.uri,
    range,
    text: document.getText(),
    offsets: { start: document.offsetAt(range.start), end: document.offsetAt(range.end) },
  };
}

interface Proposal extends SelectionSnapshot {
  proposed: string;
}

export type ApplyOutcome = 'applied' | 'changed' | 'missing';

/**
 * How a proposal ended: `closed` with its diff tab, `retried` when its answer was asked again, `replaced` by a newer
 * proposal for the same code or for a file changed since (whose Apply would be refused).
 */
type Ending = 'applied' | 'discarded' | 'closed' | 'retried' | 'replaced';

const AGAIN = ' To see it again, select the code and click Apply on the code block of its answer in the chat.';

/** What a toast or title-bar button that outlived its proposal tells the user. */
const GONE: Record<Ending, string> = {
  applied: 'Omni: that proposal was already applied. Undo in its file takes it back.',
  discarded: `Omni: that proposal was discarded.${AGAIN}`,
  closed: `Omni: that proposal was discarded when its diff was closed.${AGAIN}`,
  retried: `Omni: that proposal was closed when its answer was retried.${AGAIN}`,
  replaced: `Omni: that proposal was closed when a newer one for the same code opened.${AGAIN}`,
};

export class ProposalPreview implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly proposals = new Map<string, Proposal>();
  private readonly ended = new Map<string, Ending>();
  private readonly disposables: vscode.Disposable[];
  private next = 0;

  constructor() {
    this.disposables = [
      vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, this),
      // A diff moved to another group closes one tab and opens another: only the last tab of a proposal ends it.
      vscode.window.tabGroups.onDidChangeTabs(({ closed }) => {
        for (const id of new Set(closed.flatMap((tab) => proposalIdOfTab(tab) ?? []))) {
          if (this.tabsOf(id).length === 0) void this.end(id, 'closed');
        }
      }),
    ];
  }

  // Whole files, not the selection alone: the diff shows the change in its context, and a language service
  // sees valid code instead of reporting a method cut out of its class as syntax errors.
  provideTextDocumentContent(uri: vscode.Uri): string {
    const proposal = this.proposals.get(idOf(uri));
    if (!proposal) return '';
    const { text, offsets } = proposal;
    return uri.path.startsWith('/original/') ? text : text.slice(0, offsets.start) + proposal.proposed + text.slice(offsets.end);
  }

  /** Opens the diff of the file as it was in `snapshot` against the file with `proposed`; returns the id apply/discard take. */
  async show(snapshot: SelectionSnapshot, proposed: string, title: string): Promise<string> {
    await this.replaceOlder(snapshot);
    const id = `p${++this.next}`;
    const { text, offsets } = snapshot;
    const selected = text.slice(offsets.start, offsets.end);
    const linePrefix = text.slice(text.lastIndexOf('\n', offsets.start - 1) + 1, offsets.start);
    const fitted = fitIndentation(proposed, { selected, linePrefix, ...snapshot.indent });
    // Set here, so the diff shows exactly what Apply writes.
    this.proposals.set(id, { ...snapshot, proposed: withSelectionLineEnd(selected, fitted) });
    const name = snapshot.target.path.split('/').pop() ?? 'selection';
    const left = vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: `/original/${id}/${name}` });
    const right = vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: `/proposed/${id}/${name}` });
    // Not a preview tab: opening another file would replace it, and closing the diff discards the proposal.
    await vscode.commands.executeCommand('vscode.diff', left, right, `${title}: ${name} (original ↔ proposed)`, { preview: false });
    return id;
  }

  /** The id of the proposal shown in the active editor, if any. */
  activeId(): string | undefined {
    const uri = vscode.window.activeTextEditor?.document.uri;
    return uri?.scheme === PROPOSAL_SCHEME ? idOf(uri) : [...this.proposals.keys()].pop();
  }

  /** Replaces the selection with the proposal in one undoable edit, unless the document changed meanwhile. */
  async apply(id: string): Promise<ApplyOutcome> {
    const proposal = this.proposals.get(id);
    if (!proposal) return 'missing';
    // Opened, not looked up among the open documents: the user may have closed the file's tab since. A file deleted
    // since cannot be opened, and counts as changed.
    const document = await Promise.resolve(vscode.workspace.openTextDocument(proposal.target)).catch(() => undefined);
    if (!document || document.getText() !== proposal.text) return 'changed';
    const edit = new vscode.WorkspaceEdit();
    edit.replace(proposal.target, proposal.range, proposal.proposed);
    if (!(await vscode.workspace.applyEdit(edit))) return 'changed';
    await this.end(id, 'applied');
    // Back to the file, with the new code selected: the old selection's length would now cover other code.
    const lines = proposal.proposed.split('\n');
    const end = lines.length === 1 ? proposal.range.start.translate(0, lines[0].length) : new vscode.Position(proposal.range.start.line + lines.length - 1, lines.at(-1)!.length);
    await vscode.window.showTextDocument(document, { selection: new vscode.Range(proposal.range.start, end) });
    return 'applied';
  }

  /** `apply`, telling the user when nothing was written: the file changed, or the proposal is gone. */
  async applyAndReport(id: string | undefined): Promise<ApplyOutcome> {
    const outcome = id ? await this.apply(id) : 'missing';
    if (outcome === 'missing') this.reportGone(id);
    if (outcome === 'changed') {
      void vscode.window.showWarningMessage(
        'Omni: the file changed since the proposal was made, so nothing was overwritten. Run the command again on the new code.',
      );
    }
    return outcome;
  }

  /** Asks Apply or Discard without blocking the caller; once the proposal is gone, either button says how it went. */
  offerChoice(id: string, message: string): void {
    void vscode.window.showInformationMessage(message, 'Apply', 'Discard').then(async (choice) => {
      if (choice === 'Apply') await this.applyAndReport(id);
      else if (choice === 'Discard') {
        if (this.proposals.has(id)) await this.discard(id);
        else this.reportGone(id);
      }
    });
  }

  async discard(id: string, why: Exclude<Ending, 'applied'> = 'discarded'): Promise<void> {
    await this.end(id, why);
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
  }

  private reportGone(id: string | undefined): void {
    const ending = id === undefined ? undefined : this.ended.get(id);
    void vscode.window.showInformationMessage(ending ? GONE[ending] : 'Omni: no proposal is open. Refactor Selection, or Apply on a code block in the chat, opens one.');
  }

  private async end(id: string, why: Ending): Promise<void> {
    if (!this.proposals.delete(id)) return;
    this.ended.set(id, why);
    const ours = this.tabsOf(id);
    if (ours.length > 0) await vscode.window.tabGroups.close(ours);
  }

  /**
   * Closes the proposals a new one for `snapshot` supersedes: those for the same code, and those for its file that
   * Apply would refuse since the file changed. Left open, each looks as current as the new one.
   */
  private async replaceOlder(snapshot: SelectionSnapshot): Promise<void> {
    const target = snapshot.target.toString();
    const now = vscode.workspace.textDocuments.find((document) => document.uri.toString() === target)?.getText() ?? snapshot.text;
    // Ranges that only touch (one ends where the other starts) hold different code.
    const overlaps = (range: vscode.Range) => {
      const common = range.intersection(snapshot.range);
      return range.isEqual(snapshot.range) || (common !== undefined && !common.isEmpty);
    };
    const older = [...this.proposals].filter(([, proposal]) => proposal.target.toString() === target && (proposal.text !== now || overlaps(proposal.range)));
    for (const [id] of older) await this.end(id, 'replaced');
  }

  private tabsOf(id: string): vscode.Tab[] {
    return vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => proposalIdOfTab(tab) === id);
  }
}

function idOf(uri: vscode.Uri): string {
  return uri.path.split('/')[2] ?? '';
}

function proposalIdOfTab(tab: vscode.Tab): string | undefined {
  return tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.scheme === PROPOSAL_SCHEME ? idOf(tab.input.modified) : undefined;
}

/**
 * The proposal a command was run for: an id from Omni's own calls, or the diff's URI that the editor title buttons
 * pass; undefined for anything else (the command palette passes nothing), meaning the active proposal.
 */
export function proposalIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  return arg instanceof vscode.Uri && arg.scheme === PROPOSAL_SCHEME ? idOf(arg) : undefined;
}
