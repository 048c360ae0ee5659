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
  /** The document's language, which the diff takes too: a notebook cell's name ends in .ipynb, not its language's. */
  languageId: string;
  /** How many renames VS Code had reported then: only the later ones move `target`, not an older rename to its name. */
  renamesBefore: number;
}

/** Renames of files reported by VS Code so far, counted for every snapshot to note. */
let renamesSeen = 0;

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
    languageId: document.languageId,
    renamesBefore: renamesSeen,
    target: document.uri,
    range,
    text: document.getText(),
    offsets: { start: document.offsetAt(range.start), end: document.offsetAt(range.end) },
  };
}

interface Proposal extends SelectionSnapshot {
  proposed: string;
}

/** `missing`: the proposal is gone; `deleted`: its file is; `readonly`: its editor refuses edits. */
export type ApplyOutcome = 'applied' | 'changed' | 'missing' | 'deleted' | 'readonly';

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

/** What the toast of a proposal that ended as `why` tells the user, naming its file's rename: its diff still bears the old name. */
function goneMessage(why: Ending, asked: vscode.Uri, now: vscode.Uri): string {
  if (why !== 'replaced' || asked.toString() === now.toString()) return GONE[why];
  return `Omni: that proposal was for ${nameOf(asked)}, since renamed to ${nameOf(now)}; it was closed when a newer one for ${nameOf(now)} opened.${AGAIN}`;
}

