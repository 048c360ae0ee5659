/** The labelled examples `omni eval` and `omni test` run: read, parsed, and problems printed at their lines. */
import { readFileSync } from 'node:fs';
import { describeFileError } from '../core/storage/fileErrors';
import { decodeText } from '../core/text/decode';
import { formatProblem, parseExamples, type ExampleProblem, type LabelledExample, type ParseExamplesOptions } from '../core/eval/dataset';
import { printErrorLine } from './terminal';

const MAX_PRINTED_PROBLEMS = 20;

export interface ExamplesFile extends ParseExamplesOptions {
  path: string;
  labelField: string;
  /** How to create the file, for when it cannot be read. */
  howToCreate?: string;
  /** Problems of parsed examples that only the command can see, e.g. routes the policy does not have; they do not run. */
  check?: (examples: readonly LabelledExample[]) => ExampleProblem[];
}

/** What an examples file holds: the examples that can run, and how many lines cannot (each already reported). */
export interface LoadedExamples {
  examples: LabelledExample[];
  unusable: number;
}

/**
 * The file's examples, with its broken lines printed at their place; undefined after printing that it has none (the
 * caller exits 1). A file that cannot be read throws, which exits 1 too.
 */
export function loadExamples(file: ExamplesFile): LoadedExamples | undefined {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file.path);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    // Like a policy that cannot be read, a problem of the input (exit 1), not of the command line (exit 2).
    throw new Error(`cannot read ${file.path}: ${describeFileError(error)}${file.howToCreate && missing ? `; ${file.howToCreate}` : ''}`);
  }
  const decoded = decodeText(bytes);
  if (decoded.problem) {
    printErrorLine(formatProblem(file.path, decoded.problem));
    return undefined;
  }
  const { examples, problems, lines } = parseExamples(decoded.text, file.labelField, { otherFields: file.otherFields });
  const rejected = file.check?.(examples) ?? [];
  problems.push(...rejected);
  problems.sort((a, b) => a.line - b.line);
  // The wrong file (`--examples` on another dataset) breaks every line the same way: the first few say it.
  for (const problem of problems.slice(0, MAX_PRINTED_PROBLEMS)) printErrorLine(formatProblem(file.path, problem));
  if (problems.length > MAX_PRINTED_PROBLEMS) printErrorLine(`${file.path}: … and ${problems.length - MAX_PRINTED_PROBLEMS} more problems`);
  if (lines === 0) {
    printErrorLine(`${file.path}: no examples; add one JSON object per line, e.g. {"prompt": "…", "${file.labelField}": "…"}`);
    return undefined;
  }
  const rejectedLines = new Set(rejected.map((problem) => problem.line));
  const usable = examples.filter((example) => !rejectedLines.has(example.line));
  return { examples: usable, unusable: lines - usable.length };
}
