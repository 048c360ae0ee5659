/** Labelled routing examples in JSON Lines, the format of the shared bench set and of `.omni/policies.test.jsonl`. */
import { z } from 'zod';
import type { ChatMessage, EditorContext, OmniRequest } from '../request';
import { commandSchema } from '../policy/schema';
import { cutMiddle, maxMessageChars } from '../router/archRouter/prompt';
import { describeIssues } from '../text/issues';
import { closest, editDistance, suggestion } from '../text/suggest';
import { withoutBom } from '../text/bom';
import { parseJsonLine } from './jsonLine';

const optionalText = z
  .string()
  .nullish()
  .transform((v) => v ?? undefined);

/** Earlier turns of a conversation, oldest first, as examples files and `omni route --history-file` hold them. */
export const historySchema = z.array(
  z.strictObject({
    role: z.enum(['user', 'assistant']),
    content: z.string(),
    /** The file a user turn was asked from: `privacy.localOnly` covers it for the turns after it. */
    fileName: optionalText,
  }),
);

const exampleShape = {
  id: z.union([z.string(), z.number()]).optional(),
  prompt: z.string().refine((prompt) => prompt.trim() !== '', 'must not be empty'),
  languageId: optionalText,
  fileName: optionalText,
  selection: optionalText,
  command: commandSchema.nullish().transform((v) => v ?? undefined),
  /** Earlier turns of the conversation, oldest first: a follow-up routes with its context, as in the chat. */
  history: historySchema.optional(),
};
const exampleSchema = z.looseObject(exampleShape);
const exampleFields = Object.keys(exampleShape);

export interface LabelledExample {
  /** 1-based line in the file, for messages. */
  line: number;
  id: string;
  request: OmniRequest;
  expected: string;
}

/** A line that cannot be used as an example, and why. */
export interface ExampleProblem {
  /** 1-based line in the file. */
  line: number;
  /** 1-based column, where the problem has a place within the line (a JSON syntax error). */
  column?: number;
  message: string;
}

export interface ParseExamplesOptions {
  /**
   * Fields besides the example's and the label. `reject` suits `.omni/policies.test.jsonl`, whose lines have no
   * others. `allow` (the default) suits data sets that carry more labels (route_coarse, source…); even there a near
   * miss of an example field ("filename", "comand") is reported, since the request would silently lack it.
   */
  otherFields?: 'reject' | 'allow';
}

/** `file:line:col: message` (`file:line: message` for the whole line), the form terminals and CI logs turn into links. */
export function formatProblem(file: string, problem: ExampleProblem): string {
  return `${file}:${problem.line}${problem.column ? `:${problem.column}` : ''}: ${problem.message}`;
}

/** One non-blank line, read as far as it goes. */
interface ReadLine {
  line: number;
  /** Where in the line it breaks, for a line that is not JSON. */
  column?: number;
  /** What is wrong with it, besides a missing label. */
  messages: string[];
  /** The keys of a line that is a JSON object. */
  keys?: string[];
  example?: LabelledExample;
}

/**
 * Parses JSONL text; every broken line is reported, all at once. A label field that no line has (a wrong
 * `--label`, say) is reported once, at the first line, rather than at every line. `lines` counts the non-blank
 * lines, each meant to be an example, so that a caller can say how many could not be used.
 */
export function parseExamples(
  text: string,
  labelField: string,
  options: ParseExamplesOptions = {},
): { examples: LabelledExample[]; problems: ExampleProblem[]; lines: number } {
  const otherFields = options.otherFields ?? 'allow';
  const read = withoutBom(text)
    .split('\n')
    .flatMap((raw, i) => (raw.trim() === '' ? [] : [readLine(raw, i + 1, labelField, otherFields)]));
  const objects = read.filter((entry) => entry.keys);
  const unlabelled = objects.filter((entry) => !entry.keys?.includes(labelField));
  const labelNowhere = unlabelled.length > 1 && unlabelled.length === objects.length;
  const problems: ExampleProblem[] = [];
  if (labelNowhere) {
    const guess = labelGuess(labelField, unlabelled.flatMap((entry) => entry.keys ?? []));
    const hint = guess ? `; the closest field they have is "${guess}"` : '';
    problems.push({ line: unlabelled[0].line, message: `no line has the label field "${labelField}" (${unlabelled.length} lines)${hint}` });
  }
  for (const { line, column, messages, keys } of read) {
    const missing = keys && !keys.includes(labelField) && !labelNowhere ? [missingLabel(labelField, keys, otherFields)] : [];
    if (messages.length + missing.length > 0) problems.push({ line, ...(column ? { column } : {}), message: [...messages, ...missing].join('; ') });
  }
  problems.sort((a, b) => a.line - b.line);
  return { examples: read.flatMap((entry) => (entry.example ? [entry.example] : [])), problems, lines: read.length };
}

function readLine(raw: string, line: number, labelField: string, otherFields: FieldsRule): ReadLine {
  const json = parseJsonLine(raw);
  if (!json.ok) return { line, column: json.column, messages: [json.message] };
  const { value } = json;
  const keys = typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.keys(value) : undefined;
  // zod would say "Invalid input: expected object, received array": the usual cause is a JSON array of examples.
  if (!keys) return { line, messages: [notAnObject(value, labelField)] };
  const messages = keys.flatMap((key) => fieldProblem(key, keys, labelField, otherFields) ?? []);
  const parsed = exampleSchema.safeParse(value);
  if (!parsed.success) messages.push(...describeIssues(parsed.error.issues, 'line'));
  const label: unknown = keys?.includes(labelField) ? (value as Record<string, unknown>)[labelField] : undefined;
  if (label !== undefined && typeof label !== 'string') {
    messages.push(`label field "${labelField}" must be a string (a route name), not ${JSON.stringify(label)}`);
  } else if (typeof label === 'string' && label.trim() === '') {
    messages.push(`label field "${labelField}" is empty; give the route name`);
  }
  if (!parsed.success || messages.length > 0 || typeof label !== 'string') return { line, messages, keys };
  const { prompt, languageId, fileName, selection, command, history = [] } = parsed.data;
  const request: OmniRequest = {
    messages: [...history, { role: 'user', content: prompt }],
    editor: { languageId, fileName, selection, command: command ?? 'chat' },
  };
  return { line, messages, keys, example: { line, id: String(parsed.data.id ?? line), expected: label, request } };
}

