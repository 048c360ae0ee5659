// Local classifier benchmark: classify() latency as the route set grows, and accuracy, per-route
// precision/recall and expected calibration error on the shared dev set with both shared policies.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { OmniRequest } from '../src/core/request';
import { createLocalClassifier, type ModelWeights } from '../src/core/router/classifier';
import type { RouteCandidate } from '../src/core/router/types';
import { seededRandom } from '../test/support/random';

/** The read-only shared benchmark folder (dev set and the two policies), beside the checkout. */
export const SHARED_BENCH = join(__dirname, '..', '..', 'shared', 'bench');

export interface DevItem {
  id: string;
  prompt: string;
  languageId: string | null;
  fileName: string | null;
  selection: string | null;
  route_fine: string;
  route_coarse: string;
}

export interface LabelledPolicy {
  file: string;
  label: 'route_fine' | 'route_coarse';
  routes: RouteCandidate[];
  defaultRoute: string;
}

export interface RouteQuality {
  route: string;
  precision: number;
  recall: number;
  support: number;
}

export interface AccuracyReport {
  policy: string;
  n: number;
  accuracy: number;
  /** Expected calibration error of the top-route confidence, 10 equal-width bins. */
  ece: number;
  routes: RouteQuality[];
  mistakes: Array<{ id: string; expected: string; got: string; confidence: number; prompt: string }>;
}

export interface LatencyRow {
  routes: number;
  p50Ms: number;
  p99Ms: number;
}

/** Reads labelled requests, one JSON object per line: the shared dev set unless another file is named. */
export function loadDevSet(file = join(SHARED_BENCH, 'dev.jsonl')): DevItem[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as DevItem);
}

/** The data files of bench/independent: requests from other sources and annotators, never used for fitting. */
export function independentFiles(): string[] {
  const folder = join(__dirname, 'independent');
  return readdirSync(folder).filter((name) => name.endsWith('.jsonl')).sort().map((name) => join(folder, name));
}

/** Reads the routes and default route of a shared policy file. */
export function loadPolicy(file: string, label: LabelledPolicy['label']): LabelledPolicy {
  const policy = JSON.parse(readFileSync(join(SHARED_BENCH, file), 'utf8')) as { routes: RouteCandidate[]; defaultRoute: string };
  const routes = policy.routes.map(({ name, description, examples }) => ({ name, description, examples }));
  return { file, label, routes, defaultRoute: policy.defaultRoute };
}

/** The request an editor would send for a dev item, as a chat command. */
export function toRequest(item: DevItem): OmniRequest {
  return {
    messages: [{ role: 'user', content: item.prompt }],
    editor: {
      languageId: item.languageId ?? undefined,
      fileName: item.fileName ?? undefined,
      selection: item.selection ?? undefined,
      command: 'chat',
    },
  };
}

/** Expected calibration error: mean |accuracy − confidence| over equal-width confidence bins, weighted by size. */
export function expectedCalibrationError(confidences: readonly number[], correct: readonly boolean[], bins = 10): number {
  const count = new Array<number>(bins).fill(0);
  const hits = new Array<number>(bins).fill(0);
  const sum = new Array<number>(bins).fill(0);
  confidences.forEach((confidence, i) => {
    const bin = Math.min(bins - 1, Math.floor(confidence * bins));
    count[bin]++;
    sum[bin] += confidence;
    if (correct[i]) hits[bin]++;
  });
  let error = 0;
  for (let bin = 0; bin < bins; bin++) if (count[bin] > 0) error += Math.abs(hits[bin] - sum[bin]) / confidences.length;
  return error;
}

/** Accuracy, per-route precision/recall and ECE of the local classifier on `items` under one policy. */
export function evaluateAccuracy(
  policy: LabelledPolicy,
  items: readonly DevItem[],
  weights?: ModelWeights,
  temperature?: number,
): AccuracyReport {
  const classifier = createLocalClassifier(policy.routes, { defaultRoute: policy.defaultRoute, weights, temperature });
  const confidences: number[] = [];
  const correct: boolean[] = [];
  const mistakes: AccuracyReport['mistakes'] = [];
  const predicted = new Map<string, number>();
  const actual = new Map<string, number>();
  const hits = new Map<string, number>();
  for (const item of items) {
    const expected = item[policy.label];
    const result = classifier.classify(toRequest(item));
    const ok = result.route === expected;
    confidences.push(result.confidence);
    correct.push(ok);
    predicted.set(result.route, (predicted.get(result.route) ?? 0) + 1);
    actual.set(expected, (actual.get(expected) ?? 0) + 1);
    if (ok) hits.set(expected, (hits.get(expected) ?? 0) + 1);
    else mistakes.push({ id: item.id, expected, got: result.route, confidence: result.confidence, prompt: item.prompt });
  }
  const routes = policy.routes.map(({ name }) => ({
    route: name,
    precision: (hits.get(name) ?? 0) / Math.max(1, predicted.get(name) ?? 0),
    recall: (hits.get(name) ?? 0) / Math.max(1, actual.get(name) ?? 0),
    support: actual.get(name) ?? 0,
  }));
  return {
    policy: policy.file,
    n: items.length,
    accuracy: correct.filter(Boolean).length / Math.max(1, items.length),
    ece: expectedCalibrationError(confidences, correct),
    routes,
    mistakes,
  };
}

