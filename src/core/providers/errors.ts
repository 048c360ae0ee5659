/** Turns whatever an SDK or fetch throws into a `ProviderError` whose kind failover acts on and whose message says what to do. */
import { InferenceClientProviderApiError } from '@huggingface/inference';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { oneLinePreview } from '../text/preview';
import { tryJson } from '../text/tryJson';
import type { ProviderSettings } from './config';
import { ProviderError } from './types';

/**
 * Facts only the caller knows: whether the user cancelled, the Retry-After header of a refused response, and what the
 * user does where Omni runs: the command that stores a key (the extension's; the CLI has none, it reads only the
 * environment), and how to send less.
 */
export interface ErrorContext {
  signal?: AbortSignal;
  retryAfterHeader?: string | null;
  /** The start of a refused response's body, which the Hugging Face SDK drops unless it is JSON of its own shape. */
  refusedBody?: string;
  keyCommand?: string;
  /** How the user sends less where Omni runs (the chat's "start a New Chat"); default words fit any surface. */
  lessText?: string;
  /** The model id asked for, which a 404 usually means the server does not have. */
  model?: string;
  /** The policy's `contextWindow` for that model, when it has one: the conversation was trimmed to it, and still too long. */
  contextWindow?: number;
  /** Where the user edits the model's entry, e.g. the file `omni ask --policy` names; default `.omni/policies.json`. */
  policyFile?: string;
  /** Arch-Router's `router.archRouter.tokenBudget`, when the call is its routing prompt: Omni's, not the user's conversation. */
  routingTokenBudget?: number;
  /** Where the user edits the provider's entry, e.g. `the "omni.providers" user setting`. */
  definedIn?: string;
  /** The streamed `data:` payload the SDK could not parse as JSON, when the stream's text still holds it. */
  unreadableEvent?: string;
  /** The start of a non-streamed reply the SDK could not parse as JSON. */
  unreadableAnswer?: string;
  /** What fetch threw: the openai SDK replaces an error whose words say "timed out" by one without its cause. */
  fetchFailure?: unknown;
}

/** How much of a reply that is not JSON the error quotes: enough to tell an HTML page from a truncated event. */
const EVENT_PREVIEW = 60;

