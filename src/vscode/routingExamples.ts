/**
 * The policy's routing examples (`.omni/policies.test.jsonl`, the file `omni test` runs in CI) in VS Code's
 * Test Explorer: one test per line, with a run button in the file's gutter. The default run routes each example with
 * the folder's current policy and the local stage only (rules and classifier, as `omni test` does), so results never
 * depend on the network; a second profile routes as the policy says, asking Arch-Router where its mode does (as
 * `omni test --mode auto` does). A failure shows the expected and the actual route at the example's line.
 */
import * as vscode from 'vscode';
import { formatProblem, parseExamples, unknownRoutes, type ExampleProblem, type LabelledExample } from '../core/eval/dataset';
import { examplesRunSummary } from '../core/eval/evaluate';
import { POLICY_TESTS_PATH } from '../core/policy/load';
import { latestUserText } from '../core/request';
import { buildRouter } from '../core/router';
import { oneLinePreview } from '../core/text/preview';
import { decodeText, type DecodedText } from '../core/text/decode';
import { isOmniFile, LinkedFileWatchers, omniFileUri, unsavedDocument, watchOmniFile } from './omniFiles';
import { showOpenFolderFirst } from './openFolder';
import { PerKeyQueue } from './perKeyQueue';
import { noPolicyToTest, offerPolicyFix } from './policyFix';
import type { ActivePolicy, PolicyService } from './policyService';
import type { ProviderService } from './providerService';

/** What a run found; returned by "Omni: Run Routing Examples" for scripts and tests. */
export interface RoutingExamplesSummary {
  passed: number;
  failed: number;
  /** Examples that could not be run: no workspace policy, Restricted Mode, or a broken examples file. */
  errored: number;
  failures: { file: string; line: number; expected: string; got: string; reason: string }[];
  /** `column` where the problem has a place within the line (a JSON syntax error). */
  errors: { file: string; line: number; column?: number; message: string }[];
}

const LABEL_LENGTH = 70;

/** `local`: rules and the local classifier only. `policy`: the policy's own `router.mode`, Arch-Router included. */
export type ExamplesMode = 'local' | 'policy';

export class RoutingExamples implements vscode.Disposable {
  private readonly controller = vscode.tests.createTestController('omni.routingExamples', 'Omni routing examples');
  /** What each line of an examples file holds: an example, or the reason it is not one. */
  private readonly lines = new WeakMap<vscode.TestItem, LabelledExample | ExampleProblem>();
  /** The real location of each folder's examples file where a symbolic link takes it out of the workspace watcher's sight. */
  private readonly links = new LinkedFileWatchers();
  /** One read of a file at a time, in the order the changes came: a slow read of older content must not land last. */
  private readonly reads = new PerKeyQueue();
  private readonly disposables: vscode.Disposable[] = [this.controller, this.links];

  constructor(
    private readonly policies: PolicyService,
    private readonly providers: ProviderService,
  ) {
    this.controller.refreshHandler = () => this.discover();
    const profile = (label: string, mode: ExamplesMode, isDefault: boolean) =>
      this.controller.createRunProfile(
        label,
        vscode.TestRunProfileKind.Run,
        async (request, token) => {
          await this.run(request, token, mode);
        },
        isDefault,
      );
    profile('Route with the local stage', 'local', true);
    profile('Route as the policy does (may ask Arch-Router)', 'policy', false);
    const reload = (document: vscode.TextDocument) => {
      if (isOmniFile(document.uri, POLICY_TESTS_PATH)) void this.load(document.uri);
    };
    this.disposables.push(
      watchOmniFile(POLICY_TESTS_PATH, (uri) => void this.load(uri)),
      // Examples run as the editor shows them, unsaved lines included, and their results land on those lines.
      vscode.workspace.onDidChangeTextDocument((event) => reload(event.document)),
      vscode.workspace.onDidCloseTextDocument(reload),
      vscode.workspace.onDidChangeWorkspaceFolders(({ removed }) => {
        for (const folder of removed) this.links.forget(folder.uri.toString());
        void this.discover();
      }),
    );
    // Found up front, not when the Testing view first opens, so the examples file has run buttons in its gutter.
    void this.discover();
  }

