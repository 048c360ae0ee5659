/** `omni ask "<prompt>"`: answers a request with the routed model, streaming, with failover notes and a cost footer. */
import { answer } from '../../core/engine/answer';
import type { AnswerEvent, DoneEvent } from '../../core/engine/events';
import { buildRouter } from '../../core/router';
import { parseCommandArgs, requestOptions, requestUsage } from '../args';
import { setUpPromptCommand } from '../request';
import type { CliCommand } from './index';

const usage = `usage: omni ask "<prompt>" [options]

Answers a request with the model the policy routes it to. The answer goes to stdout as it streams;
the route, failover notes and the cost footer go to stderr. Ctrl-C cancels.

${requestUsage}
  --model ALIAS        answer with this model and skip the router`;

/** Exit code after Ctrl-C, as shells report a SIGINT. */
const EXIT_CANCELLED = 130;

export const ask: CliCommand = {
  summary: 'answer a request with the routed model, streaming',
  async run(args) {
    const parsed = parseCommandArgs(args, { ...requestOptions, model: { type: 'string' } }, usage);
    if (!parsed) return 0;
    const { values, positionals } = parsed;
    const setup = setUpPromptCommand(values, positionals, usage);
    if (!setup) return 1;
    const { loaded, providers, request } = setup;
    const router = buildRouter(loaded.policy, { getProvider: providers.get });

    const controller = new AbortController();
    // Only the first Ctrl-C is ours (a clean cancel); a second one gets Node's default and ends the process.
    const cancel = () => controller.abort();
    process.once('SIGINT', cancel);
    // A reader that went away (`omni ask … | head`) cancels the answer instead of crashing on EPIPE. The listener
    // stays after the answer: the write error is emitted asynchronously, possibly after the last event.
    process.stdout.on('error', cancel);
    const print = values.json ? printJson : printText;
    let exitCode = 1;
    try {
      const events = answer(request, {
        policy: loaded.policy,
        router,
        providers,
        signal: controller.signal,
        override: values.model ? { model: values.model } : undefined,
      });
      for await (const event of events) {
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

function printJson(event: AnswerEvent): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

function printText(event: AnswerEvent): void {
  switch (event.type) {
    case 'decision':
      return note(`${event.decision.route} → ${event.model} (${event.displayName} via ${event.provider}): ${event.reason}\n`);
    case 'token':
      return void process.stdout.write(event.text);
    case 'reasoning':
      return note(event.text);
    case 'retry':
      return note(`\n[${event.reason}]\n`);
    case 'fallback':
      return note(`\n[${event.reason}]\n`);
    case 'usage':
      return;
    case 'done':
      return note(`\n${footer(event)}\n`);
    case 'error':
      return note(event.cancelled ? '\n[cancelled]\n' : `\nomni: ${event.message}\n`);
  }
}

/** Route notes go to stderr so `omni ask … > answer.md` keeps only the answer. */
function note(text: string): void {
  process.stderr.write(text);
}

function footer(done: DoneEvent): string {
  const { inputTokens, outputTokens, estimated } = done.usage;
  const tokens = `${inputTokens} in / ${outputTokens} out tokens${estimated ? ' (estimated)' : ''}`;
  return `— ${done.model} · ${tokens} · $${done.costUsd.toFixed(6)} · first token ${ms(done.timeToFirstTokenMs)} · total ${ms(done.totalMs)}`;
}

function ms(value: number): string {
  return value < 1000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(1)} s`;
}
