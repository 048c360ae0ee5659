/** Compiles the concept vocabulary into a stem-phrase lookup and finds concept mentions in stemmed text. */
import { contentStems } from './text';
import { VOCABULARY, type ConceptDefinition } from './vocabulary';

/** Longest vocabulary phrase, in content words. */
const MAX_PHRASE_WORDS = 3;

export interface ConceptWeight {
  readonly concept: string;
  readonly weight: number;
}

export interface Lexicon {
  /** Stemmed phrase (stems joined by spaces) → the concepts it is evidence for. */
  readonly phrases: ReadonlyMap<string, readonly ConceptWeight[]>;
  /** Concept → the concept it needs alongside to count fully (see `ConceptDefinition.dependsOn`). */
  readonly dependencies: ReadonlyMap<string, string>;
}

function parseTerm(term: string): { phrase: string; weight: number } {
  const [phrase, weight] = term.split('=');
  return { phrase: phrase.trim(), weight: weight === undefined ? 1 : Number(weight) };
}

function addMembership(memberships: Map<string, Map<string, number>>, key: string, concept: string, weight: number): void {
  let concepts = memberships.get(key);
  if (!concepts) memberships.set(key, (concepts = new Map()));
  concepts.set(concept, Math.max(concepts.get(concept) ?? 0, weight));
}

/** Builds the lookup once: each phrase stemmed like request text, with implied broader concepts folded in. */
export function compileLexicon(vocabulary: Readonly<Record<string, ConceptDefinition>> = VOCABULARY): Lexicon {
  const memberships = new Map<string, Map<string, number>>();
  const dependencies = new Map<string, string>();
  for (const [concept, definition] of Object.entries(vocabulary)) {
    if (definition.dependsOn) dependencies.set(concept, definition.dependsOn);
    for (const term of definition.terms.split(',')) {
      const { phrase, weight } = parseTerm(term);
      const key = contentStems(phrase).join(' ');
      if (key === '') continue;
      addMembership(memberships, key, concept, weight);
      for (const [broader, factor] of Object.entries(definition.implies ?? {})) {
        addMembership(memberships, key, broader, weight * factor);
      }
    }
  }
  const phrases = new Map<string, ConceptWeight[]>();
  for (const [key, concepts] of memberships) {
    phrases.set(key, [...concepts].map(([concept, weight]) => ({ concept, weight })));
  }
  return { phrases, dependencies };
}

/**
 * Calls `found` for every vocabulary phrase of up to three words in `stems`, longest match first, so
 * "language feature" counts as one software term rather than also as the word "feature".
 */
export function forEachConceptMention(
  lexicon: Lexicon,
  stems: readonly string[],
  found: (concept: string, weight: number) => void,
): void {
  let start = 0;
  while (start < stems.length) {
    let matched = 1;
    for (let length = Math.min(MAX_PHRASE_WORDS, stems.length - start); length >= 1; length--) {
      const key = length === 1 ? stems[start] : stems.slice(start, start + length).join(' ');
      const concepts = lexicon.phrases.get(key);
      if (!concepts) continue;
      for (const { concept, weight } of concepts) found(concept, weight);
      matched = length;
      break;
    }
    start += matched;
  }
}
