/**
 * `omni ask`'s text output: the answer on stdout, and the route, failover notes, reasoning and cost footer on
 * stderr, so `omni ask … > answer.md` keeps only the answer.
 */
import type { AnswerEvent, DoneEvent } from '../core/engine/events';
import { forTerminal } from './terminal';

/** The part of a stream the printer uses; `isTTY` says whether it is a terminal. */
export interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
}

/**
 * A terminal shows the answer as it streams, and a failover that discards it says so below it. A file or a pipe
 * gets the answer once it is complete, since text written there cannot be taken back when a model fails mid-stream.
 */
export function textPrinter(stdout: Output, stderr: Output): (event: AnswerEvent) => void {
  const live = stdout.isTTY === true;
  const streams = { stdout, stderr };
  // Whether the last text written to each stream left its line open, so the next line starts on a line of its own.
  const open = { stdout: false, stderr: false };
  const write = (to: keyof typeof streams, text: string) => {
    if (text === '') return;
    streams[to].write(streams[to].isTTY ? forTerminal(text) : text);
    open[to] = !text.endsWith('\n');
  };
  const endLine = (to: keyof typeof streams) => {
    if (open[to]) write(to, '\n');
  };
  /** The answer streamed to the terminal since the last one was discarded. */
  let streamed = '';
  const note = (line: string) => {
    if (live) endLine('stdout');
    endLine('stderr');
    write('stderr', `${line}\n`);
  };

  return (event) => {
    switch (event.type) {
      case 'decision':
        return note(`${event.decision.route} → ${event.model} (${event.displayName} via ${event.provider}): ${event.reason}`);
      case 'reasoning':
        if (live) endLine('stdout');
        if (live && event.replacesAnswer) {
          // The answer on screen was reasoning: its rest goes where reasoning goes, and a note says so.
          write('stderr', event.text.slice(streamed.length));
          streamed = '';
          return note('[the text above was the model\'s reasoning; the answer follows below]');
        }
        return write('stderr', event.text);
      case 'token':
        // Reasoning ends where the answer starts, also when both streams go to one place (`2>&1`).
        endLine('stderr');
        if (live) write('stdout', event.text);
        streamed += event.text;
        return;
      case 'retry':
        return note(`[${event.reason}]`);
      case 'fallback':
        note(`[${event.reason}]`);
        if (live && event.partialDiscarded) note('[the text above is discarded; the answer starts again below]');
        if (event.partialDiscarded) streamed = '';
        return;
      case 'usage':
        return;
      case 'done':
        endLine('stderr');
        if (!live) write('stdout', event.text);
        endLine('stdout');
        if (event.incomplete) note(`[${event.incomplete}]`);
        if (event.trimmed) note(`[${event.trimmed}]`);
        return note(footer(event));
      case 'error':
        return note(event.cancelled ? '[cancelled]' : `omni: ${event.message}`);
    }
  };
}

function footer(done: DoneEvent): string {
  const { inputTokens, outputTokens, estimated } = done.usage;
  const tokens = `${inputTokens} in / ${outputTokens} out tokens${estimated ? ' (estimated)' : ''}`;
  // "$0.000000" would read as free; a model without a price may well cost something.
  const cost = done.priced ? `$${done.costUsd.toFixed(6)}` : 'no price in the policy';
  return `— ${done.model} · ${tokens} · ${cost} · first token ${ms(done.timeToFirstTokenMs)} · total ${ms(done.totalMs)}`;
}

function ms(value: number): string {
  return value < 1000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(1)} s`;
}
