/**
 * The Arch-Router routing prompt (see docs: one user message holding routes, conversation, task and format).
 * The model was trained on short contexts, so the conversation is trimmed to a token budget first.
 */
import type { ChatMessage, EditorContext, OmniRequest } from '../../request';
import type { RouteCandidate } from '../types';
import { CHARS_PER_TOKEN, estimateTokens } from '../../text/tokens';

/** Arch-Router's convention for "no route fits". */
export const NO_ROUTE = 'other';

/** One message may take at most this share of the budget; pasted code is cut to its head and tail. */
const MAX_MESSAGE_SHARE = 0.5;
/** Selected code shown to the router, in characters; enough to tell SQL from a stack trace. */
const MAX_SELECTION_CHARS = 600;

/** Keeps the head and the tail of a long text, which carry the request and the error line in pasted code. */
export function cutMiddle(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const marker = `\n…[${text.length - maxChars} characters cut]…\n`;
  const keep = Math.max(0, maxChars - marker.length);
  const head = Math.ceil(keep * 0.6);
  return text.slice(0, head) + marker + text.slice(text.length - (keep - head));
}

/** A short line of editor facts for the latest user turn, e.g. `[editor: language python, file app.py, 12 lines selected]`. */
export function describeEditor(editor: EditorContext | undefined): string {
  if (!editor) return '';
  const facts: string[] = [];
  if (editor.command && editor.command !== 'chat') facts.push(`command ${editor.command}`);
  if (editor.languageId) facts.push(`language ${editor.languageId}`);
  if (editor.fileName) facts.push(`file ${editor.fileName}`);
  const selection = editor.selection?.trim();
  if (selection) facts.push(`${selection.split('\n').length} lines selected`);
  return facts.length > 0 ? `[editor: ${facts.join(', ')}]` : '';
}

/** The longest a single message may be in the routing prompt, in characters; longer ones are cut in the middle. */
export function maxMessageChars(tokenBudget: number): number {
  return Math.floor(tokenBudget * CHARS_PER_TOKEN * MAX_MESSAGE_SHARE);
}

/**
 * The conversation the router sees: no system or empty messages, the latest user turn (with editor facts and a cut
 * of the selection) always kept, earlier turns kept newest first while they fit in `tokenBudget`.
 */
export function trimConversation(request: OmniRequest, tokenBudget: number): ChatMessage[] {
  const turns = request.messages.filter((m) => m.role !== 'system' && m.content.trim().length > 0);
  while (turns.length > 0 && turns[turns.length - 1].role !== 'user') turns.pop();
  if (turns.length === 0) return [];

  const maxChars = maxMessageChars(tokenBudget);
  const latest = turns[turns.length - 1];
  const extras: string[] = [];
  const editorLine = describeEditor(request.editor);
  if (editorLine) extras.push(editorLine);
  const selection = request.editor?.selection?.trim();
  if (selection) extras.push(`Selected code:\n${cutMiddle(selection, MAX_SELECTION_CHARS)}`);
  const latestText = [cutMiddle(latest.content.trim(), maxChars), ...extras].join('\n\n');

  const kept: ChatMessage[] = [{ role: 'user', content: latestText }];
  let used = estimateTokens(latestText);
  for (let i = turns.length - 2; i >= 0; i--) {
    const content = cutMiddle(turns[i].content.trim(), maxChars);
    const cost = estimateTokens(content);
    if (used + cost > tokenBudget) break;
    kept.unshift({ role: turns[i].role, content });
    used += cost;
  }
  // An answer whose question did not fit would be read as the start of the conversation.
  while (kept[0].role !== 'user') kept.shift();
  return kept;
}

/** The whole routing prompt, sent as the only (user) message. Model ids are never included. */
export function buildRoutingPrompt(routes: readonly RouteCandidate[], conversation: readonly ChatMessage[]): string {
  const routeList = JSON.stringify(routes.map(({ name, description }) => ({ name, description })));
  const turns = JSON.stringify(conversation.map(({ role, content }) => ({ role, content })));
  return [
    'You are a helpful assistant designed to find the best suited route.',
    'You are provided with route description within <routes></routes> XML tags:',
    `<routes>\n${routeList}\n</routes>`,
    '',
    `<conversation>\n${turns}\n</conversation>`,
    '',
    'Your task is to decide which route is best suit with user intent on the conversation in <conversation></conversation> XML tags. Follow the instruction:',
    `1. If the latest intent from user is irrelevant or user intent is full filled, response with other route {"route": "${NO_ROUTE}"}.`,
    '2. You must analyze the route descriptions and find the best match route for user latest intent.',
    '3. You only response the name of the route that best matches the user\'s request, use the exact name in the <routes></routes>.',
    '',
    'Based on your analysis, provide your response in the following JSON formats if you decide to match any route:',
    '{"route": "route_name"}',
  ].join('\n');
}
