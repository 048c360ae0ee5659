/** Labelled routing examples in JSON Lines, the format of the shared bench set and of `.omni/policies.test.jsonl`. */
import { z } from 'zod';
import type { OmniRequest } from '../request';
import { commandSchema } from '../policy/schema';

const optionalText = z
  .string()
  .nullish()
  .transform((v) => v ?? undefined);

const exampleSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).optional(),
  prompt: z.string(),
  languageId: optionalText,
  fileName: optionalText,
  selection: optionalText,
  command: commandSchema.nullish().transform((v) => v ?? undefined),
});

export interface LabelledExample {
  /** 1-based line in the file, for messages. */
  line: number;
  id: string;
  request: OmniRequest;
  expected: string;
}

/** Parses JSONL text; each broken line is reported as `file:line: message`, all at once. */
export function parseExamples(text: string, file: string, labelField: string): { examples: LabelledExample[]; errors: string[] } {
  const examples: LabelledExample[] = [];
  const errors: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      errors.push(`${file}:${line}: not valid JSON (${(error as Error).message})`);
      return;
    }
    const parsed = exampleSchema.safeParse(value);
    if (!parsed.success) {
      errors.push(`${file}:${line}: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'line'}: ${issue.message}`).join('; ')}`);
      return;
    }
    const label = (parsed.data as Record<string, unknown>)[labelField];
    if (typeof label !== 'string' || label === '') {
      errors.push(`${file}:${line}: missing label field "${labelField}" (a route name)`);
      return;
    }
    const { prompt, languageId, fileName, selection, command } = parsed.data;
    examples.push({
      line,
      id: String(parsed.data.id ?? line),
      expected: label,
      request: { messages: [{ role: 'user', content: prompt }], editor: { languageId, fileName, selection, command: command ?? 'chat' } },
    });
  });
  return { examples, errors };
}
