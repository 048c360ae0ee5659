/** `omni ask "<prompt>"`: answers a request with the routed model, streaming, with failover notes and a cost footer. */
import { answer, MODEL_TIMEOUT_RANGE_MS } from '../../core/engine/answer';
import { overrideDecision } from '../../core/engine/candidates';
import type { AnswerEvent } from '../../core/engine/events';
import { DEFAULT_POLICY_SOURCE } from '../../core/policy/load';
import { buildRouter } from '../../core/router';
import { textPrinter } from '../answerPrinter';
import { millisecondsOption, parseCommandArgs, requestOptions, requestUsage, UsageError } from '../args';
import { editablePolicy } from '../policy';
import { setUpPromptCommand } from '../request';
import { EXIT_CANCELLED, printErrorLine, printJson } from '../terminal';
import type { CliCommand } from './index';

const usage = `usage: omni ask "<prompt>" [options]
       omni ask - [options]        (the prompt from stdin: git diff | omni ask - --command explain)

Answers a request with the model the policy routes it to. The answer goes to stdout: as it streams on a
terminal, complete and only once a model has answered when stdout is a file or a pipe. The route, reasoning,
failover notes and the cost footer go to stderr. Ctrl-C cancels.

${requestUsage}
  --model M            answer with this model (a policy alias or its provider model id); the router still names the route
  --first-token-timeout-ms MS   wait this long for a model's first token before trying the next (default 20000)
  --stall-timeout-ms MS         wait this long when a stream goes silent before trying the next (default 30000)`;

export const ask: CliCommand = {
  summary: 'answer a request with the routed model, streaming',
  handlesCtrlC: true,
  async run(args) {
    const options = { ...requestOptions, model: { type: 'string' }, 'first-token-timeout-ms': { type: 'string' }, 'stall-timeout-ms': { type: 'string' } } as const;
    const parsed = parseCommandArgs(args, options, usage);
    if (!parsed) return 0;
    const { values, positionals } = parsed;
    // The same bounds as the extension's omni.firstTokenTimeoutMs and omni.stallTimeoutMs settings.
    const firstTokenTimeoutMs = millisecondsOption(values, 'first-token-timeout-ms', MODEL_TIMEOUT_RANGE_MS.min, MODEL_TIMEOUT_RANGE_MS.max, usage);
    const stallTimeoutMs = millisecondsOption(values, 'stall-timeout-ms', MODEL_TIMEOUT_RANGE_MS.min, MODEL_TIMEOUT_RANGE_MS.max, usage);
    const setup = await setUpPromptCommand(values, positionals, usage);
    if (!setup) return 1;
    const { loaded, providers, request } = setup;
    // Checked before the router runs (Arch-Router may be asked, up to its timeout): a typo is the command line's.
    if (values.model && !overrideDecision(loaded.policy, values.model)) {
      throw new UsageError(`--model "${values.model}" is not a model of ${loaded.source}: use one of ${Object.keys(loaded.policy.models).join(', ')}`);
    }
    const policyFile = editablePolicy(loaded.source);
    const router = buildRouter(loaded.policy, { getProvider: providers.get, policyFile });
    // Only the tag's "via huggingface" would hint at it otherwise.
    if (loaded.source === DEFAULT_POLICY_SOURCE && !values.json) {
      printErrorLine('omni: no .omni/policies.json here or above, so the built-in policy routes (Hugging Face models); "omni init" creates one');
    }

    const controller = new AbortController();
    // Only the first Ctrl-C is ours (a clean cancel); a second one gets Node's default and ends the process.
    const cancel = () => controller.abort();
    process.once('SIGINT', cancel);
    // A reader that went away (`omni ask … | head`) is not a cancel by the user: the request stops and the command
    // ends quietly. The listener stays after the answer: the write error is emitted asynchronously, possibly after
    // the last event.
    let readerGone = false;
    process.stdout.on('error', () => {
      readerGone = true;
      controller.abort();
    });
    // The notes on stderr are not the answer: a reader of them that went away (`2> >(head -1)`) must not crash the
    // command with an unhandled EPIPE (exit 1) while stdout still takes the answer. With `2>&1 | head` stdout goes too.
    process.stderr.on('error', () => {});
    const print = values.json ? printEvent : textPrinter(process.stdout, process.stderr);
    let exitCode = 1;
    try {
      const events = answer(request, {
        policy: loaded.policy,
        router,
        providers,
        signal: controller.signal,
        override: values.model ? { model: values.model } : undefined,
        firstTokenTimeoutMs,
        stallTimeoutMs,
        timeoutSettings: { firstToken: '--first-token-timeout-ms', stall: '--stall-timeout-ms' },
        policyFile,
      });
      for await (const event of events) {
        if (readerGone && event.type === 'error' && event.cancelled) return 0;
        print(event);
        if (event.type === 'done') exitCode = 0;
        if (event.type === 'error') exitCode = event.cancelled ? EXIT_CANCELLED : 1;
      }
    } finally {
      process.off('SIGINT', cancel);
    }
    return exitCode;
  },
};

/** One JSON line per event; the last, `done` or `error`, is the outcome. */
function printEvent(event: AnswerEvent): void {
  printJson(event, event.type === 'done' || event.type === 'error');
}
