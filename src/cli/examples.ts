/** The labelled examples `omni eval` and `omni test` run: read, parsed, and problems printed at their lines. */
import { readFileSync } from 'node:fs';
import { formatProblem, parseExamples, type ExampleProblem, type LabelledExample, type ParseExamplesOptions } from '../core/eval/dataset';
import { UsageError } from './args';

const MAX_PRINTED_PROBLEMS = 20;

export interface ExamplesFile extends ParseExamplesOptions {
  path: string;
  labelField: string;
  /** How to create the file, for when it cannot be read. */
  howToCreate?: string;
  /** Problems of parsed examples that only the command can see, e.g. routes the policy does not have. */
  check?: (examples: readonly LabelledExample[]) => ExampleProblem[];
}

/** The examples, or undefined after printing why the file cannot be used (the caller exits 1). */
export function loadExamples(file: ExamplesFile): LabelledExample[] | undefined {
  let text: string;
  try {
    text = readFileSync(file.path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UsageError(`cannot read ${file.path} (${code})${file.howToCreate ? `; ${file.howToCreate}` : ''}`);
  }
  const { examples, problems } = parseExamples(text, file.labelField, { otherFields: file.otherFields });
  problems.push(...(file.check?.(examples) ?? []));
  problems.sort((a, b) => a.line - b.line);
  // The wrong file (`--examples` on another dataset) breaks every line the same way: the first few say it.
  for (const problem of problems.slice(0, MAX_PRINTED_PROBLEMS)) console.error(formatProblem(file.path, problem));
  if (problems.length > MAX_PRINTED_PROBLEMS) console.error(`${file.path}: … and ${problems.length - MAX_PRINTED_PROBLEMS} more problems`);
  if (problems.length > 0) return undefined;
  if (examples.length === 0) {
    console.error(`${file.path}: no examples; add one JSON object per line, e.g. {"prompt": "…", "${file.labelField}": "…"}`);
    return undefined;
  }
  return examples;
}