export class ProposalPreview implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly proposals = new Map<string, Proposal>();
  /** What Apply or Discard on an ended proposal's toast says, by id. */
  private readonly ended = new Map<string, string>();
  /** Files renamed this session, in order: a proposal asked before a rename applies to the file under its new name. */
  private readonly renames: { from: string; to: string; seen: number }[] = [];
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
      vscode.workspace.onDidRenameFiles(({ files }) => {
        this.renames.push(...files.map(({ oldUri, newUri }) => ({ from: oldUri.toString(), to: newUri.toString(), seen: ++renamesSeen })));
        this.renames.splice(0, this.renames.length - MAX_RENAMES);
      }),
    ];
  }

  // Whole files, not the selection alone: the diff shows the change in its context, and a language service
  // sees valid code instead of reporting a method cut out of its class as syntax errors.
  provideTextDocumentContent(uri: vscode.Uri): string {
    const proposal = this.proposals.get(idOf(uri));
    if (!proposal) return '';
    const { text, offsets } = proposal;
    return sideOf(uri) === 'original' ? text : text.slice(0, offsets.start) + proposal.proposed + text.slice(offsets.end);
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
    // Its name now, when renamed while the answer streamed.
    const name = nameOf(this.renamed(snapshot));
    // The file's own path, as git's views of a file have it: a request asked from the diff names the file (for rules
    // and privacy globs), not a path of Omni's.
    const path = snapshot.target.path.startsWith('/') ? snapshot.target.path : `/${snapshot.target.path}`;
    const [left, right] = (['original', 'proposed'] as const).map((side) => vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path, query: `id=${id}&side=${side}` }));
    for (const side of [left, right]) {
      const document = await vscode.workspace.openTextDocument(side);
      if (document.languageId !== snapshot.languageId) await vscode.languages.setTextDocumentLanguage(document, snapshot.languageId);
    }
    // Not a preview tab: opening another file would replace it, and closing the diff discards the proposal.
    await vscode.commands.executeCommand('vscode.diff', left, right, `${title}: ${name} (original ↔ proposed)`, { preview: false });
    return id;
  }

  /** The selection that the proposal shown by `uri` (either side of its diff) replaces, if it is one of the open proposals. */
  selectionOf(uri: vscode.Uri): SelectionSnapshot | undefined {
    const proposal = uri.scheme === PROPOSAL_SCHEME ? this.proposals.get(idOf(uri)) : undefined;
    return proposal && { ...proposal, target: this.renamed(proposal), renamesBefore: renamesSeen };
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
    const target = this.renamed(proposal);
    // A deleted file's document stays open a while: edited, its file would come back on the next save.
    if (await isDeleted(target)) return 'deleted';
    // Opened, not looked up among the open documents: the user may have closed the file's tab since.
    const document = await Promise.resolve(vscode.workspace.openTextDocument(target)).catch(() => undefined);
    if (!document) return 'deleted';
    if (document.getText() !== proposal.text) return 'changed';
    const editor = await vscode.window.showTextDocument(document);
    const version = document.version;
    if (document.uri.scheme === 'vscode-notebook-cell') {
      // A cell is edited through its notebook: an edit through the cell's own editor came back done and changed nothing.
      const edit = new vscode.WorkspaceEdit();
      edit.replace(target, proposal.range, proposal.proposed);
      await vscode.workspace.applyEdit(edit);
    } else {
      // In the file's editor, as typing would be: a WorkspaceEdit also writes into an editor the user made read-only
      // (File: Set Active Editor Read-only in Session, "files.readonlyInclude"), where this edit changes nothing.
      await Promise.resolve(editor.edit((edit) => edit.replace(proposal.range, proposal.proposed))).catch(() => false);
    }
    if (document.version === version) return 'readonly';
    await this.end(id, 'applied');
    // The new code selected: the old selection's length would now cover other code.
    const lines = proposal.proposed.split('\n');
    const end = lines.length === 1 ? proposal.range.start.translate(0, lines[0].length) : new vscode.Position(proposal.range.start.line + lines.length - 1, lines.at(-1)!.length);
    editor.selection = new vscode.Selection(proposal.range.start, end);
    editor.revealRange(editor.selection);
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
    const proposal = id === undefined ? undefined : this.proposals.get(id);
    const name = proposal && nameOf(this.renamed(proposal));
    if (outcome === 'deleted') {
      void vscode.window.showWarningMessage(`Omni: ${name} was deleted (or renamed outside VS Code) since the proposal was made, so nothing was written. Restore it and Apply again, or discard the proposal.`);
    }
    if (outcome === 'readonly') {
      void vscode.window.showWarningMessage(
        `Omni: ${name} is read-only in this window, so the proposal was not applied. Make it writeable (File: Set Active Editor ` +
          'Writeable in Session, or the "files.readonlyInclude" setting), then Apply again.',
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
    void vscode.window.showInformationMessage(ending ?? 'Omni: no proposal is open. Refactor Selection, or Apply on a code block in the chat, opens one.');
  }

  private async end(id: string, why: Ending): Promise<void> {
    const proposal = this.proposals.get(id);
    if (!proposal) return;
    this.proposals.delete(id);
    this.ended.set(id, goneMessage(why, proposal.target, this.renamed(proposal)));
    const ours = this.tabsOf(id);
    if (ours.length > 0) await vscode.window.tabGroups.close(ours);
  }

  /**
   * Closes the proposals a new one for `snapshot` supersedes: those for the same code, and those for its file that
   * Apply would refuse since the file changed. Left open, each looks as current as the new one.
   */
  private async replaceOlder(snapshot: SelectionSnapshot): Promise<void> {
    // By the files' names now: an older proposal for a file renamed since is for the same file.
    const target = this.renamed(snapshot).toString();
    const now = vscode.workspace.textDocuments.find((document) => document.uri.toString() === target)?.getText() ?? snapshot.text;
    // Ranges that only touch (one ends where the other starts) hold different code.
    const overlaps = (range: vscode.Range) => {
      const common = range.intersection(snapshot.range);
      return range.isEqual(snapshot.range) || (common !== undefined && !common.isEmpty);
    };
    const older = [...this.proposals].filter(([, proposal]) => this.renamed(proposal).toString() === target && (proposal.text !== now || overlaps(proposal.range)));
    for (const [id] of older) await this.end(id, 'replaced');
  }

  /** The snapshot's file under the name the renames since it was taken have given it (its folder's renames included). */
  private renamed({ target, renamesBefore }: SelectionSnapshot): vscode.Uri {
    let at = target.toString();
    for (const { from, to, seen } of this.renames) {
      if (seen > renamesBefore && (at === from || at.startsWith(`${from}/`))) at = to + at.slice(from.length);
    }
    return at === target.toString() ? target : vscode.Uri.parse(at);
  }

  private tabsOf(id: string): vscode.Tab[] {
    return vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => proposalIdOfTab(tab) === id);
  }
}

/** Renames remembered for proposals asked before them; a session seldom has this many. */
const MAX_RENAMES = 100;

/** The file's name, for titles and messages; a notebook cell's says which cell of its notebook it is. */
function nameOf(uri: vscode.Uri): string {
  const file = uri.path.split('/').pop() || uri.path;
  if (uri.scheme !== 'vscode-notebook-cell') return file;
  const cell = vscode.workspace.notebookDocuments.flatMap((notebook) => notebook.getCells()).find((each) => each.document.uri.toString() === uri.toString());
  return cell ? `${file}, cell ${cell.index + 1}` : file;
}

function idOf(uri: vscode.Uri): string {
  return new URLSearchParams(uri.query).get('id') ?? '';
}

function sideOf(uri: vscode.Uri): string | null {
  return new URLSearchParams(uri.query).get('side');
}

/** Whether the file of `uri` is known to be gone; documents without a file (untitled, a notebook's cell) are not. */
async function isDeleted(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return false;
  } catch (error) {
    return error instanceof vscode.FileSystemError && error.code === 'FileNotFound';
  }
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
