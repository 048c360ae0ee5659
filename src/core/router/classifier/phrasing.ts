/**
 * Intent evidence from how a request is phrased rather than from its vocabulary. Each phrasing is a named
 * cue; the fitted model learns how much each cue pulls towards each intent concept of a route description
 * ("how do I…" leans to explaining but also to writing code). The cue → concept map below is the prior
 * reading of each cue and feeds the `phrase` evidence source.
 */
import type { ConceptActivations } from './editorSignals';

/** A negated verb reports something that does not behave ("doesn't send", "can no longer be filled")... */
const NEGATED_VERB = /\b(?:not|never|no longer|cannot|can't|won't|doesn't|isn't|aren't|didn't|wasn't|don't)\s+(?:be\s+|being\s+|get\s+|getting\s+)?(\w+)/gi;
/** ...unless the verb states a constraint on the answer ("don't change the API"). */
const CONSTRAINT_VERBS = new Set([
  'want', 'need', 'use', 'using', 'change', 'changing', 'modify', 'modifying', 'touch', 'include', 'alter', 'remove',
  'add', 'affect', 'allowed', 'able', 'care', 'know', 'sure', 'only', 'just', 'too', 'to', 'about', 'have',
]);

interface Cue {
  readonly pattern: RegExp;
  /** The intent concepts the cue is read as before fitting. */
  readonly concepts: Readonly<Record<string, number>>;
}

