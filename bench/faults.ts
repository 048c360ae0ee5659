// Fault-injection benchmark: 300 requests through the real router and engine against loopback fake providers with
// mixed faults per request (see test/core/reliability/faultRun.ts). Prints how many were answered when a model was
// healthy, how many hung, the time failover added, and a breakdown by fault kind.
import { figures, LIMITS, runFaults, type FaultFigures } from '../test/core/reliability/faultRun';
import { seedFrom } from '../test/support/random';

const REQUESTS = 300;
const CONCURRENCY = 10;

export async function benchFaults(seed = seedFrom('FAULT_SEED', 4242)): Promise<FaultFigures & { seed: number; wallMs: number; leftOpen: string[] }> {
  const { results: _results, ...summary } = figures(await runFaults({ requests: REQUESTS, seed, concurrency: CONCURRENCY }));
  return summary;
}

function print(f: Awaited<ReturnType<typeof benchFaults>>): void {
  const ms = (value: number) => `${value.toFixed(0)} ms`;
  console.log(`fault injection: ${f.requests} requests, ${CONCURRENCY} at a time, seed ${f.seed}, ${ms(f.wallMs)} wall`);
  console.log(`  limits: first token ${LIMITS.firstTokenTimeoutMs} ms, stall ${LIMITS.stallTimeoutMs} ms, router ${LIMITS.routerTimeoutMs} ms; fresh circuit breaker per request`);
  console.log(`  answered when a model was healthy: ${f.answeredWhenHealthy}/${f.healthy} (target: all)`);
  console.log(`  no healthy model, error lists every attempt: ${f.errorsListingEveryAttempt}/${f.unhealthy}`);
  console.log(`  hung (> 10 s): ${f.hung} (target: none); left open on the servers: ${f.leftOpen.length}`);
  console.log(`  failover: ${f.failedOver} answers; added ${ms(f.addedByFailoverMedianMs)} median, ${ms(f.addedByFailoverP95Ms)} p95 over the direct median ${ms(f.directMedianMs)}`);
  console.log('');
  console.log(`  ${'fault'.padEnd(36)}${'requests'.padStart(9)}${'done'.padStart(6)}${'error'.padStart(7)}${'hung'.padStart(6)}${'median'.padStart(10)}`);
  for (const row of f.byFault) {
    console.log(`  ${row.fault.padEnd(36)}${String(row.requests).padStart(9)}${String(row.done).padStart(6)}${String(row.error).padStart(7)}${String(row.hung).padStart(6)}${ms(row.medianMs).padStart(10)}`);
  }
}

if (require.main === module) {
  benchFaults()
    .then(print)
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}
