/** Token estimates and prices: what an answer cost, and what it would have cost on the baseline model. */
import type { Policy } from '../policy/schema';
import type { ChatMessage } from '../request';
import type { TokenUsage } from '../providers/types';
import { estimateTokens } from '../text/tokens';

/** Estimated usage of sending `messages` and receiving `output`. */
export function estimateUsage(messages: ChatMessage[], output: string): TokenUsage {
  const input = messages.reduce((sum, message) => sum + estimateTokens(message.content), 0);
  return { inputTokens: input, outputTokens: estimateTokens(output), estimated: true };
}

/** US dollars for `usage` at the price (per million tokens) of `model`; 0 when the model has no price. */
export function costUsd(policy: Policy, model: string, usage: TokenUsage): number {
  const price = policy.models[model]?.price;
  if (!price) return 0;
  return (usage.inputTokens * price.input + usage.outputTokens * price.output) / 1_000_000;
}

/** What one or more model calls used: their tokens, and their cost when every model involved has a price. */
export interface Spend {
  usage: TokenUsage;
  costUsd: number;
  priced: boolean;
}

/** `usage` on `model`, priced from the policy. */
export function spendOn(policy: Policy, model: string, usage: TokenUsage): Spend {
  return { usage, costUsd: costUsd(policy, model, usage), priced: policy.models[model]?.price !== undefined };
}

/** Two spends added up; estimated when either is, priced only when both are. */
export function addSpend(a: Spend, b: Spend | undefined): Spend {
  if (!b) return a;
  return {
    usage: { inputTokens: a.usage.inputTokens + b.usage.inputTokens, outputTokens: a.usage.outputTokens + b.usage.outputTokens, estimated: a.usage.estimated || b.usage.estimated },
    costUsd: a.costUsd + b.costUsd,
    priced: a.priced && b.priced,
  };
}

/** `policy.costBaseline`, else the model with the highest input+output price; undefined when nothing has a price. */
export function baselineModel(policy: Policy): string | undefined {
  if (policy.costBaseline) return policy.costBaseline;
  let best: { model: string; price: number } | undefined;
  for (const [model, entry] of Object.entries(policy.models)) {
    if (!entry.price) continue;
    const price = entry.price.input + entry.price.output;
    if (!best || price > best.price) best = { model, price };
  }
  return best?.model;
}
