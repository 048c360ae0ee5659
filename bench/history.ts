// History benchmark: what one update of the History list costs (ConversationStore.summaries(), run after every saved
// answer) with a large store: 300 conversations of 150 turns, about 88 MB. Cold = a fresh store in a new window.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { percentile } from '../src/core/eval/evaluate';
import { SUMMARY_INDEX_FILE } from '../src/core/storage/summaryIndex';
import { ConversationStore, type Conversation } from '../src/vscode/chat/conversationStore';

const CONVERSATIONS = 300;
const TURNS = 150;
const ANSWER = 'Here is how to do it, step by step, with the code that does it. '.repeat(58);
const ROUNDS = 20;

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

async function main() {
  const folder = mkdtempSync(join(tmpdir(), 'omni-bench-history-'));
  try {
    const store = () => new ConversationStore(folder, (file, reason) => console.error(`unreadable ${file}: ${reason}`));
    const writer = store();
    let last: Conversation | undefined;
    for (let c = 0; c < CONVERSATIONS; c++) {
      const conversation = writer.create();
      conversation.title = `conversation ${c}`;
      for (let t = 0; t < TURNS / 2; t++) {
        conversation.turns.push({ role: 'user', text: `question ${t} about the parser in conversation ${c}` });
        conversation.turns.push({ role: 'assistant', requestId: `r${c}-${t}`, text: ANSWER, notes: [], status: 'done' });
      }
      await writer.save(conversation);
      last = conversation;
    }
    const bytes = JSON.stringify(last).length * CONVERSATIONS;
    console.log(`history list: ${CONVERSATIONS} conversations of ${TURNS} turns, ${(bytes / 1e6).toFixed(0)} MB on disk`);
    const cold = await timed(() => store().summaries());
    rmSync(join(folder, SUMMARY_INDEX_FILE), { force: true });
    const rebuilt = await timed(() => store().summaries());
    const reader = store();
    await reader.summaries();
    const warm: number[] = [];
    const afterSave: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      warm.push(await timed(() => reader.summaries()));
      // What a saved answer costs the History list: the conversation written, then the list updated.
      last!.turns.push({ role: 'user', text: `one more ${i}` }, { role: 'assistant', requestId: `more-${i}`, text: ANSWER, notes: [], status: 'done' });
      afterSave.push(await timed(async () => {
        await reader.save(last!);
        await reader.summaries();
      }));
    }
    const ms = (values: number[]) => `median ${percentile(values, 50).toFixed(1)} ms, p95 ${percentile(values, 95).toFixed(1)} ms`;
    console.log(`  first listing in a new window: ${cold.toFixed(0)} ms; with no index of the summaries to read: ${rebuilt.toFixed(0)} ms`);
    console.log(`  one update of the list: ${ms(warm)}`);
    console.log(`  a saved answer (save + update of the list): ${ms(afterSave)}`);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
