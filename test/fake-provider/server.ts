/**
 * A loopback HTTP server that speaks the OpenAI chat-completions protocol with scripted behaviours per model id,
 * and records every request so tests can check headers, bodies and that no request was left open.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { archRouterAnswer } from './archRouter';
import { behaviourSchema, type Behaviour, type ResolvedBehaviour } from './behaviours';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body, or undefined for GET. */
  body: ChatBody | undefined;
  /** False once the response is finished or the client went away. */
  open: boolean;
  /** True when the client closed the connection before the answer was complete. */
  closedByClient: boolean;
}

export interface ChatBody {
  model: string;
  messages: Array<{ role: string; content: string }>;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  [field: string]: unknown;
}

export interface FakeProvider {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** `http://127.0.0.1:PORT/v1`, what SDKs take as base URL. */
  baseURL: string;
  port: number;
  /** Sets what the server does for `model` from now on. */
  behave(model: string, behaviour: Behaviour): void;
  /** Every request received, oldest first. */
  readonly requests: RecordedRequest[];
  /** Requests to chat completions, oldest first. */
  chatRequests(): RecordedRequest[];
  /** Resolves once no request (to `model`, when given) is open; rejects after `timeoutMs`. */
  waitForNoOpenRequests(timeoutMs?: number, model?: string): Promise<void>;
  close(): Promise<void>;
}

export interface FakeProviderOptions {
  port?: number;
  behaviours?: Record<string, Behaviour>;
}

