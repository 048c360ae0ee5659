/** Session accounting: tokens and cost of every answer, and the saving against sending everything to the baseline model. */
import { displayName } from '../policy/modelNames';
import type { Policy } from '../policy/schema';
import { baselineModel, costUsd } from './cost';
import type { DoneEvent } from './events';

/**
 * What one answer cost: a finished one (its `DoneEvent`), or one the user stopped, priced on its estimated tokens.
 * `priced` is false when a model it used has no price, so `costUsd` is not all it cost.
 */
export type Charge = Pick<DoneEvent, 'usage' | 'costUsd' | 'priced'>;

export interface SessionTotals {
  answers: number;
  inputTokens: number;
  outputTokens: number;
  /** True when any answer's usage was estimated. */
  estimated: boolean;
  /** What the priced part of the answers cost. */
  costUsd: number;
  /** Answers on a model without a price: their cost is unknown, so they are left out of the comparison. */
  unpriced: number;
  /** Absent until a policy in which some model has a price has been seen. */
  baseline?: {
    /** The baseline model of the latest such policy, as its alias and as people see it. */
    model: string;
    displayName: string;
    /** What every priced answer's tokens would have cost on that model, at that policy's price. */
    costUsd: number;
    /** Against what the priced answers cost. */
    savingUsd: number;
  };
}

export interface SessionLedger {
  /** `policy`: the one that answered, for its prices; the policy file may change during a session. */
  record(charge: Charge, policy: Policy): void;
  /** `current`: the policy in force now, whose baseline (when it prices a model) every answer is compared with. */
  totals(current?: Policy): SessionTotals;
}

/** A ledger for one session (an editor window, a CLI run). */
export function createSessionLedger(): SessionLedger {
  const totals: SessionTotals = { answers: 0, inputTokens: 0, outputTokens: 0, estimated: false, costUsd: 0, unpriced: 0 };
  // An answer of unknown cost compared at $0 would count its whole baseline price as saved.
  const compared: Charge[] = [];
  // One baseline for the whole session: when an edit changes it, earlier answers are priced on the new one too, so the
  // figure never adds two models' prices under one model's name.
  let baseline: { policy: Policy; model: string } | undefined;
  const remember = (policy: Policy) => {
    const model = baselineModel(policy);
    if (model) baseline = { policy, model };
  };
  return {
    record(done: Charge, policy) {
      totals.answers += 1;
      totals.inputTokens += done.usage.inputTokens;
      totals.outputTokens += done.usage.outputTokens;
      totals.estimated ||= done.usage.estimated;
      totals.costUsd += done.costUsd;
      if (done.priced) compared.push(done);
      else totals.unpriced += 1;
      remember(policy);
    },
    totals(current) {
      if (current) remember(current);
      if (!baseline) return { ...totals };
      const { policy, model } = baseline;
      const baselineCost = compared.reduce((sum, charge) => sum + costUsd(policy, model, charge.usage), 0);
      const comparedCost = compared.reduce((sum, charge) => sum + charge.costUsd, 0);
      return { ...totals, baseline: { model, displayName: displayName(policy, model), costUsd: baselineCost, savingUsd: baselineCost - comparedCost } };
    },
  };
}