type FieldsRule = NonNullable<ParseExamplesOptions['otherFields']>;

/** Why a line that is valid JSON but no object is no example. */
function notAnObject(value: unknown, labelField: string): string {
  const shape = `{"prompt": "…", "${labelField}": "…"}`;
  if (Array.isArray(value)) return `a JSON array, not an object: JSONL holds one example per line, each an object like ${shape}; put each element on a line of its own`;
  return `${value === null ? 'null' : `a JSON ${typeof value}`}, not an object: each line is one example, an object like ${shape}`;
}

/** Why `key` does not belong on an example line with `keys`, if it does not. */
function fieldProblem(key: string, keys: readonly string[], labelField: string, otherFields: FieldsRule): string | undefined {
  if (key === labelField || exampleFields.includes(key)) return undefined;
  // A field the line already has is no misspelling of it ("note" beside "route").
  const meant = exampleFields.find((field) => !keys.includes(field) && nearMiss(key, field));
  if (meant) return `unknown field "${key}" — did you mean "${meant}"?`;
  if (otherFields === 'allow') return undefined;
  if (!keys.includes(labelField) && nearMiss(key, labelField)) return `unknown field "${key}" — did you mean "${labelField}"?`;
  return `unknown field "${key}"; the fields are ${[...exampleFields, labelField].map((field) => `"${field}"`).join(', ')}`;
}

/** A misspelling of `field`: the same but for case, or (for names long enough to tell apart) at most two edits away. */
function nearMiss(key: string, field: string): boolean {
  const [a, b] = [key.toLowerCase(), field.toLowerCase()];
  return a === b || (field.length >= 5 && editDistance(a, b, 2) <= 2);
}

function missingLabel(labelField: string, keys: readonly string[], otherFields: FieldsRule): string {
  // With other fields rejected, a misspelt label is already reported as an unknown field.
  const guess = otherFields === 'allow' ? labelGuess(labelField, keys) : undefined;
  return `missing label field "${labelField}" (a route name)${guess ? `; the closest field here is "${guess}"` : ''}`;
}

/** The key among `keys` that looks most like the label field, if one is close enough to be a misspelling of it. */
function labelGuess(labelField: string, keys: readonly string[]): string | undefined {
  return closest(labelField, new Set(keys.filter((key) => !exampleFields.includes(key))));
}

/**
 * Examples that expect a route the policy does not have: a typo or a renamed route in the examples file,
 * which no routing could satisfy, so it is reported as a problem of the file rather than as a wrong decision.
 */
export function unknownRoutes(examples: readonly LabelledExample[], routeNames: readonly string[]): ExampleProblem[] {
  const known = new Set(routeNames);
  return examples
    .filter((example) => !known.has(example.expected))
    .map((example) => ({ line: example.line, message: `no route "${example.expected}" in the policy.${suggestion(example.expected, routeNames)}` }));
}

/**
 * One line of an examples file: `prompt` with its editor facts and earlier turns, expecting `route`, in the form
 * `parseExamples(…, 'route')` reads back. `command` is left out when it is `chat`, the value a missing one means,
 * and `history` when there are no earlier turns.
 */
export function exampleLine(prompt: string, editor: EditorContext, route: string, history: readonly ChatMessage[] = []): string {
  const { languageId, fileName, selection, command } = editor;
  return JSON.stringify({
    prompt,
    languageId,
    fileName,
    selection,
    command: command === 'chat' ? undefined : command,
    history: history.length > 0 ? history : undefined,
    route,
  });
}

/**
 * The earlier turns an example keeps so that it routes as the chat did, and no more. User turns are kept whole:
 * the local classifier reads all of them. Assistant turns only reach Arch-Router, which sees each cut to a share
 * of its token budget, so they are kept cut the same way, or dropped when the policy has no Arch-Router.
 */
export function exampleHistory(messages: readonly ChatMessage[], archRouterTokenBudget: number | undefined): ChatMessage[] {
  return messages.flatMap((message): ChatMessage[] => {
    if (message.role === 'user') return [message];
    if (message.role !== 'assistant' || archRouterTokenBudget === undefined) return [];
    return [{ role: 'assistant', content: cutMiddle(message.content.trim(), maxMessageChars(archRouterTokenBudget)) }];
  });
}

/**
 * What to insert at the end of `existing` so that `line` becomes a line of its own, and that line's 1-based
 * number: a file whose last line has no newline gets one first, so the new example never joins it. A line the file
 * already has is not added twice: nothing to insert, and the number of the line that has it.
 */
export function appendLine(existing: string, line: string): { insert: string; line: number } {
  const already = existing.split(/\r?\n/).indexOf(line);
  if (already >= 0) return { insert: '', line: already + 1 };
  const endsLine = existing === '' || existing.endsWith('\n');
  const lines = existing === '' ? 0 : existing.split('\n').length - (endsLine ? 1 : 0);
  return { insert: `${endsLine ? '' : '\n'}${line}\n`, line: lines + 1 };
}
