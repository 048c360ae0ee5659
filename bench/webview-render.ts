/**
 * How long the chat webview takes to render a streamed answer: 50, 100 and 200 KB of realistic markdown, each in
 * 2,000 chunks delivered a few per animation frame, in headless Chromium under the production CSP.
 * Reports the page main thread's CPU time (Chrome's TaskDuration counter, in thread ticks) in total and, less the
 * cost of the same stream of empty chunks, per KB, so linear growth shows as a flat ms/KB; and the longest gap
 * between frames, so jank shows too. Build first: `node esbuild.js`.
 * Run: `node --import tsx bench/webview-render.ts`.
 */
import { closeBrowser, openWebview } from '../test/webview/harness';
import { decision, done, tokensInto } from '../test/webview/messages';

export interface WebviewRenderResult {
  sizeKB: number;
  chunks: number;
  frames: number;
  /** Median main-thread CPU time from the first chunk until the finished answer is rendered. */
  totalMs: number;
  /** `totalMs` less the same stream of empty chunks (message handling and frames alone): the rendering itself. */
  renderMs: number;
  /** `renderMs` per KB: flat when work grows linearly with the answer. */
  msPerKB: number;
  /** Longest gap between two animation frames while streaming (16.7 ms is perfectly smooth at 60 Hz). */
  longestFrameMs: number;
  /** Frames that took more than two 60 Hz frame times. */
  slowFrames: number;
}

interface Run {
  frames: number;
  busyMs: number;
  longestFrameMs: number;
  slowFrames: number;
}

const sections = [
  (n: number) => `## Step ${n}: read the input\n\nOpen the file with a **streaming** reader so memory stays flat; see [the Node docs](https://nodejs.org/api/stream.html) and \`fs.createReadStream\`.\n\n`,
  (n: number) => `- Validate row ${n} before use\n- Trim whitespace and *normalise* line endings\n- Reject rows longer than \`maxColumns\`\n  - log them with their line number\n\n`,
  (n: number) =>
    '```ts\n' +
    `export async function parseChunk${n}(input: AsyncIterable<string>): Promise<string[][]> {\n` +
    '  const rows: string[][] = [];\n' +
    '  for await (const line of input) {\n' +
    "    // Quoted fields may contain the delimiter, so split with care.\n" +
    "    const cells = line.split(',').map((cell) => cell.trim());\n" +
    '    if (cells.length > 0) rows.push(cells);\n' +
    '  }\n' +
    '  return rows;\n' +
    '}\n```\n\n',
  (n: number) => `> Note ${n}: quoted fields can span lines, so a line-based split is only a first pass.\n\n`,
  (n: number) => `| Option | Default | Meaning |\n| :--- | :---: | ---: |\n| delimiter | \`,\` | field separator ${n} |\n| quote | \`"\` | quote character |\n\n`,
  (n: number) =>
    '```python\n' +
    `def parse_${n}(path):\n` +
    '    """Yield rows as lists of strings."""\n' +
    "    with open(path, newline='') as f:\n" +
    '        for row in csv.reader(f):\n' +
    '            yield [cell.strip() for cell in row]\n```\n\n',
  (n: number) => `${n}. Run the tests again; every case in \`test/csv.test.ts\` should pass, including the one with an empty trailing field.\n\n`,
];

/** Markdown of exactly `bytes` characters: headings, prose, lists, tables, quotes and code blocks in turn. */
export function realisticAnswer(bytes: number): string {
  let text = '';
  for (let n = 0; text.length < bytes; n++) text += sections[n % sections.length](Math.floor(n / sections.length) + 1);
  return text.slice(0, bytes);
}

