/** `omni eval DATA.jsonl --policy P --label FIELD`: measures routing accuracy and latency on labelled requests. */
import { evaluate, type EvalReport } from '../../core/eval/evaluate';
import { buildRouter } from '../../core/router';
import { parseCommandArgs, UsageError } from '../args';
import { loadExamples } from '../examples';
import { loadPolicyForCommand } from '../policy';
import { cliProviders } from '../providers';
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
    const parsed = parseCommandArgs(args, options, usage);
    if (!parsed) return 0;
    const { values, positionals } = parsed;
    const dataFile = positionals[0];
    if (!dataFile) throw new UsageError(`a DATA.jsonl file is required\n\n${usage}`);
    if (!values.label) throw new UsageError(`--label is required (e.g. --label route_fine)\n\n${usage}`);
    const loaded = loadPolicyForCommand(values.policy);
    if (!loaded) return 1;

    const mode = parseMode(values.mode, loaded);
    const examples = loadExamples({ path: dataFile, labelField: values.label });
    if (!examples) return 1;

    // One line for the whole file, not one per example: a wrong --label makes every line unknown.
    const routeNames = new Set(loaded.policy.routes.map((r) => r.name));
    const unknown = [...new Set(examples.map((e) => e.expected))].filter((label) => !routeNames.has(label));
    if (unknown.length > 0) {
      console.error(`${dataFile}: labels not in the policy's routes: ${unknown.join(', ')} (is --label right?)`);
      return 1;
    }

    const router = buildRouter(loaded.policy, { mode, getProvider: cliProviders(values.providers).get });
    const report = await evaluate(router, examples);
    printReport(report);
    if (values.json) {
      const { mistakes: _omitted, ...summary } = report;
      console.log(JSON.stringify(summary));
    }
    return 0;
  },
};

function printReport(report: EvalReport): void {
  console.log(`accuracy ${report.accuracy.toFixed(3)} (${Math.round(report.accuracy * report.n)}/${report.n})`);
  console.log(`decision latency p50 ${report.p50Ms.toFixed(3)} ms, p99 ${report.p99Ms.toFixed(3)} ms`);
  console.log(`decided by: ${Object.entries(report.stages).map(([stage, n]) => `${stage} ${n}`).join(', ')}\n`);
  const width = Math.max(5, ...report.routes.map((r) => r.route.length));
  console.log(`${'route'.padEnd(width)}  support  precision  recall`);
  for (const r of report.routes) {
    console.log(`${r.route.padEnd(width)}  ${String(r.support).padStart(7)}  ${r.precision.toFixed(2).padStart(9)}  ${r.recall.toFixed(2).padStart(6)}`);
  }
  const names = report.routes.map((r) => r.route);
  const short = names.map((n) => n.slice(0, 6));
  console.log(`\nconfusion (rows: expected, columns: predicted)`);
  console.log(`${''.padEnd(width)}  ${short.map((s) => s.padStart(6)).join(' ')}`);
  for (const expected of names) {
    const row = report.confusion[expected] ?? {};
    console.log(`${expected.padEnd(width)}  ${names.map((p) => String(row[p] ?? 0).padStart(6)).join(' ')}`);
  }
}
