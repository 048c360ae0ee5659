/**
 * The one message protocol between the extension host and the chat webview, validated with zod on both sides.
 * It imports neither `vscode` nor Node APIs, and uses `zod/mini` because the webview bundles it: the classic
 * zod build would add ~430 KB to media/webview.js, mini adds ~20 KB.
 */
import { en } from 'zod/locales';
import * as z from 'zod/mini';
import type { DecisionStage, RoutingDecision } from '../core/router/types';

// zod/mini ships without messages ("Invalid input"); English ones make `parse*Message` errors say what was wrong.
z.config(en());

/** Identifies one request from `send` (or `retryWith`) through its `done` or `error`; the webview mints it. */
const requestId = z.string().check(z.minLength(1), z.maxLength(100));
const shortText = z.string().check(z.maxLength(2_000));
const count = z.int().check(z.nonnegative());
const millis = z.number().check(z.nonnegative());
const usd = z.number().check(z.nonnegative());

// A Record keyed by DecisionStage makes the compiler fail here when the router gains or loses a stage.
const stages: Record<DecisionStage, DecisionStage> = {
  rule: 'rule',
  local: 'local',
  'arch-router': 'arch-router',
  default: 'default',
  override: 'override',
  conversation: 'conversation',
};

/** What the answer's tag shows as soon as the router has decided, before the first token. */
const decisionTagSchema = z.object({
  route: shortText,
  /** Policy alias of the model, as `retryWith` and `chooseModel` name it. */
  model: shortText,
  modelDisplayName: shortText,
  provider: shortText,
  stage: z.enum(stages),
  /** One sentence: why this route. */
  reason: shortText,
  /** 0..1, when the deciding stage has one. */
  confidence: z.optional(z.number().check(z.gte(0), z.lte(1))),
  routerLatencyMs: millis,
  /** Display names of the models planned after `model`, in order, as the fallback notes name them. */
  fallbacks: z.array(shortText),
  /** The router's own route when the conversation kept its earlier one (`route`); a routing example tests this one. */
  routerPick: z.optional(shortText),
  /** Which folder's policy routed ("beta/.omni/policies.json"): set only in a multi-root workspace, where folders' policies differ. */
  policy: z.optional(shortText),
});

/**
 * One model that took over from a failed one, or the same one asked again after `retryInMs` (a rate limit's short
 * Retry-After); `partialDiscarded` means the text streamed so far was dropped.
 */
const fallbackNoteSchema = z.object({
  failedModel: shortText,
  /** Why it failed, in the failure's own words (they name the fix). */
  cause: shortText,
  nextModel: shortText,
  partialDiscarded: z.boolean(),
  retryInMs: z.optional(millis),
});

/** Token counts as the answer goes; `estimated` when the provider did not report them. */
const usageSchema = z.object({ inputTokens: count, outputTokens: count, estimated: z.boolean() });

/** The footer of a finished answer. */
const answerFooterSchema = z.object({
  ...usageSchema.shape,
  /** Null when the answering model has no price in the policy. */
  costUsd: z.nullable(usd),
  /** Null when no token arrived. */
  timeToFirstTokenMs: z.nullable(millis),
  totalMs: millis,
  /** Display name of the model that produced the answer. */
  model: shortText,
  /** Why the answer may be cut short: the model's output limit, a content filter. */
  incomplete: z.optional(shortText),
  /** Which earlier turns were left out to fit the model's context window, and where that window is set. */
  trimmed: z.optional(shortText),
});

/** Why an answer failed and what the user can do about it. */
const answerErrorSchema = z.object({
  message: shortText,
  /** The action to take, e.g. "Set a Hugging Face token with 'Omni: Set API Key'". */
  hint: z.optional(shortText),
  attempts: z.array(z.object({ model: shortText, cause: shortText })),
});

/** Exactly two lines: what is missing, then what to do. */
const setupLinesSchema = z.tuple([shortText, shortText]);

const userTurnSchema = z.object({ role: z.literal('user'), text: z.string() });

/** An answer as stored and replayed; the streamed messages build the same shape in the webview. */
const assistantTurnSchema = z.object({
  role: z.literal('assistant'),
  requestId,
  text: z.string(),
  reasoning: z.optional(z.string()),
  /**
   * While streaming with no answer text yet: when the model began reasoning (epoch ms), so a view built anew (closed
   * and reopened) counts "Reasoning… N s" on from there rather than from 0.
   */
  reasoningSince: z.optional(millis),
  tag: z.optional(decisionTagSchema),
  notes: z.array(fallbackNoteSchema),
  usage: z.optional(usageSchema),
  footer: z.optional(answerFooterSchema),
  error: z.optional(answerErrorSchema),
  setup: z.optional(setupLinesSchema),
  /** Providers whose key was missing or refused: the answer offers "Set API Key" for each. */
  keyFor: z.optional(z.array(shortText)),
  status: z.enum(['streaming', 'done', 'stopped', 'error']),
});

