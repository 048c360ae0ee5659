/** How much of the saved conversations each chat view lists in History: one batch at first, one more per "Show more". */
import type { ConversationSummary } from '../../protocol/messages';

export class HistoryPages<View extends object> {
  private readonly limits = new WeakMap<View, number>();

  constructor(private readonly batch: number) {}

  /** The newest conversations `view` lists (`summaries` are newest first), and how many older ones it leaves out. */
  page(view: View, summaries: ConversationSummary[]): { conversations: ConversationSummary[]; older: number } {
    const limit = this.limits.get(view) ?? this.batch;
    return { conversations: summaries.slice(0, limit), older: Math.max(0, summaries.length - limit) };
  }

  /** Lists one more batch in `view` from now on, every later update of the list included. */
  more(view: View): void {
    this.limits.set(view, (this.limits.get(view) ?? this.batch) + this.batch);
  }
}
