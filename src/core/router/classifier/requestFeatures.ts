/** Turns an OmniRequest into a saturated feature vector: prompt words, history, selection, editor facts. */
import { latestUserText, type OmniRequest } from '../../request';
import { patternConcepts } from './codeSignals';
import { editorConcepts } from './editorSignals';
import { absenceFeature, addConcepts, addFeature, addText, conceptFeature, saturate, type FeatureVector } from './features';
import type { Lexicon } from './lexicon';
import { openingSentence, phrasingConcepts } from './phrasing';

/** How much each source of evidence counts relative to the latest user turn. */
const WEIGHTS = {
  earlierTurn: 0.25,
  selectionWords: 0.3,
  fileNameWords: 0.2,
  openingSentence: 0.5,
} as const;

function earlierUserTexts(request: OmniRequest): string[] {
  const users = request.messages.filter((message) => message.role === 'user').map((message) => message.content);
  return users.slice(0, -1);
}

/** Adds the words of a long text (pasted code) with a bounded total weight, however long it is. */
function addSaturated(vector: FeatureVector, lexicon: Lexicon, text: string, weight: number): void {
  const own: FeatureVector = new Map();
  addText(own, lexicon, text, 1);
  for (const [feature, evidence] of saturate(own)) addFeature(vector, feature, weight * evidence);
}

function fileNameWords(fileName: string): string {
  const base = fileName.split('/').pop() ?? '';
  return base.replace(/\.[^.]*$/, '').replace(/[._-]+/g, ' ');
}

/**
 * Features of a request. `negatableConcepts` are concepts some route excludes ("not about software");
 * for each, an `absent:` feature says how little evidence of it the request carries.
 */
export function requestFeatures(
  request: OmniRequest,
  lexicon: Lexicon,
  negatableConcepts: readonly string[],
  dependencyFloor: number,
): FeatureVector {
  const vector: FeatureVector = new Map();
  const prompt = latestUserText(request);
  addText(vector, lexicon, prompt, 1);
  for (const text of earlierUserTexts(request)) addText(vector, lexicon, text, WEIGHTS.earlierTurn);
  addText(vector, lexicon, openingSentence(prompt), WEIGHTS.openingSentence);
  addConcepts(vector, phrasingConcepts(prompt));
  addConcepts(vector, patternConcepts(prompt));

  const editor = request.editor;
  const selection = editor?.selection ?? '';
  if (selection.trim() !== '') {
    addConcepts(vector, patternConcepts(selection, new Map([['software', 0.8]])));
    addSaturated(vector, lexicon, selection, WEIGHTS.selectionWords);
  }
  if (editor?.fileName) addText(vector, lexicon, fileNameWords(editor.fileName), WEIGHTS.fileNameWords);
  addConcepts(vector, editorConcepts(editor));

  saturate(vector);
  for (const [concept, dependency] of lexicon.dependencies) {
    const evidence = vector.get(conceptFeature(concept));
    if (evidence === undefined) continue;
    const support = vector.get(conceptFeature(dependency)) ?? 0;
    vector.set(conceptFeature(concept), evidence * (dependencyFloor + (1 - dependencyFloor) * support));
  }
  for (const concept of negatableConcepts) vector.set(absenceFeature(concept), 1 - (vector.get(conceptFeature(concept)) ?? 0));
  return vector;
}
