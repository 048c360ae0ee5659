/**
 * The simple `omni.*` settings (all but `omni.providers`, which has its own schema) as one zod schema: their types,
 * limits and defaults. package.json's `contributes.configuration` states the same for VS Code's Settings editor, and a
 * unit test compares the two so they cannot drift. No `vscode` import: the test runs outside VS Code.
 */
import { z } from 'zod';
import { FIRST_TOKEN_TIMEOUT_MS, MODEL_TIMEOUT_RANGE_MS, STALL_TIMEOUT_MS } from '../core/engine/answer';
import { oneLinePreview } from '../core/text/preview';

export const STICKINESS = ['keep', 'switch-when-confident', 'always-route'] as const;

/** Keys without the `omni.` section, as `getConfiguration('omni').get` takes them. */
export const settingsSchema = z.object({
  'conversation.stickiness': z.enum(STICKINESS).default('switch-when-confident'),
  'conversation.switchConfidence': z.number().min(0).max(1).default(0.8),
  // The same range and default as the CLI's --first-token-timeout-ms.
  firstTokenTimeoutMs: z.number().int().min(MODEL_TIMEOUT_RANGE_MS.min).max(MODEL_TIMEOUT_RANGE_MS.max).default(FIRST_TOKEN_TIMEOUT_MS),
  // About 80 KB of code: far more than anyone reads in one answer, and a few cents to a dollar per request.
  maxSelectionTokens: z.number().int().min(100).default(20_000),
  showReasoning: z.boolean().default(false),
  // The same range and default as the CLI's --stall-timeout-ms.
  stallTimeoutMs: z.number().int().min(MODEL_TIMEOUT_RANGE_MS.min).max(MODEL_TIMEOUT_RANGE_MS.max).default(STALL_TIMEOUT_MS),
});

export type SimpleSettings = z.infer<typeof settingsSchema>;
export type SettingKey = keyof SimpleSettings;

/** A value that is not used: the setting's full id, what it holds, why that is wrong, and what is used instead. */
export interface SettingProblem {
  setting: string;
  value: unknown;
  why: string;
  fallback: unknown;
}

/** Checks the raw values (`undefined` for unset); each invalid one is replaced by its default and reported. */
export function validateSettings(raw: Partial<Record<SettingKey, unknown>>): { values: SimpleSettings; problems: SettingProblem[] } {
  const result = settingsSchema.safeParse(raw);
  if (result.success) return { values: result.data, problems: [] };
  const why = new Map<SettingKey, string>();
  for (const issue of result.error.issues) {
    const key = issue.path[0] as SettingKey;
    if (!why.has(key)) why.set(key, issueWords(issue));
  }
  const valid = Object.fromEntries(Object.entries(raw).filter(([key]) => !why.has(key as SettingKey)));
  const values = settingsSchema.parse(valid);
  const problems = [...why].map(([key, reason]) => ({ setting: `omni.${key}`, value: raw[key], why: reason, fallback: values[key] }));
  return { values, problems };
}

const VALUE_PREVIEW = 60;

/** `the setting "omni.x" is 5, which is not valid: it must be at least 1000. Omni uses the default, 20000, instead` */
export function describeProblem({ setting, value, why, fallback }: SettingProblem): string {
  return `the setting "${setting}" is ${showValue(value)}, which is not valid: it ${why}. Omni uses the default, ${showValue(fallback)}, instead`;
}

/** A value as settings.json holds it, cut to one short line. */
export function showValue(value: unknown): string {
  return oneLinePreview(JSON.stringify(value) ?? String(value), VALUE_PREVIEW);
}

function issueWords(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${issue.expected === 'int' ? 'a whole number' : /^[aeiou]/.test(issue.expected) ? `an ${issue.expected}` : `a ${issue.expected}`}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small':
      return `must be at least ${issue.minimum}`;
    case 'too_big':
      return `must be at most ${issue.maximum}`;
    default:
      return issue.message;
  }
}