/** Socket codes for a connection the other end (or a proxy between) broke off. */
const CLOSED_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/** Maps an SDK, fetch or stream failure to a `ProviderError`; cancellation wins over any other cause. */
export function toProviderError(settings: ProviderSettings, error: unknown, context: ErrorContext = {}): ProviderError {
  if (context.signal?.aborted || isAbortError(error)) {
    return new ProviderError(settings.name, 'aborted', `${settings.label}: request cancelled`);
  }
  if (error instanceof ProviderError) return error;
  // Both SDKs throw JSON.parse's own words, which say neither what came nor what to check.
  if (error instanceof SyntaxError && context.unreadableEvent !== undefined) return unreadableReplyError(settings, 'a streaming message', context.unreadableEvent);
  if (error instanceof SyntaxError && context.unreadableAnswer !== undefined) return unreadableReplyError(settings, 'an answer', context.unreadableAnswer);
  const streamed = streamedError(error);
  if (streamed) return new ProviderError(settings.name, 'server', `${settings.label} reported an error during the answer: ${streamed}`);
  const status = httpStatusOf(error);
  // A 2xx in an SDK error means the request went through and the reply could not be read (e.g. HTML, not a stream).
  if (status !== undefined && status >= 200 && status < 300) {
    return new ProviderError(settings.name, 'protocol', `${settings.label} sent an answer Omni cannot read: ${messageOf(error)}`, status);
  }
  if (status !== undefined) {
    const loading = loadingEstimateOf(context.refusedBody);
    const detail = `${refusalOf(error, context.refusedBody)}${loading === undefined ? '' : ` (ready in about ${Math.ceil(loading)} s)`}`;
    // A loading estimate says when to ask again as a Retry-After does; the engine waits out a short one the same way.
    return fromHttpStatus(settings, status, detail, retryAfterOf(error, context) ?? loading, context);
  }
  if (error instanceof APIConnectionTimeoutError) {
    // A connection that timed out (ETIMEDOUT, undici's connect timeout) reads as the SDK's own timeout, which it is not.
    if (networkCodeOf(context.fetchFailure) !== undefined) return toProviderError(settings, context.fetchFailure, { ...context, fetchFailure: undefined });
    return new ProviderError(settings.name, 'timeout', `${settings.label} did not answer in time (${originOf(settings)})`);
  }
  const code = networkCodeOf(error);
  if (code === 'ECONNREFUSED') {
    return new ProviderError(settings.name, 'connection', `${settings.label} refused the connection at ${originOf(settings)}: is it running?`);
  }
  // Fetch refuses some ports outright (6000, 6665–6669, …) without trying to connect.
  if (causeChain(error).some((cause) => cause instanceof Error && cause.message === 'bad port')) {
    return new ProviderError(settings.name, 'config', `${settings.label}'s baseURL uses a port that fetch refuses to connect to (${originOf(settings)}): serve it on another port`);
  }
  // No connection was ever made: the name does not resolve, which means offline, a proxy, or a typo in the baseURL.
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    const host = new URL(settings.baseURL).hostname;
    return new ProviderError(settings.name, 'connection', `cannot reach ${settings.label}: ${host} does not resolve (${code}); offline, behind a proxy, or a typo in its baseURL?`);
  }
  // OpenSSL's own text ("…:ssl3_get_record:wrong version number:…") tells the user nothing; its code says which case.
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG') {
    const entry = `the baseURL of "${settings.name}"${context.definedIn ? ` in ${context.definedIn}` : ''}`;
    return new ProviderError(settings.name, 'connection', `${settings.label} at ${originOf(settings)} does not speak https (${code}): if the server serves plain http, use http:// in ${entry}`);
  }
  const cert = certificateProblemOf(error);
  if (cert) {
    const entry = `the baseURL of "${settings.name}"${context.definedIn ? ` in ${context.definedIn}` : ''}`;
    return new ProviderError(settings.name, 'connection', `${settings.label}'s certificate at ${originOf(settings)} ${certificateAdvice(cert.code, entry)} (${cert.code}: ${cert.message})`);
  }
  // undici's "other side closed", or a reset by the server or a proxy on the way: the codes mean nothing to a user,
  // and whether the answer had begun matters. A reset keeps its code, which tells a network admin what to look for.
  if (code === 'UND_ERR_SOCKET' || (code !== undefined && CLOSED_CODES.has(code))) {
    const reason = code === 'UND_ERR_SOCKET' ? '' : ` (${code})`;
    const message = readingAnswer(error)
      ? `${settings.label} closed the connection before the answer finished${reason}`
      : `${settings.label} at ${originOf(settings)} closed the connection before answering${reason}`;
    return new ProviderError(settings.name, 'connection', message);
  }
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new ProviderError(settings.name, 'connection', `${settings.label} at ${originOf(settings)} stopped responding (${code}): is the network or a firewall dropping the connection?`);
  }
  if (code || isFetchFailure(error)) {
    return new ProviderError(settings.name, 'connection', `lost the connection to ${settings.label} (${code ?? messageOf(causeChain(error).at(-1))})`);
  }
  return new ProviderError(settings.name, 'protocol', `${settings.label} sent an answer Omni cannot read: ${messageOf(error)}`);
}

/**
 * A streamed message or a whole answer that is not JSON (a proxy's page), or JSON that is no chat completion (a
 * server's `{"detail": "Not Found"}`): either way the server at the baseURL is not OpenAI-compatible.
 */
export function unreadableReplyError(settings: ProviderSettings, what: 'a streaming message' | 'an answer', text: string, isNot: 'JSON' | 'a chat completion' = 'JSON'): ProviderError {
  const quoted = oneLinePreview(text, EVENT_PREVIEW);
  return new ProviderError(settings.name, 'protocol', `${settings.label} sent ${what} that is not ${isNot} ("${quoted}"): ${checkBaseURL(settings)}`);
}

/** A 200 reply to a streamed request with no events at all: a proxy's login page, a server that ignores `stream: true`. */
export function noEventStreamError(settings: ProviderSettings, url: string | undefined): ProviderError {
  return new ProviderError(settings.name, 'protocol', `${settings.label} answered ${url ? `${url} ` : ''}with no event stream: ${checkBaseURL(settings)} (…/v1) that streams`);
}

function checkBaseURL(settings: ProviderSettings): string {
  return `check that its baseURL ${settings.baseURL} is an OpenAI-compatible server`;
}