/** Streams one answer of `sizeKB` into a fresh page, `perFrame` chunks per animation frame, and measures it. */
async function streamOnce(sizeKB: number, chunks: number, perFrame: number): Promise<Run> {
  const view = await openWebview();
  try {
    const requestId = `bench-${sizeKB}`;
    await view.sendAll([{ type: 'userTurn', requestId, text: 'Write a CSV parser' }, decision(requestId)]);
    const cdp = await view.page.context().newCDPSession(view.page);
    // Thread ticks: CPU time of the page's main thread, so other load on the machine does not count.
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    const busy = async () => (await cdp.send('Performance.getMetrics')).metrics.find((metric) => metric.name === 'TaskDuration')!.value * 1000;
    const before = await busy();
    const stream = await view.page.evaluate(
      ({ messages, finish, perFrame }) =>
        new Promise<{ frames: number; longestFrameMs: number; slowFrames: number }>((resolve) => {
          const page = globalThis as unknown as {
            postMessage(message: unknown, origin: string): void;
            requestAnimationFrame(callback: (time: number) => void): void;
          };
          let next = 0;
          let frames = 0;
          let last = -1;
          let longest = 0;
          let slow = 0;
          let settle = 2;
          const frame = (time: number) => {
            if (last >= 0) {
              longest = Math.max(longest, time - last);
              if (time - last > 2 * (1000 / 60)) slow++;
            }
            last = time;
            frames++;
            if (next < messages.length) {
              for (const end = Math.min(next + perFrame, messages.length); next < end; next++) page.postMessage(messages[next], '*');
              if (next === messages.length) page.postMessage(finish, '*');
            } else if (--settle === 0) {
              // Two frames after `done`: the final render has run.
              resolve({ frames, longestFrameMs: longest, slowFrames: slow });
              return;
            }
            page.requestAnimationFrame(frame);
          };
          page.requestAnimationFrame(frame);
        }),
      { messages: tokensInto(requestId, realisticAnswer(sizeKB * 1024), chunks), finish: done(requestId), perFrame },
    );
    const busyMs = (await busy()) - before;
    if (view.pageErrors.length > 0) throw view.pageErrors[0];
    return { ...stream, busyMs };
  } finally {
    await view.close();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Streams answers of each size `repeats` times (fresh page each) and reports medians. */
export async function benchWebviewRender(
  options: { sizesKB?: number[]; chunks?: number; chunksPerFrame?: number; repeats?: number } = {},
): Promise<WebviewRenderResult[]> {
  const { sizesKB = [50, 100, 200], chunks = 2000, chunksPerFrame = 8, repeats = 3 } = options;
  const runs = async (sizeKB: number) => {
    const all: Run[] = [];
    for (let i = 0; i < repeats; i++) all.push(await streamOnce(sizeKB, chunks, chunksPerFrame));
    return all;
  };
  try {
    const baselineMs = median((await runs(0)).map((run) => run.busyMs));
    const results: WebviewRenderResult[] = [];
    for (const sizeKB of sizesKB) {
      const all = await runs(sizeKB);
      const totalMs = median(all.map((run) => run.busyMs));
      const renderMs = Math.max(0, totalMs - baselineMs);
      results.push({
        sizeKB,
        chunks,
        frames: median(all.map((run) => run.frames)),
        totalMs,
        renderMs,
        msPerKB: renderMs / sizeKB,
        longestFrameMs: median(all.map((run) => run.longestFrameMs)),
        slowFrames: median(all.map((run) => run.slowFrames)),
      });
    }
    return results;
  } finally {
    await closeBrowser();
  }
}

if (process.argv[1]?.endsWith('webview-render.ts')) {
  benchWebviewRender().then(
    (results) => {
      console.log('webview render: answer streamed in 2,000 chunks, main-thread CPU ms in headless Chromium (median of 3)');
      console.log('size    frames  total ms  render ms  render ms/KB  longest frame ms  frames > 33 ms');
      for (const r of results) {
        const cells = [
          `${r.sizeKB} KB`.padEnd(6),
          String(r.frames).padStart(7),
          r.totalMs.toFixed(0).padStart(9),
          r.renderMs.toFixed(0).padStart(10),
          r.msPerKB.toFixed(2).padStart(13),
          r.longestFrameMs.toFixed(1).padStart(17),
          String(r.slowFrames).padStart(15),
        ];
        console.log(cells.join(' '));
      }
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
