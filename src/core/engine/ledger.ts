/** Session accounting: tokens and cost of every answer, and the saving against sending everything to the baseline model. */
import type { Policy } from '../policy/schema';
import { baselineModel, costUsd } from './cost';
import type { DoneEvent } from './events';

export interface SessionTotals {
  answers: number;
  inputTokens: number;
  outputTokens: number;
  /** True when any answer's usage was estimated. */
  estimated: boolean;
  costUsd: number;
  /** Absent when no model in the policy has a price. */
  baseline?: {
    model: string;
    /** What the same tokens would have cost on the baseline model. */
    costUsd: number;
    savingUsd: number;
  };
}

export interface SessionLedger {
  record(done: DoneEvent): void;
  totals(): SessionTotals;
}

/** A ledger for one session (an editor window, a CLI run) under `policy`. */
export function createSessionLedger(policy: Policy): SessionLedger {
  const baseline = baselineModel(policy);
  const totals: SessionTotals = { answers: 0, inputTokens: 0, outputTokens: 0, estimated: false, costUsd: 0 };
  let baselineCost = 0;
  return {
    record(done) {
      totals.answers += 1;
      totals.inputTokens += done.usage.inputTokens;
      totals.outputTokens += done.usage.outputTokens;
      totals.estimated ||= done.usage.estimated;
      totals.costUsd += done.costUsd;
      if (baseline) baselineCost += costUsd(policy, baseline, done.usage);
    },
    totals() {
      if (!baseline) return { ...totals };
      return { ...totals, baseline: { model: baseline, costUsd: baselineCost, savingUsd: baselineCost - totals.costUsd } };
    },
  };
}