  /** Runs every example of every folder and reports in the Test Results view, as the Test Explorer's "Run All" does. */
  async runAll(mode: ExamplesMode, token: vscode.CancellationToken): Promise<RoutingExamplesSummary> {
    // Re-read first: a file saved a moment ago may not have reached the watcher yet.
    await this.discover();
    return this.run(new vscode.TestRunRequest(), token, mode);
  }

  /** The folders whose examples cannot run because no policy of theirs applies (none, broken, or Restricted Mode). */
  foldersWithoutPolicy(): { active: ActivePolicy; folder: vscode.WorkspaceFolder }[] {
    return this.examplesPolicies().flatMap((active) => (active.uri === undefined && active.folder ? [{ active, folder: active.folder }] : []));
  }

  /** What is wrong with each policy whose errors left its last valid version to run the examples. */
  lastValidPolicyWarnings(): string[] {
    return this.examplesPolicies().flatMap((active) => (active.uri !== undefined && active.warning ? [active.warning] : []));
  }

  /** The policy each examples file runs against. */
  private examplesPolicies(): ActivePolicy[] {
    const found: ActivePolicy[] = [];
    this.controller.items.forEach((item) => {
      if (item.uri) found.push(this.policies.current(item.uri));
    });
    return found;
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
  }

  private async discover(): Promise<void> {
    const files = (vscode.workspace.workspaceFolders ?? []).map((folder) => omniFileUri(folder.uri, POLICY_TESTS_PATH));
    const present = new Set<string>();
    await Promise.all(files.map(async (uri) => ((await this.load(uri)) ? present.add(uri.toString()) : undefined)));
    this.controller.items.forEach((item) => {
      if (!present.has(item.id)) this.controller.items.delete(item.id);
    });
  }

  /** (Re)reads one examples file into a file item with a child per example; false when there is no such file. */
  private load(uri: vscode.Uri): Promise<boolean> {
    return this.reads.run(uri.toString(), async () => {
      const found = await this.read(uri);
      // The file found or not: a checkout may delete it and write it again at the link's target.
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      if (folder) await this.links.follow(folder.uri, uri, () => void this.load(uri));
      return found;
    });
  }

  private async read(uri: vscode.Uri): Promise<boolean> {
    let decoded: DecodedText;
    // Unsaved edits count; otherwise the file on disk, which a document kept after its editor closed may lag behind.
    const unsaved = unsavedDocument(uri);
    try {
      decoded = unsaved ? { text: unsaved.getText() } : decodeText(await vscode.workspace.fs.readFile(uri));
    } catch {
      this.controller.items.delete(uri.toString());
      return false;
    }
    const file = this.controller.createTestItem(uri.toString(), vscode.workspace.asRelativePath(uri), uri);
    const lines = decoded.text.split('\n');
    // A file in another encoding is one broken line at its first bad byte, as `omni test` reports it.
    const { examples, problems } = decoded.problem ? { examples: [], problems: [decoded.problem] } : parseExamples(decoded.text, 'route', { otherFields: 'reject' });
    // Broken lines are items too, so a run reports them at their line instead of silently skipping them.
    const entries = [...examples, ...problems].sort((a, b) => a.line - b.line);
    for (const entry of entries) {
      const isExample = 'expected' in entry;
      const item = this.controller.createTestItem(`${uri.toString()}#${entry.line}`, isExample ? exampleLabel(entry) : `line ${entry.line}`, uri);
      item.range = new vscode.Range(entry.line - 1, 0, entry.line - 1, lines[entry.line - 1].length);
      item.description = isExample ? `→ ${entry.expected}${followUpNote(entry)}` : 'not a valid example';
      this.lines.set(item, entry);
      file.children.add(item);
    }
    this.controller.items.add(file);
    return true;
  }

  private async run(request: vscode.TestRunRequest, token: vscode.CancellationToken, mode: ExamplesMode): Promise<RoutingExamplesSummary> {
    await this.policies.ready;
    const run = this.controller.createTestRun(request, mode === 'local' ? 'Omni routing examples' : 'Omni routing examples (as the policy routes)', false);
    const summary: RoutingExamplesSummary = { passed: 0, failed: 0, errored: 0, failures: [], errors: [] };
    const excluded = new Set((request.exclude ?? []).map((item) => item.id));
    const roots: vscode.TestItem[] = [];
    if (request.include) roots.push(...request.include);
    else this.controller.items.forEach((item) => roots.push(item));
    try {
      for (const [fileUri, items] of groupByFile(roots, excluded)) {
        await this.runFile(fileUri, items, { run, summary, token, mode });
      }
      run.appendOutput(`${summaryCounts(summary)}\r\n`);
    } finally {
      run.end();
    }
    return summary;
  }

