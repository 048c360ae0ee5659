/**
 * Runs one answer through the core engine and turns its events into protocol messages for the chat webviews,
 * the status bar and the routing log. Knows nothing about conversations beyond the request it is given.
 */
import type * as vscode from 'vscode';
import { answer, type AnswerDeps } from '../../core/engine/answer';
import { addSpend, estimateUsage, spendOn } from '../../core/engine/cost';
import type { Charge } from '../../core/engine/ledger';
import type { AnswerEvent, Attempt, DoneEvent } from '../../core/engine/events';
import { displayName } from '../../core/policy/modelNames';
import type { Policy } from '../../core/policy/schema';
import type { OmniRequest } from '../../core/request';
import type { RoutingDecision } from '../../core/router/types';
import { toDecisionTag, type AnswerError, type AssistantTurn, type HostMessage, type SetupLines } from '../../protocol/messages';

export interface RunResult {
  /** The model that answered, when one did. */
  done?: DoneEvent;
  /** What the router picked, whichever model then answered. */
  routed?: { route: string; model: string };
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
  /** Whether a workspace folder is open, where "Omni: Create Policy" can write a policy. */
  folderOpen: boolean;
  /** Which folder's policy routes, for the tag; set only in a multi-root workspace. */
  policyName?: string;
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
        result.routed = { route: event.decision.route, model: event.decision.model };
        answering = event.model;
        turn.tag = { ...toDecisionTag(decision, { displayName: event.displayName, provider: event.provider }, display), ...(options.policyName ? { policy: options.policyName } : {}) };
        post({ type: 'decision', requestId, tag: turn.tag });
        options.onDecision?.(decision, event.displayName);
        log.info(`[${requestId}] ${decision.route} → ${event.model} (${event.provider}) by ${decision.stage}: ${event.reason}`);
        break;
      }
      case 'token':
        firstTokenAt ??= Date.now();
        delete turn.reasoningSince;
        turn.text += event.text;
        post({ type: 'token', requestId, text: event.text });
        break;
      case 'reasoning':
        // As the engine times a finished answer: reasoning is the model's first output.
        firstTokenAt ??= Date.now();
        if (event.replacesAnswer) turn.text = '';
        // Kept in the turn, not only in the view: a view built anew counts on from here.
        if (turn.text === '') turn.reasoningSince ??= Date.now();
        turn.reasoning = (turn.reasoning ?? '') + event.text;
        post({ type: 'reasoning', requestId, text: event.text, ...(event.replacesAnswer ? { replacesAnswer: true } : {}) });
        break;
      case 'retry': {
        // The model asked next reasons anew, if at all: the webview's status starts over too.
        delete turn.reasoningSince;
        // Up to a few seconds with nothing new on screen: the note says who is waited for, and why.
        const note = { failedModel: display(event.model), cause: event.message.slice(0, 500), nextModel: display(event.model), partialDiscarded: false, retryInMs: event.waitMs };
        turn.notes.push(note);
        post({ type: 'fallback', requestId, note });
        log.warn(`[${requestId}] ${event.reason}`);
        break;
      }
      case 'fallback': {
        delete turn.reasoningSince;
        if (event.partialDiscarded) {
          turn.text = '';
          turn.reasoning = undefined;
        }
        // The failure's own words carry the fix (a model to pull, a key to set); the cause's kind alone does not.
        const note = { failedModel: display(event.from), cause: event.message.slice(0, 500), nextModel: display(event.to), partialDiscarded: event.partialDiscarded };
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
          ...(event.trimmed ? { trimmed: event.trimmed } : {}),
        };
        post({ type: 'done', requestId, stopped: false, footer: turn.footer });
        if (event.trimmed) log.info(`[${requestId}] ${event.trimmed}`);
        log.info(
          `[${requestId}] done by ${event.model}: ${event.usage.inputTokens}+${event.usage.outputTokens} tokens${event.usage.estimated ? ' (estimated)' : ''}, ` +
            `$${event.costUsd.toFixed(6)}, first token ${event.timeToFirstTokenMs} ms, total ${event.totalMs} ms`,
        );
        break;
      case 'error':
        if (event.cancelled) {
          turn.status = 'stopped';
          if (!answering) {
            post({ type: 'done', requestId, stopped: true });
            log.info(`[${requestId}] stopped by the user before routing finished`);
            break;
          }
          // The provider never reported usage for a cut stream: estimate what was sent and what arrived (reasoning is
          // output too), and price that. Stopped while no model had the request (waiting to ask a rate-limited one
          // again), nothing was used: the refused request is not charged.
          // Partial answers discarded on failover before the stop were paid for as well.
          const current = event.asked
            ? { ...(turn.usage ?? estimateUsage(options.request.messages, turn.text + (turn.reasoning ?? ''))), estimated: true }
            : { inputTokens: 0, outputTokens: 0, estimated: false };
          const { usage, costUsd, priced } = addSpend(spendOn(deps.policy, answering, current), event.discarded);
          if (event.asked || event.discarded) result.stopped = { usage, costUsd, priced };
          turn.footer = {
            ...usage,
            costUsd: priced ? costUsd : null,
            timeToFirstTokenMs: firstTokenAt === undefined ? null : firstTokenAt - started,
            totalMs: Date.now() - started,
            // The model that streamed the text, a fallback included: it is the one priced above.
            model: display(answering),
          };
          post({ type: 'done', requestId, stopped: true, footer: turn.footer });
          log.info(`[${requestId}] stopped by the user`);
          break;
        }
        turn.status = 'error';
        turn.setup = setupLines(event.attempts, deps.policy, { localProviders: deps.providers.localNames(), folderOpen: options.folderOpen });
        // A key to set is one click away, rather than a command name to find in the palette.
        turn.keyFor = keyProviders(event.attempts);
        // Nothing configured yet: two lines on what to do say more than a list of failed attempts (those go to the log).
        if (turn.setup) post({ type: 'setup', requestId, lines: turn.setup, keyFor: turn.keyFor });
        else {
          turn.error = toAnswerError(event.message, event.attempts, deps.policy);
          post({ type: 'error', requestId, error: turn.error, keyFor: turn.keyFor });
        }
        log.error(`[${requestId}] no model answered: ${event.message}`);
        break;
    }
  }
  return result;
}

