/**
 * The workspace policy `.omni/policies.json`, as a strict zod schema.
 * `policies/schema.json` and `policies/editor-schema.json` are generated from this file at build time (see scripts/gen-schema.ts).
 */
import { z } from 'zod';

/** A name users type and other parts refer to: letters, digits, `_`, `-`, `.`. */
const identifier = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z][A-Za-z0-9_.-]*$/, 'use letters, digits, "_", "-" or "." and start with a letter');

/** Far below picomatch's 64K limit, past which every match would throw; a path pattern is a line at most. */
const MAX_GLOB_CHARS = 1024;

/** A glob on the workspace-relative path, matched as fileGlobs.ts does. */
const glob = z.string().min(1).max(MAX_GLOB_CHARS, `a glob is at most ${MAX_GLOB_CHARS} characters; split a longer one into several globs`);

export const priceSchema = z
  .strictObject({
    input: z.number().nonnegative().describe('US dollars per million input tokens.'),
    output: z.number().nonnegative().describe('US dollars per million output tokens.'),
  })
  .describe('Price in US dollars per million tokens.');

export const modelSchema = z
  .strictObject({
    provider: identifier.describe(
      'Provider name: "huggingface", "openai", "ollama", or one defined in your user-level provider settings. Never a URL.',
    ),
    model: z.string().min(1).max(200).describe('The model id the provider knows, e.g. "Qwen/Qwen3-Coder-480B-A35B-Instruct".'),
    displayName: z.string().min(1).max(80).optional().describe('Name shown in the chat tag; defaults to the model id.'),
    price: priceSchema.optional(),
    inferenceProvider: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .describe('Hugging Face only: pin an Inference Provider (e.g. "together"); default "auto".'),
    reasoningEffort: z
      .enum(['minimal', 'low', 'medium', 'high'])
      .optional()
      .describe('Passed to providers that support reasoning effort.'),
    contextWindow: z.number().int().positive().optional().describe('Context window in tokens; longer histories are trimmed.'),
  })
  .describe('A model that routes can use.');

export const routeSchema = z
  .strictObject({
    name: identifier.describe('Route name, shown in the chat tag and used by rules.'),
    description: z
      .string()
      .min(3)
      .max(500)
      .describe('What requests belong here, in plain words. The local classifier and Arch-Router both read it.'),
    model: identifier.describe('Alias of a model in "models".'),
    fallbacks: z.array(identifier).max(8).optional().describe('Model aliases to try, in order, when the model fails.'),
    examples: z.array(z.string().min(1).max(2000)).max(50).optional().describe('Example requests that belong to this route.'),
  })
  .describe('A kind of request and the model that answers it.');

export const commandSchema = z.enum(['chat', 'explain', 'refactor']);

export const ruleSchema = z
  .strictObject({
    when: z
      .strictObject({
        command: z.union([commandSchema, z.array(commandSchema).min(1)]).optional().describe('Which Omni command sent the request.'),
        languages: z.array(z.string().min(1)).min(1).optional().describe('VS Code language ids, e.g. ["sql", "python"].'),
        files: z.array(glob).min(1).optional().describe('Globs on the workspace-relative path, e.g. ["**/*.sql"].'),
        hasSelection: z.boolean().optional().describe('Whether text is selected.'),
      })
      .refine((when) => Object.keys(when).length > 0, {
        message: 'a rule needs at least one condition in "when"',
        // A "when" holding only misspelt keys is reported at those keys; "no condition" would be noise.
        when: (payload) => payload.issues.length === 0,
      })
      .describe('All given conditions must hold.'),
    route: identifier.describe('The route this rule sends matching requests to.'),
  })
  .describe('Decides the route instantly from the editor context. The first matching rule wins.');

export const routerSchema = z
  .strictObject({
    mode: z
      .enum(['local', 'arch', 'auto'])
      .default('auto')
      .describe('local: never call Arch-Router; arch: always ask it; auto: ask it only when the local classifier is unsure.'),
    timeoutMs: z.number().int().min(50).max(30000).default(1000).describe('Hard timeout of the Arch-Router call.'),
    confidenceThreshold: z
      .number()
      .min(0)
      .max(1)
      .default(0.6)
      .describe('In auto mode, the local classifier decides alone at or above this confidence.'),
    archRouter: z
      .strictObject({
        provider: identifier,
        model: z.string().min(1).max(200),
        tokenBudget: z.number().int().min(256).max(32768).default(2048).describe('Conversation budget of the routing prompt.'),
      })
      .optional()
      .describe('Where Arch-Router is served.'),
  })
  .describe('How requests are classified.');

export const privacySchema = z
  .strictObject({
    localOnly: z
      .array(glob)
      .default([])
      .describe('Globs of files whose content may only go to providers on this machine (loopback).'),
  })
  .describe('Privacy constraints.');

export const policySchema = z
  .strictObject({
    $schema: z.string().optional(),
    version: z.literal(1).describe('Policy format version; always 1.'),
    models: z.record(identifier, modelSchema).describe('Models by alias.'),
    routes: z.array(routeSchema).min(1).describe('Routes, each with a description and a model.'),
    rules: z.array(ruleSchema).default([]).describe('Rules checked in order before any classifier.'),
    defaultRoute: identifier.describe('Route used when nothing else decides, and whose model is the last fallback.'),
    costBaseline: identifier.optional().describe('Model alias to compare costs against; default: the most expensive model.'),
    router: routerSchema.default({ mode: 'auto', timeoutMs: 1000, confidenceThreshold: 0.6 }),
    privacy: privacySchema.optional(),
  })
  .describe('Omni workspace policy (.omni/policies.json).');

export type Policy = z.output<typeof policySchema>;
export type ModelEntry = z.output<typeof modelSchema>;
export type RouteEntry = z.output<typeof routeSchema>;
export type RuleEntry = z.output<typeof ruleSchema>;
export type RouterConfig = z.output<typeof routerSchema>;
