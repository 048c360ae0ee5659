/** Measures a router on labelled examples: accuracy, per-route precision/recall, confusion and decision latency. */
import type { Router, RoutingDecision } from '../router/types';
import type { LabelledExample } from './dataset';

export interface RouteStats {
  route: string;
  support: number;
  predicted: number;
  correct: number;
  precision: number;
  recall: number;
}

export interface EvalReport {
  n: number;
  accuracy: number;
  p50Ms: number;
  p99Ms: number;
  routes: RouteStats[];
  /** confusion[expected][predicted] = count */
  confusion: Record<string, Record<string, number>>;
  stages: Record<string, number>;
  /** Requests Arch-Router was asked about, and how many of those it failed on (the local classifier decided them). */
  archRouter: { asked: number; failed: number; firstError?: string };
  mistakes: { id: string; line: number; expected: string; got: string; reason: string }[];
}

/** Decides every example in order (sequentially, so latencies are not skewed by concurrency). */
export async function evaluate(router: Router, examples: readonly LabelledExample[]): Promise<EvalReport> {
  const decisions: RoutingDecision[] = [];
  for (const example of examples) decisions.push(await router.decide(example.request));
  return summarize(examples, decisions);
}

export function summarize(examples: readonly LabelledExample[], decisions: readonly RoutingDecision[]): EvalReport {
  const confusion: Record<string, Record<string, number>> = {};
  const stages: Record<string, number> = {};
  const mistakes: EvalReport['mistakes'] = [];
  let correct = 0;
  examples.forEach((example, i) => {
    const decision = decisions[i];
    const row = (confusion[example.expected] ??= {});
    row[decision.route] = (row[decision.route] ?? 0) + 1;
    stages[decision.stage] = (stages[decision.stage] ?? 0) + 1;
    if (decision.route === example.expected) correct++;
    else mistakes.push({ id: example.id, line: example.line, expected: example.expected, got: decision.route, reason: decision.reason });
  });
  const names = [...new Set([...examples.map((e) => e.expected), ...decisions.map((d) => d.route)])].sort();
  const routes = names.map((route) => {
    const support = examples.filter((e) => e.expected === route).length;
    const predicted = decisions.filter((d) => d.route === route).length;
    const hits = confusion[route]?.[route] ?? 0;
    return { route, support, predicted, correct: hits, precision: predicted ? hits / predicted : 0, recall: support ? hits / support : 0 };
  });
  const latencies = decisions.map((d) => d.latencyMs);
  const asked = decisions.filter((d) => d.archRouter !== undefined);
  const failures = asked.flatMap((d) => d.archRouter?.error ?? []);
  return {
    n: examples.length,
    accuracy: examples.length ? correct / examples.length : 0,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    routes,
    confusion,
    stages,
    archRouter: { asked: asked.length, failed: failures.length, ...(failures.length > 0 ? { firstError: failures[0] } : {}) },
    mistakes,
  };
}

/** `4 passed, 2 failed, 3 could not run`, as `omni test` and "Omni: Run Routing Examples" both say it. */
export function examplesRunSummary(passed: number, failed: number, couldNotRun: number): string {
  return `${passed} passed, ${failed} failed${couldNotRun ? `, ${couldNotRun} could not run` : ''}`;
}

/** A line for a run where Arch-Router failed, else undefined: its failures look like local decisions otherwise. */
export function archRouterFailureNote(report: EvalReport): string | undefined {
  const { asked, failed, firstError } = report.archRouter;
  if (failed === 0) return undefined;
  return `Arch-Router failed on ${failed} of the ${asked} requests it was asked about, so the local classifier decided them (first error: ${firstError})`;
}

/** Nearest-rank percentile; 0 for no data. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}