/** The providers whose key was missing or refused, once each; undefined when there is none. */
function keyProviders(attempts: Attempt[]): string[] | undefined {
  const providers = [...new Set(attempts.filter((a) => a.cause === 'auth').map((a) => a.provider))];
  return providers.length > 0 ? providers : undefined;
}

function toAnswerError(message: string, attempts: Attempt[], policy: Policy): AnswerError {
  const auth = attempts.find((a) => a.cause === 'auth');
  // The chat lists the attempts under the message; the message's own copy of them ("no model could answer:\n  coder
  // (hf): …") would say everything twice. Lines after them are advice, shown as the hint.
  const [first, ...rest] = message.split('\n');
  const advice = attempts.length > 0 ? rest.filter((line) => !line.startsWith('  ')).join('\n') : '';
  return {
    // The engine's message continues a CLI prefix ("omni: no model could answer"); in the chat it starts a sentence.
    message: capitalized(attempts.length > 0 ? first.replace(/:$/, '.') : message).slice(0, 2000),
    hint: auth ? auth.message.slice(0, 500) : advice ? advice.slice(0, 500) : undefined,
    attempts: attempts.map((a) => ({ model: displayName(policy, a.model), cause: a.message.slice(0, 500) })),
  };
}

export interface SetupContext {
  /** Providers that run on this machine (Ollama and the like): "not running" rather than "cannot be reached". */
  localProviders: readonly string[];
  folderOpen: boolean;
}

/**
 * First run: no key and no model reachable. Two lines say what is missing and what to do about it, told apart by
 * cause (a key, a local server that is not running, a remote one out of reach), while the tag above still shows
 * the routing decision, so the user sees Omni working before configuring anything.
 */
export function setupLines(attempts: Attempt[], policy: Policy, where: SetupContext): SetupLines | undefined {
  const unconfigured = attempts.length > 0 && attempts.every((a) => a.cause === 'auth' || a.cause === 'connection' || a.skipped);
  if (!unconfigured) return undefined;
  const { localProviders } = where;
  const providersOf = (which: (attempt: Attempt) => boolean) => [...new Set(attempts.filter(which).map((a) => policy.models[a.model]?.provider ?? a.provider))];
  // A key that was sent and refused is no missing key: someone who just stored one must not read that it is gone.
  const rejected = providersOf((a) => a.cause === 'auth' && a.status !== undefined);
  const missing = providersOf((a) => a.cause === 'auth' && a.status === undefined);
  const notRunning = providersOf((a) => a.cause === 'connection' && localProviders.includes(a.provider));
  const outOfReach = providersOf((a) => a.cause === 'connection' && !localProviders.includes(a.provider));
  const problems = [
    missing.length > 0 && `no key for ${missing.join(', ')}`,
    rejected.length > 0 && `${rejected.join(', ')} rejected the key`,
    notRunning.length > 0 && `${notRunning.join(', ')} is not running on this machine`,
    outOfReach.length > 0 && `${outOfReach.join(', ')} cannot be reached`,
  ].filter(Boolean);
  // Only skipped models (privacy, open circuits): the error with its attempts says more than a setup notice.
  if (problems.length === 0) return undefined;
  // Each key error names its own fix: the variable it was read from, or the command that replaces it.
  const keyFixes = [...new Set(attempts.filter((a) => a.cause === 'auth').map((a) => a.fix ?? 'run "Omni: Set API Key"'))];
  const actions = [
    ...keyFixes,
    notRunning.length > 0 && `start ${notRunning.includes('ollama') ? 'Ollama ("ollama serve")' : 'the model server'}`,
    outOfReach.length > 0 && 'check your network connection or proxy',
  ].filter(Boolean);
  const usesLocalModels = notRunning.length > 0 || policy.routes.some((route) => localProviders.includes(policy.models[route.model]?.provider ?? ''));
  // Create Policy writes into a folder: without one, opening a folder comes first.
  const local = usesLocalModels
    ? ''
    : where.folderOpen
      ? ' Or use models on this machine: "Omni: Create Policy" → Local models.'
      : ' Or use models on this machine: open a folder, then "Omni: Create Policy" → Local models.';
  return [`No model could answer: ${problems.join('; ')}.`, `${capitalized(actions.join('; or '))}.${local}`];
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
