/** Splits a route description into what it is about and what it says it is NOT about. */
import { words } from './text';

/** Words after which the rest of a clause is excluded rather than described. */
const NEGATORS = new Set(['not', 'non', 'no', 'never', 'nothing', 'unrelated', 'neither', 'nor', 'excluding', 'except', 'besides']);

/** Two-word negators, checked on adjacent words. */
const NEGATOR_PAIRS = new Set(['other than', 'rather than', 'instead of', 'outside of']);

export interface DescriptionParts {
  /** Text describing what belongs to the route. */
  positive: string;
  /** Clause tails that name what does not belong, e.g. "about software" from "not about software". */
  negated: string[];
}

/** Separates negated clause tails ("requests not about software", "non-technical") from the rest. */
export function splitNegations(description: string): DescriptionParts {
  const positive: string[] = [];
  const negated: string[] = [];
  for (const clause of description.split(/[,.;:!?()\n]|\bbut\b/i)) {
    const clauseWords = words(clause);
    const at = clauseWords.findIndex(
      (word, index) => NEGATORS.has(word) || NEGATOR_PAIRS.has(`${word} ${clauseWords[index + 1] ?? ''}`),
    );
    if (at < 0) {
      positive.push(clauseWords.join(' '));
      continue;
    }
    positive.push(clauseWords.slice(0, at).join(' '));
    const tail = clauseWords.slice(NEGATORS.has(clauseWords[at]) ? at + 1 : at + 2).join(' ');
    if (tail !== '') negated.push(tail);
  }
  return { positive: positive.filter((part) => part !== '').join(' . '), negated };
}