/** Cues from common English phrasings of programming requests, named for the routing log and the fit. */
const CUES: Readonly<Record<string, Cue>> = {
  question_opening: {
    pattern: /^\s*(?:hi,?\s+|hello,?\s+)?(?:how|what|why|when|where|which|who|is|are|does|do|did|should|can i|could i|would it)\b/i,
    concepts: { explain: 0.8 },
  },
  question_mark: { pattern: /\?\s*$/, concepts: { explain: 0.4 } },
  how_to: { pattern: /\bhow (?:to|do (?:i|we|you)|can (?:i|we|you|one)|should (?:i|we)|would (?:i|you|one))\b/i, concepts: { explain: 0.5, create: 0.3 } },
  what_is: {
    pattern: /\bwhat(?:'s| is| are| was| were) (?:the |an? )?(?:difference|purpose|point|meaning|use|role|advantage|benefit)|\bdifference between\b|\bwhat (?:does|do|is) [^?.]{1,50}\b(?:mean|do|for)\b|\bwhat (?:is|are) (?:an? )?\w+(?:\s\w+)?\s*\??$/i,
    concepts: { explain: 1 },
  },
  why: { pattern: /\bwhy\b/i, concepts: { explain: 0.5 } },
  is_possible: { pattern: /\bis (?:it|there) (?:possible|a way|any way)\b|\bis it (?:ok|okay|better|bad|good|safe|necessary)\b/i, concepts: { explain: 0.7 } },
  explain_verb: {
    pattern: /\b(?:explain|understand|tell me (?:about|what|how|why)|walk me through|what happens (?:when|if)|help me understand|meaning of)\b/i,
    concepts: { explain: 1 },
  },
  produce_opening: {
    pattern: /^\s*(?:hi,?\s+|hello,?\s+)?(?:please\s+|pls\s+|(?:can|could|would) you(?: please)?\s+|i (?:want|need|would like) you to\s+|help me(?: to)?\s+|let'?s\s+|now\s+|also\s+)?(?:write|create|make|implement|build|generate|add|develop|code|program|design|give me|show me|produce|draft|return|provide)\b/i,
    concepts: { create: 1 },
  },
  artifact_request: {
    pattern: /\b(?:i need|i want|i'd like|give me|need|looking for)\s+(?:an?|the|some)?\s*(?:\w+\s+){0,3}(?:code|program|script|function|class|app|application|website|page|game|bot|tool|component|api|method|module|example)\b/i,
    concepts: { create: 0.6 },
  },
  add_feature: {
    pattern: /\b(?:also|now|then) (?:add|make|let|include|show|allow|support|display)\b|\badd (?:an? |the |some )?(?:new |\w+ )?(?:button|option|feature|field|page|menu|support|check|column|parameter|endpoint|screen|function|method)\b|\bso that (?:it|the|when|users?)\b/i,
    concepts: { create: 0.6 },
  },
  negated_verb: { pattern: NEGATED_VERB, concepts: { error: 0.6 } },
  error_name: {
    pattern: /\b[A-Z]\w*(?:Error|Exception|Fault)\b|\berror(?: code)?\s*[:#]|\b(?:[45]\d\d) (?:error|bad request|unauthori[sz]ed|forbidden|not found|internal server)|\b(?:status|code|returns?|returning|got|getting|http) [45]\d\d\b/,
    concepts: { error: 1 },
  },
  unexpected_result: {
    pattern: /\binstead of\b|\bbut (?:it|nothing|now|the result|the output|i get|i got|i'm getting|still)\b|\b(?:returns?|gives?|shows?|prints?|outputs?|displays?) (?:the )?(?:wrong|nothing|null|none|undefined|nan|empty|blank|zero|0)\b|\bwhy (?:is|are|does|do) (?:my |the |this )?\w+(?: \w+)? (?:empty|null|none|undefined|zero|blank|wrong|missing|always|never|still)\b|\bkeeps? (?:crashing|failing|returning|showing|restarting)\b|\bstopped working\b/i,
    concepts: { error: 0.9 },
  },
  getting_error: {
    pattern: /\b(?:i am|i'm|im|we are|we're|keep|still) (?:getting|seeing|receiving|hitting)\b|\b(?:getting|throws?|throwing|raises?|raising) (?:an? |this |the |following )?(?:error|exception|warning)\b|\bwhat am i doing wrong\b|\b(?:what's|what is) wrong with\b/i,
    concepts: { error: 1 },
  },
  restructure_phrase: {
    pattern: /\b(?:clean(?:\s|-)?up|simplify|simplified|more (?:readable|concise|efficient|pythonic|idiomatic|modular|maintainable|elegant|compact)|shorter|improve (?:this|the|my) code|optimi[sz]e|convert (?:it |this |the code )?(?:to|into)|rewrite (?:it |this |the code )?(?:using|with|in|to)|split (?:it |this |the \w+ )?into|extract (?:a |an |the |it |this )|without (?:changing|breaking|ruining|affecting)|keep(?:ing)? (?:the )?(?:same )?(?:behaviou?r|functionality|logic)|refactor|reorgani[sz]e|(?:move|put) (?:it |them |this |all \w+ )?into (?:a |one |its own )?(?:class|function|file|module|method))/i,
    concepts: { restructure: 1 },
  },
  docs_phrase: {
    pattern: /\b(?:add|write|generate|create|update|improve) (?:\w+ ){0,2}(?:comments?|docstrings?|documentation|docs|readme|jsdoc|javadoc|changelog)\b|\bcommit message\b|\bdocument (?:this|the|my) (?:code|function|class|api|module)\b/i,
    concepts: { docs: 1 },
  },
  test_phrase: {
    pattern: /\b(?:write|add|generate|create|improve) (?:\w+ ){0,3}(?:tests?|test cases?|specs?)\b|\b(?:unit|integration|e2e) tests?\b|\btest coverage\b/i,
    concepts: { test: 1 },
  },
};

export interface Phrasing {
  /** Cue name → strength (0..1). */
  readonly cues: ConceptActivations;
  /** The cues read through their prior concepts: the `phrase` evidence source. */
  readonly concepts: ConceptActivations;
}

/** The opening sentence of a request, where people usually state what they want. */
export function openingSentence(text: string): string {
  const match = text.match(/^[\s\S]*?(?:[.?!](?:\s|$)|\n|$)/);
  return (match?.[0] ?? text).slice(0, 200);
}

/** The last sentence of a request: after context, people often end with what they want now. */
export function closingSentence(text: string): string {
  const sentences = text.trim().split(/(?<=[.?!])\s+|\n+/).filter((sentence) => /[a-z]/i.test(sentence));
  return (sentences[sentences.length - 1] ?? '').slice(0, 200);
}

/** Counts the negated verbs that report failures rather than constraints. */
function failures(text: string): number {
  let count = 0;
  for (const [, verb] of text.matchAll(NEGATED_VERB)) if (!CONSTRAINT_VERBS.has(verb.toLowerCase())) count++;
  return count;
}

/** Which phrasing cues `text` shows, and what they say about intent. */
export function phrasing(text: string): Phrasing {
  const cues: ConceptActivations = new Map();
  const concepts: ConceptActivations = new Map();
  for (const [name, cue] of Object.entries(CUES)) {
    const strength = cue.pattern === NEGATED_VERB ? Math.min(1, failures(text) / 2) : cue.pattern.test(text) ? 1 : 0;
    if (strength === 0) continue;
    cues.set(name, strength);
    for (const [concept, weight] of Object.entries(cue.concepts)) concepts.set(concept, (concepts.get(concept) ?? 0) + strength * weight);
  }
  return { cues, concepts };
}
