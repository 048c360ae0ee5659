/** `omni eval DATA.jsonl --policy P --label FIELD`: measures routing accuracy and latency on labelled requests. */
import { unknownRoutes } from '../../core/eval/dataset';
import { archRouterFailureNote, evaluate, type EvalReport } from '../../core/eval/evaluate';
import { DEFAULT_POLICY_SOURCE } from '../../core/policy/load';
import { buildRouter } from '../../core/router';
import { parseCommandArgs, UsageError } from '../args';
import { loadExamples } from '../examples';
import { editablePolicy, loadPolicyForCommand, noProjectPolicy } from '../policy';
import { cliProviders } from '../providers';
import { printErrorLine, printJson, printLine } from '../terminal';
import { parseMode } from './mode';
import type { CliCommand } from './index';

const usage = `usage: omni eval DATA.jsonl --label FIELD [--policy P] [--mode local|auto|arch] [--providers F] [--json]

DATA lines have the fields prompt, languageId, fileName, selection and the label field (a route name).
Other fields (more labels, ids) are ignored, but a near miss of one of these, like "filename", is an error.
Prints accuracy, per-route precision/recall, a confusion table and decision latency p50/p99.
With --json the last line is one JSON object (accuracy, n, p50Ms, p99Ms, routes, confusion).`;

export const evalCommand: CliCommand = {
  summary: 'measure routing accuracy on a labelled JSONL file',
  async run(args) {
    const options = {
      policy: { type: 'string' },
      label: { type: 'string' },
      mode: { type: 'string' },
      providers: { type: 'string' },
      json: { type: 'boolean' },
    } as const;
    const parsed = parseCommandArgs(args, options, usage, { command: 'eval', max: 1, what: 'one DATA.jsonl file' });
    if (!parsed) return 0;
    const { values, positionals } = parsed;
    const dataFile = positionals[0];
    if (!dataFile) throw new UsageError(`a DATA.jsonl file is required\n\n${usage}`);
    if (!values.label) throw new UsageError(`--label is required (e.g. --label route_fine)\n\n${usage}`);
    const loaded = loadPolicyForCommand(values.policy);
    if (!loaded) return 1;
    // The accuracy would pass for the project's own policy's, as check and ask never let the fallback go unsaid.
    if (loaded.source === DEFAULT_POLICY_SOURCE) {
      printErrorLine(`${noProjectPolicy('name the policy file: --policy path/to/policies.json')}. Evaluating the built-in default policy instead.`);
    }

    const mode = parseMode(values.mode, loaded);
    const routeNames = loaded.policy.routes.map((r) => r.name);
    const label = values.label;
    const examples = loadExamples({
      path: dataFile,
      labelField: label,
      check: (parsed) => {
        const problems = unknownRoutes(parsed, routeNames);
        if (problems.length === 0 || problems.length < parsed.length) return problems;
        // Every line unknown is a wrong --label or policy: one line for the file, not one per example.
        const labels = [...new Set(parsed.map((e) => e.expected))].slice(0, 5).join(', ');
        return [{ line: parsed[0].line, message: `no "${label}" value is a route of the policy (${labels}…): is --label or --policy right?` }];
      },
    });
    // Accuracy over part of a data set would pass for the whole one's.
    if (!examples || examples.unusable > 0) return 1;

    const router = buildRouter(loaded.policy, { mode, getProvider: cliProviders(values.providers).get, policyFile: editablePolicy(loaded.source) });
    const report = await evaluate(router, examples.examples);
    printReport(report);
    const failures = archRouterFailureNote(report);
    if (failures) printErrorLine(failures);
    if (values.json) {
      const { mistakes: _omitted, ...summary } = report;
      printJson(summary);
    }
    return 0;
  },
};

function printReport(report: EvalReport): void {
  printLine(`accuracy ${report.accuracy.toFixed(3)} (${Math.round(report.accuracy * report.n)}/${report.n})`);
  printLine(`decision latency p50 ${report.p50Ms.toFixed(3)} ms, p99 ${report.p99Ms.toFixed(3)} ms`);
  printLine(`decided by: ${Object.entries(report.stages).map(([stage, n]) => `${stage} ${n}`).join(', ')}\n`);
  const width = Math.max(5, ...report.routes.map((r) => r.route.length));
  printLine(`${'route'.padEnd(width)}  support  precision  recall`);
  for (const r of report.routes) {
    printLine(`${r.route.padEnd(width)}  ${String(r.support).padStart(7)}  ${r.precision.toFixed(2).padStart(9)}  ${r.recall.toFixed(2).padStart(6)}`);
  }
  const names = report.routes.map((r) => r.route);
  const short = distinctPrefixes(names, 6);
  const column = Math.max(...short.map((s) => s.length));
  printLine(`\nconfusion (rows: expected, columns: predicted)`);
  printLine(`${''.padEnd(width)}  ${short.map((s) => s.padStart(column)).join(' ')}`);
  for (const expected of names) {
    const row = report.confusion[expected] ?? {};
    printLine(`${expected.padEnd(width)}  ${names.map((p) => String(row[p] ?? 0).padStart(column)).join(' ')}`);
  }
}

/** Column headers: the names cut to `length`, or longer where two would read the same ("database_queries", "database_admin"). */
function distinctPrefixes(names: readonly string[], length: number): string[] {
  for (let cut = length; ; cut++) {
    const prefixes = names.map((name) => name.slice(0, cut));
    if (new Set(prefixes).size === names.length || prefixes.every((prefix, i) => prefix === names[i])) return prefixes;
  }
}
