/** The workspace's conversations on disk: one atomically written file each, so a crash never loses earlier ones. */
import { randomUUID } from 'node:crypto';
import * as z from 'zod/mini';
import { userTurnContent } from '../../core/engine/prompt';
import { commandSchema } from '../../core/policy/schema';
import type { ChatMessage } from '../../core/request';
import { JsonDirectory } from '../../core/storage/jsonDirectory';
import { SummaryIndex } from '../../core/storage/summaryIndex';
import type { AskedFile } from '../privateFiles';
import { conversationSummarySchema, turnSchema, type AssistantTurn, type ConversationSummary, type Turn } from '../../protocol/messages';

/**
 * The router's input for one answer: the latest user turn and the editor facts, and the workspace folder whose
 * policy routed it. The earlier turns are not repeated here: they are the conversation's own turns.
 */
const routingInputSchema = z.object({
  prompt: z.string(),
  languageId: z.optional(z.string()),
  fileName: z.optional(z.string()),
  selection: z.optional(z.string()),
  command: z.optional(z.enum(commandSchema.options)),
  folder: z.optional(z.string()),
  /** How many of the conversation's turns came before this request as its history, when not all did (a retry). */
  earlierTurns: z.optional(z.number()),
});

const storedConversationSchema = z.object({
  id: z.string(),
  title: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  turns: z.array(turnSchema),
  /** The model the user chose for this conversation; null = routed. */
  modelOverride: z.nullable(z.string()),
  /** What the last answer used, for stickiness on follow-ups. */
  lastPick: z.optional(z.object({ route: z.string(), model: z.string() })),
  /** What each answer was routed on, by request id, so it can be saved as a routing example later. */
  routedOn: z.optional(z.record(z.string(), routingInputSchema)),
});

export type Conversation = z.infer<typeof storedConversationSchema>;
export type RoutingInput = z.infer<typeof routingInputSchema>;

export class ConversationStore {
  private readonly files: JsonDirectory<Conversation>;
  /** What History lists of each conversation, kept beside them so an update of the list does not read them all. */
  private readonly index: SummaryIndex<Conversation, ConversationSummary>;

  /** `folder` holds one file per conversation, and the index of their summaries. */
  constructor(
    readonly folder: string,
    onSkipped: (file: string, reason: string) => void,
  ) {
    this.files = new JsonDirectory(folder, storedConversationSchema, onSkipped);
    this.index = new SummaryIndex(this.files, folder, conversationSummarySchema, summaryOf);
  }

  /** A new, unsaved conversation; it is written on its first message. */
  create(): Conversation {
    const now = Date.now();
    return { id: randomUUID(), title: 'New chat', createdAt: now, updatedAt: now, turns: [], modelOverride: null };
  }

  async save(conversation: Conversation): Promise<void> {
    conversation.updatedAt = Date.now();
    await this.index.put(conversation.id, conversation);
  }

  async get(id: string): Promise<Conversation | undefined> {
    const saved = await this.files.get(id);
    // Saved while it streamed, then the window closed or reloaded: nothing streams it any more, and a conversation
    // with an answer in progress takes no follow-up.
    for (const turn of saved?.turns ?? []) if (turn.role === 'assistant' && turn.status === 'streaming') turn.status = 'stopped';
    return saved;
  }

  delete(id: string): Promise<void> {
    return this.index.delete(id);
  }

  /** Newest first. */
  async summaries(): Promise<ConversationSummary[]> {
    return (await this.index.summaries()).sort((a, b) => b.updatedAt - a.updatedAt);
  }
}

function summaryOf({ id, title, updatedAt, turns }: Conversation): ConversationSummary {
  return { id, title, updatedAt, turnCount: turns.length, ...latestOf(turns) };
}

function latestOf(turns: Turn[]): Pick<ConversationSummary, 'latest' | 'model'> {
  const questions = turns.filter((turn) => turn.role === 'user');
  const answers = turns.filter((turn) => turn.role === 'assistant');
  const last = answers[answers.length - 1];
  const model = last && answeredBy(last);
  return { ...(questions.length > 1 ? { latest: titleFrom(questions[questions.length - 1].text) } : {}), ...(model ? { model } : {}) };
}

/** The model that streamed the answer, a fallback included; none for an answer that failed or was never routed. */
function answeredBy(turn: AssistantTurn): string | undefined {
  if (turn.footer) return turn.footer.model;
  if (turn.status !== 'streaming' && turn.status !== 'stopped') return undefined;
  // Saved mid-answer, then the window closed or reloaded: no footer was written, and the model answering then is
  // the one the last fallback handed over to, else the one routed to.
  return turn.notes[turn.notes.length - 1]?.nextModel ?? turn.tag?.modelDisplayName;
}

/** A title from the first request: its first line, cut at a word near 60 characters. */
export function titleFrom(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  if (line.length <= 60) return line || 'New chat';
  const cut = line.slice(0, 60);
  return `${cut.slice(0, cut.lastIndexOf(' ') > 30 ? cut.lastIndexOf(' ') : 60)}…`;
}

/**
 * The turns as the model receives them, oldest first: a user turn is what was sent (Explain's prompt with its selected
 * code, from `routedOn`), not the short line the chat shows for it, so follow-ups keep the code they are about; an
 * answer that produced no text is left out.
 */
export function messagesOf(turns: readonly Turn[], routedOn: Conversation['routedOn'] = {}): ChatMessage[] {
  return turns.flatMap((turn, index): ChatMessage[] => {
    if (turn.role === 'assistant') return turn.text ? [{ role: 'assistant', content: turn.text }] : [];
    const answer = turns[index + 1];
    const sent = answer?.role === 'assistant' ? routedOn[answer.requestId] : undefined;
    const content = sent ? userTurnContent(sent.prompt, sent) : turn.text;
    return [sent?.fileName ? { role: 'user', content, fileName: sent.fileName } : { role: 'user', content }];
  });
}

/** The files earlier user turns were asked from, with the folder each was asked in (see `localOnlyElsewhere`). */
export function askedFiles(turns: readonly Turn[], routedOn: Conversation['routedOn'] = {}): AskedFile[] {
  return turns.flatMap((turn) => {
    const sent = turn.role === 'assistant' ? routedOn[turn.requestId] : undefined;
    return sent?.fileName ? [{ fileName: sent.fileName, folder: sent.folder, via: 'from earlier in this conversation' }] : [];
  });
}

export type { Turn };
