/**
 * Keeps the policy of each workspace folder: reloads it when the file changes, shows its problems in the
 * Problems panel at their exact place, and keeps routing with the last valid policy while the file is broken.
 */
import * as vscode from 'vscode';
import { LineIndex, type PolicyDiagnostic } from '../core/policy/diagnostics';
import { POLICY_PATH } from '../core/policy/load';
import { MAX_POLICY_SIZE, parsePolicy, parsePolicyBytes, tooLargePolicy, type ParseOptions, type PolicyParseResult } from '../core/policy/parse';
import type { Policy } from '../core/policy/schema';
import { defaultPolicy } from '../core/policy/templates';
import { readFileUpTo } from '../core/storage/readFileUpTo';
import { workspaceFolderOf } from './editorContext';
import { isOmniFile, LinkedFileWatchers, omniFileUri, unsavedDocument, watchOmniFile } from './omniFiles';
import { PerKeyQueue } from './perKeyQueue';
import { POLICY_DIAGNOSTIC_SOURCE } from './policyQuickFix';
import type { ProviderService } from './providerService';

export interface ActivePolicy {
  policy: Policy;
  /** What to call it in messages: a workspace-relative path or "built-in default policy". */
  label: string;
  /** The file, when the policy comes from the workspace. */
  uri?: vscode.Uri;
  /** Set when the file has errors and an earlier valid version keeps routing; says what to fix. */
  warning?: string;
  /** True when Restricted Mode keeps the workspace policy from applying. */
  restricted: boolean;
  /**
   * Set when the policy file was deleted while the window was open (routing changed under the user), or a folder
   * stands where it belongs: what happened to it, and how to get a policy back.
   */
  removed?: { problem: string; fix: string };
  /** The workspace folder the request belongs to, whether or not it has a policy. */
  folder?: vscode.WorkspaceFolder;
}

interface FolderState {
  lastGood?: Policy;
  hasFile: boolean;
  /** The saved text this state was read from (unset when the file was too large to read, or missing). */
  text?: string;
  errors: number;
  /** Why there is no file: deleted while the window was open, or a folder in its place. */
  gone?: 'deleted' | 'folder';
  /** The saved file has errors, and the unsaved text in its editor has none: saving applies the fix. */
  fixedUnsaved?: boolean;
}

const BUILT_IN = 'built-in default policy';

/** When a read of the policy applies: always, or only when the saved text differs from the one loaded. */
type Reload = 'always' | 'if changed';

