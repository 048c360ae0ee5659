/**
 * The OpenAI chat-completions wire shapes both SDKs hand back, and how Omni reads them:
 * reasoning (a separate `reasoning_content`/`reasoning` field, or `<think>` tags in the text) never becomes answer text.
 */
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

/** Stream chunks out of wire chunks; throws `protocol` when the stream stops before a `finish_reason`, i.e. was cut. */
export async function* readWireStream(chunks: AsyncIterable<WireChunk>, provider: ProviderNaming): AsyncGenerator<StreamChunk> {
  const splitter = new ThinkSplitter();
  let finished = false;
  for await (const chunk of chunks) {
    const choice = chunk.choices?.[0];
    const reasoning = choice?.delta?.reasoning_content ?? choice?.delta?.reasoning;
    if (typeof reasoning === 'string' && reasoning.length > 0) yield { type: 'reasoning', text: reasoning };
    const content = choice?.delta?.content;
    if (typeof content === 'string' && content.length > 0) yield* splitter.push(content);
    if (choice?.finish_reason) finished = true;
    const usage = readUsage(chunk.usage);
    if (usage) yield { type: 'usage', usage };
  }
  yield* splitter.flush();
  if (!finished) {
    throw new ProviderError(provider.name, 'protocol', `${provider.label} stopped streaming before the answer was complete`);
  }
}

/** The answer of a non-streamed completion, without any `<think>` part. */
export function readWireCompletion(completion: WireCompletion): CompletionResult {
  const splitter = new ThinkSplitter();
  const parts = [...splitter.push(completion.choices?.[0]?.message?.content ?? ''), ...splitter.flush()];
  const text = parts.filter((part) => part.type === 'token').map((part) => part.text).join('');
  return { text, usage: readUsage(completion.usage) };
}

function readUsage(usage: WireUsage | null | undefined): TokenUsage | undefined {
  if (typeof usage?.prompt_tokens !== 'number' || typeof usage.completion_tokens !== 'number') return undefined;
  return { inputTokens: usage.prompt_tokens, outputTokens: usage.completion_tokens, estimated: false };
}

interface ProviderNaming {
  name: string;
  label: string;
}
