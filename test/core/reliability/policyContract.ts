/**
 * What parsePolicy promises for any text, as one check that both the in-process fuzz loop and the bounded worker for
 * huge inputs run: it never throws, it answers `ok: true` with a policy or `ok: false` with at least one diagnostic,
 * and every diagnostic is placed inside the text and says something.
 */
import { Worker } from 'node:worker_threads';
import type { PolicyDiagnostic } from '../../../src/core/policy/diagnostics';
import { parsePolicy } from '../../../src/core/policy/parse';

export const FILE = 'fuzz.json';

export interface ParseCheck {
  ms: number;
  ok: boolean;
  /** What broke the contract, or undefined. */
  problem?: string;
}

function diagnosticProblem(d: PolicyDiagnostic, text: string): string | undefined {
  if (!Number.isInteger(d.line) || d.line < 1) return 'line < 1';
  if (!Number.isInteger(d.column) || d.column < 1) return 'column < 1';
  if (!Number.isInteger(d.offset) || d.offset < 0 || d.offset > text.length) return 'offset outside the text';
  if (!Number.isInteger(d.length) || d.length < 0 || d.offset + d.length > text.length) return 'range outside the text';
  if (d.message.trim() === '') return 'empty message';
  if (d.path.trim() === '') return 'empty path';
  if (d.file !== FILE) return 'wrong file';
  return undefined;
}

/** Parses `text` and checks the result against the contract. */
export function checkParse(text: string): ParseCheck {
  const started = performance.now();
  let result: ReturnType<typeof parsePolicy>;
  try {
    result = parsePolicy(text, FILE);
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { ms: performance.now() - started, ok: false, problem: `parsePolicy threw ${reason}` };
  }
  const ms = performance.now() - started;
  if (result.ok && result.policy.version !== 1) return { ms, ok: true, problem: 'ok without a version-1 policy' };
  if (result.ok && result.diagnostics.some((d) => d.severity === 'error')) return { ms, ok: true, problem: 'ok with an error diagnostic' };
  if (!result.ok && result.diagnostics.length === 0) return { ms, ok: false, problem: 'ok: false without any diagnostic' };
  for (const d of result.diagnostics) {
    const problem = diagnosticProblem(d, text);
    if (problem) return { ms, ok: result.ok, problem: `${problem} in ${JSON.stringify({ ...d, message: d.message.slice(0, 200) })}` };
  }
  return { ms, ok: result.ok };
}

/** Loading tsx and the parser in a fresh worker; not part of the parse time the bound is about. */
const LOAD_ALLOWANCE_MS = 1500;

/**
 * `checkParse` in a worker thread that is terminated after `boundMs`, so a parse that would take minutes fails the
 * test at the bound instead of holding the suite. (Deep nesting is checked in-process instead: a worker's stack is
 * larger than the extension host's, which would hide stack overflows.)
 */
export async function checkParseWithin(text: string, boundMs: number): Promise<ParseCheck> {
  const source = `
    require('tsx/cjs');
    const { parentPort, workerData } = require('node:worker_threads');
    const { checkParse } = require(${JSON.stringify(__filename)});
    parentPort.postMessage(checkParse(workerData));`;
  const worker = new Worker(source, { eval: true, workerData: text });
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise<ParseCheck>((resolve, reject) => {
      // The bound starts once the worker runs, so loading the parser is not counted.
      worker.once('online', () => {
        timer = setTimeout(() => resolve({ ms: boundMs, ok: false, problem: `parsePolicy did not finish within ${boundMs} ms` }), boundMs + LOAD_ALLOWANCE_MS);
      });
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  } finally {
    clearTimeout(timer);
    await worker.terminate();
  }
}
