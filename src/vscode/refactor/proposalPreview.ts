/**
 * Shows a proposed replacement for a selection as a diff of the whole file, with Apply and Discard. Apply is one
 * undoable edit and refuses to overwrite when the document changed since the proposal was made.
 */
import * as vscode from 'vscode';

export const PROPOSAL_SCHEME = 'omni-proposal';

/** The selection a proposal replaces, as it was when the user asked: the answer may take a while, and the file may change. */
export interface SelectionSnapshot {
  target: vscode.Uri;
  range: vscode.Range;
  /** The document version the proposal was made against. */
  version: number;
  /** The whole document then, and where the selection sits in it. */
  text: string;
  offsets: { start: number; end: number };
}

/** The editor's selection as it is now. */
export function snapshotSelection(editor: vscode.TextEditor): SelectionSnapshot {
  const { document, selection } = editor;
  const range = new vscode.Range(selection.start, selection.end);
  return {
    target: document.uri,
    range,
    version: document.version,
    text: document.getText(),
    offsets: { start: document.offsetAt(range.start), end: document.offsetAt(range.end) },
  };
}

interface Proposal extends SelectionSnapshot {
  proposed: string;
}

export type ApplyOutcome = 'applied' | 'changed' | 'missing';

export class ProposalPreview implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly proposals = new Map<string, Proposal>();
  private readonly disposables: vscode.Disposable[];
  private next = 0;

  constructor() {
    this.disposables = [vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, this)];
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
    const id = `p${++this.next}`;
    this.proposals.set(id, { ...snapshot, proposed });
    const name = snapshot.target.path.split('/').pop() ?? 'selection';
    const left = vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: `/original/${id}/${name}` });
    const right = vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: `/proposed/${id}/${name}` });
    await vscode.commands.executeCommand('vscode.diff', left, right, `${title}: ${name} (as asked ↔ proposed)`, { preview: true });
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
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === proposal.target.toString());
    const original = proposal.text.slice(proposal.offsets.start, proposal.offsets.end);
    if (!document || document.version !== proposal.version || document.getText(proposal.range) !== original) {
      return 'changed';
    }
    const edit = new vscode.WorkspaceEdit();
    edit.replace(proposal.target, proposal.range, proposal.proposed);
    if (!(await vscode.workspace.applyEdit(edit))) return 'changed';
    await this.close(id);
    // Back to the file, with the new code selected: the old selection's length would now cover other code.
    const lines = proposal.proposed.split('\n');
    const end = lines.length === 1 ? proposal.range.start.translate(0, lines[0].length) : new vscode.Position(proposal.range.start.line + lines.length - 1, lines.at(-1)!.length);
    await vscode.window.showTextDocument(document, { selection: new vscode.Range(proposal.range.start, end) });
    return 'applied';
  }

  /** `apply`, telling the user when nothing was written because the file changed. */
  async applyAndReport(id: string | undefined): Promise<ApplyOutcome> {
    const outcome = id ? await this.apply(id) : 'missing';
    if (outcome === 'missing') void vscode.window.showInformationMessage('Omni: that proposal was already applied or discarded.');
    if (outcome === 'changed') {
      void vscode.window.showWarningMessage(
        'Omni: the file changed since the proposal was made, so nothing was overwritten. Run the command again on the new code.',
      );
    }
    return outcome;
  }

  /** Asks Apply or Discard without blocking the caller. */
  offerChoice(id: string, message: string): void {
    void vscode.window.showInformationMessage(message, 'Apply', 'Discard').then(async (choice) => {
      if (choice === 'Apply') await this.applyAndReport(id);
      else if (choice === 'Discard') await this.discard(id);
    });
  }

  async discard(id: string): Promise<void> {
    await this.close(id);
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
  }

  private async close(id: string): Promise<void> {
    this.proposals.delete(id);
    const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs);
    const ours = tabs.filter((tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.scheme === PROPOSAL_SCHEME && idOf(tab.input.modified) === id);
    if (ours.length > 0) await vscode.window.tabGroups.close(ours);
  }
}

function idOf(uri: vscode.Uri): string {
  return uri.path.split('/')[2] ?? '';
}

/**
 * The proposal a command was run for: an id from Omni's own calls, or the diff's URI that the editor title buttons
 * pass; undefined for anything else (the command palette passes nothing), meaning the active proposal.
 */
export function proposalIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  return arg instanceof vscode.Uri && arg.scheme === PROPOSAL_SCHEME ? idOf(arg) : undefined;
}

/** The code a model proposed: the first fenced block of its answer, or the whole answer when it has none. */
export function extractCode(answer: string): string {
  const fence = /^(`{3,}|~{3,})[^\n]*\n([\s\S]*?)\n\1[ \t]*$/m.exec(answer);
  return fence ? fence[2] : answer.trim();
}