  private async runFile(
    fileUri: vscode.Uri,
    items: vscode.TestItem[],
    { run, summary, token, mode }: { run: vscode.TestRun; summary: RoutingExamplesSummary; token: vscode.CancellationToken; mode: ExamplesMode },
  ): Promise<void> {
    const active = this.policies.current(fileUri);
    const fileName = vscode.workspace.asRelativePath(fileUri);
    const cannotRun = active.uri === undefined ? `${noPolicyToTest(active)}.` : undefined;
    if (active.warning) run.appendOutput(`${active.warning}\r\n`);
    const routeNames = active.policy.routes.map((route) => route.name);
    const router = cannotRun
      ? undefined
      : buildRouter(active.policy, mode === 'local' ? { mode: 'local' } : { getProvider: (name) => this.providers.current.get(name) });
    const abort = new AbortController();
    const cancelled = token.onCancellationRequested(() => abort.abort());
    try {
      for (const item of items) {
        const entry = this.lines.get(item);
        if (!entry) continue;
        if (token.isCancellationRequested) {
          run.skipped(item);
          continue;
        }
        const problem = cannotRun ?? ('expected' in entry ? unknownRoutes([entry], routeNames)[0]?.message : entry.message);
        if (problem !== undefined || !router || !('expected' in entry)) {
          const message = problem ?? 'not a valid example';
          // A syntax error's column comes with the line: the message names it and the editor jumps to it.
          const column = cannotRun === undefined && !('expected' in entry) ? entry.column : undefined;
          const at = { line: entry.line, column };
          // The output too, not only the test item: "Show Results" opens it, and the tree cuts long messages short.
          run.appendOutput(`${formatProblem(fileName, { ...at, message: `could not run: ${message}` })}\r\n`, undefined, item);
          run.errored(item, located(new vscode.TestMessage(formatProblem(fileName, { ...at, message })), item, column));
          summary.errored++;
          summary.errors.push({ file: fileName, line: entry.line, column, message });
          continue;
        }
        const example = entry;
        run.started(item);
        const decision = await router.decide(example.request, { signal: abort.signal });
        if (token.isCancellationRequested) {
          run.skipped(item);
          continue;
        }
        if (decision.route === example.expected) {
          // Which stage decided matters when Arch-Router may be asked: a pass on the local fallback is not its pass.
          if (mode === 'policy') run.appendOutput(`${fileName}:${example.line}: ${decision.reason}\r\n`, undefined, item);
          run.passed(item, decision.latencyMs);
          summary.passed++;
        } else {
          const failure = `expected ${example.expected}, got ${decision.route}: ${decision.reason}`;
          run.appendOutput(`${fileName}:${example.line}: ${failure}\r\n`, undefined, item);
          const message = vscode.TestMessage.diff(failure, example.expected, decision.route);
          run.failed(item, located(message, item), decision.latencyMs);
          summary.failed++;
          summary.failures.push({ file: fileName, line: example.line, expected: example.expected, got: decision.route, reason: decision.reason });
        }
      }
    } finally {
      cancelled.dispose();
    }
  }
}

