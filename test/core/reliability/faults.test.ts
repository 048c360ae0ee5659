// Fault injection through the real router and engine against loopback fake providers: every model of every request,
// and its Arch-Router call, gets a fault drawn from a seeded PRNG (see faultRun.ts). Whatever the faults, a request
// with one healthy model in its chain is answered, none hangs, a request with none says what each model did, and
// nothing is left open. Replay with FAULT_SEED=<seed printed by the run>.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { answers, figures, HUNG_AFTER_MS, listsEveryAttempt, runFaults, type FaultFigures, type FaultRunReport, type ModelFault, type RequestResult } from './faultRun';
import { seedFrom } from '../../support/random';

const SEED = seedFrom('FAULT_SEED', 4242);
const REQUESTS = 100;

let run: FaultRunReport & FaultFigures;
before(async () => {
  run = figures(await runFaults({ requests: REQUESTS, seed: SEED, concurrency: 10 }));
});

/** One line per offending request: enough to replay it by seed and index. */
function describeRequests(results: RequestResult[]): string {
  return results
    .slice(0, 5)
    .map((r) => `#${r.scenario.index} router ${r.scenario.router}, faults ${JSON.stringify(r.scenario.faults)}, chain ${r.chain.join('>')}: ${r.ending}${r.errorMessage ? ` (${r.errorMessage})` : ''}`)
    .join('\n');
}

describe(`${REQUESTS} requests under mixed faults`, () => {
  test('the draw holds requests with and without a healthy model, and faults of every kind, so the checks below mean something', (t) => {
    t.diagnostic(`seed ${SEED}: ${run.healthy} requests with a healthy model, ${run.unhealthy} without, ${run.failedOver} answered after failover, ${run.wallMs.toFixed(0)} ms`);
    t.diagnostic(`failover added ${run.addedByFailoverMedianMs.toFixed(0)} ms median, ${run.addedByFailoverP95Ms.toFixed(0)} ms p95 (direct median ${run.directMedianMs.toFixed(0)} ms)`);
    assert.ok(run.healthy >= REQUESTS / 4, `only ${run.healthy} requests had a healthy model`);
    assert.ok(run.unhealthy >= REQUESTS / 10, `only ${run.unhealthy} requests had no healthy model`);
    const drawn = new Set(run.results.flatMap((r) => r.chain.map((alias) => r.scenario.faults[alias as keyof typeof r.scenario.faults])));
    const kinds: ModelFault[] = ['healthy', 'slow-drip', '429-once', '429-storm', '429-retry-after-storm', '5xx', 'reset', 'refused', 'mid-stream-drop', 'first-token-stall', 'mid-stream-stall', 'hang'];
    assert.deepEqual(kinds.filter((kind) => !drawn.has(kind)), [], 'fault kinds never drawn in a chain');
  });

  test('every request with a healthy model in its chain ends with done, answered by a model that could answer', () => {
    const unanswered = run.results.filter((r) => r.healthy && !(r.ending === 'done' && answers(r.scenario.faults[r.answeredBy as keyof typeof r.scenario.faults])));
    assert.equal(unanswered.length, 0, `${unanswered.length} of ${run.healthy} not answered by a healthy model:\n${describeRequests(unanswered)}`);
  });

  test(`no request hangs: each ends within ${HUNG_AFTER_MS / 1000} s`, () => {
    const hung = run.results.filter((r) => r.ending === 'hung');
    assert.equal(hung.length, 0, `hung:\n${describeRequests(hung)}`);
  });

  test('every request without a healthy model ends with an error that lists each model of its chain', () => {
    const unlisted = run.results.filter((r) => !r.healthy && !listsEveryAttempt(r));
    assert.equal(unlisted.length, 0, `${unlisted.length} of ${run.unhealthy} errors do not list every attempt:\n${describeRequests(unlisted)}`);
  });

  test('no request is left open on the fake servers', () => {
    assert.deepEqual(run.leftOpen, []);
  });
});
