import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { policySchema } from '../../../src/core/policy/schema';
import { buildRouter } from '../../../src/core/router';
import { withStickiness } from '../../../src/core/router/sticky';
import type { OmniRequest } from '../../../src/core/request';

const policy = policySchema.parse({
  version: 1,
  models: { coder: { provider: 'openai', model: 'c' }, general: { provider: 'openai', model: 'g' } },
  routes: [
    { name: 'bug_fixing', description: 'fixing errors, exceptions, stack traces and crashes in code', model: 'coder' },
    { name: 'general_chat', description: 'questions not about software: cooking, travel, small talk', model: 'general' },
  ],
  rules: [{ when: { command: 'explain' }, route: 'general_chat' }],
  defaultRoute: 'general_chat',
  router: { mode: 'local' },
});
const router = buildRouter(policy);
const previous = { route: 'bug_fixing', model: 'coder' };
const followUp = (content: string, command?: 'explain'): OmniRequest => ({
  messages: [
    { role: 'user', content: 'my app crashes with a NullPointerException' },
    { role: 'assistant', content: 'check line 3' },
    { role: 'user', content },
  ],
  editor: command ? { command } : undefined,
});

describe('conversation stickiness', () => {
  it('routes a first message normally', async () => {
    const first: OmniRequest = { messages: [{ role: 'user', content: 'any tips for a pasta recipe tonight?' }] };
    const d = await withStickiness(router, policy, undefined, { stickiness: 'keep', switchConfidence: 0.8 }).decide(first);
    assert.equal(d.model, 'general');
    assert.equal(d.switchedFrom, undefined);
  });

  it('keeps the model in "keep" mode and says so', async () => {
    const d = await withStickiness(router, policy, previous, { stickiness: 'keep', switchConfidence: 0.8 }).decide(followUp('any tips for a pasta recipe tonight?'));
    assert.equal(d.model, 'coder');
    assert.equal(d.route, 'bug_fixing');
    assert.equal(d.stage, 'conversation');
    assert.match(d.reason, /^kept coder from earlier in this conversation: this conversation keeps its model \(setting omni\.conversation\.stickiness\); the router's pick: local classifier picked general_chat \(confidence [01]\.\d\d\)$/);
  });

  it('switches when the router is confident, and marks the switch', async () => {
    const d = await withStickiness(router, policy, previous, { stickiness: 'switch-when-confident', switchConfidence: 0 }).decide(followUp('any tips for a pasta recipe tonight?'));
    assert.equal(d.model, 'general');
    assert.equal(d.switchedFrom, 'coder');
    assert.match(d.reason, /^switched from coder: local classifier picked general_chat/);
  });

  it('stays when the router is not confident enough', async () => {
    const d = await withStickiness(router, policy, previous, { stickiness: 'switch-when-confident', switchConfidence: 1 }).decide(followUp('any tips for a pasta recipe tonight?'));
    assert.equal(d.model, 'coder');
    assert.match(d.reason, /the router's pick is not confident enough to switch \([01]\.\d\d < 1, setting omni\.conversation\.switchConfidence\); the router's pick: local classifier picked general_chat/);
    assert.equal(d.confidence, undefined, "general_chat's confidence is not the kept route's: only the reason quotes it");
  });

  it('lets a rule switch even in the strictest confidence setting', async () => {
    const d = await withStickiness(router, policy, previous, { stickiness: 'switch-when-confident', switchConfidence: 1 }).decide(followUp('explain', 'explain'));
    assert.equal(d.model, 'general');
    assert.equal(d.switchedFrom, 'coder');
  });

  it("takes Arch-Router's pick as confident: it gives no confidence, and read the whole conversation", async () => {
    const arch = { decide: async () => ({ route: 'general_chat', model: 'general', fallbacks: [], stage: 'arch-router' as const, reason: 'Arch-Router picked general_chat in 40 ms', latencyMs: 40 }) };
    const d = await withStickiness(arch, policy, previous, { stickiness: 'switch-when-confident', switchConfidence: 0.8 }).decide(followUp('and what about pasta?'));
    assert.equal(d.model, 'general');
    assert.equal(d.switchedFrom, 'coder');
  });

  it('says what Arch-Router answered when its answer fell back to the default route and the route was kept', async () => {
    const arch = {
      decide: async () => ({
        route: 'general_chat', model: 'general', fallbacks: [], stage: 'default' as const, latencyMs: 40,
        reason: 'Arch-Router answered "other" in 40 ms; default route general_chat',
      }),
    };
    const d = await withStickiness(arch, policy, previous, { stickiness: 'switch-when-confident', switchConfidence: 0.8 }).decide(followUp('and then?'));
    assert.deepEqual([d.route, d.model, d.stage, d.routerPick], ['bug_fixing', 'coder', 'conversation', 'general_chat']);
    assert.equal(
      d.reason,
      'kept coder from earlier in this conversation: the router fell back to general_chat, which is no reason to switch; ' +
        'the router\'s pick: Arch-Router answered "other" in 40 ms; default route general_chat',
    );
  });

  it('always routes afresh in "always-route" mode', async () => {
    const d = await withStickiness(router, policy, previous, { stickiness: 'always-route', switchConfidence: 1 }).decide(followUp('any tips for a pasta recipe tonight?'));
    assert.equal(d.model, 'general');
    assert.equal(d.switchedFrom, undefined);
  });
});
