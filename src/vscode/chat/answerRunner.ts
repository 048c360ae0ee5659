/**
 * Runs one answer through the core engine and turns its events into protocol messages for the chat webviews,
 * the status bar and the routing log. Knows nothing about conversations beyond the request it is given.
 */
import type * as vscode from 'vscode';
import { answer, type AnswerDeps } from '../../core/engine/answer';
import { costUsd, estimateUsage } from '../../core/engine/cost';
import type { Charge } from '../../core/engine/ledger';
import type { AnswerEvent, Attempt, DoneEvent } from '../../core/engine/events';
import type { Policy } from '../../core/policy/schema';
import type { OmniRequest } from '../../core/request';
import type { RoutingDecision } from '../../core/router/types';
import { toDecisionTag, type AnswerError, type AssistantTurn, type HostMessage, type SetupLines } from '../../protocol/messages';

export interface RunResult {
  /** The model that answered, when one did. */
  done?: DoneEvent;
  /** An answer the user stopped after a model was asked: its tokens were sent (and some received), so they count. */
  stopped?: Charge;
}

export interface RunOptions {
  requestId: string;
  /** Updated as events arrive, so what is saved is what the user saw. */
  turn: AssistantTurn;
  request: OmniRequest;
  deps: Omit<AnswerDeps, 'signal'>;
  signal: AbortSignal;
  post: (message: HostMessage) => void;
  log: vscode.LogOutputChannel;
  /** Called with the first model as soon as routing is done (status bar). */
  onDecision?: (decision: RoutingDecision, displayName: string) => void;
}

export async function runAnswer(options: RunOptions): Promise<RunResult> {
  const { requestId, post, log, deps, turn } = options;
  const result: RunResult = {};
  turn.text = '';
  const started = Date.now();
  let firstTokenAt: number | undefined;
  let decided: RoutingDecision | undefined;
  /** The model streaming now: the first one, or the one a failover handed over to. */
  let answering: string | undefined;
  const display = (alias: string) => displayName(deps.policy, alias);
  for await (const event of answer(options.request, { ...deps, signal: options.signal }) as AsyncIterable<AnswerEvent>) {
    switch (event.type) {
      case 'decision': {
        const decision = { ...event.decision, model: event.model, reason: event.reason };
        decided = decision;
        answering = event.model;
        turn.tag = toDecisionTag(decision, { displayName: event.displayName, provider: event.provider }, display);
        post({ type: 'decision', requestId, tag: turn.tag });
        options.onDecision?.(decision, event.displayName);
        log.info(`[${requestId}] ${decision.route} → ${event.model} (${event.provider}) by ${decision.stage}: ${event.reason}`);
        break;
      }
      case 'token':
        firstTokenAt ??= Date.now();
        turn.text += event.text;
        post({ type: 'token', requestId, text: event.text });
        break;
      case 'reasoning':
        turn.reasoning = (turn.reasoning ?? '') + event.text;
        post({ type: 'reasoning', requestId, text: event.text });
        break;
      case 'retry':
        log.warn(`[${requestId}] ${event.reason}`);
        break;
      case 'fallback': {
        if (event.partialDiscarded) {
          turn.text = '';
          turn.reasoning = undefined;
        }
        const note = { failedModel: display(event.from), cause: event.cause, nextModel: display(event.to), partialDiscarded: event.partialDiscarded };
        turn.notes.push(note);
        post({ type: 'fallback', requestId, note });
        // The status bar shows who is answering now, not only who was picked.
        answering = event.to;
        if (decided) options.onDecision?.({ ...decided, model: event.to }, display(event.to));
        log.warn(`[${requestId}] fallback: ${event.reason}`);
        break;
      }
      case 'usage':
        turn.usage = event.usage;
        post({ type: 'usage', requestId, usage: event.usage });
        break;
      case 'done':
        result.done = event;
        turn.text = event.text;
        turn.status = 'done';
        turn.footer = {
          ...event.usage,
          costUsd: event.priced ? event.costUsd : null,
          timeToFirstTokenMs: event.timeToFirstTokenMs,
          totalMs: event.totalMs,
          model: event.displayName,
          ...(event.incomplete ? { incomplete: event.incomplete } : {}),
        };
        post({ type: 'done', requestId, stopped: false, footer: turn.footer });
        log.info(
          `[${requestId}] done by ${event.model}: ${event.usage.inputTokens}+${event.usage.outputTokens} tokens${event.usage.estimated ? ' (estimated)' : ''}, ` +
            `$${event.costUsd.toFixed(6)}, first token ${event.timeToFirstTokenMs} ms, total ${event.totalMs} ms`,
        );
        break;
      case 'error':
        if (event.cancelled) {
          turn.status = 'stopped';
          // The provider never reported usage for a cut stream: estimate what was sent and what arrived, and price that.
          const usage = { ...(turn.usage ?? estimateUsage(options.request.messages, turn.text)), estimated: true };
          const priced = answering !== undefined && deps.policy.models[answering]?.price !== undefined;
          if (answering) result.stopped = { usage, costUsd: priced ? costUsd(deps.policy, answering, usage) : 0 };
          turn.footer = {
            ...usage,
            costUsd: priced && result.stopped ? result.stopped.costUsd : null,
            timeToFirstTokenMs: firstTokenAt === undefined ? null : firstTokenAt - started,
            totalMs: Date.now() - started,
            model: turn.tag?.modelDisplayName ?? '',
          };
          post({ type: 'done', requestId, stopped: true, footer: turn.footer });
          log.info(`[${requestId}] stopped by the user`);
          break;
        }
        turn.status = 'error';
        turn.setup = setupLines(event.attempts, deps.policy);
        // Nothing configured yet: two lines on what to do say more than a list of failed attempts (those go to the log).
        if (turn.setup) post({ type: 'setup', requestId, lines: turn.setup });
        else {
          turn.error = toAnswerError(event.message, event.attempts, deps.policy);
          post({ type: 'error', requestId, error: turn.error });
        }
        log.error(`[${requestId}] no model answered: ${event.message}`);
        break;
    }
  }
  return result;
}

