/** What the fake provider does for a model id; the JSON form is what `main.ts --behaviours FILE` reads. */
import { z } from 'zod';

export interface RouteOption {
  name: string;
  description: string;
}

export interface ConversationTurn {
  role: string;
  content: string;
}

/** Picks a route name from the `<routes>` and `<conversation>` of an Arch-Router prompt. */
export type ChooseRoute = (routes: RouteOption[], conversation: ConversationTurn[]) => string;

const archRouterSchema = z.strictObject({
  /** A fixed route name to answer. */
  route: z.string().optional(),
  /** Route name → words; the first route with a word in the latest user turn wins, else `route`, else "other". */
  keywords: z.record(z.string(), z.array(z.string())).optional(),
  /** Programmatic choice (not in JSON); wins over `keywords` and `route`. */
  choose: z.custom<ChooseRoute>((value) => typeof value === 'function').optional(),
  /** The quirky answer shapes seen in practice. */
  format: z.enum(['json', 'single-quotes', 'fenced', 'list']).default('json'),
});

export const behaviourSchema = z.strictObject({
  /** The answer; default `Answer from MODEL.` */
  text: z.string().optional(),
  /** How many SSE chunks the answer is cut into; default one per word. */
  chunks: z.number().int().positive().optional(),
  /** Pause between two chunks of the answer, and between the reasoning and the answer. */
  chunkDelayMs: z.number().nonnegative().default(0),
  /** Wait before the first byte of the answer (streamed or not). */
  firstTokenDelayMs: z.number().nonnegative().default(0),
  /** Answer this HTTP status instead; `times` limits it to the first N requests for the model. */
  fail: z
    .strictObject({
      status: z.number().int().min(400).max(599),
      retryAfter: z.union([z.number(), z.string()]).optional(),
      message: z.string().optional(),
      /** Send this HTML page as the body instead of a JSON error, as a gateway does. */
      html: z.string().optional(),
      /** Send this plain text as the body instead of a JSON error, as a proxy does ("Internal Server Error"). */
      text: z.string().optional(),
      /** Send this JSON value as the body instead of the OpenAI error shape, e.g. HF's `{"error": "…", "estimated_time": 20}`. */
      json: z.unknown().optional(),
      times: z.number().int().positive().optional(),
    })
    .optional(),
  /** One SSE `data:` line sent verbatim after the first answer chunk, e.g. invalid JSON. */
  garbledChunk: z.string().optional(),
  /** One SSE `data:` line sent verbatim as the stream's first event, before any answer chunk. */
  garbledFirstChunk: z.string().optional(),
  /** Destroy the socket after this many answer chunks (mid-stream break). */
  dropAfterChunks: z.number().int().nonnegative().optional(),
  /** Destroy the socket once the request is read, before sending any response headers. */
  dropBeforeHeaders: z.boolean().default(false),
  /** How a drop breaks the socket: a FIN (undici's "other side closed"), or a TCP reset (ECONNRESET), as a proxy or firewall does. */
  dropWith: z.enum(['close', 'reset']).default('close'),
  /** Accept the request and never answer. */
  hang: z.boolean().default(false),
  /**
   * Reasoning streamed before the answer, as a separate field, inside `<think>` tags, or ended by a lone `</think>` (chat
   * templates that open `<think>` in the prompt, as Qwen3's do).
   */
  reasoning: z
    .strictObject({
      text: z.string(),
      as: z.enum(['reasoning_content', 'reasoning', 'think-tags', 'close-tag-only']),
    })
    .optional(),
  /** The `finish_reason` the answer ends with: `length` for a cut answer, `content_filter`, `tool_calls`… */
  finishReason: z.string().default('stop'),
  /** Answer 200 with this HTML instead of the completion, as a proxy's login page does. */
  htmlPage: z.string().optional(),
  /** The content type `htmlPage` is sent with: a misconfigured proxy may label its page JSON. */
  htmlPageType: z.enum(['text/html', 'application/json']).default('text/html'),
  /**
   * Answer 200 with this JSON value instead of the completion (streamed: as every event), as a server that is not
   * OpenAI-compatible does (`{"detail": …}`), or one that reports its error with status 200.
   */
  notCompletion: z.unknown().optional(),
  /** Reported usage; default computed from characters/4; `false` never reports usage. */
  usage: z.union([z.literal(false), z.strictObject({ input: z.number().int(), output: z.number().int() })]).optional(),
  /** Answer as Arch-Router does. */
  archRouter: archRouterSchema.optional(),
});

/** A behaviour as callers write it (defaults optional). */
export type Behaviour = z.input<typeof behaviourSchema>;
/** A behaviour with its defaults filled in. */
export type ResolvedBehaviour = z.output<typeof behaviourSchema>;

export const behavioursFileSchema = z.record(z.string(), behaviourSchema);
