/** Pattern evidence in pasted code and prompts: stack traces, SQL, shell sessions, tests and code-likeness. */
import type { ConceptActivations } from './editorSignals';

const STACK_TRACE_PATTERNS: readonly RegExp[] = [
  /Traceback \(most recent call last\)/,
  /^\s*at [\w$.<>/\\:-]+ ?\(/m,
  /^\s*File "[^"]+", line \d+/m,
  /\b[A-Z]\w*(Error|Exception)\b\s*[:(]/,
  /\b(error|warning)\s*:?\s*[A-Z]{1,3}\d{3,5}\b/i,
  /\b[A-Z]{2,3}\d{4}\s*:/,
  /Segmentation fault|core dumped|panic:|Unhandled|Uncaught|npm ERR!|FATAL|Caused by:/,
  /\bexit (code|status) [1-9]\d*/i,
  /^\s*(E|ERROR|Error)\s*[:\]]/m,
];

const SQL_PATTERNS: readonly RegExp[] = [
  /\bselect\b[\s\S]{1,200}?\bfrom\b/i,
  /\b(create|alter|drop)\s+(table|index|view|procedure|trigger|database|schema)\b/i,
  /\binsert\s+into\b/i,
  /\bupdate\s+\w+\s+set\b/i,
  /\b(inner|left|right|outer)?\s*join\b[\s\S]{1,120}?\bon\b/i,
  /\bgroup\s+by\b|\border\s+by\b/i,
];

const SHELL_PATTERNS: readonly RegExp[] = [
  /^\s*(\$|#|>|PS [A-Z]:\\[^>]*>|[A-Z]:\\[^>]*>)\s*\w/m,
  /(^|[\s;|&])(sudo|apt(-get)?|brew|npm|npx|pip3?|docker|kubectl|git|yarn|curl|wget|chmod|chown|systemctl|ssh|export)\s+-?\w/m,
  /^#!\/(usr\/)?bin\//m,
];

const TEST_PATTERNS: readonly RegExp[] = [
  /\b(assert\w*|expect)\s*\(/,
  /@Test\b|\bdef test_\w+|\b(describe|it|test)\(\s*['"`]/,
];

/** Punctuation that prose and math rarely use but code does. */
const CODE_PUNCTUATION = /[{};`]|=>|==|!=|::|->|\+\+|&&|\|\||\(\)|<\/|\/>/g;
/** camelCase, snake_case, dotted calls and file names with a code extension. */
const IDENTIFIER = /\b([a-z]+[A-Z]\w*|[a-z]+_[a-z_]+|\w+\.\w+\(|\w+\.(py|js|ts|java|cs|cpp|go|rb|php|kt|rs|sh|sql))\b/g;

function count(patterns: readonly RegExp[], text: string): number {
  let hits = 0;
  for (const pattern of patterns) if (pattern.test(text)) hits++;
  return hits;
}

function add(activations: ConceptActivations, concept: string, weight: number): void {
  if (weight > 0) activations.set(concept, (activations.get(concept) ?? 0) + weight);
}

/** How much `text` looks like code rather than prose, 0..1: punctuation density and identifier shapes. */
export function codeLikeness(text: string): number {
  if (text.length === 0) return 0;
  const punctuation = (text.match(CODE_PUNCTUATION)?.length ?? 0) / text.length;
  const identifiers = text.match(IDENTIFIER)?.length ?? 0;
  return Math.min(1, punctuation * 25 + identifiers * 0.2);
}

/** Concepts suggested by structural patterns in `text` (pasted code, logs or a prompt). */
export function patternConcepts(text: string, activations: ConceptActivations = new Map()): ConceptActivations {
  if (text.length === 0) return activations;
  add(activations, 'error', Math.min(2, count(STACK_TRACE_PATTERNS, text) * 0.8));
  add(activations, 'database', Math.min(1.5, count(SQL_PATTERNS, text) * 0.5));
  add(activations, 'shell', Math.min(1.2, count(SHELL_PATTERNS, text) * 0.6));
  add(activations, 'test', Math.min(1, count(TEST_PATTERNS, text) * 0.5));
  add(activations, 'software', codeLikeness(text) * 1.5);
  return activations;
}
