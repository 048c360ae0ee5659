// What the Omni scenarios share: the loopback fake provider (run in this process, so a scenario can change what a model
// does and read what it was asked), the policy and settings a user would write, and the chat as a person sees it.
import * as assert from 'node:assert/strict';
import { tsImport } from 'tsx/esm/api';

/** Starts test/fake-provider/server.ts (TypeScript, loaded through tsx) on 127.0.0.1. */
export async function startFake() {
  const { startFakeProvider } = await tsImport('../fake-provider/server.ts', import.meta.url);
  return startFakeProvider();
}

export const FAKE_KEY = 'sk-ui-test-789';

/** The user settings a person writes to use a self-hosted OpenAI-compatible server, plus the theme. */
export function omniSettings(fake, extra = {}) {
  return {
    'omni.providers': { fake: { type: 'openai-compatible', baseURL: fake.baseURL, apiKeyEnv: 'OMNI_FAKE_KEY' } },
    'workbench.colorTheme': 'Default Dark Modern',
    ...extra,
  };
}

/** The workspace policy of the scenarios: a coder and a general model on the fake provider, local routing. */
export function uiPolicy({ generalModel = 'general', extraModels = {} } = {}) {
  return {
    version: 1,
    models: {
      coder: { provider: 'fake', model: 'fake-coder', displayName: 'Fake Coder', price: { input: 2, output: 2 } },
      general: { provider: 'fake', model: 'fake-general', displayName: 'Fake General', price: { input: 0.6, output: 0.6 } },
      ...extraModels,
    },
    routes: [
      { name: 'code_generation', description: 'writing new code: functions, classes, scripts, parsers', model: 'coder', fallbacks: ['general'] },
      { name: 'code_explanation', description: 'explaining what code does', model: 'coder' },
      { name: 'refactoring', description: 'restructuring existing code', model: 'coder' },
      { name: 'general_chat', description: 'questions not about software: cooking, travel, recipes, small talk', model: generalModel },
    ],
    rules: [
      { when: { command: 'explain' }, route: 'code_explanation' },
      { when: { command: 'refactor' }, route: 'refactoring' },
    ],
    defaultRoute: 'general_chat',
    router: { mode: 'local' },
  };
}

export const policyText = (policy) => `${JSON.stringify(policy, null, 2)}\n`;

/** Polls `read` until `accept(value)`; on timeout fails saying what was expected and what was last seen. */
export async function eventually(what, read, accept, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await read();
      if (accept(last)) return last;
    } catch (error) {
      last = `(${error.message.split('\n')[0]})`;
    }
    if (Date.now() > deadline) throw new assert.AssertionError({ message: `expected ${what} within ${timeoutMs / 1000} s; last saw ${JSON.stringify(last)}` });
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits until `locator`'s text is exactly `expected` (string) or matches it (RegExp), case-sensitively. */
export function textOf(locator, expected, what, timeoutMs) {
  const accept = (text) => (expected instanceof RegExp ? expected.test(text ?? '') : text === expected);
  return eventually(`${what} to be ${expected instanceof RegExp ? expected : JSON.stringify(expected)}`,
    () => locator.first().textContent({ timeout: 1_000 }), accept, timeoutMs);
}

/** The Omni chat webview of `workbench`, as a person uses it. */
export class Chat {
  constructor(workbench) {
    this.workbench = workbench;
    this.frame = workbench.webview();
    this.input = this.frame.locator('textarea.composer-input');
    this.button = this.frame.locator('button.composer-button');
    this.userTurns = this.frame.locator('.transcript > .user-turn');
    this.answers = this.frame.locator('.transcript > article.answer');
  }

  /** "Omni: New Chat" from the palette, then waits for the empty transcript. */
  async newChat() {
    await this.workbench.runCommand('Omni: New Chat');
    await this.input.waitFor({ timeout: 20_000 });
    await eventually('an empty transcript after "Omni: New Chat"', () => this.frame.locator('.transcript > *').count(), (n) => n === 0);
  }

  /** Types `text` into the chat and presses Enter; returns the new answer (its index in the transcript). */
  async ask(text) {
    const before = await this.answers.count();
    await this.input.fill(text);
    await this.input.press('Enter');
    await eventually(`a new answer after sending "${text}"`, () => this.answers.count(), (n) => n === before + 1, 10_000);
    return this.answer(before);
  }

  answer(index) {
    const root = this.answers.nth(index);
    return {
      root,
      tag: root.locator('.tag-slot .tag'),
      route: root.locator('.tag-route'),
      model: root.locator('.tag-model'),
      stage: root.locator('.tag-stage'),
      reason: root.locator('.tag-reason'),
      body: root.locator('.markdown'),
      /** The first paragraph of the answer (the body's text ends with markdown's newlines). */
      paragraph: root.locator('.markdown p'),
      notes: root.locator('.fallback-note'),
      footer: root.locator('.answer-footer'),
      /** Resolves once the answer is no longer streaming (the view drops aria-busy when it settles). */
      settled: (timeoutMs = 20_000) => eventually('the answer to finish streaming', () => root.getAttribute('aria-busy'), (busy) => busy === null, timeoutMs),
    };
  }

  /** The latest answer. */
  async last() {
    return this.answer((await this.answers.count()) - 1);
  }
}
