/**
 * What every provider does the same way whatever its SDK: find its own key, close the HTTP request when the caller
 * cancels or stops reading, read the wire format, and report failures as `ProviderError`.
 */
import type { ProviderSettings } from './config';
import { missingKeyError, toProviderError, unreadableAnswerError, type ErrorContext } from './errors';
import { keepStreamTail } from './streamTail';
import { ProviderError, type ChatProvider, type CompletionRequest, type CompletionResult, type KeyLookup, type StreamChunk } from './types';
import { isWireCompletion, readWireCompletion, readWireStream, type WireChunk, type WireCompletion } from './wire';

/** One call as an SDK adapter gets it. */
export interface WireCall {
  request: CompletionRequest;
  /** Undefined: send no Authorization header at all. */
  apiKey: string | undefined;
  signal: AbortSignal | undefined;
  /** The fetch the SDK must use, so Omni sees the headers of refused responses. */
  fetch: typeof fetch;
}

/** The only part that differs between SDKs. */
export interface WireTransport {
  streamChunks(call: WireCall): AsyncIterable<WireChunk>;
  completion(call: WireCall): Promise<WireCompletion>;
}

/** A `ChatProvider` over an SDK adapter. */
export function createChatProvider(
  settings: ProviderSettings,
  transport: WireTransport,
  options: { keys: KeyLookup; fetch: typeof fetch; keyCommand?: string; lessText?: string; definedIn?: string },
): ChatProvider {
  async function apiKeyFor(): Promise<string | undefined> {
    const key = (await options.keys(settings.name, settings.apiKeyEnv))?.trim();
    if (!key && settings.apiKeyEnv) throw missingKeyError(settings, options.keyCommand);
    return key || undefined;
  }

  /** The failure of one call, with what its fetch wrapper kept and what the caller knows, the key cut out. */
  function failure(error: unknown, request: CompletionRequest, watcher: RefusalWatcher, apiKey: string | undefined, unreadable: Pick<ErrorContext, 'unreadableAnswer' | 'unreadableEvent'>): ProviderError {
    const { keyCommand, lessText, definedIn } = options;
    const { signal, model, contextWindow, policyFile, routingTokenBudget } = request;
    const { retryAfter: retryAfterHeader, refusedBody, fetchFailure } = watcher;
    const context = { signal, retryAfterHeader, refusedBody, fetchFailure, keyCommand, lessText, definedIn, model, contextWindow, policyFile, routingTokenBudget };
    return withoutKey(toProviderError(settings, error, { ...context, ...unreadable }), apiKey);
  }

  return {
    name: settings.name,
    origin: new URL(settings.baseURL).origin,

    async complete(request: CompletionRequest): Promise<CompletionResult> {
      const watcher = watchRefusals(options.fetch);
      const tail = keepStreamTail(watcher.fetch);
      let apiKey: string | undefined;
      try {
        apiKey = await apiKeyFor();
        const completion: unknown = await transport.completion({ request, apiKey, signal: request.signal, fetch: tail.fetch });
        if (!isWireCompletion(completion)) throw unreadableAnswerError(settings, completion, tail.bodyStart());
        return readWireCompletion(completion);
      } catch (error) {
        throw failure(error, request, watcher, apiKey, { unreadableAnswer: error instanceof SyntaxError ? tail.bodyStart() : undefined });
      }
    },

    async *stream(request: CompletionRequest): AsyncGenerator<StreamChunk> {
      // Our own controller, so the request is closed also when the caller just stops iterating.
      const controller = new AbortController();
      const cancel = () => controller.abort();
      request.signal?.addEventListener('abort', cancel, { once: true });
      const watcher = watchRefusals(options.fetch);
      const tail = keepStreamTail(watcher.fetch);
      let apiKey: string | undefined;
      try {
        if (request.signal?.aborted) controller.abort();
        apiKey = await apiKeyFor();
        const chunks = transport.streamChunks({ request, apiKey, signal: controller.signal, fetch: tail.fetch });
        yield* readWireStream(chunks, settings, tail.url);
      } catch (error) {
        throw failure(error, request, watcher, apiKey, { unreadableEvent: error instanceof SyntaxError ? tail.unreadableEvent() : undefined });
      } finally {
        controller.abort();
        request.signal?.removeEventListener('abort', cancel);
      }
    },
  };
}

/**
 * Some providers echo the rejected key in their error body; errors reach logs, the chat and the terminal, so the key
 * is cut out of the message before anything else sees it.
 */
function withoutKey(error: ProviderError, apiKey: string | undefined): ProviderError {
  if (!apiKey || apiKey.length < 4 || !error.message.includes(apiKey)) return error;
  const message = error.message.split(apiKey).join('[key redacted]');
  return new ProviderError(error.provider, error.kind, message, error.status, error.retryAfterSeconds);
}

/** What a call's fetch kept for its error (see watchRefusals). */
interface RefusalWatcher {
  fetch: typeof fetch;
  retryAfter: string | null;
  refusedBody: string | undefined;
  fetchFailure: unknown;
}

/**
 * Wraps fetch to keep the Retry-After and the start of the body of a refused response: the Hugging Face SDK drops
 * response headers from its errors, and a body that is not its JSON (a proxy's text or HTML page) too. Keeps what
 * fetch threw as well: the openai SDK drops the cause (ETIMEDOUT…) of a connection that timed out.
 */
function watchRefusals(baseFetch: typeof fetch): RefusalWatcher {
  const watcher: RefusalWatcher = {
    retryAfter: null,
    refusedBody: undefined,
    fetchFailure: undefined,
    fetch: (async (input, init) => {
      const response = await baseFetch(input, init).catch((error: unknown) => {
        watcher.fetchFailure = error;
        throw error;
      });
      if (!response.ok) {
        watcher.retryAfter = response.headers.get('retry-after');
        watcher.refusedBody = await startOf(response.clone());
      }
      return response;
    }) as typeof fetch,
  };
  return watcher;
}

/** Enough of an error body for its message or an HTML page's title, without holding a large page in memory. */
const REFUSED_BODY_CHARS = 2048;

async function startOf(response: Response): Promise<string | undefined> {
  const reader = response.body?.getReader();
  if (!reader) return undefined;
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (let chunk = await reader.read(); !chunk.done && text.length < REFUSED_BODY_CHARS; chunk = await reader.read()) text += decoder.decode(chunk.value, { stream: true });
  } catch {
    // The SDK reads the same body and reports its failure; the SDK's own message is used then.
    return undefined;
  } finally {
    void reader.cancel().catch(() => undefined);
  }
  return text.slice(0, REFUSED_BODY_CHARS);
}