export function displayName(policy: Policy, alias: string): string {
  const entry = policy.models[alias];
  return entry ? (entry.displayName ?? entry.model) : alias;
}

function toAnswerError(message: string, attempts: Attempt[], policy: Policy): AnswerError {
  const auth = attempts.find((a) => a.cause === 'auth');
  // The chat lists the attempts under the message; the message's own copy of them ("no model could answer:\n  coder
  // (hf): …") would say everything twice. Lines after them are advice, shown as the hint.
  const [first, ...rest] = message.split('\n');
  const advice = attempts.length > 0 ? rest.filter((line) => !line.startsWith('  ')).join('\n') : '';
  return {
    message: (attempts.length > 0 ? first.replace(/:$/, '.') : message).slice(0, 2000),
    hint: auth ? auth.message.slice(0, 500) : advice ? advice.slice(0, 500) : undefined,
    attempts: attempts.map((a) => ({ model: displayName(policy, a.model), cause: a.message.slice(0, 500) })),
  };
}

/**
 * First run: no key and no local model reachable. Two lines say what to do, while the tag above still shows the
 * routing decision, so the user sees Omni working before configuring anything.
 */
function setupLines(attempts: Attempt[], policy: Policy): SetupLines | undefined {
  const unconfigured = attempts.length > 0 && attempts.every((a) => a.cause === 'auth' || a.cause === 'connection' || a.skipped);
  if (!unconfigured) return undefined;
  const providers = [...new Set(attempts.map((a) => policy.models[a.model]?.provider ?? a.provider))];
  return [
    `No model could be reached (${providers.join(', ')}): a key is missing or the server is not running.`,
    'Run "Omni: Set API Key" for your provider, or start Ollama ("ollama serve") and use "Omni: Create Policy" → Local models.',
  ];
}
