/** Turns free text into the normalized word stems every other part of the classifier compares. */
import { stemmer } from 'stemmer';

/** Function words that say nothing about what a request is for. Question words and "not" are kept on purpose. */
const STOP_WORDS = new Set(
  (
    'a an the and or but if then else of to in on at by for from with into onto as is are was were be been being am ' +
    'do does did doing done have has had having i me my mine we us our you your yours he him his she her it its they ' +
    'them their this that these those there here so such than too very just also only even still again any some each ' +
    'every all both few more most other same own up down out off over under about above below between through during ' +
    'before after while until because can could would should will shall may might must let lets please hi hello hey ' +
    'thanks thank ok okay yes oh well like get got gets one two s t d ll m re ve'
  ).split(' '),
);

/** Spellings whose punctuation would otherwise be lost: `c++`, `c#`, `.net`, `n't`. */
const REWRITES: ReadonlyArray<readonly [RegExp, string]> = [
  [/c\+\+/gi, ' cpp '],
  [/c#/gi, ' csharp '],
  [/f#/gi, ' fsharp '],
  [/\.net\b/gi, ' dotnet '],
  [/n['’]t\b/gi, ' not'],
  [/\b(can|don|doesn|isn|won|didn|aren|wasn|shouldn|couldn)t\b/gi, '$1 not'],
];

/** Words the Porter stemmer would merge with an unrelated word ("general" with "generate", "news" with "new"). */
const STEM_EXCEPTIONS: Readonly<Record<string, string>> = {
  general: 'general',
  generally: 'general',
  generic: 'generic',
  generics: 'generic',
  news: 'news',
  exception: 'exception',
  exceptions: 'exception',
};

const STEM_CACHE_LIMIT = 20_000;
const stemCache = new Map<string, string>();

/** Porter stem of one lower-case word, memoized because requests repeat the same few thousand words. */
export function stem(word: string): string {
  let stemmed = stemCache.get(word);
  if (stemmed === undefined) {
    if (stemCache.size >= STEM_CACHE_LIMIT) stemCache.clear();
    stemmed = STEM_EXCEPTIONS[word] ?? stemmer(word);
    stemCache.set(word, stemmed);
  }
  return stemmed;
}

/** Lower-case words of `text`, with camelCase and snake_case identifiers split into their parts. */
export function words(text: string): string[] {
  let normalized = text;
  for (const [pattern, replacement] of REWRITES) normalized = normalized.replace(pattern, replacement);
  normalized = normalized.replace(/([a-z])([A-Z])/g, '$1 $2');
  return normalized.toLowerCase().match(/[a-z][a-z0-9]*/g) ?? [];
}

/** Whether a lower-case word carries meaning (not a function word). */
export function isContentWord(word: string): boolean {
  return !STOP_WORDS.has(word) && (word.length > 1 || word === 'c' || word === 'r');
}

/** Stems of the content words of `text`, in order. */
export function contentStems(text: string): string[] {
  const stems: string[] = [];
  for (const word of words(text)) if (isContentWord(word)) stems.push(stem(word));
  return stems;
}