/** Starts the fake provider on 127.0.0.1 (port 0 = any free port). */
export async function startFakeProvider(options: FakeProviderOptions = {}): Promise<FakeProvider> {
  const behaviours = new Map<string, ResolvedBehaviour>();
  const requestCounts = new Map<string, number>();
  const requests: RecordedRequest[] = [];
  const behave = (model: string, behaviour: Behaviour) => behaviours.set(model, behaviourSchema.parse(behaviour));
  for (const [model, behaviour] of Object.entries(options.behaviours ?? {})) behave(model, behaviour);

  /** Exact id first; `model:provider` (a pinned HF Inference Provider) falls back to the bare id. */
  const behaviourFor = (model: string) => behaviours.get(model) ?? behaviours.get(model.replace(/:[^/:]+$/, '')) ?? behaviourSchema.parse({});

  const server = createServer((req, res) => {
    const record: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: undefined, open: true, closedByClient: false };
    requests.push(record);
    const closed = new AbortController();
    res.on('close', () => {
      record.open = false;
      record.closedByClient = !res.writableFinished;
      closed.abort();
    });
    void handle(req, res, record, closed.signal).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: String(error) } });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse, record: RecordedRequest, closed: AbortSignal): Promise<void> {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && path.endsWith('/models')) {
      const data = [...behaviours.keys()].map((id) => ({ id, object: 'model', owned_by: 'fake-provider' }));
      return sendJson(res, 200, { object: 'list', data });
    }
    // Any path ending in /chat/completions: the OpenAI SDK uses /v1/…, the HF SDK also /{provider}/v1/… or /models/{id}/v1/….
    if (req.method !== 'POST' || !path.endsWith('/chat/completions')) {
      return sendJson(res, 404, { error: { message: `no route ${req.method} ${path}` } });
    }
    const body = JSON.parse(await readBody(req)) as ChatBody;
    record.body = body;
    const behaviour = behaviourFor(body.model);
    const count = (requestCounts.get(body.model) ?? 0) + 1;
    requestCounts.set(body.model, count);

    if (behaviour.hang) return;
    if (behaviour.dropBeforeHeaders) return breakSocket(req.socket, behaviour);
    const { fail } = behaviour;
    if (fail && (fail.times === undefined || count <= fail.times)) {
      const headers: Record<string, string> = fail.retryAfter === undefined ? {} : { 'retry-after': String(fail.retryAfter) };
      if (fail.html !== undefined) {
        res.writeHead(fail.status, { 'content-type': 'text/html', ...headers });
        return void res.end(fail.html);
      }
      if (fail.text !== undefined) {
        res.writeHead(fail.status, { 'content-type': 'text/plain', ...headers });
        return void res.end(fail.text);
      }
      if (fail.json !== undefined) return sendJson(res, fail.status, fail.json, headers);
      return sendJson(res, fail.status, { error: { message: fail.message ?? `fake failure ${fail.status}`, type: 'fake' } }, headers);
    }
    await sleep(behaviour.firstTokenDelayMs, closed);
    if (closed.aborted) return;
    if (behaviour.htmlPage !== undefined) {
      res.writeHead(200, { 'content-type': behaviour.htmlPageType });
      return void res.end(behaviour.htmlPage);
    }
    if (behaviour.notCompletion !== undefined) {
      if (!body.stream) return sendJson(res, 200, behaviour.notCompletion);
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      return void res.end(`data: ${JSON.stringify(behaviour.notCompletion)}\n\ndata: [DONE]\n\n`);
    }
    const answer = answerFor(body, behaviour);
    if (body.stream) return streamAnswer(res, body, behaviour, answer, closed);
    return sendJson(res, 200, completion(body, answer));
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    baseURL: `${url}/v1`,
    port,
    behave,
    requests,
    chatRequests: () => requests.filter((request) => request.body !== undefined),
    async waitForNoOpenRequests(timeoutMs = 1000, model?: string) {
      const deadline = Date.now() + timeoutMs;
      const watched = () => requests.filter((request) => model === undefined || request.body?.model === model);
      while (watched().some((request) => request.open)) {
        if (Date.now() > deadline) throw new Error(`requests still open after ${timeoutMs} ms: ${openPaths(watched())}`);
        await sleep(5);
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port that nothing listens on (bound, then released), for "connection refused". */
export async function closedLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface Answer {
  reasoning?: ResolvedBehaviour['reasoning'];
  text: string;
  finishReason: string;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | undefined;
}

function answerFor(body: ChatBody, behaviour: ResolvedBehaviour): Answer {
  const prompt = body.messages.at(-1)?.content ?? '';
  const text = behaviour.archRouter ? archRouterAnswer(prompt, behaviour.archRouter) : (behaviour.text ?? `Answer from ${body.model}.`);
  const promptChars = body.messages.reduce((sum, message) => sum + message.content.length, 0);
  const counts = behaviour.usage === undefined
    ? { input: Math.ceil(promptChars / 4), output: Math.ceil((text.length + (behaviour.reasoning?.text.length ?? 0)) / 4) }
    : behaviour.usage;
  const usage = counts === false
    ? undefined
    : { prompt_tokens: counts.input, completion_tokens: counts.output, total_tokens: counts.input + counts.output };
  return { reasoning: behaviour.reasoning, text, finishReason: behaviour.finishReason, usage };
}

function completion(body: ChatBody, answer: Answer) {
  const reasoning = answer.reasoning;
  const inContent = reasoning?.as === 'think-tags' || reasoning?.as === 'close-tag-only';
  const opening = reasoning?.as === 'think-tags' ? '<think>' : '';
  const content = inContent ? `${opening}${reasoning.text}</think>\n\n${answer.text}` : answer.text;
  const message = { role: 'assistant', content, ...(reasoning && !inContent ? { [reasoning.as]: reasoning.text } : {}) };
  return { ...envelope(body, 'chat.completion'), choices: [{ index: 0, message, finish_reason: answer.finishReason }], usage: answer.usage };
}

async function streamAnswer(res: ServerResponse, body: ChatBody, behaviour: ResolvedBehaviour, answer: Answer, closed: AbortSignal): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const send = (delta: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    res.write(`data: ${JSON.stringify({ ...envelope(body, 'chat.completion.chunk'), choices: [{ index: 0, delta, finish_reason: null }], ...extra })}\n\n`);

  const { reasoning } = answer;
  if (reasoning?.as === 'think-tags') {
    for (const piece of ['<thi', `nk>${reasoning.text.slice(0, 3)}`, `${reasoning.text.slice(3)}</th`, 'ink>\n\n']) send({ role: 'assistant', content: piece });
  } else if (reasoning?.as === 'close-tag-only') {
    for (const piece of [...splitInto(reasoning.text, 2), '</th', 'ink>\n\n']) send({ role: 'assistant', content: piece });
  } else if (reasoning) {
    for (const piece of splitInto(reasoning.text, 2)) send({ role: 'assistant', [reasoning.as]: piece });
  }
  if (behaviour.garbledFirstChunk !== undefined) res.write(`data: ${behaviour.garbledFirstChunk}\n\n`);
  const pieces = splitInto(answer.text, behaviour.chunks);
  for (const [index, piece] of pieces.entries()) {
    if (behaviour.dropAfterChunks === index) return dropConnection(res, behaviour);
    // The reasoning is a chunk before the answer's first: the pause after it is where a client sees only reasoning.
    if (index > 0 || reasoning) await sleep(behaviour.chunkDelayMs, closed);
    if (closed.aborted) return;
    send({ role: 'assistant', content: piece });
    if (index === 0 && behaviour.garbledChunk !== undefined) res.write(`data: ${behaviour.garbledChunk}\n\n`);
  }
  if (behaviour.dropAfterChunks !== undefined && behaviour.dropAfterChunks >= pieces.length) return dropConnection(res, behaviour);
  res.write(`data: ${JSON.stringify({ ...envelope(body, 'chat.completion.chunk'), choices: [{ index: 0, delta: {}, finish_reason: answer.finishReason }] })}\n\n`);
  if (body.stream_options?.include_usage && answer.usage) {
    res.write(`data: ${JSON.stringify({ ...envelope(body, 'chat.completion.chunk'), choices: [], usage: answer.usage })}\n\n`);
  }
  res.end('data: [DONE]\n\n');
}

/** Breaks the connection mid-answer, after what was already written has reached the client. */
async function dropConnection(res: ServerResponse, behaviour: ResolvedBehaviour): Promise<void> {
  await new Promise<void>((resolve) => res.write('', () => resolve()));
  if (res.socket) breakSocket(res.socket, behaviour);
}

function breakSocket(socket: Socket, behaviour: ResolvedBehaviour): void {
  if (behaviour.dropWith === 'reset') socket.resetAndDestroy();
  else socket.destroy();
}

/** Cuts `text` into `count` pieces of about equal length, or one piece per word (keeping the spaces). */
function splitInto(text: string, count?: number): string[] {
  if (count === undefined) return text.match(/\S+\s*|\s+/g) ?? [text];
  const size = Math.ceil(text.length / count);
  return Array.from({ length: count }, (_, index) => text.slice(index * size, (index + 1) * size)).filter(Boolean);
}

function envelope(body: ChatBody, object: string) {
  return { id: 'fake-1', object, created: Math.floor(Date.now() / 1000), model: body.model, system_fingerprint: 'fake' };
}

function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(value));
}

async function readBody(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    // One listener per wait, removed when the wait ends: a long stream would otherwise pile them up.
    const finish = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', finish);
      resolve();
    };
    const timer = setTimeout(finish, ms);
    signal?.addEventListener('abort', finish, { once: true });
  });
}

function openPaths(requests: RecordedRequest[]): string {
  return requests.filter((request) => request.open).map((request) => `${request.method} ${request.path}`).join(', ');
}
