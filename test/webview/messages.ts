/** Host messages the webview tests and the bench send, with plausible values. */
import type { AnswerFooter, AssistantTurn, DecisionTag, HostMessage, HostMessageOf } from '../../src/protocol/messages';

export const sampleTag: DecisionTag = {
  route: 'code-generation',
  model: 'coder',
  modelDisplayName: 'Qwen3 Coder 480B',
  provider: 'huggingface',
  stage: 'local',
  reason: 'The request asks for new code in TypeScript.',
  confidence: 0.82,
  routerLatencyMs: 12,
  fallbacks: ['general'],
};

export function decision(requestId: string, tag: DecisionTag = sampleTag): HostMessageOf<'decision'> {
  return { type: 'decision', requestId, tag };
}

export function done(requestId: string, stopped = false): HostMessageOf<'done'> & { footer: AnswerFooter } {
  return {
    type: 'done',
    requestId,
    stopped,
    footer: {
      inputTokens: 1234,
      outputTokens: 567,
      estimated: true,
      costUsd: 0.0042,
      timeToFirstTokenMs: 320,
      totalMs: 4200,
      model: 'Qwen3 Coder 480B',
    },
  };
}

/** `text` cut into token messages of `size` characters (the last may be shorter). */
export function tokens(requestId: string, text: string, size: number): HostMessage[] {
  const messages: HostMessage[] = [];
  for (let i = 0; i < text.length; i += size) messages.push({ type: 'token', requestId, text: text.slice(i, i + size) });
  return messages;
}

/** `text` cut into exactly `count` token messages of near-equal size. */
export function tokensInto(requestId: string, text: string, count: number): HostMessage[] {
  const messages: HostMessage[] = [];
  for (let i = 0; i < count; i++) {
    const chunk = text.slice(Math.floor((i * text.length) / count), Math.floor(((i + 1) * text.length) / count));
    messages.push({ type: 'token', requestId, text: chunk });
  }
  return messages;
}

/** A saved conversation of one question and its answer, as the host sends it when the conversation is opened. */
export function savedConversation(conversationId: string, title: string, question: string, answer: Partial<AssistantTurn> & Pick<AssistantTurn, 'text' | 'status'>): HostMessageOf<'conversation'> {
  return {
    type: 'conversation',
    conversationId,
    title,
    turns: [{ role: 'user', text: question }, { role: 'assistant', requestId: 'old-1', tag: sampleTag, notes: [], ...answer }],
  };
}