/**
 * Why a non-streamed reply is no chat completion. Both SDKs hand back whatever came with status 200: a body not
 * labelled JSON as it came (openai: text, Hugging Face: a Blob, whose start is `body`), and any JSON, a server's
 * `{"detail": …}` or an error it reports with status 200, as if it were the answer.
 */
export function unreadableAnswerError(settings: ProviderSettings, reply: unknown, body: string): ProviderError {
  const json = typeof reply === 'string' ? tryJson(reply) : reply instanceof Blob ? tryJson(body) : reply;
  if (json === undefined) return unreadableReplyError(settings, 'an answer', body);
  // The server is up and says what went wrong, as a streamed error event does.
  if (isObject(json) && json.error !== undefined) {
    return new ProviderError(settings.name, 'server', `${settings.label} reported an error instead of an answer: ${refusalOf(undefined, JSON.stringify(json))}`);
  }
  return unreadableReplyError(settings, 'an answer', JSON.stringify(json), 'a chat completion');
}

/** The error for a provider that needs a key Omni does not have. */
export function missingKeyError(settings: ProviderSettings, keyCommand?: string): ProviderError {
  const fix = missingKeyFix(settings, keyCommand);
  return new ProviderError(settings.name, 'auth', `no ${keyWord(settings)} for ${settings.label}: ${fix}`, undefined, undefined, fix);
}

function fromHttpStatus(settings: ProviderSettings, status: number, detail: string, retryAfterSeconds: number | undefined, context: ErrorContext): ProviderError {
  const { name, label } = settings;
  const { model } = context;
  if (status === 401 || status === 403) {
    const fix = rejectedKeyFix(settings, context);
    return new ProviderError(name, 'auth', `${label} rejected the ${keyWord(settings)}: ${fix}`, status, undefined, fix);
  }
  if (status === 429) {
    const wait = retryAfterSeconds === undefined ? '' : ` (retry after ${retryAfterSeconds} s)`;
    return new ProviderError(name, 'rate-limit', `${label} is rate-limiting requests${wait}`, status, retryAfterSeconds);
  }
  if (status >= 500) return new ProviderError(name, 'server', `${label} failed with HTTP ${status}: ${detail}`, status, retryAfterSeconds);
  if (status === 408) return new ProviderError(name, 'timeout', `${label} timed out (HTTP 408)`, status);
  if (status === 404) return new ProviderError(name, 'bad-request', `${label} refused the request (HTTP 404): ${detail}; ${notFoundFix(settings, detail, model)}`, status);
  // Still 'bad-request', so failover asks the next model: a bigger one may take the whole conversation.
  const window = contextOverflow(detail);
  if (window) return new ProviderError(name, 'bad-request', `${label} refused the request (HTTP ${status}): ${contextOverflowFix(model, window.tokens, context)}`, status);
  return new ProviderError(name, 'bad-request', `${label} refused the request (HTTP ${status}): ${detail}`, status);
}

/**
 * A 404 names the model (a local server without it pulled, a typo in the id) or comes from a URL with no chat
 * endpoint at all (a baseURL without its `/v1`, whose reply is a bare "404 page not found").
 */
function notFoundFix(settings: ProviderSettings, detail: string, model: string | undefined): string {
  if (model && (detail.includes(model) || /\bmodel\b/i.test(detail))) {
    return `check "${model}" against the models ${settings.label} serves (the "model" of the policy's entry), or install it there (Ollama: ollama pull ${model})`;
  }
  return `check the baseURL ${settings.baseURL}: OpenAI-compatible servers serve chat completions under /v1`;
}

/**
 * A prompt longer than the model's context, in the words of OpenAI and vLLM ("maximum context length is 8192 tokens"),
 * Hugging Face TGI ("inputs tokens + max_new_tokens must be <= 4096"), llama.cpp ("exceeds the available context
 * size") and Ollama ("prompt too long"); `tokens` is the window when the server states it.
 */
