/** The messages a model receives: the conversation, the selected code in the latest user turn, and no more history than fits. */
import type { ModelEntry } from '../policy/schema';
import type { ChatMessage, EditorContext, OmniRequest } from '../request';
import { estimateTokens } from '../text/tokens';

/**
 * `request.editor.selection` is added here, once, for every entry point (chat, Explain, Refactor, CLI):
 * callers put the code in the editor context, not in the message text.
 */
export function modelMessages(request: OmniRequest, model: ModelEntry): ChatMessage[] {
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
  return model.contextWindow ? fitContextWindow(messages, model.contextWindow, latestUser) : messages;
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
