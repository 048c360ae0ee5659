/** Labelled routing examples in JSON Lines, the format of the shared bench set and of `.omni/policies.test.jsonl`. */
import { z } from 'zod';
import type { ChatMessage, EditorContext, OmniRequest } from '../request';
import { commandSchema } from '../policy/schema';
import { cutMiddle, maxMessageChars } from '../router/archRouter/prompt';
import { describeIssues } from '../text/issues';
import { suggestion } from '../text/suggest';

const optionalText = z
  .string()
  .nullish()
  .transform((v) => v ?? undefined);

/** Earlier turns of a conversation, oldest first, as examples files and `omni route --history-file` hold them. */
export const historySchema = z.array(z.strictObject({ role: z.enum(['user', 'assistant']), content: z.string() }));

const exampleSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).optional(),
  prompt: z.string(),
  languageId: optionalText,
  fileName: optionalText,
  selection: optionalText,
  command: commandSchema.nullish().transform((v) => v ?? undefined),
  /** Earlier turns of the conversation, oldest first: a follow-up routes with its context, as in the chat. */
  history: historySchema.optional(),
});

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
  message: string;
}

/** `file:line: message`, the form terminals and CI logs turn into links. */
export function formatProblem(file: string, problem: ExampleProblem): string {
  return `${file}:${problem.line}: ${problem.message}`;
}

/** Parses JSONL text; every broken line is reported, all at once. */
export function parseExamples(text: string, labelField: string): { examples: LabelledExample[]; problems: ExampleProblem[] } {
  const examples: LabelledExample[] = [];
  const problems: ExampleProblem[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      problems.push({ line, message: `not valid JSON (${(error as Error).message})` });
      return;
    }
    const parsed = exampleSchema.safeParse(value);
    if (!parsed.success) {
      problems.push({ line, message: describeIssues(parsed.error.issues, 'line').join('; ') });
      return;
    }
    const label = (parsed.data as Record<string, unknown>)[labelField];
    if (typeof label !== 'string' || label === '') {
      problems.push({ line, message: `missing label field "${labelField}" (a route name)` });
      return;
    }
    const { prompt, languageId, fileName, selection, command, history = [] } = parsed.data;
    examples.push({
      line,
      id: String(parsed.data.id ?? line),
      expected: label,
      request: {
        messages: [...history, { role: 'user', content: prompt }],
        editor: { languageId, fileName, selection, command: command ?? 'chat' },
      },
    });
  });
  return { examples, problems };
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
 * number: a file whose last line has no newline gets one first, so the new example never joins it.
 */
export function appendLine(existing: string, line: string): { insert: string; line: number } {
  const endsLine = existing === '' || existing.endsWith('\n');
  const lines = existing === '' ? 0 : existing.split('\n').length - (endsLine ? 1 : 0);
  return { insert: `${endsLine ? '' : '\n'}${line}\n`, line: lines + 1 };
}
