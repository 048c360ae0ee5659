/** The messages a model receives: the conversation, the selected code in the latest user turn, and no more history than fits. */
import type { ModelEntry } from '../policy/schema';
import type { ChatMessage, EditorContext, OmniRequest } from '../request';
import { estimateTokens } from '../text/tokens';

/** Earlier turns left out to fit a model's `contextWindow`, so the user learns why the model forgot them. */
export interface TrimmedHistory {
  /** Turns (user and assistant messages, system ones aside) sent, and in the conversation. */
  sentTurns: number;
  totalTurns: number;
  contextWindow: number;
}

/** What a model is sent, and what was left out of it. */
export interface ModelPrompt {
  messages: ChatMessage[];
  /** Absent when the whole conversation was sent. */
  trimmed?: TrimmedHistory;
}

/**
 * `request.editor.selection` is added here, once, for every entry point (chat, Explain, Refactor, CLI):
 * callers put the code in the editor context, not in the message text.
 */
export function modelMessages(request: OmniRequest, model: ModelEntry): ModelPrompt {
  // Only what the chat APIs define: `fileName` is Omni's own bookkeeping.
  const messages: ChatMessage[] = [];
  for (const { role, content } of request.messages) {
    // A question left unanswered (stopped before routing, or no model could answer) is followed by the next one, and
    // chat templates that require alternating roles (Mistral's, Gemma's) reject two user turns in a row: send them as one.
    const previous = messages.at(-1);
    if (role === 'user' && previous?.role === 'user') previous.content = `${previous.content}\n\n${content}`;
    else messages.push({ role, content });
  }
  const latestUser = lastIndexOfUser(messages);
  if (latestUser >= 0) messages[latestUser].content = userTurnContent(messages[latestUser].content, request.editor);
  if (!model.contextWindow) return { messages };
  const sent = fitContextWindow(messages, model.contextWindow, latestUser);
  const turns = (list: ChatMessage[]) => list.filter((message) => message.role !== 'system').length;
  const [sentTurns, totalTurns] = [turns(sent), turns(messages)];
  return sentTurns < totalTurns ? { messages: sent, trimmed: { sentTurns, totalTurns, contextWindow: model.contextWindow } } : { messages: sent };
}

/** The note under an answer whose history was trimmed; `model` is the name the chat shows, `policyFile` where its entry is. */
export function trimmedNote({ sentTurns, totalTurns, contextWindow }: TrimmedHistory, model: string, policyFile = '.omni/policies.json'): string {
  const tokens = contextWindow.toLocaleString('en-US');
  return `Sent the last ${sentTurns} of ${totalTurns} turns: the earlier ones do not fit ${model}'s context window (${tokens} tokens, "contextWindow" in ${policyFile})`;
}

/** A user turn as the model reads it: the prompt, then the selected code, fenced and labelled with its file. */
export function userTurnContent(prompt: string, editor: EditorContext | undefined): string {
  const selection = editor?.selection;
  return selection?.trim() ? `${prompt}\n\n${selectionBlock(selection, editor?.fileName, editor?.languageId)}` : prompt;
}

function lastIndexOfUser(messages: ChatMessage[]): number {
  for (let index = messages.length - 1; index >= 0; index--) if (messages[index].role === 'user') return index;
  return -1;
}

function selectionBlock(selection: string, fileName: string | undefined, languageId: string | undefined): string {
  // A fence longer than any backtick run inside the code, so the code cannot close it. A loop, not Math.max(...runs):
  // a large selection can hold more runs than a call can take arguments.
  let longestRun = 2;
  for (const run of selection.match(/`+/g) ?? []) longestRun = Math.max(longestRun, run.length);
  const fence = '`'.repeat(longestRun + 1);
  const from = fileName ? ` from ${fileName}` : '';
  return `Selected code${from}:\n${fence}${languageId ?? ''}\n${selection.replace(/\n$/, '')}\n${fence}`;
}

/**
 * Drops the oldest turns until the estimate fits in three quarters of the window (the rest is left for the answer).
 * System messages and the latest user turn always stay, and the kept history starts with a user turn: an answer
 * without its question misleads the model, and chat templates that require alternating roles reject it.
 */
function fitContextWindow(messages: ChatMessage[], contextWindow: number, latestUser: number): ChatMessage[] {
  const budget = Math.floor(contextWindow * 0.75);
  const keep = new Set(messages.flatMap((message, index) => (message.role === 'system' || index === latestUser ? [index] : [])));
  let used = [...keep].reduce((sum, index) => sum + estimateTokens(messages[index].content), 0);
  for (let index = messages.length - 1; index >= 0; index--) {
    if (keep.has(index)) continue;
    const cost = estimateTokens(messages[index].content);
    if (used + cost > budget) break;
    keep.add(index);
    used += cost;
  }
  const kept = messages.filter((_, index) => keep.has(index));
  const firstTurn = kept.findIndex((message) => message.role !== 'system');
  let leadingAnswers = 0;
  while (firstTurn >= 0 && kept[firstTurn + leadingAnswers]?.role === 'assistant') leadingAnswers++;
  kept.splice(firstTurn, leadingAnswers);
  return kept;
}