function contextOverflow(detail: string): { tokens?: number } | undefined {
  const stated = /maximum context length is (\d+) tokens/i.exec(detail) ?? /max_new_tokens`? must be <= (\d+)/i.exec(detail);
  if (stated) return { tokens: Number(stated[1]) };
  return /context_length_exceeded|context (length|size|window)|prompt (is )?too long/i.test(detail) ? {} : undefined;
}

/**
 * The fixes for a conversation too long for the model. Without a `contextWindow` in the policy Omni sent all of it;
 * with one, it sent only the latest turns that fit, so the setting is larger than the model's window (or the
 * estimate fell short): lowering it sends fewer. Arch-Router's prompt is Omni's own, from the routes and the
 * conversation trimmed to `router.archRouter.tokenBudget`: both are the policy's to shorten.
 */
function contextOverflowFix(model: string | undefined, tokens: number | undefined, { contextWindow, routingTokenBudget, lessText = 'send less text or fewer turns', policyFile = '.omni/policies.json' }: ErrorContext): string {
  const named = model ? `"${model}"` : 'the model';
  const window = tokens ? ` (${tokens.toLocaleString('en-US')} tokens)` : '';
  if (routingTokenBudget !== undefined) {
    return `the routing prompt is too long for ${named}${window}: lower "router.archRouter.tokenBudget" (${routingTokenBudget}) in ${policyFile}, which bounds the conversation it is sent, or shorten the routes' descriptions, which it is sent whole`;
  }
  if (contextWindow !== undefined) {
    const to = tokens && tokens < contextWindow ? ` to ${tokens}` : '';
    return `the conversation is too long for ${named}${window} even trimmed to its "contextWindow" of ${contextWindow}: ${lessText}, or lower that "contextWindow"${to} on its entry in ${policyFile} so Omni sends fewer turns`;
  }
  const setting = tokens ? `"contextWindow": ${tokens}` : '"contextWindow" (its context length in tokens)';
  return `the conversation is too long for ${named}${window}: ${lessText}, or set ${setting} on its entry in ${policyFile} so Omni sends only the latest turns that fit`;
}

/**
 * The message of an error event inside an answer's stream (`data: {"error": …}`): the server is up and said what
 * went wrong, which is no unreadable answer. The OpenAI SDK throws it without a status; the Hugging Face SDK wraps it.
 */
function streamedError(error: unknown): string | undefined {
  // The SDK's message keeps the JSON quotes of an error that is a bare string; read it as a refused body's error is.
  if (error instanceof APIError && error.status === undefined && error.error !== undefined) return errorTextOf({ error: error.error });
  if (error instanceof InferenceClientProviderApiError) return /while streaming the response: ([\s\S]+)$/.exec(error.message)?.[1];
  return undefined;
}

function keyWord(settings: ProviderSettings): string {
  return settings.type === 'huggingface' ? 'token' : 'API key';
}

function missingKeyFix(settings: ProviderSettings, keyCommand: string | undefined): string {
  return keyCommand ? `set ${settings.apiKeyEnv} or run ${keyCommand}` : `set ${settings.apiKeyEnv}`;
}

/**
 * A key that was sent and refused needs replacing; with no `apiKeyEnv`, none was sent, and the entry is where one is
 * named (the extension's setting, the CLI's providers file). A stored key wins over the variable, so "fix the
 * variable" would change nothing while one is stored: storing a new key always works.
 */
function rejectedKeyFix(settings: ProviderSettings, { keyCommand, definedIn }: ErrorContext): string {
  const entry = `the "${settings.name}" entry${definedIn ? ` in ${definedIn}` : ''}`;
  if (settings.apiKeyEnv) return keyCommand ? `run ${keyCommand} to store a new one (a stored key is used before ${settings.apiKeyEnv})` : `check the key in ${settings.apiKeyEnv}`;
  return keyCommand ? `run ${keyCommand}, or add "apiKeyEnv" to ${entry}` : `add "apiKeyEnv" to ${entry} and set that variable`;
}

function originOf(settings: ProviderSettings): string {
  return new URL(settings.baseURL).origin;
}

/**
 * What a refused response said, read from its body the same way whichever SDK made the request: the error's message,
 * an error that is a bare string (unquoted), a proxy's plain text, an HTML page's title. The SDK's message without its
 * message when the body was not kept.
 */
function refusalOf(error: unknown, body: string | undefined): string {
  if (body === undefined || body.trim() === '') return messageOf(error);
  const json = tryJson(body);
  return isObject(json) ? errorTextOf(json) : describe(body.trim());
}

