/** What the core needs from a model provider; each real SDK sits behind this. */
import type { ChatMessage } from '../request';

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  /** True when the provider did not report usage and Omni estimated it. */
  estimated: boolean;
}

export interface CompletionRequest {
  /** The provider's model id (not the policy alias). */
  model: string;
  messages: ChatMessage[];
  temperature?: number;
  maxTokens?: number;
  reasoningEffort?: 'minimal' | 'low' | 'medium' | 'high';
  /** Hugging Face Inference Provider to pin, when the provider supports it. */
  inferenceProvider?: string;
  /** The policy's `contextWindow` for the model, which the conversation was trimmed to: never sent, named if still too long. */
  contextWindow?: number;
  /** Where the user edits the model's entry, named if it is still too long; default `.omni/policies.json`. */
  policyFile?: string;
  /**
   * Set on Arch-Router's call: the `router.archRouter.tokenBudget` its conversation was trimmed to. A refusal as too
   * long then names that setting, since the prompt is Omni's and the model has no entry with a `contextWindow`.
   */
  routingTokenBudget?: number;
  signal?: AbortSignal;
}

export interface CompletionResult {
  text: string;
  usage?: TokenUsage;
}

export type StreamChunk =
  | { type: 'token'; text: string }
  /** `answerWasReasoning`: the token text streamed so far was reasoning (a lone `</think>` said so); this continues it. */
  | { type: 'reasoning'; text: string; answerWasReasoning?: true }
  | { type: 'usage'; usage: TokenUsage }
  /** The provider's `finish_reason` (`stop`, `length`, `content_filter`, `tool_calls`…), last in every complete stream. */
  | { type: 'finish'; reason: string };

export interface ChatProvider {
  /** The provider name from the policy or the user's settings, e.g. `huggingface`. */
  readonly name: string;
  /** Origin the provider sends requests to, e.g. `https://router.huggingface.co`. */
  readonly origin: string;
  /** One non-streamed answer (used by Arch-Router). */
  complete(request: CompletionRequest): Promise<CompletionResult>;
  /** A streamed answer; throws `ProviderError` on failure, also mid-stream. */
  stream(request: CompletionRequest): AsyncIterable<StreamChunk>;
}

/** Looks up providers by the names policies use. */
export interface ProviderRegistry {
  /** The provider called `name`; throws a `ProviderError` of kind `config` that says where to define it. */
  get(name: string): ChatProvider;
  /** Every provider name that `get` accepts, built-ins first. */
  names(): string[];
  /** The names among them whose baseURL is on this machine, the only ones `privacy.localOnly` files may reach. */
  localNames(): string[];
  /** Names whose settings entry is invalid, with why; `get` refuses them. */
  rejected(): Record<string, string>;
}

/**
 * Where a provider's API key comes from. The CLI reads the environment; the extension plugs in SecretStorage.
 * Called per request with the provider's own name, so a key is never handed to another provider.
 */
export type KeyLookup = (provider: string, envVar: string | undefined) => string | undefined | Promise<string | undefined>;

/**
 * `config`: Omni's own settings are incomplete (unknown provider name, bad base URL).
 * `protocol`: the provider answered something Omni cannot read, or the stream ended before the answer did.
 */
export type ProviderErrorKind =
  | 'auth'
  | 'rate-limit'
  | 'server'
  | 'connection'
  | 'timeout'
  | 'aborted'
  | 'bad-request'
  | 'protocol'
  | 'config';

/** A provider failure in terms failover can act on. */
export class ProviderError extends Error {
  constructor(
    readonly provider: string,
    readonly kind: ProviderErrorKind,
    message: string,
    readonly status?: number,
    /** Seconds from a Retry-After header, when the provider sent one. */
    readonly retryAfterSeconds?: number,
    /** What the user does about it, when the message ends with that (a key to set or replace). */
    readonly fix?: string,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}
