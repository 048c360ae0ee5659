/** OpenAI-compatible endpoints (OpenAI, Ollama, vLLM, llama.cpp, LM Studio, gateways) through the `openai` SDK. */
import OpenAI from 'openai';
import type { ChatCompletionCreateParamsBase } from 'openai/resources/chat/completions';
import type { WireCall, WireTransport } from './chatProvider';
import type { WireChunk } from './wire';

/** The `openai` SDK as a wire transport for the endpoint at `baseURL`. */
export function openAICompatibleTransport(baseURL: string): WireTransport {
  return {
    async *streamChunks(call) {
      const stream = await client(baseURL, call).chat.completions.create(
        { ...body(call), stream: true, stream_options: { include_usage: true } },
        { signal: call.signal },
      );
      yield* stream as AsyncIterable<WireChunk>;
    },
    async completion(call) {
      return client(baseURL, call).chat.completions.create({ ...body(call), stream: false }, { signal: call.signal });
    },
  };
}

function client(baseURL: string, call: WireCall): OpenAI {
  return new OpenAI({
    baseURL,
    // The SDK insists on a key; for keyless servers (Ollama) the header is removed below, so this value is never sent.
    apiKey: call.apiKey ?? 'no-key',
    defaultHeaders: call.apiKey ? undefined : { Authorization: null },
    // Explicit nulls stop the SDK from reading OPENAI_* variables and sending them to a provider that is not OpenAI.
    organization: null,
    project: null,
    adminAPIKey: null,
    webhookSecret: null,
    // Failover is Omni's job: an SDK retry would hide a failure and double the wait.
    maxRetries: 0,
    // The SDK would print unreadable stream data to the console; Omni reports it as the attempt's error instead.
    logLevel: 'off',
    fetch: call.fetch,
  });
}

function body(call: WireCall): Omit<ChatCompletionCreateParamsBase, 'stream'> {
  const { request } = call;
  return {
    model: request.model,
    messages: request.messages,
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
    ...(request.maxTokens === undefined ? {} : { max_tokens: request.maxTokens }),
    ...(request.reasoningEffort === undefined ? {} : { reasoning_effort: request.reasoningEffort }),
  };
}
