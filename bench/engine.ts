// Answering benchmark: the time Omni's pipeline (local router + engine + provider) adds to the first token compared
// with a direct `openai` SDK call to the same loopback server in the same run, and what the shared dev set costs
// when routed versus sent entirely to the baseline model.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import { answer } from '../src/core/engine/answer';
import { baselineModel, costUsd } from '../src/core/engine/cost';
import { parseExamples } from '../src/core/eval/dataset';
import { percentile } from '../src/core/eval/evaluate';
import { loadPolicyFile } from '../src/core/policy/load';
import { policySchema } from '../src/core/policy/schema';
import { createProviderRegistry } from '../src/core/providers/registry';
import { buildRouter } from '../src/core/router';
import { startFakeProvider } from '../test/fake-provider/server';
import { SHARED_BENCH } from './classifier';

const ROUNDS = 300;
const WARM_UP = 30;
/** Fixed token counts per request for the cost comparison, so only routing changes the figure. */
const INPUT_TOKENS = 1_500;
const OUTPUT_TOKENS = 600;

export async function benchFirstToken() {
  const fake = await startFakeProvider({ behaviours: { 'bench-model': { text: 'first second third fourth', chunks: 4 } } });
  try {
    const policy = policySchema.parse({
      version: 1,
      models: { m: { provider: 'bench', model: 'bench-model' } },
      routes: [
        { name: 'code', description: 'writing and fixing code', model: 'm' },
        { name: 'chat', description: 'questions not about software', model: 'm' },
      ],
      defaultRoute: 'chat',
      router: { mode: 'local' },
    });
    const providers = createProviderRegistry({ config: { providers: { bench: { type: 'openai-compatible', baseURL: fake.baseURL } } }, env: {} });
    const router = buildRouter(policy);
    const client = new OpenAI({ baseURL: fake.baseURL, apiKey: 'unused', maxRetries: 0 });
    const request = { messages: [{ role: 'user' as const, content: 'write a function that parses a CSV line' }] };

    const direct = async () => {
      const started = performance.now();
      const stream = await client.chat.completions.create({ model: 'bench-model', messages: request.messages, stream: true });
      let first = 0;
      for await (const chunk of stream) if (!first && chunk.choices[0]?.delta?.content) first = performance.now() - started;
      return first;
    };
    const viaOmni = async () => {
      const started = performance.now();
      let first = 0;
      for await (const event of answer(request, { policy, router, providers })) if (!first && event.type === 'token') first = performance.now() - started;
      return first;
    };

    const directMs: number[] = [];
    const omniMs: number[] = [];
    for (let i = 0; i < ROUNDS + WARM_UP; i++) {
      // Alternate the order so neither side always runs on a warmer connection.
      let directTime: number;
      let omniTime: number;
      if (i % 2 === 0) {
        directTime = await direct();
        omniTime = await viaOmni();
      } else {
        omniTime = await viaOmni();
        directTime = await direct();
      }
      if (i >= WARM_UP) {
        directMs.push(directTime);
        omniMs.push(omniTime);
      }
    }
    const d50 = percentile(directMs, 50);
    const o50 = percentile(omniMs, 50);
    return { rounds: ROUNDS, directP50: d50, omniP50: o50, directP99: percentile(directMs, 99), omniP99: percentile(omniMs, 99), addedMs: o50 - d50, ratio: o50 / d50 };
  } finally {
    await fake.close();
  }
}

export async function benchDevSetCost() {
  const loaded = loadPolicyFile(join(SHARED_BENCH, 'policy-fine.json'));
  if (!loaded.ok) throw new Error('policy-fine.json does not load');
  const policy = loaded.policy;
  const data = join(SHARED_BENCH, 'dev.jsonl');
  const { examples } = parseExamples(readFileSync(data, 'utf8'), 'route_fine');
  const router = buildRouter(policy, { mode: 'local' });
  const baseline = baselineModel(policy)!;
  const usage = { inputTokens: INPUT_TOKENS, outputTokens: OUTPUT_TOKENS, estimated: false };
  let routed = 0;
  let ideal = 0;
  const byModel: Record<string, number> = {};
  for (const example of examples) {
    const decision = await router.decide(example.request);
    routed += costUsd(policy, decision.model, usage);
    byModel[decision.model] = (byModel[decision.model] ?? 0) + 1;
    const labelled = policy.routes.find((r) => r.name === example.expected)!;
    ideal += costUsd(policy, labelled.model, usage);
  }
  const all = examples.length * costUsd(policy, baseline, usage);
  return { n: examples.length, baseline, routedUsd: routed, labelledUsd: ideal, baselineUsd: all, saving: 1 - routed / all, byModel };
}

async function main() {
  const ttft = await benchFirstToken();
  console.log(`time to first token, loopback server, ${ttft.rounds} rounds each (same run, alternating order)`);
  console.log(`  direct openai SDK:  p50 ${ttft.directP50.toFixed(3)} ms  p99 ${ttft.directP99.toFixed(3)} ms`);
  console.log(`  through Omni:       p50 ${ttft.omniP50.toFixed(3)} ms  p99 ${ttft.omniP99.toFixed(3)} ms`);
  console.log(`  added by Omni:      ${ttft.addedMs.toFixed(3)} ms median (target < 2 ms), ratio ${ttft.ratio.toFixed(2)}x`);
  const cost = await benchDevSetCost();
  console.log(`\ndev set cost (${cost.n} requests × ${INPUT_TOKENS} input + ${OUTPUT_TOKENS} output tokens, policy-fine.json, --mode local)`);
  console.log(`  all to baseline (${cost.baseline}): $${cost.baselineUsd.toFixed(4)}`);
  console.log(`  routed by Omni:                $${cost.routedUsd.toFixed(4)}  (saving ${(cost.saving * 100).toFixed(1)}%; requests per model: ${JSON.stringify(cost.byModel)})`);
  console.log(`  routed by the labels:          $${cost.labelledUsd.toFixed(4)}`);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
