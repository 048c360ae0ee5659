/** `omni route "<prompt>"`: prints which route and model a request gets, and why. */
import { candidateOrder, privacyRefusal } from '../../core/engine/candidates';
import { buildRouter } from '../../core/router';
import { parseCommandArgs, requestOptions, requestUsage } from '../args';
import { editablePolicy } from '../policy';
import { setUpPromptCommand } from '../request';
import { printJson, printLine } from '../terminal';
import { parseMode } from './mode';
import type { CliCommand } from './index';

const usage = `usage: omni route "<prompt>" [options]
       omni route - [options]      (the prompt from stdin)

Prints the routing decision for a request and why it was made.

${requestUsage}
  --mode M             local | auto | arch (default: the policy's router.mode)`;

export const route: CliCommand = {
  summary: 'show which route and model a request gets, and why',
  async run(args) {
    const parsed = parseCommandArgs(args, { ...requestOptions, mode: { type: 'string' } }, usage);
    if (!parsed) return 0;
    const { values, positionals } = parsed;
    const setup = await setUpPromptCommand(values, positionals, usage);
    if (!setup) return 1;
    const { loaded, providers, request } = setup;
    const router = buildRouter(loaded.policy, { mode: parseMode(values.mode, loaded), getProvider: providers.get, policyFile: editablePolicy(loaded.source) });
    const decision = await router.decide(request);
    // What `ask` would pass over, so "could this reach that provider?" gets the same answer here.
    const refusal = privacyRefusal(loaded.policy, request, providers);
    const privacySkipped = refusal
      ? candidateOrder(loaded.policy, decision).flatMap((model) => {
          const why = refusal(model);
          return why ? [{ model, why }] : [];
        })
      : [];
    if (values.json) {
      printJson(privacySkipped.length > 0 ? { ...decision, privacySkipped } : decision);
      return 0;
    }
    const model = loaded.policy.models[decision.model];
    printLine(`${decision.route} → ${decision.model} (${model.model} via ${model.provider})`);
    printLine(`why: ${decision.reason}`);
    printLine(`stage: ${decision.stage}, decided in ${decision.latencyMs} ms`);
    if (decision.fallbacks.length > 0) printLine(`fallbacks: ${decision.fallbacks.join(' → ')}`);
    for (const { model, why } of privacySkipped) printLine(`${model} would be skipped: ${why}`);
    if (decision.scores) {
      printLine(`scores: ${decision.scores.slice(0, 5).map((s) => `${s.route} ${s.score.toFixed(2)}`).join(', ')}`);
    }
    printLine(`policy: ${loaded.source}`);
    return 0;
  },
};
