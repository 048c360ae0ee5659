/**
 * Turns an OmniRequest into saturated evidence, kept apart by where it came from (wording, phrasing, code
 * patterns, editor facts), so the fitted model can learn how much each kind of evidence is worth.
 */
import { latestUserText, type OmniRequest } from '../../request';
import { codeLikeness, patternConcepts } from './codeSignals';
import { editorConcepts } from './editorSignals';
import { addText, saturate, type FeatureVector } from './features';
import type { Lexicon } from './lexicon';
import { closingSentence, openingSentence, phrasing } from './phrasing';
import { contentStems } from './text';

/** How much each part of the request's wording counts relative to the latest user turn. */
const TEXT_WEIGHTS = {
  earlierTurn: 0.25,
  selectionWords: 0.3,
  fileNameWords: 0.2,
} as const;

/**
 * Share of an intent concept ("fix", "explain") that counts when the request shows no software at all:
 * "write a poem" is not a programming request. Structural, not fitted: the fit only sees products of evidence.
 */
const DEPENDENCY_FLOOR = 0.4;

/** A prompt of this many content words counts as fully "long" (long prompts tend to paste context). */
const LONG_PROMPT_WORDS = 80;

export type EvidenceSource = 'text' | 'opening' | 'closing' | 'phrase' | 'code' | 'editor';
export const EVIDENCE_SOURCES: readonly EvidenceSource[] = ['text', 'opening', 'closing', 'phrase', 'code', 'editor'];

export interface RequestEvidence {
  /** Concept → saturated evidence, per source. */
  readonly sources: Readonly<Record<EvidenceSource, FeatureVector>>;
  /** Concept → saturated evidence from all sources together. */
  readonly total: FeatureVector;
  /** Word stem → saturated evidence, matched against the words of route descriptions. */
  readonly words: FeatureVector;
  /**
   * Shape of the request, independent of vocabulary: `bias` (always 1), `selection`, `long`, `code_in_prompt`
   * and the phrasing cues as `cue:<name>`.
   */
  readonly shape: FeatureVector;
}

function earlierUserTexts(request: OmniRequest): string[] {
  const users = request.messages.filter((message) => message.role === 'user').map((message) => message.content);
  return users.slice(0, -1);
}

/** Adds the words of a long text (pasted code) with a bounded total weight, however long it is. */
function addSaturated(vector: FeatureVector, lexicon: Lexicon, text: string, weight: number): void {
  const own: FeatureVector = new Map();
  addText(own, lexicon, text, 1);
  for (const [feature, evidence] of saturate(own)) vector.set(feature, (vector.get(feature) ?? 0) + weight * evidence);
}

function fileNameWords(fileName: string): string {
  const base = fileName.split('/').pop() ?? '';
  return base.replace(/\.[^.]*$/, '').replace(/[._-]+/g, ' ');
}

/** Splits an `addText` vector into concept evidence and word evidence. */
function splitVector(vector: FeatureVector): { concepts: FeatureVector; words: FeatureVector } {
  const concepts: FeatureVector = new Map();
  const words: FeatureVector = new Map();
  for (const [feature, value] of vector) {
    if (feature.startsWith('concept:')) concepts.set(feature.slice('concept:'.length), value);
    else if (feature.startsWith('word:')) words.set(feature.slice('word:'.length), value);
  }
  return { concepts, words };
}

/** Concepts of one sentence, where people usually state what they want (first) or what they want now (last). */
function sentenceConcepts(lexicon: Lexicon, sentence: string): FeatureVector {
  const vector: FeatureVector = new Map();
  addText(vector, lexicon, sentence, 1);
  return splitVector(vector).concepts;
}

/** Scales intent concepts by how much software the request shows (see `DEPENDENCY_FLOOR`). */
function gate(vector: FeatureVector, lexicon: Lexicon, software: number): void {
  const factor = DEPENDENCY_FLOOR + (1 - DEPENDENCY_FLOOR) * software;
  for (const [concept, dependency] of lexicon.dependencies) {
    const evidence = vector.get(concept);
    if (evidence !== undefined && dependency === 'software') vector.set(concept, evidence * factor);
  }
}

/** Evidence of one request, computed once per classify() call whatever the number of routes. */
export function requestEvidence(request: OmniRequest, lexicon: Lexicon): RequestEvidence {
  const prompt = latestUserText(request);
  const editor = request.editor;
  const selection = editor?.selection ?? '';

  const wording: FeatureVector = new Map();
  addText(wording, lexicon, prompt, 1);
  for (const text of earlierUserTexts(request)) addText(wording, lexicon, text, TEXT_WEIGHTS.earlierTurn);
  if (selection.trim() !== '') addSaturated(wording, lexicon, selection, TEXT_WEIGHTS.selectionWords);
  if (editor?.fileName) addText(wording, lexicon, fileNameWords(editor.fileName), TEXT_WEIGHTS.fileNameWords);
  const { concepts: text, words } = splitVector(wording);
  const opening = sentenceConcepts(lexicon, openingSentence(prompt));
  const closing = sentenceConcepts(lexicon, closingSentence(prompt));

  const { cues, concepts: phrase } = phrasing(prompt);
  const code = patternConcepts(prompt);
  if (selection.trim() !== '') patternConcepts(selection, code).set('software', (code.get('software') ?? 0) + 0.8);
  const editorEvidence = editorConcepts(editor);

  const total: FeatureVector = new Map();
  for (const part of [text, phrase, code, editorEvidence]) {
    for (const [concept, value] of part) total.set(concept, (total.get(concept) ?? 0) + value);
  }
  const sources = { text: saturate(text), opening: saturate(opening), closing: saturate(closing), phrase: saturate(phrase), code: saturate(code), editor: saturate(editorEvidence) };
  saturate(total);
  const software = total.get('software') ?? 0;
  gate(total, lexicon, software);
  gate(sources.text, lexicon, software);
  gate(sources.phrase, lexicon, software);
  gate(sources.opening, lexicon, software);
  gate(sources.closing, lexicon, software);

  const shape: FeatureVector = new Map([['bias', 1]]);
  if (selection.trim() !== '') shape.set('selection', 1);
  shape.set('long', Math.min(1, contentStems(prompt).length / LONG_PROMPT_WORDS));
  shape.set('code_in_prompt', codeLikeness(prompt));
  for (const [cue, strength] of cues) shape.set(`cue:${cue}`, strength);
  return { sources, total, words: saturate(words), shape };
}
