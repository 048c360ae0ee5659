// Routing benchmark: the local stage's decision latency as the number of routes grows, and `--mode local`
// accuracy with both shared policies (the same code path as `omni eval`) on the shared dev set — which the
// classifier's weights were fitted on — and on bench/independent, requests from other sources it never saw.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatProblem, parseExamples } from '../src/core/eval/dataset';
import { evaluate } from '../src/core/eval/evaluate';
import { loadPolicyFile } from '../src/core/policy/load';
import { buildRouter } from '../src/core/router';
import { SHARED_BENCH, SHARED_POLICIES, benchLatency, independentFiles } from './classifier';

async function accuracy(policyFile: string, label: string, dataFiles: readonly string[]) {
  const loaded = loadPolicyFile(join(SHARED_BENCH, policyFile));
  if (!loaded.ok) throw new Error(`${policyFile}: ${loaded.diagnostics.map((d) => d.message).join('; ')}`);
  // Parsed file by file so a bad line is reported at its own file and line.
  const parsed = dataFiles.map((file) => ({ file, ...parseExamples(readFileSync(file, 'utf8'), label) }));
  const examples = parsed.flatMap((result) => result.examples);
  const errors = parsed.flatMap((result) => result.problems.map((problem) => formatProblem(result.file, problem)));
  if (errors.length > 0) throw new Error(errors.join('\n'));
  const report = await evaluate(buildRouter(loaded.policy, { mode: 'local' }), examples);
  return { policy: policyFile, label, n: report.n, accuracy: report.accuracy, p50Ms: report.p50Ms, p99Ms: report.p99Ms, routes: report.routes };
}

async function main() {
  console.log('local stage decision latency (classify() on synthetic route sets, after warm-up)');
  for (const row of benchLatency([10, 20, 100, 1000])) {
    console.log(`  ${String(row.routes).padStart(5)} routes: p50 ${row.p50Ms.toFixed(4)} ms  p99 ${row.p99Ms.toFixed(4)} ms`);
  }
  console.log('\n--mode local accuracy on shared/bench/dev.jsonl');
  for (const [policy, label, target] of SHARED_POLICIES) {
    const r = await accuracy(policy, label, [join(SHARED_BENCH, 'dev.jsonl')]);
    console.log(`  ${policy} (${label}): accuracy ${r.accuracy.toFixed(3)} on ${r.n} (target ≥ ${target}); router p50 ${r.p50Ms.toFixed(3)} ms, p99 ${r.p99Ms.toFixed(3)} ms`);
    for (const s of r.routes) console.log(`      ${s.route.padEnd(18)} P ${s.precision.toFixed(2)}  R ${s.recall.toFixed(2)}  (n=${s.support})`);
  }
  const files = independentFiles();
  console.log('\n--mode local accuracy on bench/independent (other sources and annotators, never used for fitting)');
  for (const [policy, label] of SHARED_POLICIES) {
    const r = await accuracy(policy, label, files);
    console.log(`  ${policy} (${label}): accuracy ${r.accuracy.toFixed(3)} on ${r.n}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