export const turnSchema = z.discriminatedUnion('role', [userTurnSchema, assistantTurnSchema]);

const modelChoiceSchema = z.object({ alias: shortText, displayName: shortText, provider: shortText });

export const conversationSummarySchema = z.object({
  id: shortText,
  title: shortText,
  /** Epoch milliseconds. */
  updatedAt: millis,
  turnCount: count,
  /** The latest question, when it is not the first: conversations that start alike differ here. */
  latest: z.optional(shortText),
  /** Display name of the model that gave the latest answer. */
  model: z.optional(shortText),
});

/** Everything the extension host sends to the webview. */
export const hostMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('config'), showReasoning: z.boolean() }),
  /** "Omni: Open Chat" on a view that already exists: put the cursor in the message box. */
  z.object({ type: z.literal('focusComposer') }),
  /** The outcome of something the webview asked for (a code action), for screen readers to announce. */
  z.object({ type: z.literal('notice'), text: shortText }),
  z.object({
    type: z.literal('conversation'),
    conversationId: z.nullable(shortText),
    title: shortText,
    turns: z.array(turnSchema),
    /**
     * The host's clock when it sent this (epoch ms): the turns' times are on it, and a remote or WSL extension host's
     * clock may differ from the webview's. Absent when the webview replays its own saved state.
     */
    sentAt: z.optional(millis),
  }),
  /** A request the host started itself (e.g. Explain from the editor): show its prompt and an empty answer. */
  z.object({ type: z.literal('userTurn'), requestId, text: z.string() }),
  z.object({ type: z.literal('decision'), requestId, tag: decisionTagSchema }),
  z.object({ type: z.literal('token'), requestId, text: z.string() }),
  /** `replacesAnswer`: the answer streamed so far was reasoning (a lone `</think>` said so): clear it; `text` repeats it. */
  z.object({ type: z.literal('reasoning'), requestId, text: z.string(), replacesAnswer: z.optional(z.literal(true)) }),
  z.object({ type: z.literal('fallback'), requestId, note: fallbackNoteSchema }),
  z.object({ type: z.literal('usage'), requestId, usage: usageSchema }),
  // No footer when the user stopped the answer before the router had decided: no model was asked, nothing to count.
  z.object({ type: z.literal('done'), requestId, footer: z.optional(answerFooterSchema), stopped: z.boolean() }),
  z.object({ type: z.literal('error'), requestId, error: answerErrorSchema, keyFor: z.optional(z.array(shortText)) }),
  /**
   * No key or no reachable model: what is missing, then what to do. With a request id it shows under that answer's
   * tag (after its `decision`, beside an `error` sent before it) and ends the request if still open; without one,
   * as a banner until the next answer completes.
   */
  z.object({ type: z.literal('setup'), requestId: z.optional(requestId), lines: setupLinesSchema, keyFor: z.optional(z.array(shortText)) }),
  /** What the banner reported is over (the policy is valid again): it goes, as it does when dismissed. */
  z.object({ type: z.literal('clearBanner') }),
  z.object({
    type: z.literal('history'),
    conversations: z.array(conversationSummarySchema),
    activeId: z.nullable(shortText),
    /** Saved conversations older than the listed ones, which the list leaves out. */
    older: z.optional(count),
  }),
  z.object({
    type: z.literal('sessionTotals'),
    answers: count,
    ...usageSchema.shape,
    /** What the answers on priced models cost. */
    costUsd: usd,
    /** Answers on a model without a price, whose cost is unknown. */
    unpriced: count,
    /** What the priced answers' tokens would have cost on the baseline model; null when it has no price. */
    baselineCostUsd: z.nullable(usd),
    /** The baseline's cost less what the priced answers cost; null when the baseline has no price. */
    savingUsd: z.nullable(z.number()),
    baselineModel: shortText,
  }),
  /** Models for "Retry with…" and "Choose model"; `chosen` null means routed automatically. */
  z.object({ type: z.literal('models'), models: z.array(modelChoiceSchema), chosen: z.nullable(shortText) }),
]);

const code = z.string().check(z.maxLength(5_000_000));
/** The longest message the chat sends; the message box refuses a longer one, as the host would drop it unanswered. */
export const MAX_MESSAGE_CHARS = 1_000_000;
const conversationId = shortText;

