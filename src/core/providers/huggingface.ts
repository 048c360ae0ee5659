/** Hugging Face Inference Providers through `@huggingface/inference`. */
import { InferenceClient } from '@huggingface/inference';
import type { WireCall, WireTransport } from './chatProvider';

/**
 * The HF SDK as a wire transport. The SDK is always given `endpointUrl` (the router `…/v1` by default, or a user's
 * base URL): it then posts to `{endpointUrl}/chat/completions` (appending `/v1` when missing), so a loopback server
 * or an Inference Endpoint works the same way as the router.
 */
export function huggingFaceTransport(baseURL: string): WireTransport {
  return {
    async *streamChunks(call) {
      const args = { ...body(call), stream_options: { include_usage: true } };
      yield* client(baseURL, call).chatCompletionStream(args, options(call));
    },
    async completion(call) {
      return client(baseURL, call).chatCompletion(body(call), options(call));
    },
  };
}

function client(baseURL: string, call: WireCall): InferenceClient {
  // An empty token makes the SDK send no Authorization header.
  return new InferenceClient(call.apiKey ?? '', { endpointUrl: baseURL });
}

// The SDK retries 503s forever by default; failover is Omni's job.
function options(call: WireCall) {
  return { signal: call.signal, fetch: call.fetch, retry_on_error: false };
}

/** `@huggingface/tasks` is not a direct dependency, so its input type is read off the client. */
type ChatCompletionArgs = Parameters<InferenceClient['chatCompletion']>[0];

function body(call: WireCall): ChatCompletionArgs {
  const { request } = call;
  return {
    model: routedModel(request.model, request.inferenceProvider),
    messages: request.messages.map(({ role, content }) => ({ role, content })),
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
    ...(request.maxTokens === undefined ? {} : { max_tokens: request.maxTokens }),
    ...(request.reasoningEffort === undefined ? {} : { reasoning_effort: request.reasoningEffort }),
  };
}

/**
 * Pins an Inference Provider with the router's `model:provider` suffix. The SDK's own `provider` option cannot be
 * combined with `endpointUrl`, and would cost an extra Hub lookup per request; `auto` is the router's default.
 */
function routedModel(model: string, inferenceProvider: string | undefined): string {
  return inferenceProvider && inferenceProvider !== 'auto' ? `${model}:${inferenceProvider}` : model;
}