const SYNTHETIC_WORDS = (
  'writing fixing explaining refactoring testing deploying querying documenting designing reviewing optimizing ' +
  'code functions classes scripts errors exceptions crashes builds tests mocks shell commands git docker containers ' +
  'servers sql queries schemas migrations comments docstrings readme travel recipes cooking contracts legal advice ' +
  'health fitness math homework essays letters poems finance taxes marketing css layout api endpoints kubernetes ' +
  'security passwords android ios games music movies history physics chemistry translation grammar weather sports'
).split(' ');

/** `count` routes with varied descriptions drawn from a mixed technical/everyday word pool. */
export function syntheticRoutes(count: number, seed = 7): RouteCandidate[] {
  const random = seededRandom(seed).next;
  const pick = () => SYNTHETIC_WORDS[Math.floor(random() * SYNTHETIC_WORDS.length)];
  return Array.from({ length: count }, (_, i) => {
    const words = Array.from({ length: 6 + Math.floor(random() * 10) }, pick);
    const negated = random() < 0.1 ? ', not about software' : '';
    return { name: `route_${i}_${words[0]}`, description: `requests about ${words.join(', ')}${negated}` };
  });
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}

/** Enough calls for V8 to optimize the hot paths before timing. */
const WARM_UP_ROUNDS = 3;

/** p50/p99 of one classify() call, in ms, per route-set size; dev prompts as requests, after a warm-up. */
export function benchLatency(routeCounts: readonly number[], requests = loadDevSet().map(toRequest), rounds = 5): LatencyRow[] {
  return routeCounts.map((count) => {
    const classifier = createLocalClassifier(syntheticRoutes(count), { defaultRoute: 'route_0' });
    for (let round = 0; round < WARM_UP_ROUNDS; round++) for (const request of requests) classifier.classify(request);
    const samples: number[] = [];
    for (let round = 0; round < rounds; round++) {
      for (const request of requests) {
        const start = performance.now();
        classifier.classify(request);
        samples.push(performance.now() - start);
      }
    }
    samples.sort((a, b) => a - b);
    return { routes: count, p50Ms: percentile(samples, 0.5), p99Ms: percentile(samples, 0.99) };
  });
}

export const SHARED_POLICIES: ReadonlyArray<readonly [string, LabelledPolicy['label'], number]> = [
  ['policy-fine.json', 'route_fine', 0.8],
  ['policy-coarse.json', 'route_coarse', 0.95],
];

/** Runs the whole benchmark and returns its figures (latency rows and one accuracy report per policy). */
export async function benchClassifier(): Promise<{ latency: LatencyRow[]; accuracy: AccuracyReport[] }> {
  const items = loadDevSet();
  const latency = benchLatency([10, 20, 100, 1000]);
  const accuracy = SHARED_POLICIES.map(([file, label]) => evaluateAccuracy(loadPolicy(file, label), items));
  return { latency, accuracy };
}

async function main(): Promise<void> {
  const { latency, accuracy } = await benchClassifier();
  console.log('local classifier decision latency (classify() on synthetic route sets, after warm-up)');
  for (const row of latency) {
    console.log(`  ${String(row.routes).padStart(5)} routes: p50 ${row.p50Ms.toFixed(4)} ms  p99 ${row.p99Ms.toFixed(4)} ms`);
  }
  console.log('\naccuracy on shared/bench/dev.jsonl');
  for (const [i, report] of accuracy.entries()) {
    const target = SHARED_POLICIES[i][2];
    console.log(`  ${report.policy}: accuracy ${report.accuracy.toFixed(3)} on ${report.n} (target ≥ ${target}), ECE ${report.ece.toFixed(3)}`);
    for (const r of report.routes) {
      console.log(`      ${r.route.padEnd(18)} P ${r.precision.toFixed(2)}  R ${r.recall.toFixed(2)}  (n=${r.support})`);
    }
    if (process.argv.includes('--mistakes')) {
      for (const m of report.mistakes) {
        console.log(`      ✗ ${m.expected} → ${m.got} (${m.confidence.toFixed(2)}) ${m.prompt.replace(/\s+/g, ' ').slice(0, 110)}`);
      }
    }
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
