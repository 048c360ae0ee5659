/** `omni test [policy]`: runs the policy's own routing examples and fails on any mismatch, for teams' CI. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { formatProblem, parseExamples, unknownRoutes } from '../../core/eval/dataset';
import { evaluate } from '../../core/eval/evaluate';
import { DEFAULT_POLICY_SOURCE } from '../../core/policy/load';
import { buildRouter } from '../../core/router';
import { parseCommandArgs, UsageError } from '../args';
import { loadPolicyForCommand } from '../policy';
import { cliProviders } from '../providers';
import { parseMode } from './mode';
import type { CliCommand } from './index';

const usage = `usage: omni test [policy] [--examples F] [--mode local|auto|arch] [--providers F]

Runs the routing examples kept beside the policy (.omni/policies.test.jsonl: one JSON object per line with
"prompt", optional "languageId", "fileName", "selection", "command", and the expected "route").
Uses the local router unless --mode says otherwise, so results do not depend on the network.
Exit code 1 on any mismatch.`;

export const test: CliCommand = {
  summary: "run the policy's routing examples (.omni/policies.test.jsonl)",
  async run(args) {
    const options = { examples: { type: 'string' }, mode: { type: 'string' }, providers: { type: 'string' } } as const;
    const parsed = parseCommandArgs(args, options, usage);
    if (!parsed) return 0;
    const loaded = loadPolicyForCommand(parsed.positionals[0]);
    if (!loaded) return 1;
    if (!parsed.values.examples && loaded.source === DEFAULT_POLICY_SOURCE) {
      throw new UsageError('no .omni/policies.json found here or above; give a policy file or --examples');
    }
    const examplesFile = parsed.values.examples ?? join(dirname(loaded.source), 'policies.test.jsonl');
    let text: string;
    try {
      text = readFileSync(examplesFile, 'utf8');
    } catch {
      throw new UsageError(`cannot read ${examplesFile}; create it with one line per example: {"prompt": "…", "route": "…"}`);
    }
    const { examples, problems } = parseExamples(text, 'route');
    problems.push(...unknownRoutes(examples, loaded.policy.routes.map((route) => route.name)));
    problems.sort((a, b) => a.line - b.line);
    for (const problem of problems) console.error(formatProblem(examplesFile, problem));
    if (problems.length > 0) return 1;
    if (examples.length === 0) throw new UsageError(`${examplesFile} has no examples`);

    const router = buildRouter(loaded.policy, {
      mode: parseMode(parsed.values.mode) ?? 'local',
      getProvider: cliProviders(parsed.values.providers).get,
    });
    const report = await evaluate(router, examples);
    for (const m of report.mistakes) {
      console.log(`${examplesFile}:${m.line}: expected ${m.expected}, got ${m.got} — ${m.reason}`);
    }
    const failed = report.mistakes.length;
    console.log(`${report.n - failed} passed, ${failed} failed`);
    return failed > 0 ? 1 : 0;
  },
};