export class PolicyService implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after any folder's policy (or the trust state) changed. */
  readonly onDidChange = this.changed.event;
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('omni-policy');
  private readonly folders = new Map<string, FolderState>();
  /** One read of a folder's policy at a time: with two saves in flight, the older read must not land last. */
  private readonly reads = new PerKeyQueue();
  /** The real location of each folder's policy where a symbolic link takes it out of the workspace watcher's sight. */
  private readonly links = new LinkedFileWatchers();
  private readonly disposables: vscode.Disposable[] = [this.changed, this.diagnostics, this.links];

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly providers: ProviderService,
  ) {
    this.disposables.push(
      watchOmniFile(POLICY_PATH, (uri) => void this.reloadFolderOf(uri, 'if changed')),
      // The file watcher does not follow symbolic links: a save through a linked `.omni` folder (or file) reaches no
      // watcher, so a save in the editor is applied whether or not one reports it. Where one does, the second of the
      // two reads finds the text already loaded and changes nothing.
      vscode.workspace.onDidSaveTextDocument((document) => void this.reloadFolderOf(document.uri, 'if changed')),
      // Unsaved edits get diagnostics as the user types; the policy itself changes when the file is saved.
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (this.isPolicyFile(event.document.uri)) this.showUnsaved(event.document);
      }),
      // Who reports syntax errors depends on whether an editor shows the file (see setDiagnostics).
      vscode.window.tabGroups.onDidChangeTabs(({ opened, closed }) => {
        for (const tab of [...opened, ...closed]) {
          if (tab.input instanceof vscode.TabInputText && this.isPolicyFile(tab.input.uri)) void this.reloadFolderOf(tab.input.uri, 'always');
        }
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.reloadAll()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.reloadAll()),
      // A provider added to (or renamed in) the settings clears or raises the policies' "no provider" warnings.
      providers.onDidChange(() => void this.reloadAll()),
    );
  }

  private loaded: Promise<void> = Promise.resolve();

  /** Resolves once the latest `reloadAll` has read every folder's policy. */
  get ready(): Promise<void> {
    return this.loaded;
  }

  /** Reads every folder's policy; call once after construction (activation does not wait for it). */
  reloadAll(): Promise<void> {
    this.loaded = this.readAll();
    return this.loaded;
  }

  /**
   * Re-reads every folder (after a settings, folder or trust change) and keeps each one's last valid policy: a broken
   * file must not lose it because the user changed an unrelated setting meanwhile.
   */
  private async readAll(): Promise<void> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const open = new Set(folders.map((folder) => folder.uri.toString()));
    for (const key of [...this.folders.keys()].filter((key) => !open.has(key))) {
      this.folders.delete(key);
      this.links.forget(key);
      this.diagnostics.delete(omniFileUri(vscode.Uri.parse(key), POLICY_PATH));
    }
    await Promise.all(folders.map((folder) => this.reloadFolder(folder, 'always')));
    this.changed.fire();
  }

  /**
   * The policy that routes a request from `resource` (the active file, or a view of it such as a git diff's side),
   * or from the first folder.
   */
  current(resource?: vscode.Uri): ActivePolicy {
    const restricted = !vscode.workspace.isTrusted;
    const folder = (resource && workspaceFolderOf(resource)) ?? vscode.workspace.workspaceFolders?.[0];
    const state = folder && this.folders.get(folder.uri.toString());
    if (restricted || !folder || !state?.hasFile || !state.lastGood) {
      const warning = !restricted && state?.hasFile && !state.lastGood ? `${this.problem(folder!, state)}; the ${BUILT_IN} routes until it is fixed` : undefined;
      const removed = !restricted && state?.gone ? this.removed(folder!, state.gone) : undefined;
      return { policy: defaultPolicy(), label: BUILT_IN, restricted: restricted && !!state?.hasFile, removed, warning, folder };
    }
    const warning = state.errors > 0 ? `${this.problem(folder, state)}; its last valid version keeps routing` : undefined;
    return { policy: state.lastGood, label: this.label(folder), uri: this.policyUri(folder), warning, restricted: false, folder };
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
  }

  /**
   * What is wrong, without a count: VS Code's JSON support reports syntax errors in an open editor its own way, so a
   * count of Omni's would not match the Problems panel. While unsaved edits fix the file, Problems shows them fixed.
   */
  private problem(folder: vscode.WorkspaceFolder, state: FolderState): string {
    const file = this.label(folder);
    return state.fixedUnsaved ? `${file} has errors in its saved version, which unsaved edits fix: save the file to apply them` : `${file} has errors (see Problems)`;
  }

  private removed(folder: vscode.WorkspaceFolder, gone: 'deleted' | 'folder'): NonNullable<ActivePolicy['removed']> {
    const file = this.label(folder);
    return gone === 'folder'
      ? { problem: `${file} is a folder, not a file`, fix: 'Move or remove that folder, then run "Omni: Create Policy" to start a policy.' }
      : { problem: `${file} was deleted`, fix: 'Undo the deletion to route with it again, or run "Omni: Create Policy" to start a new one.' };
  }

  private label(folder: vscode.WorkspaceFolder): string {
    const multiRoot = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
    return multiRoot ? `${folder.name}/${POLICY_PATH}` : POLICY_PATH;
  }

  private policyUri(folder: vscode.WorkspaceFolder): vscode.Uri {
    return omniFileUri(folder.uri, POLICY_PATH);
  }

  private isPolicyFile(uri: vscode.Uri): boolean {
    return isOmniFile(uri, POLICY_PATH);
  }

  /**
   * `'if changed'` (a file event) leaves the folder as it is when the saved text is the one already loaded; the
   * Problems entries depend on more than the text (which editors are open, the providers), so other causes reload always.
   */
  private async reloadFolderOf(uri: vscode.Uri, when: Reload): Promise<void> {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder || !this.isPolicyFile(uri)) return;
    if (await this.reloadFolder(folder, when)) this.changed.fire();
  }

  /** Resolves to whether it reloaded. */
  private reloadFolder(folder: vscode.WorkspaceFolder, when: Reload): Promise<boolean> {
    return this.reads.run(folder.uri.toString(), async () => {
      const reloaded = await this.readFolder(folder, when);
      await this.links.follow(folder.uri, this.policyUri(folder), () => void this.reloadFolderOf(this.policyUri(folder), 'if changed'));
      return reloaded;
    });
  }

  private async readFolder(folder: vscode.WorkspaceFolder, when: Reload): Promise<boolean> {
    const uri = this.policyUri(folder);
    const key = folder.uri.toString();
    const previous = this.folders.get(key);
    const saved = await this.readSaved(uri);
    // One save is reported twice (the save, then the file watcher): the second read must not log and notify again.
    if (when === 'if changed' && typeof saved === 'object' && saved.text !== undefined && saved.text === previous?.text) return false;
    if (saved === 'missing' || saved === 'folder') {
      // Only a deletion seen in this window changed routing under the user; a folder in the file's place is always wrong.
      const gone = saved === 'folder' ? 'folder' : previous?.hasFile || previous?.gone ? 'deleted' : undefined;
      if (gone && gone !== previous?.gone) this.log.warn(`${this.removed(folder, gone).problem}; the ${BUILT_IN} routes now`);
      this.folders.set(key, { hasFile: false, errors: 0, gone });
      this.diagnostics.delete(uri);
      return true;
    }
    const { text, ...result } = saved;
    // Problems follow what the user sees: the unsaved text of an open editor, else the file.
    const editor = unsavedDocument(uri);
    const unsaved = editor && this.showDiagnostics(uri, editor.getText());
    if (!editor) this.setDiagnostics(uri, text ?? '', result);
    const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
    if (result.ok) {
      this.folders.set(key, { lastGood: result.policy, hasFile: true, text, errors: 0 });
      this.log.info(`policy loaded: ${this.label(folder)} (${result.policy.routes.length} routes)`);
    } else {
      this.folders.set(key, { lastGood: previous?.lastGood, hasFile: true, text, errors, fixedUnsaved: unsaved?.ok === true });
      this.log.warn(`policy ${this.label(folder)} has ${errors} error(s); ${previous?.lastGood ? 'keeping its last valid version' : `using the ${BUILT_IN}`}`);
    }
    return true;
  }

  /** An editor's text. */
  private check(uri: vscode.Uri, text: string): PolicyParseResult {
    return parsePolicy(text, vscode.workspace.asRelativePath(uri), this.parseOptions());
  }

  /**
   * The saved file, decoded as the CLI decodes it (a file in another encoding gets the same error in both), and its
   * size checked before it is read, as the CLI does (`text` is unset then); or why there is no file to read.
   */
  private async readSaved(uri: vscode.Uri): Promise<(PolicyParseResult & { text?: string }) | 'missing' | 'folder'> {
    const file = vscode.workspace.asRelativePath(uri);
    let stat: vscode.FileStat;
    try {
      stat = await vscode.workspace.fs.stat(uri);
    } catch {
      return 'missing';
    }
    if (stat.type & vscode.FileType.Directory) return 'folder';
    if (stat.size > MAX_POLICY_SIZE) return tooLargePolicy(file, stat.size);
    try {
      // On disk, read as the CLI reads it: a file that grew past the limit since the stat is not read whole either.
      const read = uri.scheme === 'file' ? readFileUpTo(uri.fsPath, MAX_POLICY_SIZE) : { bytes: await vscode.workspace.fs.readFile(uri) };
      return 'size' in read ? tooLargePolicy(file, read.size) : parsePolicyBytes(read.bytes, file, this.parseOptions());
    } catch {
      // Deleted between the two calls.
      return 'missing';
    }
  }

  private parseOptions(): ParseOptions {
    const registry = this.providers.current;
    return { providers: { names: registry.names(), local: registry.localNames(), invalid: registry.rejected(), definedIn: 'the "omni.providers" user setting' } };
  }

  private showDiagnostics(uri: vscode.Uri, text: string): PolicyParseResult {
    const result = this.check(uri, text);
    this.setDiagnostics(uri, text, result);
    return result;
  }

  /** Problems follow the editor as the user types; the warnings say when saving would fix the policy. */
  private showUnsaved(document: vscode.TextDocument): void {
    const result = this.showDiagnostics(document.uri, document.getText());
    const folder = vscode.workspace.getWorkspaceFolder(document.uri);
    const state = folder && this.folders.get(folder.uri.toString());
    if (!state || state.errors === 0) return;
    const fixedUnsaved = document.isDirty && result.ok;
    if (state.fixedUnsaved === fixedUnsaved) return;
    state.fixedUnsaved = fixedUnsaved;
    this.changed.fire();
  }

  /**
   * In an editor VS Code's JSON support already marks syntax errors, so Omni adds only what it alone knows; a file
   * no editor shows gets them from Omni, or the Problems panel would show nothing wrong with it.
   */
  private setDiagnostics(uri: vscode.Uri, text: string, result: PolicyParseResult): void {
    const lines = new LineIndex(text);
    const open = vscode.window.tabGroups.all.some((group) =>
      group.tabs.some((tab) => tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === uri.toString()),
    );
    this.diagnostics.set(uri, result.diagnostics.filter((d) => !(open && d.syntax)).map((d) => toVsDiagnostic(d, lines)));
  }
}

function toVsDiagnostic(d: PolicyDiagnostic, lines: LineIndex): vscode.Diagnostic {
  const end = lines.position(d.offset + Math.max(d.length, 1));
  const range = new vscode.Range(d.line - 1, d.column - 1, end.line - 1, end.column - 1);
  const severity = d.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning;
  const diagnostic = new vscode.Diagnostic(range, `${d.message} (at ${d.path})`, severity);
  diagnostic.source = POLICY_DIAGNOSTIC_SOURCE;
  return diagnostic;
}