/** Everything the webview sends to the extension host. */
export const webviewMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('send'), requestId, text: z.string().check(z.minLength(1), z.maxLength(MAX_MESSAGE_CHARS)) }),
  z.object({ type: z.literal('stop'), requestId }),
  /** Asks `retryOf`'s prompt again on `model`, as a new request `requestId`. */
  z.object({ type: z.literal('retryWith'), requestId, retryOf: requestId, model: shortText }),
  z.object({ type: z.literal('copy'), code }),
  z.object({ type: z.literal('insertAtCursor'), code }),
  z.object({ type: z.literal('applyToSelection'), code }),
  /** The host opens it only when `isOpenableHref` says so. */
  z.object({ type: z.literal('openLink'), href: z.string().check(z.maxLength(8_192)) }),
  z.object({ type: z.literal('newChat') }),
  z.object({ type: z.literal('openConversation'), conversationId }),
  z.object({ type: z.literal('deleteConversation'), conversationId }),
  /** Lists the next batch of the older conversations History leaves out, in the view that asks. */
  z.object({ type: z.literal('showMoreHistory') }),
  /** Null returns to automatic routing. */
  z.object({ type: z.literal('chooseModel'), model: z.nullable(shortText) }),
  /** Saves what `requestId` was routed on as a line of the folder's routing examples, with the route the user picks. */
  z.object({ type: z.literal('saveRoutingExample'), requestId }),
  /**
   * Runs "Omni: Set API Key" for `provider`, offered under an answer whose key was missing or refused; without one
   * (the empty chat's button), the command asks which provider.
   */
  z.object({ type: z.literal('setApiKey'), provider: z.optional(shortText) }),
  /** Runs "Omni: Create Policy", offered by the empty chat. */
  z.object({ type: z.literal('createPolicy') }),
]);

export type { DecisionStage };
export type DecisionTag = z.infer<typeof decisionTagSchema>;
export type FallbackNote = z.infer<typeof fallbackNoteSchema>;
export type Usage = z.infer<typeof usageSchema>;
export type AnswerFooter = z.infer<typeof answerFooterSchema>;
export type AnswerError = z.infer<typeof answerErrorSchema>;
export type SetupLines = z.infer<typeof setupLinesSchema>;
export type UserTurn = z.infer<typeof userTurnSchema>;
export type AssistantTurn = z.infer<typeof assistantTurnSchema>;
export type Turn = z.infer<typeof turnSchema>;
export type ModelChoice = z.infer<typeof modelChoiceSchema>;
export type ConversationSummary = z.infer<typeof conversationSummarySchema>;
export type HostMessage = z.infer<typeof hostMessageSchema>;
export type WebviewMessage = z.infer<typeof webviewMessageSchema>;

/** A host message of one `type`, e.g. `HostMessageOf<'token'>`. */
export type HostMessageOf<T extends HostMessage['type']> = Extract<HostMessage, { type: T }>;
/** A webview message of one `type`, e.g. `WebviewMessageOf<'send'>`. */
export type WebviewMessageOf<T extends WebviewMessage['type']> = Extract<WebviewMessage, { type: T }>;

export type ParseResult<T> = { ok: true; message: T } | { ok: false; error: string };

function parseWith<T>(schema: z.ZodMiniType<T>, direction: string, data: unknown): ParseResult<T> {
  const result = schema.safeParse(data);
  if (result.success) return { ok: true, message: result.data };
  const type = typeof data === 'object' && data !== null && 'type' in data ? JSON.stringify(data.type) : 'untyped';
  return { ok: false, error: `invalid ${direction} message ${type}:\n${z.prettifyError(result.error)}` };
}

/** Validates what the webview received; the error names the message type and each bad field. */
export function parseHostMessage(data: unknown): ParseResult<HostMessage> {
  return parseWith(hostMessageSchema, 'host→webview', data);
}

/** Validates what the host received from the webview; the error names the message type and each bad field. */
export function parseWebviewMessage(data: unknown): ParseResult<WebviewMessage> {
  return parseWith(webviewMessageSchema, 'webview→host', data);
}

/** True for the only links the host may open: absolute http(s) URLs. */
export function isOpenableHref(href: string): boolean {
  try {
    const { protocol } = new URL(href);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** The tag for a router decision, given the chosen model's display name and provider from the policy. */
export function toDecisionTag(
  decision: RoutingDecision,
  model: { displayName: string; provider: string },
  displayName: (alias: string) => string = (alias) => alias,
): DecisionTag {
  return {
    route: decision.route,
    model: decision.model,
    modelDisplayName: model.displayName,
    provider: model.provider,
    stage: decision.stage,
    reason: decision.reason,
    confidence: decision.confidence,
    routerLatencyMs: decision.latencyMs,
    fallbacks: decision.fallbacks.map(displayName),
    ...(decision.routerPick === undefined ? {} : { routerPick: decision.routerPick }),
  };
}
