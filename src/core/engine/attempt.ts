/** One model's try at an answer: streams its text, bounded by a first-token deadline and a stall deadline. */
import { ProviderError, type ChatProvider, type CompletionRequest, type TokenUsage } from '../providers/types';
import { emptyAnswerMessage } from './finish';
import { linkedController, within } from './timing';

export interface AttemptLimits {
  /** Longest wait for the first streamed text (answer or reasoning). */
  firstTokenTimeoutMs: number;
  /** Longest silence between two chunks once text flows. */
  stallTimeoutMs: number;
  /** Where the user raises each limit where Omni runs ("--first-token-timeout-ms"), for the timeout message. */
  settings?: { firstToken?: string; stall?: string };
}

/**
 * `replacesAnswer`: the answer text streamed so far was reasoning (the model closed a `</think>` it never opened);
 * it is withdrawn, and this event's text, which starts with it, is reasoning.
 */
export type TextEvent = { type: 'token'; text: string } | { type: 'reasoning'; text: string; replacesAnswer?: true };

export type AttemptOutcome =
  | { ok: true; text: string; reasoning: string; usage?: TokenUsage; firstOutputAt: number; finishReason?: string }
  | { ok: false; error: ProviderError; partialText: string };

/**
 * Streams `request` from `provider`, yielding its text as it comes; the return value says how it ended.
 * Never throws: every failure, including a deadline and an answer with no text, comes back as a `ProviderError` outcome.
 */
export async function* streamAttempt(
  provider: ChatProvider,
  request: Omit<CompletionRequest, 'signal'>,
  signal: AbortSignal | undefined,
  limits: AttemptLimits,
  clock: () => number,
): AsyncGenerator<TextEvent, AttemptOutcome> {
  // Aborting this controller closes the HTTP request, on a deadline as on the caller's cancellation.
  const { controller, dispose } = linkedController(signal);
  const iterator = provider.stream({ ...request, signal: controller.signal })[Symbol.asyncIterator]();
  let text = '';
  let reasoning = '';
  let usage: TokenUsage | undefined;
  let firstOutputAt: number | undefined;
  let finishReason: string | undefined;
  try {
    for (;;) {
      const waitMs = firstOutputAt === undefined ? limits.firstTokenTimeoutMs : limits.stallTimeoutMs;
      const step = await within(iterator.next(), waitMs, () => {
        controller.abort();
        const first = firstOutputAt === undefined;
        const what = first ? 'sent no first token' : 'stopped streaming';
        const setting = first ? limits.settings?.firstToken : limits.settings?.stall;
        // A local model loading into memory for its first request is the usual slow starter.
        const fix = setting ? (first ? `; a model that is still loading may need longer: raise ${setting}` : `; raise ${setting} to wait longer`) : '';
        return new ProviderError(provider.name, 'timeout', `${provider.name} ${what} for ${waitMs} ms${fix}`);
      });
      if (step.done) break;
      const chunk = step.value;
      if (chunk.type === 'usage') {
        usage = chunk.usage;
        continue;
      }
      if (chunk.type === 'finish') {
        finishReason = chunk.reason;
        continue;
      }
      firstOutputAt ??= clock();
      if (chunk.type === 'token') {
        text += chunk.text;
        yield chunk;
      } else if (chunk.answerWasReasoning) {
        const event = { type: 'reasoning' as const, text: text + chunk.text, replacesAnswer: true as const };
        reasoning += event.text;
        text = '';
        yield event;
      } else {
        reasoning += chunk.text;
        yield { type: 'reasoning', text: chunk.text };
      }
    }
    // Nothing to show is a failure the next model may not have: a filter, a tool call, a reasoning-only reply.
    if (text.trim() === '') throw new ProviderError(provider.name, 'protocol', emptyAnswerMessage(provider.name, finishReason, reasoning !== ''));
    return { ok: true, text, reasoning, usage, firstOutputAt: firstOutputAt ?? clock(), finishReason };
  } catch (error) {
    const failure = error instanceof ProviderError ? error : new ProviderError(provider.name, 'protocol', String(error));
    // The text that arrived before the failure, reasoning included: it was generated, so it is paid for.
    return { ok: false, error: failure, partialText: text + reasoning };
  } finally {
    controller.abort();
    dispose();
    // Lets the provider's stream run its own cleanup; it may already be finished.
    iterator.return?.(undefined).catch(() => {});
  }
}
