import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { textPrinter, type Output } from '../../src/cli/answerPrinter';
import type { AnswerEvent, DoneEvent } from '../../src/core/engine/events';
import type { RoutingDecision } from '../../src/core/router/types';

const decision: RoutingDecision = { route: 'code', model: 'drop', fallbacks: ['good'], stage: 'local', reason: 'picked code', latencyMs: 1 };
const done: DoneEvent = {
  type: 'done',
  route: 'code',
  model: 'good',
  displayName: 'good',
  provider: 'fake',
  providerModel: 'good',
  text: 'Hello',
  usage: { inputTokens: 1, outputTokens: 1, estimated: false },
  costUsd: 0.0015,
  priced: true,
  timeToFirstTokenMs: 1,
  totalMs: 2,
  attempts: [],
};
const failover: AnswerEvent[] = [
  { type: 'decision', decision, model: 'drop', displayName: 'drop', provider: 'fake', reason: 'picked code' },
  { type: 'token', text: 'a b ' },
  { type: 'token', text: 'c' },
  { type: 'fallback', from: 'drop', to: 'good', cause: 'connection', message: 'lost the connection to fake', reason: 'drop failed; good answers instead; its partial answer is discarded', partialDiscarded: true, skipped: [] },
  { type: 'token', text: 'Hello' },
  done,
];

/** What a printer writes for `events`, each stream alone and both as one terminal shows them. */
function print(events: readonly AnswerEvent[], isTTY: boolean) {
  const written = { stdout: '', stderr: '', screen: '' };
  const output = (name: 'stdout' | 'stderr'): Output => ({
    isTTY,
    write: (text: string) => {
      written[name] += text;
      written.screen += text;
    },
  });
  const printer = textPrinter(output('stdout'), output('stderr'));
  for (const event of events) printer(event);
  return written;
}

describe("omni ask's text output", () => {
  it('on a terminal, streams the answer and marks the text a failover discards', () => {
    const { screen } = print(failover, true);
    assert.match(screen, /^code → drop .*\na b c\n\[drop failed; .*discarded\]\n\[the text above is discarded; the answer starts again below\]\nHello\n— good /);
  });

  it('to a file or pipe, writes only the answer that completed, ending its line', () => {
    const { stdout, stderr } = print(failover, false);
    assert.equal(stdout, 'Hello\n');
    assert.doesNotMatch(stderr, /the text above/);
  });

  it('on a terminal, marks an answer that turned out to be reasoning; a file gets only the answer', () => {
    const events: AnswerEvent[] = [
      { type: 'token', text: 'let me ' },
      { type: 'reasoning', text: 'let me think', replacesAnswer: true },
      { type: 'token', text: 'Hello' },
      done,
    ];
    assert.match(print(events, true).screen, /^let me \nthink\n\[the text above was the model's reasoning; the answer follows below\]\nHello\n— good/);
    const piped = print(events, false);
    assert.equal(piped.stdout, 'Hello\n');
    assert.match(piped.stderr, /^let me think\n— good/);
  });

  it('ends reasoning on its own line before the answer', () => {
    const events: AnswerEvent[] = [{ type: 'reasoning', text: 'let me think' }, { type: 'token', text: 'Hello' }, done];
    assert.match(print(events, true).screen, /^let me think\nHello\n— good/);
    const piped = print(events, false);
    assert.match(piped.stderr, /^let me think\n— good/);
    assert.equal(piped.stdout, 'Hello\n');
  });

  it('on a terminal, drops the control characters a terminal would run from the answer, reasoning and messages; a file keeps them', () => {
    const hostile = 'ok\u001b]52;c;c2VjcmV0\u0007 \u001b[2J\r\n\u009b31m\tdone';
    const events: AnswerEvent[] = [
      { type: 'reasoning', text: hostile },
      { type: 'token', text: hostile },
      { type: 'error', message: hostile, cancelled: false, attempts: [] },
    ];
    const { screen } = print(events, true);
    assert.doesNotMatch(screen, /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/);
    assert.match(screen, /^ok\]52;c;c2VjcmV0 \[2J\n31m\tdone\n/, 'the text itself stays, tab and line feed too');
    assert.equal(print([{ ...done, text: hostile }], false).stdout, `${hostile}\n`);
  });

  it('adds no newline to an answer that already ends with one, nor to an empty one', () => {
    assert.equal(print([{ type: 'token', text: 'Hi\n' }, { ...done, text: 'Hi\n' }], false).stdout, 'Hi\n');
    assert.equal(print([{ type: 'token', text: 'Hi\n' }, { ...done, text: 'Hi\n' }], true).stdout, 'Hi\n');
    assert.equal(print([{ ...done, text: '' }], false).stdout, '');
  });

  it('prices the answer, and says so when the policy gives the model no price instead of printing $0', () => {
    assert.match(print([done], false).stderr, /— good · 1 in \/ 1 out tokens · \$0\.001500 · first token 1 ms · total 2 ms\n$/);
    assert.match(print([{ ...done, costUsd: 0, priced: false }], false).stderr, / · no price in the policy · /);
  });

  it('says above the footer when the answer was cut short', () => {
    const { stdout, stderr } = print([{ ...done, incomplete: "the answer was cut off at the model's output limit" }], false);
    assert.equal(stdout, 'Hello\n');
    assert.match(stderr, /^\[the answer was cut off at the model's output limit\]\n— good /);
  });

  it('says on stderr, above the footer, when earlier turns were left out to fit the context window', () => {
    const trimmed = 'Sent the last 3 of 9 turns: the earlier ones do not fit good\'s context window (4,096 tokens, "contextWindow" in .omni/policies.json)';
    const { stdout, stderr } = print([{ ...done, trimmed }], false);
    assert.equal(stdout, 'Hello\n');
    assert.equal(stderr.split('\n')[0], `[${trimmed}]`);
    assert.match(stderr, /\]\n— good /);
  });
});
