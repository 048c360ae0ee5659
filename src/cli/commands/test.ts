/** `omni test [policy]`: runs the policy's own routing examples and fails on any mismatch, for teams' CI. */
import { dirname, join } from 'node:path';
import { unknownRoutes } from '../../core/eval/dataset';
import { archRouterFailureNote, evaluate, examplesRunSummary } from '../../core/eval/evaluate';
import { DEFAULT_POLICY_SOURCE } from '../../core/policy/load';
import { buildRouter } from '../../core/router';
import { parseCommandArgs } from '../args';
import { loadExamples } from '../examples';
import { editablePolicy, loadPolicyForCommand, noProjectPolicy } from '../policy';
import { cliProviders } from '../providers';
import { printErrorLine, printLine } from '../terminal';
import { parseMode } from './mode';
import type { CliCommand } from './index';

const usage = `usage: omni test [policy] [--examples F] [--mode local|auto|arch] [--providers F]

Runs the routing examples kept beside the policy (.omni/policies.test.jsonl: one JSON object per line with
"prompt", optional "languageId", "fileName", "selection", "command", "history", and the expected "route";
any other field is an error).
Uses the local router unless --mode says otherwise, so results do not depend on the network.
A line that cannot run (not valid JSON, an unknown route or field) is reported at its place; the others still run.
Exit code 1 on any mismatch or line that could not run.`;

export const test: CliCommand = {
  summary: "run the policy's routing examples (.omni/policies.test.jsonl)",
  async run(args) {
    const options = { examples: { type: 'string' }, mode: { type: 'string' }, providers: { type: 'string' } } as const;
    const parsed = parseCommandArgs(args, options, usage, { command: 'test', max: 1, what: 'one policy file' });
    if (!parsed) return 0;
    const loaded = loadPolicyForCommand(parsed.positionals[0]);
    if (!loaded) return 1;
    if (!parsed.values.examples && loaded.source === DEFAULT_POLICY_SOURCE) {
      printErrorLine(noProjectPolicy('name the policy file (omni test path/to/policies.json) or the examples (--examples F)'));
      return 1;
    }
    const mode = parseMode(parsed.values.mode, loaded) ?? 'local';
    const examplesFile = parsed.values.examples ?? join(dirname(loaded.source), 'policies.test.jsonl');
    const routeNames = loaded.policy.routes.map((route) => route.name);
    const examples = loadExamples({
      path: examplesFile,
      labelField: 'route',
      // The file holds examples and nothing else, so any other field is a mistake worth a line.
      otherFields: 'reject',
      howToCreate: 'create it with one line per example: {"prompt": "…", "route": "…"}',
      check: (parsedExamples) => unknownRoutes(parsedExamples, routeNames),
    });
    if (!examples) return 1;

    // Broken lines are already reported; the others still run, so one typo does not hide the policy's mistakes.
    const router = buildRouter(loaded.policy, { mode, getProvider: cliProviders(parsed.values.providers).get, policyFile: editablePolicy(loaded.source) });
    const report = await evaluate(router, examples.examples);
    for (const m of report.mistakes) {
      printLine(`${examplesFile}:${m.line}: expected ${m.expected}, got ${m.got} — ${m.reason}`);
    }
    const failed = report.mistakes.length;
    const failures = archRouterFailureNote(report);
    if (failures) printErrorLine(failures);
    printLine(examplesRunSummary(report.n - failed, failed, examples.unusable));
    return failed + examples.unusable > 0 ? 1 : 0;
  },
};
