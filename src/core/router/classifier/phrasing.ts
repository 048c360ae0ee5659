/** Intent evidence from how a request is phrased rather than from its vocabulary. */
import type { ConceptActivations } from './editorSignals';

/** A negated verb reports something that does not behave ("doesn't send", "can no longer be filled")... */
const NEGATED_VERB = /\b(?:not|never|no longer|cannot|can't|won't|doesn't|isn't|aren't|didn't|wasn't|don't)\s+(?:be\s+|being\s+|get\s+|getting\s+)?(\w+)/gi;
/** ...unless the verb states a constraint on the answer ("don't change the API"). */
const CONSTRAINT_VERBS = new Set([
  'want', 'need', 'use', 'using', 'change', 'changing', 'modify', 'modifying', 'touch', 'include', 'alter', 'remove',
  'add', 'affect', 'allowed', 'able', 'care', 'know', 'sure', 'only', 'just', 'too', 'to', 'about',
]);
const QUESTION_OPENING = /^\s*(how|what|why|when|where|which|who|is|are|does|do|did|should|can i|could i|is it|would it)\b/i;
/** An opening imperative ("write…", "please add…", "can you make…") asks for something to be produced. */
const PRODUCE_OPENING =
  /^\s*(?:hi,?\s+|hello,?\s+)?(?:please\s+|pls\s+|(?:can|could|would) you(?: please)?\s+|i (?:want|need|would like) you to\s+|help me\s+|let'?s\s+)?(?:write|create|make|implement|build|generate|add|develop|code|program|design|give me|show me|produce|draft|return)\b/i;
/** "I need a script…", "a c++ program that…": a request named by the artifact it wants. */
const ARTIFACT_REQUEST = /\b(?:i need|i want|i'd like|give me|need)\s+(?:an?|the|some)?\s*(?:\w+\s+){0,3}(?:code|program|script|function|class|app|application|website|game|bot|tool|component|api)\b/i;

/** The opening sentence of a request, where people usually state what they want. */
export function openingSentence(text: string): string {
  const match = text.match(/^[\s\S]*?(?:[.?!](?:\s|$)|\n|$)/);
  return (match?.[0] ?? text).slice(0, 200);
}

/** Explain/create/error evidence from question form, imperative openings and negated verbs. */
export function phrasingConcepts(text: string): ConceptActivations {
  const activations: ConceptActivations = new Map();
  let explain = 0;
  if (/\?\s*$/.test(text)) explain += 0.4;
  if (QUESTION_OPENING.test(text)) explain += 0.8;
  if (explain > 0) activations.set('explain', explain);
  const produce = (PRODUCE_OPENING.test(text) ? 1 : 0) + (ARTIFACT_REQUEST.test(text) ? 0.6 : 0);
  if (produce > 0) activations.set('create', produce);
  let failures = 0;
  for (const [, verb] of text.matchAll(NEGATED_VERB)) if (!CONSTRAINT_VERBS.has(verb.toLowerCase())) failures++;
  if (failures > 0) activations.set('error', Math.min(1.2, failures * 0.6));
  return activations;
}