/** The message of an error reply's JSON: `error.message`, an `error` that is a bare string, a `detail` or a `message`. */
function errorTextOf(json: Record<string, unknown>): string {
  const { error: inner, detail, message } = json;
  if (isObject(inner) && typeof inner.message === 'string') return describe(inner.message);
  const text = [inner, detail, message].find((value): value is string => typeof value === 'string');
  return describe(text ?? JSON.stringify(inner ?? json));
}

/** The Hugging Face Inference API's "model is loading" 503 says how long in `estimated_time` (seconds). */
function loadingEstimateOf(body: string | undefined): number | undefined {
  const json = body === undefined ? undefined : tryJson(body);
  const estimate = isObject(json) ? json.estimated_time : undefined;
  return typeof estimate === 'number' && Number.isFinite(estimate) && estimate >= 0 ? estimate : undefined;
}

/** HTTP status from the OpenAI SDK (`status`) or the Hugging Face SDK (`httpResponse.status`). */
function httpStatusOf(error: unknown): number | undefined {
  if (!isObject(error)) return undefined;
  if (typeof error.status === 'number') return error.status;
  const response = error.httpResponse;
  return isObject(response) && typeof response.status === 'number' ? response.status : undefined;
}

function retryAfterOf(error: unknown, context: ErrorContext): number | undefined {
  const headers = isObject(error) ? error.headers : undefined;
  const fromError = headers instanceof Headers ? headers.get('retry-after') : null;
  return parseRetryAfter(fromError ?? context.retryAfterHeader ?? null);
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(header: string | null): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** The error and its nested causes, outermost first: SDKs wrap fetch's error, which wraps the socket's. */
function causeChain(error: unknown): unknown[] {
  const chain = [error];
  for (let current = error; isObject(current) && current.cause !== undefined && chain.length < 6; current = current.cause) chain.push(current.cause);
  return chain;
}

/** A certificate the TLS handshake refused, which says nothing of the network: its code and OpenSSL's reason. */
function certificateProblemOf(error: unknown): { code: string; message: string } | undefined {
  const refused = causeChain(error).find((cause) => isObject(cause) && typeof cause.code === 'string' && /CERT|_SIGNATURE$/.test(cause.code));
  return isObject(refused) ? { code: String(refused.code), message: messageOf(refused) } : undefined;
}

/** What to do differs by reason: renew an out-of-date certificate, use the name it was issued for, or trust its issuer. */
function certificateAdvice(code: string, entry: string): string {
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') return 'is out of date: renew it on the server';
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return `was issued for another host name: use that name in ${entry}`;
  return 'is not trusted: if your organisation signs its own certificates, add its authority to the system\'s trusted certificates or set NODE_EXTRA_CA_CERTS=/path/to/ca.pem before starting';
}

/** The socket or TLS error code (ECONNREFUSED, UND_ERR_SOCKET, ERR_SSL_…) Node's fetch hides among the causes. */
function networkCodeOf(error: unknown): string | undefined {
  const isSocketError = (cause: unknown) => isObject(cause) && typeof cause.code === 'string' && /^(E[A-Z]+|UND_ERR_[A-Z_]+|ERR_SSL_[A-Z_]+)$/.test(cause.code);
  const socketError = causeChain(error).find(isSocketError);
  return isObject(socketError) ? String(socketError.code) : undefined;
}

/** Fetch fails with "terminated" once the reply's body is being read, and with "fetch failed" before any reply. */
function readingAnswer(error: unknown): boolean {
  return causeChain(error).some((cause) => cause instanceof TypeError && cause.message === 'terminated');
}

function isFetchFailure(error: unknown): boolean {
  if (error instanceof APIConnectionError) return true;
  return error instanceof TypeError && /fetch failed|terminated|network/i.test(error.message);
}

// Class checks, not constructor names: a minified bundle renames classes.
function isAbortError(error: unknown): boolean {
  return error instanceof APIUserAbortError || (isObject(error) && error.name === 'AbortError');
}

function messageOf(error: unknown): string {
  // The openai SDK starts its messages with the status, which Omni's messages already state; the Hugging Face SDK
  // with words that add nothing to Omni's own.
  return describe((error instanceof Error ? error.message : String(error)).replace(/^(\d{3} |Failed to perform inference: )/, ''));
}

function describe(text: string): string {
  // A gateway's error page: its title says what happened, its markup says nothing.
  if (/^\s*(<!doctype html|<html)/i.test(text)) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
    return title ? `an HTML page titled "${title}"` : 'an HTML page';
  }
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
