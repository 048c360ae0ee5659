import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { policySchema, type Policy } from '../../../src/core/policy/schema';
import { createProviderRegistry } from '../../../src/core/providers/registry';
import { buildRouter } from '../../../src/core/router';
import type { OmniRequest } from '../../../src/core/request';
import { startFakeProvider, type FakeProvider } from '../../fake-provider/server';

const ARCH = 'katanemo/Arch-Router-1.5B';

function policy(router: Record<string, unknown>, provider = 'archhost', extra: Record<string, unknown> = {}): Policy {
  return policySchema.parse({
    version: 1,
    models: {
      coder: { provider: 'huggingface', model: 'Qwen/Qwen3-Coder-480B-A35B-Instruct' },
      general: { provider: 'huggingface', model: 'meta-llama/Llama-3.3-70B-Instruct' },
    },
    routes: [
      { name: 'code_generation', description: 'writing new code: functions, classes, scripts', model: 'coder' },
      { name: 'bug_fixing', description: 'fixing errors, exceptions, stack traces and crashes', model: 'coder', fallbacks: ['coder'] },
      { name: 'general_chat', description: 'questions not about software: travel, cooking, small talk', model: 'general' },
    ],
    rules: [{ when: { files: ['**/*.sql'] }, route: 'code_generation' }],
    defaultRoute: 'general_chat',
    router: { archRouter: { provider, model: ARCH }, ...router },
    ...extra,
  });
}

const ask = (content: string, editor?: OmniRequest['editor']): OmniRequest => ({ messages: [{ role: 'user', content }], editor });

