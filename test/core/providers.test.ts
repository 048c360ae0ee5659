// Both real SDK clients (openai, @huggingface/inference) against the loopback fake provider.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createProviderRegistry } from '../../src/core/providers/registry';
import { ProviderError, type ChatProvider, type StreamChunk } from '../../src/core/providers/types';
import { closedLoopbackPort, startFakeProvider, type FakeProvider } from '../fake-provider/server';

const messages = [{ role: 'user' as const, content: 'Write hello world in Python.' }];

async function collect(stream: AsyncIterable<StreamChunk>): Promise<StreamChunk[]> {
  const chunks: StreamChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

function textOf(chunks: StreamChunk[], type: 'token' | 'reasoning'): string {
  return chunks.map((chunk) => (chunk.type === type ? chunk.text : '')).join('');
}

async function failureOf(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ProviderError, `expected a ProviderError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the call to fail');
}

/**
 * Node's own fetch with a shorter connect timeout than its 10 s. The dispatcher class is that of fetch's global one
 * (undici's cross-version symbol), which exists once fetch has run: the bundled undici is not importable.
 */
async function nodeFetchWithConnectTimeout(timeoutMs: number): Promise<typeof fetch> {
  await fetch('data:,');
  const global = (globalThis as Record<symbol, unknown>)[Symbol.for('undici.globalDispatcher.1')] as { constructor: new (options: object) => unknown };
  const dispatcher = new global.constructor({ connect: { timeout: timeoutMs } });
  return ((input, init) => fetch(input, { ...init, dispatcher } as RequestInit)) as typeof fetch;
}

let fake: FakeProvider;
/** The same fake endpoint behind each SDK, each with its own key. */
const sdks: Array<{ sdk: string; provider: () => ChatProvider; key: string }> = [
  { sdk: 'openai', provider: () => registry().get('vllm'), key: 'vllm-key' },
  { sdk: 'huggingface', provider: () => registry().get('hf'), key: 'hf_test_token' },
];

function registry() {
  return createProviderRegistry({
    config: {
      providers: {
        vllm: { type: 'openai-compatible', baseURL: fake.baseURL, apiKeyEnv: 'VLLM_KEY' },
        hf: { type: 'huggingface', baseURL: fake.baseURL, apiKeyEnv: 'HF_TOKEN' },
      },
    },
    env: { VLLM_KEY: 'vllm-key', HF_TOKEN: 'hf_test_token' },
  });
}

before(async () => {
  fake = await startFakeProvider({
    behaviours: {
      plain: { text: 'print("hello world")', chunks: 3, usage: { input: 12, output: 5 } },
      thinker: { text: 'The answer.', reasoning: { text: 'Let me think.', as: 'reasoning_content' } },
      'thinker-r': { text: 'The answer.', reasoning: { text: 'Let me think.', as: 'reasoning' } },
      tagger: { text: 'The answer.', reasoning: { text: 'Let me think.', as: 'think-tags' } },
      closer: { text: 'The answer.', reasoning: { text: 'Let me think.', as: 'close-tag-only' } },
      unauthorized: { fail: { status: 401 } },
      limited: { fail: { status: 429, retryAfter: 7 } },
      unavailable: { fail: { status: 503 } },
      crasher: { text: 'a b c d', chunks: 3, garbledChunk: '{"error":{"message":"model crashed: CUDA out of memory"}}' },
      'string-crasher': { text: 'a b c d', chunks: 3, garbledChunk: '{"error":"model crashed: CUDA out of memory"}' },
      'qwen2.5-coder:7b': { fail: { status: 404, message: 'model "qwen2.5-coder:7b" not found, try pulling it first' } },
      // A conversation longer than the model's context, refused in each server's own shape.
      'gpt-4': { fail: { status: 400, json: { error: { message: "This model's maximum context length is 8192 tokens. However, your messages resulted in 9120 tokens. Please reduce the length of the messages.", type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' } } } },
      'vllm-model': { fail: { status: 400, json: { object: 'error', message: "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens (4900 in the messages, 100 in the completion). Please reduce the length of the messages or completion.", type: 'BadRequestError', param: null, code: 400 } } },
      'tgi-model': { fail: { status: 422, json: { error: 'Input validation error: `inputs` tokens + `max_new_tokens` must be <= 4096. Given: 4000 `inputs` tokens and 500 `max_new_tokens`', error_type: 'validation' } } },
      'llama-cpp-model': { fail: { status: 400, json: { error: { code: 400, message: 'the request exceeds the available context size, try increasing it', type: 'exceed_context_size_error' } } } },
      dropper: { text: 'one two three four', dropAfterChunks: 2 },
      'garbled-mid': { text: 'one two three', garbledChunk: '{not json' },
      'garbled-first': { text: 'one two three', garbledFirstChunk: `<html>${'x'.repeat(100)}` },
      'hang-up': { dropBeforeHeaders: true },
      'reset-up': { dropBeforeHeaders: true, dropWith: 'reset' },
      slow: { text: 'a b c d e f g h', chunkDelayMs: 30 },
      'login-page': { htmlPage: '<html><body>Sign in</body></html>' },
      'login-page-as-json': { htmlPage: '<html><body>Sign in</body></html>', htmlPageType: 'application/json' },
      'detail-200': { notCompletion: { detail: 'Not Found' } },
      'error-200': { notCompletion: { error: { message: 'model overloaded', type: 'server_error' } } },
      'string-error-200': { notCompletion: { error: 'model overloaded' } },
      'text-500': { fail: { status: 500, text: 'Internal Server Error' } },
      'html-502': { fail: { status: 502, html: '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>' } },
      'string-503': { fail: { status: 503, json: { error: 'Model string-503 is currently loading' } } },
      'loading-503': { fail: { status: 503, json: { error: 'Model loading-503 is currently loading', estimated_time: 20.5 } } },
      'warming-503': { fail: { status: 503, json: { error: 'Model warming-503 is currently loading', estimated_time: 1.5 } } },
      'loading-503-retry-after': { fail: { status: 503, retryAfter: 40, json: { error: 'Model loading-503-retry-after is currently loading', estimated_time: 1.5 } } },
    },
  });
});
after(() => fake.close());

for (const { sdk, provider, key } of sdks) {
  describe(`${sdk} SDK against an OpenAI-compatible loopback server`, () => {
    test('streams the answer as tokens, reports the usage the server counted, and ends with the finish reason', async () => {
      const chunks = await collect(provider().stream({ model: 'plain', messages }));
      assert.equal(textOf(chunks, 'token'), 'print("hello world")');
      assert.deepEqual(chunks.slice(-2), [
        { type: 'usage', usage: { inputTokens: 12, outputTokens: 5, estimated: false } },
        { type: 'finish', reason: 'stop' },
      ]);
    });

    test('asks for usage in the stream and sends the key as a bearer token', async () => {
      await collect(provider().stream({ model: 'plain', messages }));
      const request = fake.chatRequests().at(-1);
      assert.deepEqual(request?.body?.stream_options, { include_usage: true });
      assert.equal(request?.headers.authorization, `Bearer ${key}`);
      assert.equal(request?.path, '/v1/chat/completions');
    });

    test('streams reasoning_content deltas as reasoning, never as answer tokens', async () => {
      const chunks = await collect(provider().stream({ model: 'thinker', messages }));
      assert.equal(textOf(chunks, 'reasoning'), 'Let me think.');
      assert.equal(textOf(chunks, 'token'), 'The answer.');
    });

    test('streams `reasoning` deltas as reasoning', async () => {
      const chunks = await collect(provider().stream({ model: 'thinker-r', messages }));
      assert.equal(textOf(chunks, 'reasoning'), 'Let me think.');
      assert.equal(textOf(chunks, 'token'), 'The answer.');
    });

    test('streams <think> text split across chunks as reasoning', async () => {
      const chunks = await collect(provider().stream({ model: 'tagger', messages }));
      assert.equal(textOf(chunks, 'reasoning'), 'Let me think.');
      assert.equal(textOf(chunks, 'token'), 'The answer.');
    });

    test('a lone </think> turns the text streamed before it into reasoning, without the tag or the blank lines after it', async () => {
      const chunks = await collect(provider().stream({ model: 'closer', messages }));
      const retraction = chunks.findIndex((chunk) => chunk.type === 'reasoning' && chunk.answerWasReasoning);
      assert.ok(retraction > 0, 'the untagged reasoning is withdrawn from the answer');
      assert.equal(textOf(chunks.slice(0, retraction + 1), 'token') + textOf(chunks.slice(0, retraction + 1), 'reasoning'), 'Let me think.');
      assert.equal(textOf(chunks.slice(retraction + 1), 'token'), 'The answer.');
      assert.equal(textOf(chunks.slice(retraction + 1), 'reasoning'), '');
    });

    test('answers a non-streamed completion without the reasoning a lone </think> ends', async () => {
      assert.equal((await provider().complete({ model: 'closer', messages })).text, 'The answer.');
    });

    test('answers a non-streamed completion without the <think> part, with usage', async () => {
      const result = await provider().complete({ model: 'tagger', messages, temperature: 0, maxTokens: 16 });
      assert.equal(result.text, 'The answer.');
      assert.equal(result.usage?.estimated, false);
      const body = fake.chatRequests().at(-1)?.body;
      assert.equal(body?.temperature, 0);
      assert.equal(body?.max_tokens, 16);
    });

    test('passes the reasoning effort', async () => {
      await collect(provider().stream({ model: 'plain', messages, reasoningEffort: 'low' }));
      assert.equal(fake.chatRequests().at(-1)?.body?.reasoning_effort, 'low');
    });

    test('reports 401 as an auth failure that names the key variable the rejected key came from', async () => {
      const error = await failureOf(collect(provider().stream({ model: 'unauthorized', messages })));
      assert.equal(error.kind, 'auth');
      assert.equal(error.status, 401);
      assert.match(error.message, /rejected the (API key|token): check the key in (VLLM_KEY|HF_TOKEN)$/);
    });

    test('reports 429 as rate-limit with the Retry-After seconds', async () => {
      const error = await failureOf(collect(provider().stream({ model: 'limited', messages })));
      assert.equal(error.kind, 'rate-limit');
      assert.equal(error.retryAfterSeconds, 7);
    });

    test('reports 503 as a server failure after exactly one request (no SDK retries)', async () => {
      const before = fake.chatRequests().length;
      const error = await failureOf(collect(provider().stream({ model: 'unavailable', messages })));
      assert.equal(error.kind, 'server');
      assert.equal(fake.chatRequests().length - before, 1);
    });

    test('reports a 404 about the model with the fix: the policy\'s model id, or installing it on the server', async () => {
      const error = await failureOf(collect(provider().stream({ model: 'qwen2.5-coder:7b', messages })));
      assert.equal(error.kind, 'bad-request');
      assert.match(error.message, /\(HTTP 404\): .*not found.*; check "qwen2\.5-coder:7b" against the models .* serves \(the "model" of the policy's entry\), or install it there \(Ollama: ollama pull qwen2\.5-coder:7b\)$/);
    });

    test('a conversation too long for the model names it, the window the server states, and the fixes (OpenAI, vLLM, TGI)', async () => {
      for (const [model, tokens] of [['gpt-4', 8192], ['vllm-model', 4096], ['tgi-model', 4096]] as const) {
        const error = await failureOf(collect(provider().stream({ model, messages })));
        // Not a settings error: failover asks the next model, which may have a bigger window.
        assert.equal(error.kind, 'bad-request');
        assert.equal(
          error.message.replace(/^.* refused the request \(HTTP 4\d\d\): /, ''),
          `the conversation is too long for "${model}" (${tokens.toLocaleString('en-US')} tokens): send less text or fewer turns, or set "contextWindow": ${tokens} on its entry in .omni/policies.json so Omni sends only the latest turns that fit`,
        );
      }
    });

    test('a context refusal that states no window asks for the model\'s context length instead (llama.cpp)', async () => {
      const error = await failureOf(collect(provider().stream({ model: 'llama-cpp-model', messages })));
      assert.match(error.message, /\(HTTP 400\): the conversation is too long for "llama-cpp-model": send less text or fewer turns, or set "contextWindow" \(its context length in tokens\) on its entry in \.omni\/policies\.json/);
    });

    test('where Omni runs says how to send less (the chat\'s New Chat), a context refusal gives that fix', async () => {
      const chat = createProviderRegistry({
        config: { providers: { vllm: { type: 'openai-compatible', baseURL: fake.baseURL } } },
        env: {},
        lessText: 'start a New Chat (or send less code)',
      });
      const error = await failureOf(collect(chat.get('vllm').stream({ model: 'gpt-4', messages })));
      assert.match(error.message, /too long for "gpt-4" \(8,192 tokens\): start a New Chat \(or send less code\), or set "contextWindow": 8192 /);
    });

    test('reports an error event inside the stream as the server\'s error, in its words, also one that is a bare string', async () => {
      for (const model of ['crasher', 'string-crasher']) {
        const error = await failureOf(collect(provider().stream({ model, messages })));
        assert.equal(error.kind, 'server', model);
        assert.equal(error.message, `${provider().name} reported an error during the answer: model crashed: CUDA out of memory`, model);
      }
    });

    test('reports a stream cut mid-answer as a connection failure', async () => {
      const seen: string[] = [];
      const error = await failureOf(
        (async () => {
          for await (const chunk of provider().stream({ model: 'dropper', messages })) if (chunk.type === 'token') seen.push(chunk.text);
        })(),
      );
      assert.equal(error.kind, 'connection');
      assert.equal(seen.join(''), 'one two ');
    });

    test('a server that closes the connection mid-answer says so in words, not the socket error code', async () => {
      const error = await failureOf(collect(provider().stream({ model: 'dropper', messages })));
      assert.equal(error.kind, 'connection');
      assert.equal(error.message, `${provider().name} closed the connection before the answer finished`);
    });

    test('a server that closes the connection before answering says so and where it is', async () => {
      const error = await failureOf(collect(provider().stream({ model: 'hang-up', messages })));
      assert.equal(error.kind, 'connection');
      assert.equal(error.message, `${provider().name} at ${fake.url} closed the connection before answering`);
    });

    test('a server that resets the connection before answering says so in the same words, keeping the code', async () => {
      const error = await failureOf(collect(provider().stream({ model: 'reset-up', messages })));
      assert.equal(error.kind, 'connection');
      assert.equal(error.message, `${provider().name} at ${fake.url} closed the connection before answering (ECONNRESET)`);
    });

    test('a streaming message that is not JSON is quoted and named as such, mid-stream or first, not the JSON parser\'s words', async () => {
      const name = provider().name;
      const mid = await failureOf(collect(provider().stream({ model: 'garbled-mid', messages })));
      assert.equal(mid.kind, 'protocol', 'failover acts on it');
      assert.equal(mid.message, `${name} sent a streaming message that is not JSON ("{not json"): check that its baseURL ${fake.baseURL} is an OpenAI-compatible server`);
      const first = await failureOf(collect(provider().stream({ model: 'garbled-first', messages })));
      assert.equal(first.kind, 'protocol');
      assert.equal(first.message, `${name} sent a streaming message that is not JSON ("<html>${'x'.repeat(53)}…"): check that its baseURL ${fake.baseURL} is an OpenAI-compatible server`);
    });

    test('JSON that is no chat completion is quoted with the baseURL to check, streamed or not, instead of an empty answer', async () => {
      const name = provider().name;
      const answer = await failureOf(provider().complete({ model: 'detail-200', messages }));
      assert.equal(answer.kind, 'protocol', 'failover acts on it');
      assert.equal(answer.message, `${name} sent an answer that is not a chat completion ("{"detail":"Not Found"}"): check that its baseURL ${fake.baseURL} is an OpenAI-compatible server`);
      const streamed = await failureOf(collect(provider().stream({ model: 'detail-200', messages })));
      assert.equal(streamed.kind, 'protocol');
      assert.equal(streamed.message, `${name} sent a streaming message that is not a chat completion ("{"detail":"Not Found"}"): check that its baseURL ${fake.baseURL} is an OpenAI-compatible server`);
    });

    test('an error a server reports with status 200 is its message, streamed or not, an object or a bare string', async () => {
      const name = provider().name;
      for (const model of ['error-200', 'string-error-200']) {
        const answer = await failureOf(provider().complete({ model, messages }));
        assert.equal(answer.kind, 'server', model);
        assert.equal(answer.message, `${name} reported an error instead of an answer: model overloaded`, model);
        const streamed = await failureOf(collect(provider().stream({ model, messages })));
        assert.equal(streamed.kind, 'server', model);
        assert.equal(streamed.message, `${name} reported an error during the answer: model overloaded`, model);
      }
    });

    test('cancelling mid-stream fails as aborted and closes the HTTP request', async () => {
      const controller = new AbortController();
      const error = await failureOf(
        (async () => {
          for await (const chunk of provider().stream({ model: 'slow', messages, signal: controller.signal })) {
            if (chunk.type === 'token') controller.abort();
          }
        })(),
      );
      assert.equal(error.kind, 'aborted');
      await fake.waitForNoOpenRequests();
      assert.equal(fake.chatRequests().at(-1)?.closedByClient, true);
    });

    test('a caller that stops reading closes the HTTP request', async () => {
      for await (const chunk of provider().stream({ model: 'slow', messages })) if (chunk.type === 'token') break;
      await fake.waitForNoOpenRequests();
      assert.equal(fake.chatRequests().at(-1)?.closedByClient, true);
    });
  });
}

describe('provider failures before any answer', () => {
  test('a refused connection is a connection failure that names the address', async () => {
    const port = await closedLoopbackPort();
    const providers = createProviderRegistry({
      config: { providers: { gone: { type: 'openai-compatible', baseURL: `http://127.0.0.1:${port}/v1` } } },
      env: {},
    });
    const error = await failureOf(collect(providers.get('gone').stream({ model: 'plain', messages })));
    assert.equal(error.kind, 'connection');
    assert.match(error.message, new RegExp(`refused the connection at http://127.0.0.1:${port}`));
  });

  test('a 404 from a baseURL without its /v1 says to check the baseURL', async () => {
    // Ollama's own API root answers every unknown path with a plain-text 404.
    const server = createServer((_req, res) => res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const providers = createProviderRegistry({ config: { providers: { bare: { type: 'openai-compatible', baseURL: origin } } }, env: {} });
      const error = await failureOf(collect(providers.get('bare').stream({ model: 'plain', messages })));
      assert.equal(error.status, 404);
      assert.match(error.message, /; check the baseURL http:\/\/127\.0\.0\.1:\d+\/?: OpenAI-compatible servers serve chat completions under \/v1$/);
    } finally {
      server.close();
    }
  });

  test('a 200 reply with no event stream names the URL it was sent to and the baseURL to check, on both SDKs', async (t) => {
    // A server that ignores `stream: true`, or a proxy in front of one, answering an empty body.
    const paths: string[] = [];
    const server = createServer((request, response) => {
      paths.push(request.url ?? '');
      response.writeHead(200, { 'content-type': 'text/event-stream' }).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.after(() => server.close());
    // Without /v1: the Hugging Face SDK adds it to the path, the openai SDK does not, so only the call itself knows the URL.
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    for (const type of ['openai-compatible', 'huggingface'] as const) {
      const providers = createProviderRegistry({ config: { providers: { vllm: { type, baseURL: origin } } }, env: {} });
      const error = await failureOf(collect(providers.get('vllm').stream({ model: 'plain', messages })));
      assert.equal(error.kind, 'protocol', type);
      assert.equal(error.message, `vllm answered ${origin}${paths.at(-1)} with no event stream: check that its baseURL ${origin} is an OpenAI-compatible server (…/v1) that streams`, type);
    }
    assert.deepEqual(paths, ['/chat/completions', '/v1/chat/completions']);
  });

  test('a host name that does not resolve says so (offline, a proxy, a typo), not "lost the connection"', async () => {
    // .invalid never resolves (RFC 2606), so nothing leaves the machine.
    const providers = createProviderRegistry({ config: { providers: { far: { type: 'openai-compatible', baseURL: 'https://omni-test.invalid/v1' } } }, env: {} });
    const error = await failureOf(collect(providers.get('far').stream({ model: 'plain', messages })));
    assert.equal(error.kind, 'connection');
    assert.match(error.message, /^cannot reach far: omni-test\.invalid does not resolve \((ENOTFOUND|EAI_AGAIN)\); offline, behind a proxy, or a typo in its baseURL\?$/);
  });

  test('https:// to a plain-http server says so and where to change the baseURL, not OpenSSL\'s text, on both SDKs', async () => {
    const baseURL = fake.baseURL.replace(/^http:/, 'https:');
    for (const type of ['openai-compatible', 'huggingface'] as const) {
      const providers = createProviderRegistry({
        config: { providers: { vllm: { type, baseURL, apiKeyEnv: 'VLLM_KEY' } } },
        definedIn: 'the "omni.providers" user setting',
        env: { VLLM_KEY: 'vllm-key' },
      });
      const error = await failureOf(collect(providers.get('vllm').stream({ model: 'plain', messages })));
      assert.equal(error.kind, 'connection', type);
      assert.equal(
        error.message,
        `vllm at ${new URL(baseURL).origin} does not speak https (ERR_SSL_WRONG_VERSION_NUMBER): if the server serves plain http, use http:// in the baseURL of "vllm" in the "omni.providers" user setting`,
        type,
      );
    }
  });

  test('a certificate the client does not trust says so and how to trust its issuer, on both SDKs', async (t) => {
    // A real TLS server with a self-signed certificate, made by openssl for this run.
    const dir = mkdtempSync(join(tmpdir(), 'omni-cert-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    const server = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (_request, response) => response.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.after(() => server.close());
    const baseURL = `https://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    for (const type of ['openai-compatible', 'huggingface'] as const) {
      const providers = createProviderRegistry({ config: { providers: { vllm: { type, baseURL, apiKeyEnv: 'VLLM_KEY' } } }, env: { VLLM_KEY: 'vllm-key' } });
      const error = await failureOf(collect(providers.get('vllm').stream({ model: 'plain', messages })));
      assert.equal(error.kind, 'connection', type);
      assert.equal(
        error.message,
        `vllm's certificate at ${new URL(baseURL).origin} is not trusted: if your organisation signs its own certificates, add its authority to the system's trusted certificates or set NODE_EXTRA_CA_CERTS=/path/to/ca.pem before starting (DEPTH_ZERO_SELF_SIGNED_CERT: self-signed certificate)`,
        type,
      );
    }
  });

  test('a server that never completes the connection stopped responding, on both SDKs, whatever code says so', async (t) => {
    // Accepts TCP and never answers the TLS handshake, which fetch's connect timeout covers: a connection nothing
    // answers (a firewall dropping it), without leaving the machine.
    const sockets: Socket[] = [];
    const server = createTcpServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.after(() => {
      for (const socket of sockets) socket.destroy();
      server.close();
    });
    const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const shortConnect = await nodeFetchWithConnectTimeout(100);
    const failures = (['openai-compatible', 'huggingface'] as const).map(async (type) => {
      const providers = createProviderRegistry({ config: { providers: { vllm: { type, baseURL: `${origin}/v1` } } }, env: { HF_TOKEN: 'hf_x' }, fetch: shortConnect });
      return { type, error: await failureOf(collect(providers.get('vllm').stream({ model: 'plain', messages }))) };
    });
    for (const { type, error } of await Promise.all(failures)) {
      assert.equal(error.kind, 'connection', type);
      assert.equal(error.message, `vllm at ${origin} stopped responding (UND_ERR_CONNECT_TIMEOUT): is the network or a firewall dropping the connection?`, type);
    }
    // The system's own timeout (a connect or a read the kernel gave up on) reaches fetch's caller as undici throws it.
    const timedOut: typeof fetch = async () => {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ETIMEDOUT 10.1.2.3:443'), { errno: -110, code: 'ETIMEDOUT', syscall: 'connect', address: '10.1.2.3', port: 443 }) });
    };
    for (const type of ['openai-compatible', 'huggingface'] as const) {
      const providers = createProviderRegistry({ config: { providers: { far: { type, baseURL: 'https://10.1.2.3/v1' } } }, env: { HF_TOKEN: 'hf_x' }, fetch: timedOut });
      const error = await failureOf(collect(providers.get('far').stream({ model: 'plain', messages })));
      assert.equal(error.kind, 'connection', type);
      assert.equal(error.message, 'far at https://10.1.2.3 stopped responding (ETIMEDOUT): is the network or a firewall dropping the connection?', type);
    }
  });

  test('a port that fetch refuses (6000) is a settings error that says so, on both SDKs', async () => {
    for (const type of ['openai-compatible', 'huggingface'] as const) {
      const providers = createProviderRegistry({ config: { providers: { x11: { type, baseURL: 'http://127.0.0.1:6000/v1' } } }, env: { HF_TOKEN: 'hf_x' } });
      const error = await failureOf(collect(providers.get('x11').stream({ model: 'plain', messages })));
      assert.equal(error.kind, 'config', type);
      assert.equal(error.message, "x11's baseURL uses a port that fetch refuses to connect to (http://127.0.0.1:6000): serve it on another port");
    }
  });

  test('a missing key fails as auth without sending anything', async () => {
    const providers = createProviderRegistry({
      config: { providers: { hf: { type: 'huggingface', baseURL: fake.baseURL, apiKeyEnv: 'HF_TOKEN' } } },
      env: {},
    });
    const before = fake.requests.length;
    const error = await failureOf(collect(providers.get('hf').stream({ model: 'plain', messages })));
    assert.equal(error.kind, 'auth');
    assert.equal(error.message, 'no token for hf: set HF_TOKEN');
    assert.equal(fake.requests.length, before);
  });

  test('where a command stores keys (the extension), key errors name it too', async () => {
    const keyCommand = '"Omni: Set API Key"';
    const config = { providers: { hf: { type: 'huggingface' as const, baseURL: fake.baseURL, apiKeyEnv: 'HF_TOKEN' } } };
    const missing = await failureOf(collect(createProviderRegistry({ config, env: {}, keyCommand }).get('hf').stream({ model: 'plain', messages })));
    assert.equal(missing.message, 'no token for hf: set HF_TOKEN or run "Omni: Set API Key"');
    const registry = createProviderRegistry({ config, env: { HF_TOKEN: 'hf_wrong' }, keyCommand });
    const rejected = await failureOf(collect(registry.get('hf').stream({ model: 'unauthorized', messages })));
    assert.equal(rejected.message, 'hf rejected the token: run "Omni: Set API Key" to store a new one (a stored key is used before HF_TOKEN)');
  });

  test('a key refused by a provider whose entry has no "apiKeyEnv" names where to add one: the "omni.providers" setting, or the providers file in use', async () => {
    const config = { providers: { gate: { type: 'openai-compatible' as const, baseURL: fake.baseURL } } };
    const extension = createProviderRegistry({ config, env: {}, keyCommand: '"Omni: Set API Key"', definedIn: 'the "omni.providers" user setting' });
    const inVsCode = await failureOf(collect(extension.get('gate').stream({ model: 'unauthorized', messages })));
    assert.equal(inVsCode.message, 'gate rejected the API key: run "Omni: Set API Key", or add "apiKeyEnv" to the "gate" entry in the "omni.providers" user setting');
    const cli = createProviderRegistry({ config, env: {}, configSource: '/home/me/.omni/providers.json' });
    const inCli = await failureOf(collect(cli.get('gate').stream({ model: 'unauthorized', messages })));
    assert.equal(inCli.message, 'gate rejected the API key: add "apiKeyEnv" to the "gate" entry in your providers file (/home/me/.omni/providers.json) and set that variable');
    assert.equal(inCli.fix, 'add "apiKeyEnv" to the "gate" entry in your providers file (/home/me/.omni/providers.json) and set that variable');
  });
});

describe('refused requests read the same whichever SDK sends them', () => {
  /** The same refusal through both SDKs, streamed and not, from a provider named "vllm" each time. */
  async function refusals(model: string): Promise<Array<{ via: string; error: ProviderError }>> {
    const refused = [];
    for (const type of ['openai-compatible', 'huggingface'] as const) {
      const provider = createProviderRegistry({ config: { providers: { vllm: { type, baseURL: fake.baseURL } } }, env: {} }).get('vllm');
      refused.push({ via: `${type} stream`, error: await failureOf(collect(provider.stream({ model, messages }))) });
      refused.push({ via: `${type} complete`, error: await failureOf(provider.complete({ model, messages })) });
    }
    return refused;
  }

  test('without the Hugging Face SDK\'s "Failed to perform inference: " in front', async () => {
    for (const { via, error } of await refusals('qwen2.5-coder:7b')) {
      assert.equal(error.kind, 'bad-request', via);
      assert.match(error.message, /^vllm refused the request \(HTTP 404\): model "qwen2\.5-coder:7b" not found, try pulling it first; check /, via);
    }
    // An answer that is not a stream (a proxy's login page) is said in each SDK's own words, after Omni's.
    const login = await failureOf(collect(registry().get('hf').stream({ model: 'login-page', messages })));
    assert.equal(login.message, 'hf sent an answer Omni cannot read: server does not support event stream content type, it returned text/html');
  });

  test('a non-streamed answer that is not JSON (a proxy\'s page) is quoted with the baseURL to check, whatever its content type says', async () => {
    for (const type of ['openai-compatible', 'huggingface'] as const) {
      const provider = createProviderRegistry({ config: { providers: { vllm: { type, baseURL: fake.baseURL } } }, env: {} }).get('vllm');
      for (const model of ['login-page', 'login-page-as-json']) {
        const error = await failureOf(provider.complete({ model, messages }));
        assert.equal(error.kind, 'protocol', `${type} ${model}: failover acts on it`);
        assert.equal(error.message, `vllm sent an answer that is not JSON ("<html><body>Sign in</body></html>"): check that its baseURL ${fake.baseURL} is an OpenAI-compatible server`, `${type} ${model}`);
      }
    }
  });

  test('a proxy\'s plain-text error body is shown, not "an HTTP error occurred"', async () => {
    for (const { via, error } of await refusals('text-500')) {
      assert.equal(error.kind, 'server', via);
      assert.equal(error.message, 'vllm failed with HTTP 500: Internal Server Error', via);
    }
  });

  test('a gateway\'s HTML error page is named by its title', async () => {
    for (const { via, error } of await refusals('html-502')) {
      assert.equal(error.kind, 'server', via);
      assert.equal(error.message, 'vllm failed with HTTP 502: an HTML page titled "502 Bad Gateway"', via);
    }
  });

  test('an error that is a bare JSON string is shown without quotes', async () => {
    for (const { via, error } of await refusals('string-503')) {
      assert.equal(error.kind, 'server', via);
      assert.equal(error.message, 'vllm failed with HTTP 503: Model string-503 is currently loading', via);
      assert.equal(error.retryAfterSeconds, undefined, via);
    }
  });

  test('a model still loading says for how long, and its estimate counts as a Retry-After unless one was sent', async () => {
    for (const { via, error } of await refusals('loading-503')) {
      assert.equal(error.kind, 'server', via);
      assert.equal(error.message, 'vllm failed with HTTP 503: Model loading-503 is currently loading (ready in about 21 s)', via);
      assert.equal(error.retryAfterSeconds, 20.5, via);
    }
    for (const { via, error } of await refusals('warming-503')) assert.equal(error.retryAfterSeconds, 1.5, via);
    for (const { via, error } of await refusals('loading-503-retry-after')) assert.equal(error.retryAfterSeconds, 40, via);
  });
});

describe('keys', () => {
  test('each provider receives only its own key', async () => {
    const other = await startFakeProvider({ behaviours: { plain: { text: 'ok' } } });
    try {
      const providers = createProviderRegistry({
        config: {
          providers: {
            hf: { type: 'huggingface', baseURL: fake.baseURL, apiKeyEnv: 'HF_TOKEN' },
            mine: { type: 'openai-compatible', baseURL: other.baseURL, apiKeyEnv: 'MY_KEY' },
          },
        },
        env: { HF_TOKEN: 'hf_secret', MY_KEY: 'my-secret' },
      });
      await collect(providers.get('hf').stream({ model: 'plain', messages }));
      await collect(providers.get('mine').stream({ model: 'plain', messages }));
      assert.deepEqual(other.requests.map((request) => request.headers.authorization), ['Bearer my-secret']);
      assert.ok(fake.requests.every((request) => request.headers.authorization !== 'Bearer my-secret'));
    } finally {
      await other.close();
    }
  });

  test('a keyless provider sends no Authorization header even when OPENAI_* variables are set', async () => {
    const keys = { OPENAI_API_KEY: 'sk-leak', OPENAI_ORG_ID: 'org-leak', OPENAI_PROJECT_ID: 'proj-leak' };
    const saved = { ...process.env };
    Object.assign(process.env, keys);
    try {
      const providers = createProviderRegistry({ config: { providers: { local: { type: 'openai-compatible', baseURL: fake.baseURL } } } });
      await collect(providers.get('local').stream({ model: 'plain', messages }));
      const { headers } = fake.chatRequests().at(-1)!;
      assert.equal(headers.authorization, undefined);
      assert.equal(headers['openai-organization'], undefined);
      assert.equal(headers['openai-project'], undefined);
    } finally {
      process.env = saved;
    }
  });

  test('a Hugging Face server on this machine needs no token and is not sent HF_TOKEN unless its entry asks', async () => {
    const env = { HF_TOKEN: 'hf_user_token' };
    const local = createProviderRegistry({ config: { providers: { tgi: { type: 'huggingface', baseURL: fake.url } } }, env });
    assert.equal(textOf(await collect(local.get('tgi').stream({ model: 'plain', messages })), 'token'), 'print("hello world")');
    assert.equal(fake.chatRequests().at(-1)!.headers.authorization, undefined);
    const asking = createProviderRegistry({ config: { providers: { tgi: { type: 'huggingface', baseURL: fake.url, apiKeyEnv: 'HF_TOKEN' } } }, env });
    await collect(asking.get('tgi').stream({ model: 'plain', messages }));
    assert.equal(fake.chatRequests().at(-1)!.headers.authorization, 'Bearer hf_user_token');
  });

  test('the key lookup is asked with the provider name and its variable, so SecretStorage can answer', async () => {
    const asked: Array<[string, string | undefined]> = [];
    const providers = createProviderRegistry({
      config: { providers: { hf: { type: 'huggingface', baseURL: fake.baseURL, apiKeyEnv: 'HF_TOKEN' } } },
      keys: async (provider, envVar) => {
        asked.push([provider, envVar]);
        return 'hf_from_secret_storage';
      },
    });
    await collect(providers.get('hf').stream({ model: 'plain', messages }));
    assert.deepEqual(asked, [['hf', 'HF_TOKEN']]);
    assert.equal(fake.chatRequests().at(-1)?.headers.authorization, 'Bearer hf_from_secret_storage');
  });
});

describe('Hugging Face Inference Providers', () => {
  test('pins the model entry\'s inferenceProvider with the router\'s model:provider suffix', async () => {
    await collect(registry().get('hf').stream({ model: 'plain', messages, inferenceProvider: 'together' }));
    assert.equal(fake.chatRequests().at(-1)?.body?.model, 'plain:together');
  });

  test('leaves the model id alone for provider "auto"', async () => {
    await collect(registry().get('hf').stream({ model: 'plain', messages, inferenceProvider: 'auto' }));
    assert.equal(fake.chatRequests().at(-1)?.body?.model, 'plain');
  });
});
