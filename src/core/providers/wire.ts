/**
 * The OpenAI chat-completions wire shapes both SDKs hand back, and how Omni reads them:
 * reasoning (a separate `reasoning_content`/`reasoning` field, or `<think>` tags in the text) never becomes answer text.
 */
import type { ProviderSettings } from './config';
import { noEventStreamError, unreadableReplyError } from './errors';
import { ThinkSplitter } from './thinkSplitter';
import { ProviderError, type CompletionResult, type StreamChunk, type TokenUsage } from './types';

interface WireUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
}

/** The parts of a streamed chunk Omni reads. */
export interface WireChunk {
  choices?: Array<{
    delta?: { content?: string | null; reasoning_content?: unknown; reasoning?: unknown };
    finish_reason?: string | null;
  }>;
  usage?: WireUsage | null;
}

/** The parts of a non-streamed completion Omni reads. */
export interface WireCompletion {
  choices?: Array<{ message?: { content?: string | null } }>;
  usage?: WireUsage | null;
}

/** Usage above this many tokens for one request is a provider bug, not a count to bill. */
const MAX_REPORTED_TOKENS = 10_000_000;

/**
 * Stream chunks out of wire chunks, ending with the `finish_reason`; throws `protocol` when the stream stops before
 * one, i.e. was cut, or when nothing at all arrived, i.e. the response was not an event stream (named by `url`, the
 * one it came from), or no event was a chat completion chunk.
 */
export async function* readWireStream(chunks: AsyncIterable<WireChunk>, provider: ProviderSettings, url: () => string | undefined): AsyncGenerator<StreamChunk> {
  const splitter = new ThinkSplitter();
  let finishReason: string | undefined;
  let received = false;
  /** The first event without `choices`: when no event has them, the server is not OpenAI-compatible. */
  let foreign: unknown;
  let sawChoices = false;
  for await (const chunk of chunks) {
    received = true;
    // `choices: []` is a chunk too: the usage chunk, Azure's content-filter results.
    if (Array.isArray(chunk?.choices)) sawChoices = true;
    else foreign ??= chunk;
    const choice = chunk?.choices?.[0];
    const reasoning = choice?.delta?.reasoning_content ?? choice?.delta?.reasoning;
    if (typeof reasoning === 'string' && reasoning.length > 0) yield { type: 'reasoning', text: reasoning };
    const content = choice?.delta?.content;
    if (typeof content === 'string' && content.length > 0) yield* splitter.push(content);
    if (choice?.finish_reason) finishReason = choice.finish_reason;
    const usage = readUsage(chunk?.usage);
    if (usage) yield { type: 'usage', usage };
  }
  yield* splitter.flush();
  // A proxy's login page, or a server that ignores `stream: true`, answers 200 with no events at all.
  if (!received) throw noEventStreamError(provider, url());
  if (!sawChoices && foreign !== undefined) throw unreadableReplyError(provider, 'a streaming message', JSON.stringify(foreign), 'a chat completion');
  if (finishReason === undefined) {
    throw new ProviderError(provider.name, 'protocol', `${provider.label} stopped streaming before the answer was complete`);
  }
  yield { type: 'finish', reason: finishReason };
}

/** Whether a non-streamed reply is a chat completion: a server that is not OpenAI-compatible may answer 200 with other JSON. */
export function isWireCompletion(reply: unknown): reply is WireCompletion {
  return typeof reply === 'object' && reply !== null && Array.isArray((reply as WireCompletion).choices);
}

/** The answer of a non-streamed completion, without any `<think>` part. */
export function readWireCompletion(completion: WireCompletion): CompletionResult {
  const splitter = new ThinkSplitter();
  let text = '';
  for (const part of [...splitter.push(completion.choices?.[0]?.message?.content ?? ''), ...splitter.flush()]) {
    if (part.type === 'token') text += part.text;
    else if (part.answerWasReasoning) text = '';
  }
  return { text, usage: readUsage(completion.usage) };
}

/** The provider's token counts, or undefined (so Omni estimates and says so) when they are missing or impossible. */
function readUsage(usage: WireUsage | null | undefined): TokenUsage | undefined {
  if (!isTokenCount(usage?.prompt_tokens) || !isTokenCount(usage.completion_tokens)) return undefined;
  return { inputTokens: usage.prompt_tokens, outputTokens: usage.completion_tokens, estimated: false };
}

function isTokenCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= MAX_REPORTED_TOKENS;
}