describe('router', () => {
  let fake: FakeProvider;
  let providers: ReturnType<typeof createProviderRegistry>;
  const routerFor = (p: Policy) => buildRouter(p, { getProvider: providers.get });

  before(async () => {
    fake = await startFakeProvider();
    providers = createProviderRegistry({
      config: {
        providers: {
          archhost: { type: 'openai-compatible', baseURL: fake.baseURL },
          hfarch: { type: 'huggingface', baseURL: fake.url, apiKeyEnv: 'HF_ROUTER_TOKEN' },
        },
      },
      env: { HF_ROUTER_TOKEN: 'hf_router_test' },
    });
  });
  after(() => fake.close());

  const archCalls = () => fake.chatRequests().filter((r) => r.body?.model === ARCH).length;

  it('lets a matching rule decide instantly, without asking any model', async () => {
    const before = archCalls();
    const decision = await routerFor(policy({ mode: 'arch' })).decide(ask('hello', { fileName: 'db/report.sql' }));
    assert.equal(decision.stage, 'rule');
    assert.equal(decision.route, 'code_generation');
    assert.equal(decision.reason, 'rule 1: files **/*.sql → code_generation');
    assert.equal(archCalls(), before);
  });

  it('in local mode never calls Arch-Router', async () => {
    const before = archCalls();
    const decision = await routerFor(policy({ mode: 'local' })).decide(ask('my script crashes with a stack trace, please fix the exception'));
    assert.equal(decision.stage, 'local');
    assert.equal(decision.route, 'bug_fixing');
    assert.match(decision.reason, /^local classifier picked bug_fixing \(confidence [01]\.\d\d\)$/);
    assert.equal(archCalls(), before);
  });

  it('in arch mode uses the route Arch-Router picks, and says how long it took', async () => {
    fake.behave(ARCH, { archRouter: { route: 'bug_fixing' } });
    const decision = await routerFor(policy({ mode: 'arch' })).decide(ask('write me a poem about rain'));
    assert.equal(decision.stage, 'arch-router');
    assert.equal(decision.route, 'bug_fixing');
    assert.match(decision.reason, /^Arch-Router picked bug_fixing in \d+ ms$/);
    assert.equal(decision.model, 'coder');
    assert.deepEqual(decision.fallbacks, ['general'], 'the route model once, then the default route model');
  });

  it('sends Arch-Router one user message at temperature 0 with a small max_tokens and no model ids', async () => {
    fake.behave(ARCH, { archRouter: { route: 'code_generation' } });
    await routerFor(policy({ mode: 'arch' })).decide(ask('write a CSV parser', { languageId: 'python', fileName: 'csv.py' }));
    const body = fake.chatRequests().filter((r) => r.body?.model === ARCH).at(-1)!.body!;
    assert.equal(body.messages.length, 1);
    assert.equal(body.messages[0].role, 'user');
    assert.equal(body.temperature, 0);
    assert.ok(Number(body.max_tokens ?? body.max_completion_tokens) <= 16);
    assert.ok(!body.stream);
    assert.doesNotMatch(body.messages[0].content, /Qwen|Llama/);
    assert.match(body.messages[0].content, /\[editor: language python, file csv\.py\]/);
  });

  for (const format of ['single-quotes', 'fenced', 'list'] as const) {
    it(`reads a ${format} answer`, async () => {
      fake.behave(ARCH, { archRouter: { route: 'bug_fixing', format } });
      const decision = await routerFor(policy({ mode: 'arch' })).decide(ask('hello there'));
      assert.equal(decision.route, 'bug_fixing');
      assert.equal(decision.stage, 'arch-router');
    });
  }

  it('uses the default route when Arch-Router answers "other"', async () => {
    fake.behave(ARCH, { archRouter: { route: 'other' } });
    const decision = await routerFor(policy({ mode: 'arch' })).decide(ask('write a function'));
    assert.equal(decision.stage, 'default');
    assert.equal(decision.route, 'general_chat');
    assert.match(decision.reason, /Arch-Router answered "other" in \d+ ms; default route general_chat/);
  });

  it('falls back to the local classifier when Arch-Router times out, and closes the request', async () => {
    fake.behave(ARCH, { hang: true });
    const started = Date.now();
    const decision = await routerFor(policy({ mode: 'arch', timeoutMs: 150 })).decide(ask('fix this exception in my crash log'));
    assert.ok(Date.now() - started < 1000, 'the timeout bounds the wait');
    assert.equal(decision.stage, 'local');
    assert.match(decision.reason, /^Arch-Router timed out after 150 ms; local classifier picked bug_fixing \(confidence [01]\.\d\d\)$/);
    assert.equal(decision.archRouter?.error, 'Arch-Router timed out after 150 ms');
    await fake.waitForNoOpenRequests();
  });

  it('falls back to the local classifier on an HTTP error', async () => {
    fake.behave(ARCH, { fail: { status: 503 } });
    const decision = await routerFor(policy({ mode: 'arch' })).decide(ask('what is a good pasta recipe for dinner'));
    assert.equal(decision.stage, 'local');
    assert.equal(decision.route, 'general_chat');
    assert.match(decision.reason, /^Arch-Router failed \(.*503.*\); local classifier picked general_chat/);
  });

  it('a routing prompt too long for Arch-Router names the router setting that bounds it, not a model\'s contextWindow, and the local classifier decides', async () => {
    // llama.cpp's words, from a server started with a context shorter than the routing prompt.
    fake.behave(ARCH, { fail: { status: 400, json: { error: { code: 400, message: 'the request exceeds the available context size, try increasing it', type: 'exceed_context_size_error' } } } });
    const decision = await routerFor(policy({ mode: 'arch', archRouter: { provider: 'archhost', model: ARCH, tokenBudget: 4096 } })).decide(ask('what is a good pasta recipe for dinner'));
    assert.equal(decision.stage, 'local');
    assert.equal(decision.route, 'general_chat');
    assert.equal(
      decision.archRouter?.error,
      `Arch-Router failed (archhost refused the request (HTTP 400): the routing prompt is too long for "${ARCH}": lower "router.archRouter.tokenBudget" (4096) in .omni/policies.json, which bounds the conversation it is sent, or shorten the routes' descriptions, which it is sent whole)`,
    );
    assert.match(decision.reason, /^Arch-Router failed \(.*\); local classifier picked general_chat/);
  });

  it('leaves an Arch-Router that failed 3 times in a row alone for 30 s, then asks it again', async () => {
    fake.behave(ARCH, { fail: { status: 503 } });
    let now = 0;
    const router = buildRouter(policy({ mode: 'arch' }), { getProvider: providers.get, clock: () => now });
    const before = archCalls();
    for (let i = 0; i < 3; i++) assert.match((await router.decide(ask('what is a good pasta recipe'))).reason, /^Arch-Router failed/);
    const skipped = await router.decide(ask('what is a good pasta recipe'));
    assert.equal(archCalls() - before, 3, 'the fourth request did not reach it');
    assert.match(skipped.reason, /^Arch-Router failed 3 times in a row; skipped for another 30 s; local classifier picked general_chat/);
    assert.equal(skipped.archRouter?.error, 'skipped: failed 3 times in a row; skipped for another 30 s', 'eval counts it as a failure');
    now = 30_001;
    fake.behave(ARCH, { archRouter: { route: 'general_chat' } });
    assert.equal((await router.decide(ask('what is a good pasta recipe'))).stage, 'arch-router');
    assert.equal(archCalls() - before, 4);
  });

  it('in auto mode decides locally when confident and asks Arch-Router only when unsure', async () => {
    fake.behave(ARCH, { archRouter: { route: 'code_generation' } });
    const before = archCalls();
    const sure = await routerFor(policy({ mode: 'auto', confidenceThreshold: 0 })).decide(ask('fix the crash'));
    assert.equal(sure.stage, 'local');
    assert.equal(archCalls(), before);
    const unsure = await routerFor(policy({ mode: 'auto', confidenceThreshold: 1 })).decide(ask('fix the crash'));
    assert.equal(unsure.stage, 'arch-router');
    assert.match(unsure.reason, /^local classifier unsure \([01]\.\d\d\); Arch-Router picked code_generation in \d+ ms$/);
    assert.equal(archCalls(), before + 1);
  });

  it('works through the Hugging Face client too', async () => {
    fake.behave(ARCH, { archRouter: { route: 'bug_fixing' } });
    const decision = await routerFor(policy({ mode: 'arch' }, 'hfarch')).decide(ask('hello'));
    assert.equal(decision.stage, 'arch-router', decision.reason);
    assert.equal(decision.route, 'bug_fixing');
    assert.equal(fake.chatRequests().at(-1)?.headers.authorization, 'Bearer hf_router_test');
  });

  it('still decides when the Arch-Router provider is not defined, saying it is Arch-Router\'s and what to fix, every time', async () => {
    const router = routerFor(policy({ mode: 'arch' }, 'nowhere'));
    // A setup problem is no failing endpoint: the fourth request still names the fix, not "failed 3 times in a row".
    for (let i = 0; i < 4; i++) {
      const decision = await router.decide(ask('write a sorting function'));
      assert.equal(decision.stage, 'local');
      assert.match(decision.reason, /^Arch-Router not asked \(router\.archRouter\.provider\): provider "nowhere" is not defined: add it to .*; local classifier picked code_generation/);
    }
  });

  it('with a local-only file and an undefined Arch-Router provider, the local classifier still decides', async () => {
    const privacy = { privacy: { localOnly: ['**/*.env'] } };
    const decision = await routerFor(policy({ mode: 'arch' }, 'nowhere', privacy)).decide(ask('what is wrong here', { fileName: 'config/prod.env', selection: 'API_KEY=abc' }));
    assert.equal(decision.stage, 'local');
    assert.match(decision.reason, /^Arch-Router not asked \(router\.archRouter\.provider\): provider "nowhere" is not defined/);
  });

  it('never shows a local-only file to an Arch-Router that is not on this machine', async () => {
    const privacy = { privacy: { localOnly: ['**/*.env'] } };
    const decision = await routerFor(policy({ mode: 'arch' }, 'huggingface', privacy)).decide(ask('what is wrong here', { fileName: 'config/prod.env', selection: 'API_KEY=abc' }));
    assert.equal(decision.stage, 'local');
    assert.match(decision.reason, /^Arch-Router not asked: config\/prod\.env may only go to providers on this machine \(privacy\.localOnly\), and huggingface is at https:\/\/router\.huggingface\.co; local classifier picked/);
    assert.equal(decision.archRouter, undefined, 'not asked, so not a failure of Arch-Router in eval and test summaries');
  });

  it('never shows a local-only file to a remote Arch-Router under another spelling of its name', async () => {
    const decision = await routerFor(policy({ mode: 'arch' }, 'huggingface', { privacy: { localOnly: ['config/*.env'] } })).decide(ask('what is wrong here', { fileName: '.\\config\\prod.env' }));
    assert.equal(decision.stage, 'local');
    assert.match(decision.reason, /^Arch-Router not asked: /);
  });

  it('never shows a remote Arch-Router a file another folder\'s policy keeps local, though this policy has no privacy rules', async () => {
    const request = { ...ask('and now refactor it', { fileName: 'src/app.py' }), carriedFiles: [{ fileName: 'alpha/config/prod.env', via: 'from earlier in this conversation', localOnly: true }] };
    const decision = await routerFor(policy({ mode: 'arch' }, 'huggingface')).decide(request);
    assert.equal(decision.stage, 'local');
    assert.match(decision.reason, /^Arch-Router not asked: alpha\/config\/prod\.env \(from earlier in this conversation\) may only go to providers on this machine/);
  });

  it('never shows a remote Arch-Router a follow-up whose earlier turns came from a local-only file', async () => {
    const followUp: OmniRequest = {
      messages: [{ role: 'user', content: 'what is wrong here', fileName: 'config/prod.env' }, { role: 'assistant', content: 'A typo.' }, { role: 'user', content: 'and now refactor it' }],
      editor: { fileName: 'src/app.py' },
    };
    const decision = await routerFor(policy({ mode: 'arch' }, 'huggingface', { privacy: { localOnly: ['**/*.env'] } })).decide(followUp);
    assert.equal(decision.stage, 'local');
    assert.match(decision.reason, /^Arch-Router not asked: config\/prod\.env \(from earlier in this conversation\) may only go to providers on this machine/);
  });

  it('asks an Arch-Router on this machine about a local-only file', async () => {
    fake.behave(ARCH, { archRouter: { route: 'bug_fixing' } });
    const decision = await routerFor(policy({ mode: 'arch' }, 'archhost', { privacy: { localOnly: ['**/*.env'] } })).decide(ask('what is wrong here', { fileName: 'prod.env' }));
    assert.equal(decision.stage, 'arch-router');
  });

  it('uses the default route for an empty request', async () => {
    const decision = await routerFor(policy({ mode: 'arch' })).decide(ask('   '));
    assert.equal(decision.stage, 'default');
    assert.equal(decision.route, 'general_chat');
  });

  it('rejects when cancelled, and the router call is closed on the server', async () => {
    fake.behave(ARCH, { hang: true });
    const controller = new AbortController();
    const pending = routerFor(policy({ mode: 'arch', timeoutMs: 5000 })).decide(ask('fix this'), { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(pending);
    await fake.waitForNoOpenRequests();
  });
});