/** "Omni: Run Routing Examples": runs them all, then says how it went and where to look. */
export async function runRoutingExamplesCommand(examples: RoutingExamples, mode: ExamplesMode): Promise<RoutingExamplesSummary> {
  const summary = await vscode.window.withProgress(
    {
      // Arch-Router calls can take a while, so that run shows a cancellable notification; local routing takes milliseconds.
      location: mode === 'local' ? vscode.ProgressLocation.Window : vscode.ProgressLocation.Notification,
      title: mode === 'local' ? 'Omni: running routing examples' : 'Omni: running routing examples as the policy routes',
      cancellable: mode === 'policy',
    },
    (_progress, token) => examples.runAll(mode, token),
  );
  const total = summary.passed + summary.failed + summary.errored;
  if (total === 0) {
    const format = `one JSON object per line: {"prompt": "…", "route": "…"}`;
    if (!vscode.workspace.workspaceFolders?.length) {
      showOpenFolderFirst(`Omni: routing examples live in a folder's ${POLICY_TESTS_PATH}, beside its .omni/policies.json: open a folder first.`);
      return summary;
    }
    // Examples test a policy: with none yet, making one comes first.
    if ((await vscode.workspace.findFiles('**/.omni/policies.json', undefined, 1)).length === 0) {
      const create = 'Create Policy';
      void vscode.window
        .showInformationMessage(`Omni: this workspace has no .omni/policies.json yet. Create one, then add routing examples in ${POLICY_TESTS_PATH}, ${format}.`, create)
        .then((choice) => choice === create && vscode.commands.executeCommand('omni.createPolicy'));
    } else {
      void vscode.window.showInformationMessage(`Omni: no routing examples found. Add ${POLICY_TESTS_PATH} beside the policy, ${format}.`);
    }
    return summary;
  }
  // Examples that could not run for want of a policy: the fix is the folder's policy, and saying so comes first.
  const blocked = examples.foldersWithoutPolicy();
  for (const { active, folder } of blocked) void offerPolicyFix(active, folder);
  if (blocked.length > 0 && summary.passed + summary.failed === 0) return summary;
  const show = 'Show Results';
  const problems = 'Show Problems';
  // Passing against an older version of a policy being edited is no pass for the file as it is: say so up front.
  const stale = examples.lastValidPolicyWarnings();
  const message =
    `Omni routing examples${mode === 'policy' ? ' (as the policy routes)' : ''}: ${summaryCounts(summary)}.` +
    stale.map((warning) => ` ${warning}, and the examples ran against it.`).join('');
  const shown =
    summary.failed + summary.errored > 0 || stale.length > 0
      ? vscode.window.showWarningMessage(message, show, ...(stale.length > 0 ? [problems] : []))
      : vscode.window.showInformationMessage(message, show);
  void shown.then((choice) => {
    if (choice === show) void vscode.commands.executeCommand('testing.showMostRecentOutput');
    if (choice === problems) void vscode.commands.executeCommand('workbench.actions.view.problems');
  });
  return summary;
}

function summaryCounts(summary: RoutingExamplesSummary): string {
  return examplesRunSummary(summary.passed, summary.failed, summary.errored);
}

function exampleLabel(example: LabelledExample): string {
  return oneLinePreview(latestUserText(example.request), LABEL_LENGTH);
}

/** Says when an example carries earlier turns, which its label alone does not show. */
function followUpNote(example: LabelledExample): string {
  const earlier = example.request.messages.length - 1;
  return earlier > 0 ? ` (follow-up: ${earlier} earlier turn${earlier === 1 ? '' : 's'})` : '';
}

/** Places the message at the item's line, or at `column` (1-based) of it. */
function located(message: vscode.TestMessage, item: vscode.TestItem, column?: number): vscode.TestMessage {
  if (item.uri && item.range) {
    const at = column === undefined ? item.range : new vscode.Range(item.range.start.line, column - 1, item.range.end.line, item.range.end.character);
    message.location = new vscode.Location(item.uri, at);
  }
  return message;
}

/** The examples to run, by file: a file item stands for all its examples; excluded items are left out. */
function groupByFile(roots: readonly vscode.TestItem[], excluded: ReadonlySet<string>): Map<vscode.Uri, vscode.TestItem[]> {
  const byFile = new Map<string, { uri: vscode.Uri; items: vscode.TestItem[] }>();
  const add = (item: vscode.TestItem) => {
    if (excluded.has(item.id) || !item.uri) return;
    const key = item.uri.toString();
    let group = byFile.get(key);
    if (!group) byFile.set(key, (group = { uri: item.uri, items: [] }));
    if (!group.items.includes(item)) group.items.push(item);
  };
  for (const root of roots) {
    if (excluded.has(root.id)) continue;
    if (root.children.size > 0) root.children.forEach(add);
    else if (root.parent) add(root);
  }
  return new Map([...byFile.values()].map(({ uri, items }) => [uri, items]));
}
