import assert from 'node:assert/strict';
import { after, afterEach, describe, it } from 'node:test';
import { MAX_MESSAGE_CHARS, type HostMessage, type WebviewMessage, type WebviewMessageOf } from '../../src/protocol/messages';
import { closeBrowser, frames, openWebview, type Webview } from './harness';
import { decision, done, sampleTag, savedConversation, tokens } from './messages';
import { THEMES } from './themes';

let open: Webview[] = [];

/** `clock`: the page's fake clock's time (epoch ms), from before the webview starts. */
async function webview(savedState?: unknown, userAgent?: string, clock?: number): Promise<Webview> {
  const opened = await openWebview({ savedState, userAgent, clock });
  open.push(opened);
  return opened;
}

afterEach(async () => {
  // Every scenario must also run clean: no script errors, no CSP violations, no requests beyond the bundle.
  for (const view of open) {
    assert.deepEqual(view.pageErrors.map(String), []);
    assert.deepEqual(await view.cspViolations(), []);
    assert.deepEqual(view.foreignRequests, []);
    await view.close();
  }
  open = [];
});
after(closeBrowser);

function ofType<T extends WebviewMessage['type']>(messages: WebviewMessage[], type: T): WebviewMessageOf<T>[] {
  return messages.filter((message): message is WebviewMessageOf<T> => message.type === type);
}

/** Gives the page exactly `variables` of --vscode-*, as VS Code does for one theme. */
async function useTheme(view: Webview, variables: Readonly<Record<string, string>>): Promise<void> {
  await view.page.locator('html').evaluate((html, values) => {
    // Start from nothing, as a theme that leaves a variable unset does; `initial` makes var() take its fallback.
    const inherited = html.ownerDocument.defaultView!.getComputedStyle(html);
    for (let i = 0; i < inherited.length; i++) if (inherited[i].startsWith('--vscode-')) html.style.setProperty(inherited[i], 'initial');
    for (const [name, value] of Object.entries(values)) html.style.setProperty(name, value);
  }, variables);
}

/** Types `text` and presses Enter; returns the request id the webview sent. */
async function ask(view: Webview, text = 'Write a CSV parser'): Promise<string> {
  await view.page.locator('.composer-input').fill(text);
  await view.page.locator('.composer-input').press('Enter');
  const sends = ofType(await view.posted(), 'send');
  assert.equal(sends.at(-1)?.text, text);
  return sends.at(-1)!.requestId;
}

/** Streams `text` in `size`-character tokens, a few per frame, and finishes the answer. */
async function stream(view: Webview, requestId: string, text: string, size: number): Promise<void> {
  const messages = tokens(requestId, text, size);
  for (let i = 0; i < messages.length; i += 7) {
    await view.sendAll(messages.slice(i, i + 7));
    await frames(view.page, 1);
  }
  await view.send(done(requestId));
}

/**
 * Answers `text` twice, streamed in `size`-character tokens and then whole, checks both render the same, and returns
 * the streamed answer's body.
 */
async function renderedBothWays(view: Webview, text: string, size: number) {
  const streamed = await ask(view);
  await view.send(decision(streamed));
  await stream(view, streamed, text, size);
  const whole = await ask(view, 'again');
  await view.sendAll([decision(whole), { type: 'token', requestId: whole, text }, done(whole)]);
  const bodies = view.page.locator('.answer .markdown');
  const [streamedHtml, wholeHtml] = await bodies.evaluateAll((elements) => elements.map((element) => element.innerHTML));
  assert.equal(streamedHtml, wholeHtml);
  return bodies.first();
}

/** A long answer: paragraphs of uneven length with a code block now and then, so real heights differ from estimates. */
function longAnswer(paragraphs: number): string {
  return Array.from({ length: paragraphs }, (_, i) =>
    i % 15 === 7 ? '```ts\n' + 'const line = 1;\n'.repeat(3 + (i % 5)) + '```' : `Paragraph ${i}: ${'some words '.repeat(4 + ((i * 7) % 37))}`,
  ).join('\n\n');
}

/**
 * How far (px) the transcript is from its end once its scroll position and size have held still for 10 frames in a
 * row: late layout (content-visibility segments getting their real height) has happened by then.
 */
function settledGap(view: Webview): Promise<number> {
  return view.page.locator('.transcript').evaluate(
    (root: any) =>
      new Promise<number>((resolve) => {
        const raf = (callback: () => void) => root.ownerDocument.defaultView.requestAnimationFrame(callback);
        let last = '';
        let still = 0;
        const tick = () => {
          const now = `${root.scrollTop} ${root.scrollHeight} ${root.clientHeight}`;
          still = now === last ? still + 1 : 0;
          last = now;
          if (still >= 10) resolve(root.scrollHeight - root.clientHeight - root.scrollTop);
          else raf(tick);
        };
        raf(tick);
      }),
  );
}

/** True when the bottom of the last `selector` is inside the transcript's visible area. */
function lastInView(view: Webview, selector: string): Promise<boolean> {
  return view.page.locator('.transcript').evaluate((root: any, target) => {
    const element = [...root.querySelectorAll(target)].at(-1);
    return element !== undefined && element.getBoundingClientRect().bottom <= root.getBoundingClientRect().bottom + 1;
  }, selector);
}

const markdownSample = [
  '# Parsing CSV',
  '',
  'Use a **streaming** parser; see [the docs](https://csv.js.org/parse/) or https://example.com/raw, not a@b.example.',
  '',
  '1. Install it',
  '2. Pipe the file',
  '',
  '```ts',
  "import { parse } from 'csv-parse';",
  '',
  'const rows: string[][] = [];',
  '```',
  '',
  '> Quotes are handled.',
  '',
  '| Option | Default |',
  '| :----- | ------: |',
  '| delimiter | `,` |',
  '',
  '````md',
  '```js',
  'nested fence stays code',
  '```',
  '````',
  '',
  '  ~~~',
  '  indented tilde fence',
  '    keeps relative indent',
  '  ~~~',
  'Setext heading',
  '---',
  '#notaheading',
  '',
  '    indented code',
  '',
  '- a',
  '',
  '  still a',
  '- b',
  '',
  '```python',
  'print("unclosed fence at the end")',
].join('\n');

describe('chat webview', () => {
  it('sends on Enter, adds a line on Shift+Enter', async () => {
    const view = await webview();
    const input = view.page.locator('.composer-input');
    await input.fill('first line');
    await input.press('Shift+Enter');
    await input.pressSequentially('second line');
    assert.equal(await input.inputValue(), 'first line\nsecond line');
    assert.deepEqual(ofType(await view.posted(), 'send'), []);
    await input.press('Enter');
    const [send] = ofType(await view.posted(), 'send');
    assert.equal(send.text, 'first line\nsecond line');
    assert.match(send.requestId, /^r-[0-9a-f]{24}$/);
    assert.equal(await input.inputValue(), '');
    assert.equal((await view.posted())[0].type, 'ready');
  });

  it('shows the routing tag as soon as the decision arrives, before the first token', async () => {
    const view = await webview();
    const requestId = await ask(view);
    const answer = view.page.locator('.answer');
    assert.equal(await answer.locator('.tag').textContent(), 'Routing…');
    // Record the order in which the tag and the answer text first appear, with both messages sent together.
    await view.page.evaluate(() => {
      const page = globalThis as unknown as { __order: string[]; document: any; MutationObserver: any };
      page.__order = [];
      const answerElement = page.document.querySelector('.answer');
      new page.MutationObserver(() => {
        if (answerElement.querySelector('.tag-route') && !page.__order.includes('tag')) page.__order.push('tag');
        if (answerElement.querySelector('.markdown').textContent && !page.__order.includes('text')) page.__order.push('text');
      }).observe(answerElement, { childList: true, subtree: true, characterData: true });
    });
    await view.sendAll([decision(requestId), { type: 'token', requestId, text: 'Hello' }]);
    await frames(view.page);
    assert.deepEqual(await view.read('__order'), ['tag', 'text']);

    const tag = answer.locator('.tag');
    assert.equal(await tag.locator('.tag-route').textContent(), 'code-generation');
    assert.equal(await tag.locator('.tag-model').textContent(), 'Qwen3 Coder 480B');
    assert.equal(await tag.locator('.tag-provider').textContent(), 'huggingface');
    assert.equal(await tag.locator('.tag-stage').textContent(), 'local classifier');
    assert.equal(await tag.locator('.tag-reason').textContent(), sampleTag.reason);
    assert.equal(await tag.locator('dl').isVisible(), false);
    await tag.locator('summary').click();
    assert.equal(await tag.locator('dl').isVisible(), true);
    assert.equal(await tag.locator('dl').innerText(), 'Confidence\n82%\nRouter latency\n12 ms\nFallback order\ngeneral\nFallbacks tried\nnone');
  });

  it('renders streamed markdown the same as the whole text at once, code fences split anywhere', async () => {
    const body = await renderedBothWays(await webview(), markdownSample, 3);
    assert.equal(await body.locator('h1').textContent(), 'Parsing CSV');
    assert.equal(await body.locator('h2').textContent(), 'Setext heading');
    assert.equal(await body.locator('.code-block').count(), 5);
    assert.equal(await body.locator('pre code.language-ts .hljs-keyword').first().textContent(), 'import');
    assert.equal(await body.locator('pre code.language-md').textContent(), '```js\nnested fence stays code\n```\n');
    assert.equal(await body.locator('pre code').nth(2).textContent(), 'indented tilde fence\n  keeps relative indent\n');
    assert.equal(await body.locator('pre code.language-python').textContent(), 'print("unclosed fence at the end")');
    assert.equal(await body.locator('td.align-right').textContent(), ',');
    assert.deepEqual(await body.locator('a').evaluateAll((links) => links.map((link) => link.getAttribute('href'))), [
      'https://csv.js.org/parse/',
      'https://example.com/raw',
    ]);
  });

  it('matches the one-shot render for random chunkings', async () => {
    const view = await webview();
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const ids: string[] = [];
    for (let round = 0; round < 4; round++) {
      const requestId = await ask(view, `round ${round}`);
      ids.push(requestId);
      let offset = 0;
      while (offset < markdownSample.length) {
        const batch = [];
        for (let i = 0; i < 5 && offset < markdownSample.length; i++) {
          const size = 1 + Math.floor(random() * 24);
          batch.push({ type: 'token' as const, requestId, text: markdownSample.slice(offset, offset + size) });
          offset += size;
        }
        await view.sendAll(batch);
        if (random() < 0.5) await frames(view.page, 1);
      }
      await view.send(done(requestId));
    }
    const whole = await ask(view, 'whole');
    await view.sendAll([{ type: 'token', requestId: whole, text: markdownSample }, done(whole)]);
    const htmls = await view.page.locator('.answer .markdown').evaluateAll((elements) => elements.map((element) => element.innerHTML));
    for (const html of htmls.slice(0, -1)) assert.equal(html, htmls.at(-1));
  });

  it('treats CRLF line endings like LF, even with \\r and \\n in different chunks', async () => {
    const view = await webview();
    const crlf = await ask(view);
    await view.sendAll([{ type: 'token', requestId: crlf, text: 'Intro\r' }]);
    await frames(view.page, 1);
    await view.sendAll([{ type: 'token', requestId: crlf, text: '\n\r\n```js\r\nlet a;\r' }]);
    await frames(view.page, 1);
    await view.sendAll([{ type: 'token', requestId: crlf, text: '\n```\r\nEnd' }, done(crlf)]);
    const lf = await ask(view, 'lf');
    await view.sendAll([{ type: 'token', requestId: lf, text: 'Intro\n\n```js\nlet a;\n```\nEnd' }, done(lf)]);
    const [crlfHtml, lfHtml] = await view.page.locator('.answer .markdown').evaluateAll((elements) => elements.map((element) => element.innerHTML));
    assert.equal(crlfHtml, lfHtml);
  });

  it('keeps finished blocks frozen and streams an open code fence as text', async () => {
    const view = await webview();
    const requestId = await ask(view);
    await view.sendAll([decision(requestId), { type: 'token', requestId, text: 'First paragraph.\n\nSecond para' }]);
    await frames(view.page);
    await view.sendAll([{ type: 'token', requestId, text: 'graph.\n' }]);
    await frames(view.page);
    // The second paragraph's first line is complete, so the first paragraph is final: remember its node.
    const body = view.page.locator('.answer .markdown');
    await body.locator('p').first().evaluate((element) => ((globalThis as unknown as { __first: unknown }).__first = element));
    await view.sendAll([{ type: 'token', requestId, text: '\n``' }, { type: 'token', requestId, text: '`js\nconst a' }]);
    await frames(view.page);
    assert.equal(await body.locator('.code-block.streaming code').textContent(), 'const a');
    await view.sendAll([{ type: 'token', requestId, text: ' = 1;\n``' }]);
    await frames(view.page);
    // A closing fence still arriving is not shown as code.
    assert.equal(await body.locator('.code-block.streaming code').textContent(), 'const a = 1;\n');
    await view.sendAll([{ type: 'token', requestId, text: '`\nAfter.' }]);
    await frames(view.page);
    assert.equal(await body.locator('.code-block.streaming').count(), 0);
    assert.equal(await body.locator('.code-block code.language-js .hljs-keyword').textContent(), 'const');
    const sameNode = await body.locator('p').first().evaluate((element) => element === (globalThis as unknown as { __first: unknown }).__first);
    assert.ok(sameNode, 'the first paragraph was re-rendered');
    assert.deepEqual(await body.locator('p').allTextContents(), ['First paragraph.', 'Second paragraph.', 'After.']);
  });

  it('renders at most once per animation frame however fast tokens arrive', async () => {
    const view = await webview();
    const requestId = await ask(view);
    await view.send(decision(requestId));
    await view.page.evaluate(() => {
      const page = globalThis as unknown as { __renders: number; __frames: number; document: any; MutationObserver: any; requestAnimationFrame(callback: () => void): void };
      page.__renders = 0;
      page.__frames = 0;
      const countFrame = () => {
        page.__frames++;
        page.requestAnimationFrame(countFrame);
      };
      page.requestAnimationFrame(countFrame);
      new page.MutationObserver(() => page.__renders++).observe(page.document.querySelector('.answer .markdown'), { childList: true, subtree: true, characterData: true });
    });
    const text = 'Some words, then more words. '.repeat(200);
    await view.sendAll(tokens(requestId, text, 6));
    await frames(view.page, 3);
    const renders = Number(await view.read('__renders'));
    const frameCount = Number(await view.read('__frames'));
    assert.ok(renders <= frameCount + 1, `${renders} renders in ${frameCount} frames`);
    assert.ok(renders < 20, `${renders} renders for ${text.length / 6} tokens`);
    assert.equal((await view.page.locator('.answer .markdown').textContent())?.trim(), text.trim());
  });

  it('keeps a fast stream in view until the user scrolls up, then leaves the reader where they are', async () => {
    const view = await webview();
    const requestId = await ask(view);
    const transcript = view.page.locator('.transcript');
    const position = () => transcript.evaluate((root) => ({ top: root.scrollTop, gap: root.scrollHeight - root.clientHeight - root.scrollTop }));
    await view.send(decision(requestId));
    // About 40 lines a frame: far more growth per frame than the follow slack.
    const line = 'A line of a long answer that keeps arriving quickly.\n\n';
    for (let batch = 0; batch < 12; batch++) {
      await view.sendAll(Array.from({ length: 40 }, () => ({ type: 'token' as const, requestId, text: line })));
      await frames(view.page, 1);
    }
    await frames(view.page);
    const followed = await position();
    assert.ok(followed.top > 0 && followed.gap <= 32, `still at the end after a fast stream: ${JSON.stringify(followed)}`);

    await transcript.evaluate((root) => root.scrollTo({ top: 100 }));
    await frames(view.page);
    await view.sendAll(Array.from({ length: 40 }, () => ({ type: 'token' as const, requestId, text: line })));
    await frames(view.page, 3);
    assert.equal((await position()).top, 100, 'the reader who scrolled up stays put');
  });

  it('ends a long answer at the very end of the view, its footer and actions in sight', async () => {
    const view = await webview();
    const requestId = await ask(view);
    await view.send(decision(requestId));
    // Streamed, then the rest arrives in one burst with the end of the answer, as from a fast model.
    const text = longAnswer(120);
    const burst = text.indexOf('Paragraph 90:');
    const messages = tokens(requestId, text.slice(0, burst), 40);
    for (let i = 0; i < messages.length; i += 7) {
      await view.sendAll(messages.slice(i, i + 7));
      await frames(view.page, 1);
    }
    await view.sendAll([{ type: 'token', requestId, text: text.slice(burst) }, done(requestId)]);
    assert.equal(await settledGap(view), 0, 'the view stopped short of the end');
    assert.ok(await lastInView(view, '.answer-footer'));
    assert.ok(await lastInView(view, '.answer-actions'));
  });

  /** An answer streaming in batches of 40 lines, already four batches past the bottom of the view. */
  async function streamingPastTheFold() {
    const view = await webview();
    const requestId = await ask(view);
    await view.send(decision(requestId));
    const line = 'A line of a long answer that keeps arriving quickly.\n\n';
    const batch = () => Array.from({ length: 40 }, () => ({ type: 'token' as const, requestId, text: line }));
    for (let i = 0; i < 4; i++) {
      await view.sendAll(batch());
      await frames(view.page, 1);
    }
    return { view, transcript: view.page.locator('.transcript'), batch };
  }

  it('opens a long conversation at its very end', async () => {
    const view = await webview();
    const turns = [0, 1, 2].flatMap((i) => [
      { role: 'user' as const, text: `Question ${i}` },
      { role: 'assistant' as const, requestId: `old-${i}`, text: longAnswer(120), tag: sampleTag, notes: [], footer: done(`old-${i}`).footer, status: 'done' as const },
    ]);
    await view.send({ type: 'conversation', conversationId: 'c1', title: 'Long', turns });
    assert.equal(await settledGap(view), 0, 'the view stopped short of the end');
    assert.ok(await lastInView(view, '.answer-actions'));
  });

  it("stops following when the user scrolls up in the same frame as Omni's own scroll down, and follows again at the end", async () => {
    const { view, transcript, batch } = await streamingPastTheFold();
    // Once the next batch has rendered, and after any scroll Omni queued for it, the reader moves up 300 px.
    await transcript.evaluate((root: any) => {
      const window = root.ownerDocument.defaultView;
      const observer = new window.MutationObserver(() => {
        observer.disconnect();
        window.requestAnimationFrame(() => {
          root.scrollTop -= 300;
          window.__left = root.scrollTop;
        });
      });
      observer.observe(root.querySelector('.answer .markdown'), { childList: true, subtree: true, characterData: true });
    });
    await view.sendAll(batch());
    await frames(view.page, 2);
    const left = Number(await view.read('__left'));
    for (let i = 0; i < 3; i++) {
      await view.sendAll(batch());
      await frames(view.page, 1);
    }
    await frames(view.page, 2);
    assert.equal(await transcript.evaluate((root) => root.scrollTop), left, 'the reader who scrolled up stays put');

    await transcript.evaluate((root) => root.scrollTo({ top: root.scrollHeight }));
    await frames(view.page, 2);
    await view.sendAll(batch());
    assert.equal(await settledGap(view), 0, 'back at the end, the stream is followed again');
  });

  it('stops following on a wheel turn up, however small', async () => {
    const { view, transcript, batch } = await streamingPastTheFold();
    await transcript.evaluate((root: any) => root.addEventListener('wheel', () => (root.ownerDocument.defaultView.__wheeled = true), { once: true }));
    await transcript.hover();
    await view.page.mouse.wheel(0, -10);
    await view.page.waitForFunction(() => (globalThis as unknown as { __wheeled?: boolean }).__wheeled === true);
    for (let i = 0; i < 3; i++) {
      await view.sendAll(batch());
      await frames(view.page, 1);
    }
    assert.ok((await settledGap(view)) > 100, 'the stream went on below the reader');
  });

  it('shows a very long prompt as its first lines, with a Show all / Show less toggle that works from the keyboard', async () => {
    const view = await webview();
    const long = 'A very long prompt. '.repeat(7_500);
    await view.sendAll([{ type: 'userTurn', requestId: 'long', text: long }, done('long')]);
    const turn = view.page.locator('.user-turn');
    const height = () => turn.evaluate((element) => element.getBoundingClientRect().height);
    assert.equal(await turn.textContent(), long, 'all of it is there, for screen readers and copying');
    assert.ok((await height()) < 200, `collapsed to a few lines: ${await height()} px`);
    const toggle = view.page.locator('.user-turn-toggle');
    assert.equal(await toggle.textContent(), 'Show all');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    await toggle.focus();
    await view.page.keyboard.press('Enter');
    assert.equal(await toggle.textContent(), 'Show less');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    assert.ok((await height()) > 5_000);
    await view.page.keyboard.press('Enter');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.ok((await height()) < 200);

    await ask(view, 'A short one\non two lines');
    assert.equal(await view.page.locator('.user-turn-toggle').count(), 1, 'a short prompt has no toggle');
  });

  it('puts the cursor in the message box when the host asks (Open Chat on an existing view)', async () => {
    const view = await webview();
    await view.page.locator('.composer-input').evaluate((input) => input.blur());
    const focused = () => view.page.locator('body').evaluate((body) => body.ownerDocument.activeElement?.className ?? '');
    assert.doesNotMatch(await focused(), /composer-input/);
    await view.send({ type: 'focusComposer' });
    assert.match(await focused(), /composer-input/);
  });

  it("colours keywords, strings and numbers in code although the theme's symbol icon colours for them are plain text", async () => {
    const view = await webview();
    // VS Code's defaults: these three symbol icon colours fall back to the foreground.
    await view.page.locator('html').evaluate((html) => {
      for (const kind of ['keyword', 'string', 'number']) html.style.setProperty(`--vscode-symbolIcon-${kind}Foreground`, '#cccccc');
      html.style.setProperty('--vscode-foreground', '#cccccc');
    });
    const requestId = await ask(view);
    await view.sendAll([decision(requestId), { type: 'token', requestId, text: '```js\nconst s = "x" + 1;\n```\n' }, done(requestId)]);
    const colour = (selector: string) => view.page.locator(`.code-block ${selector}`).first().evaluate((element) => element.ownerDocument.defaultView!.getComputedStyle(element).color);
    const plain = await view.page.locator('.code-block code').evaluate((element) => element.ownerDocument.defaultView!.getComputedStyle(element).color);
    for (const token of ['.hljs-keyword', '.hljs-string', '.hljs-number']) assert.notEqual(await colour(token), plain, token);
  });

  it('keeps every text colour at 4.5:1 or more, and focus rings visible, in the four default themes', async () => {
    const answer = [
      '```ts',
      'class Cart extends Base {',
      '  total(n: number): string {',
      '    const s = "x";',
      '    return s + 42;',
      '  }',
      '}',
      '```',
      '',
      '```diff',
      '- removed',
      '+ added',
      '```',
      '',
      'See [the docs](https://example.com/docs).',
    ].join('\n');
    for (const [theme, variables] of Object.entries(THEMES)) {
      const view = await webview();
      await useTheme(view, variables);
      const stopped = await ask(view);
      await view.sendAll([decision(stopped), { type: 'token', requestId: stopped, text: answer }, done(stopped, true)]);
      const failed = await ask(view, 'and again');
      await view.sendAll([decision(failed), { type: 'error', requestId: failed, error: { message: 'No model could answer:\ncoder: HTTP 500', hint: 'Check the provider.', attempts: [{ model: 'coder', cause: 'HTTP 500' }] } }]);
      // Enter while this one streams shows the note by the message box.
      await ask(view, 'a third time');
      await view.page.locator('.composer-input').fill('too soon');
      await view.page.locator('.composer-input').press('Enter');
      // Runs in the page: `any` stands for its DOM types, which this project's Node-side type check does not load.
      const ratios = await view.page.locator('body').evaluate((body: any) => {
        const document = body.ownerDocument;
        const getComputedStyle = (element: unknown, pseudo?: string) => document.defaultView.getComputedStyle(element, pseudo);
        type Element = { parentElement: Element | null; className: string; focus(): void };
        const parse = (color: string) => {
          const [r, g, b, a = 1] = (color.match(/[\d.]+/g) ?? []).map(Number);
          // color-mix() results come back as color(srgb r g b), in 0..1.
          return color.startsWith('color(') ? [r * 255, g * 255, b * 255, a] : [r, g, b, a];
        };
        const over = (top: number[], bottom: number[]) => top.slice(0, 3).map((v, i) => v * top[3] + bottom[i] * (1 - top[3])).concat(1);
        // The element's own background over everything behind it, as the eye sees it.
        const backgroundOf = (element: Element | null): number[] => {
          if (!element) return [255, 255, 255, 1];
          const own = parse(getComputedStyle(element).backgroundColor);
          return own[3] === 1 ? own : over(own, backgroundOf(element.parentElement));
        };
        const luminance = ([r, g, b]: number[]) => {
          const [lr, lg, lb] = [r, g, b].map((v) => v / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
          return 0.2126 * lr + 0.7152 * lg + 0.0722 * lb;
        };
        const contrast = (fg: number[], bg: number[]) => {
          const [a, b] = [luminance(fg), luminance(bg)];
          return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        };
        const textRatio = (element: Element, pseudo?: string) => {
          const background = backgroundOf(element);
          return contrast(over(parse(getComputedStyle(element, pseudo).color), background), background);
        };
        const found: Record<string, number> = {};
        for (const token of document.querySelectorAll('.code-block [class*="hljs-"]') as Element[]) found[`code ${token.className}`] = textRatio(token);
        for (const selector of ['.answer-footer .stopped', '.error-message', '.error-hint', '.error-attempts li', '.markdown a', '.tag-reason', '.answer-footer span', '.composer-note']) {
          const element = document.querySelector(selector);
          if (element) found[selector] = textRatio(element);
        }
        found['placeholder'] = textRatio(document.querySelector('.composer-input'), '::placeholder');
        const link: Element = document.querySelector('.markdown a');
        link.focus();
        const ring = getComputedStyle(link);
        found['link focus ring (3:1)'] = ring.outlineStyle === 'none' ? 0 : (contrast(parse(ring.outlineColor), backgroundOf(link)) * 4.5) / 3;
        return found;
      });
      const tokens = Object.keys(ratios).filter((name) => name.startsWith('code '));
      for (const kind of ['keyword', 'string', 'number', 'title class_', 'title function_', 'addition', 'deletion']) {
        assert.ok(tokens.some((name) => name.includes(kind)), `${theme}: the sample has no ${kind} token (${tokens.join(', ')})`);
      }
      assert.ok('.composer-note' in ratios, `${theme}: the note by the message box was not measured`);
      const low = Object.entries(ratios).filter(([, ratio]) => !(ratio >= 4.5)).map(([name, ratio]) => `${name} ${ratio.toFixed(2)}:1`);
      assert.deepEqual(low, [], `${theme}: below WCAG AA`);
      // A diff's added lines read green and its deleted ones red, as in VS Code's own diffs; added lines were red too.
      const [added, deleted] = await Promise.all(['.hljs-addition', '.hljs-deletion'].map((selector) =>
        view.page.locator(`.code-block ${selector}`).evaluate((element) => (element.ownerDocument.defaultView!.getComputedStyle(element).color.match(/[\d.]+/g) ?? []).map(Number))));
      assert.ok(added[1] > added[0] && deleted[0] > deleted[1], `${theme}: added lines ${added}, deleted lines ${deleted}`);
    }
  });

  it('Stop and Escape post a stop message with the request id', async () => {
    const view = await webview();
    const requestId = await ask(view);
    await view.sendAll([decision(requestId), { type: 'token', requestId, text: 'Partial' }]);
    const button = view.page.locator('.composer-button');
    assert.equal(await button.textContent(), 'Stop');
    assert.equal(await button.getAttribute('title'), 'Stop (Escape)', 'the tooltip names the shortcut');
    assert.equal(await view.page.locator('.answer').getAttribute('aria-busy'), 'true');
    await button.click();
    assert.deepEqual(ofType(await view.posted(), 'stop'), [{ type: 'stop', requestId }]);
    await view.page.keyboard.press('Escape');
    assert.deepEqual(ofType(await view.posted(), 'stop'), [{ type: 'stop', requestId }, { type: 'stop', requestId }]);
    await view.send(done(requestId, true));
    assert.equal(await button.textContent(), 'Send');
    assert.equal(await button.getAttribute('title'), 'Send (Enter)');
    assert.equal(await view.page.locator('.answer').getAttribute('aria-busy'), null);
    assert.equal(await view.page.locator('.answer-footer .stopped').textContent(), 'stopped');
    await view.page.keyboard.press('Escape');
    assert.equal(ofType(await view.posted(), 'stop').length, 2);
  });

  it('an answer stopped before the router decided loses its "Routing…" placeholder and counts no tokens', async () => {
    const view = await webview();
    const requestId = await ask(view);
    assert.equal(await view.page.locator('.answer .tag').textContent(), 'Routing…');
    await view.send({ type: 'done', requestId, stopped: true });
    assert.equal(await view.page.locator('.answer .tag').count(), 0);
    assert.equal(await view.page.locator('.answer-footer').textContent(), 'stopped before routing finished; no model was asked');
    assert.equal(await view.page.locator('.composer-button').textContent(), 'Send');
  });

  it('an answer saved mid-stream and reopened after a reload shows its text and says why it stopped', async () => {
    const view = await webview();
    await view.send(savedConversation('c1', 'A slow story', 'tell me a slow story', { text: 'Once upon a', status: 'stopped' }));
    assert.equal((await view.page.locator('.answer .markdown').textContent())?.trim(), 'Once upon a');
    assert.equal(await view.page.locator('.answer-footer').textContent(), 'stopped when the window closed or reloaded');
  });

  it('shows fallback notes, discards partial text, and fills the footer', async () => {
    const view = await webview();
    const requestId = await ask(view);
    await view.sendAll([decision(requestId), { type: 'token', requestId, text: 'Half an answ' }]);
    await frames(view.page);
    await view.sendAll([
      { type: 'fallback', requestId, note: { failedModel: 'coder', cause: 'HTTP 500', nextModel: 'general', partialDiscarded: true } },
      { type: 'token', requestId, text: 'A complete answer.' },
      { type: 'usage', requestId, usage: { inputTokens: 1234, outputTokens: 567, estimated: true } },
    ]);
    await frames(view.page);
    const answer = view.page.locator('.answer');
    assert.equal(await answer.locator('.fallback-note').textContent(), 'coder failed (HTTP 500); trying general — partial text discarded');
    assert.equal(await answer.locator('.markdown').innerText(), 'A complete answer.');
    assert.equal(await answer.locator('.answer-footer').textContent(), '~1,234 in · ~567 out tokens');
    await view.send(done(requestId));
    assert.deepEqual(await answer.locator('.answer-footer span').allTextContents(), [
      '~1,234 in · ~567 out tokens',
      // Priced on estimated tokens, the cost is marked as an estimate as well.
      '~$0.0042',
      'first token 320 ms',
      'total 4.2 s',
      'Qwen3 Coder 480B',
    ]);
    await answer.locator('.tag summary').click();
    assert.match(await answer.locator('.tag dl').innerText(), /Fallbacks tried\ncoder \(HTTP 500\)/);
  });

  it('says in the footer how much of the wait was routing when that is noticeable, so a slow router is not taken for a slow model', async () => {
    const view = await webview();
    const slow = await ask(view);
    const slowDone = done(slow);
    // Arch-Router timed out after 1.5 s and the local stage decided: the first token came 0.4 s after that.
    await view.sendAll([decision(slow, { ...sampleTag, stage: 'local', routerLatencyMs: 1500 }), { type: 'token', requestId: slow, text: 'def parse(' }, { ...slowDone, footer: { ...slowDone.footer, timeToFirstTokenMs: 1900 } }]);
    const quick = await ask(view, 'and again');
    await view.sendAll([decision(quick, { ...sampleTag, routerLatencyMs: 99 }), { type: 'token', requestId: quick, text: 'def parse(' }, done(quick)]);
    const firstToken = view.page.locator('.answer-footer span', { hasText: 'first token' });
    assert.deepEqual(await firstToken.allTextContents(), ['first token 1.9 s (routing 1.5 s)', 'first token 320 ms']);
  });

  it('a failover that discards the partial answer discards its reasoning too', async () => {
    const view = await webview();
    const requestId = await ask(view);
    await view.sendAll([decision(requestId), { type: 'reasoning', requestId, text: 'First model thinks.' }]);
    await frames(view.page);
    const answer = view.page.locator('.answer');
    const note = { failedModel: 'coder', cause: 'lost the connection', nextModel: 'general', partialDiscarded: true };
    await view.sendAll([{ type: 'fallback', requestId, note }]);
    await frames(view.page);
    assert.equal(await answer.locator('.reasoning').isHidden(), true, 'no Reasoning left over while the next model has sent none');
    await view.sendAll([{ type: 'reasoning', requestId, text: 'Second model thinks.' }, { type: 'token', requestId, text: 'Answer.' }, done(requestId)]);
    await frames(view.page);
    assert.equal(await answer.locator('.reasoning-text').textContent(), 'Second model thinks.');
  });

  it('moves an answer that turned out to be reasoning (a lone </think>) into Reasoning', async () => {
    const view = await webview();
    const requestId = await ask(view);
    await view.sendAll([decision(requestId), { type: 'token', requestId, text: 'The user wants a ' }]);
    await frames(view.page);
    await view.sendAll([
      { type: 'reasoning', requestId, text: 'The user wants a CSV parser.', replacesAnswer: true },
      { type: 'token', requestId, text: 'Use the csv module.' },
      done(requestId),
    ]);
    await frames(view.page);
    const answer = view.page.locator('.answer');
    assert.equal(await answer.locator('.markdown').innerText(), 'Use the csv module.');
    assert.equal(await answer.locator('.reasoning-text').textContent(), 'The user wants a CSV parser.');
  });

  it('says "Reasoning… N s" while the model reasons with no answer yet, announced once, gone at the first answer token', async () => {
    const view = await webview();
    const { page } = view;
    await page.clock.install();
    const requestId = await ask(view);
    const announced = page.getByRole('status');
    await announced.evaluate((region) => {
      const page = globalThis as unknown as { __statusChanges: string[]; MutationObserver: any };
      page.__statusChanges = [];
      new page.MutationObserver(() => page.__statusChanges.push(region.textContent ?? '')).observe(region, { childList: true, characterData: true, subtree: true });
    });
    await view.sendAll([decision(requestId), { type: 'reasoning', requestId, text: 'The user wants ' }]);
    const status = page.locator('.answer .reasoning-status');
    assert.equal(await status.textContent(), 'Reasoning… 0 s');
    await page.clock.runFor(12_000);
    assert.equal(await status.textContent(), 'Reasoning… 12 s', 'the count ticks with no message from the host');
    await view.send({ type: 'reasoning', requestId, text: 'a parser.' });
    await page.clock.runFor(1_000);
    assert.equal(await status.textContent(), 'Reasoning… 13 s', 'more reasoning does not restart the count');
    assert.equal(await status.getAttribute('role'), null, 'the ticking count is not a live region');
    const changes = (await view.read('__statusChanges')) as string[];
    assert.equal(changes.filter((text) => text.includes('Qwen3 Coder 480B is reasoning')).length, 1, `announced once: ${JSON.stringify(changes)}`);
    await view.send({ type: 'token', requestId, text: 'Use the csv module.' });
    assert.equal(await status.isHidden(), true, 'the answer has started');
    await view.send({ type: 'reasoning', requestId, text: ' More thoughts.' });
    assert.equal(await status.isHidden(), true, 'reasoning after answer text does not bring it back');
  });

  it('takes the "Reasoning…" status away when the answer is stopped, fails or fails over', async () => {
    const view = await webview();
    const error = { message: 'Every model failed.', attempts: [] };
    const endings: [string, (requestId: string) => HostMessage][] = [
      ['stopped', (requestId) => done(requestId, true)],
      ['failed', (requestId) => ({ type: 'error', requestId, error })],
      ['failed over', (requestId) => ({ type: 'fallback', requestId, note: { failedModel: 'coder', cause: 'HTTP 500', nextModel: 'general', partialDiscarded: true } })],
    ];
    for (const [ending, end] of endings) {
      const requestId = await ask(view, ending);
      await view.sendAll([decision(requestId), { type: 'reasoning', requestId, text: 'Thinking.' }]);
      const status = view.page.locator('.answer').last().locator('.reasoning-status');
      assert.equal(await status.isVisible(), true, `${ending}: shown while reasoning`);
      await view.send(end(requestId));
      assert.equal(await status.isHidden(), true, `${ending}: gone`);
      if (ending === 'failed over') await view.send(done(requestId, true));
    }
  });

  it('counts "Reasoning… N s" on from when the model began reasoning in a view built anew', async () => {
    const start = Date.UTC(2026, 0, 5, 9);
    const view = await webview(undefined, undefined, start);
    // The host's clock runs an hour ahead of the page's, as a remote or WSL extension host's may.
    const hostNow = start + 3_600_000;
    const reasoning = { text: '', reasoning: 'The user wants a parser.', status: 'streaming', reasoningSince: hostNow - 40_000 } as const;
    await view.send({ ...savedConversation('c1', 'CSV parser', 'Write a CSV parser', reasoning), sentAt: hostNow });
    const status = view.page.locator('.answer .reasoning-status');
    assert.equal(await status.textContent(), 'Reasoning… 40 s', 'the host reopened the view 40 s into the reasoning');
    await view.page.clock.runFor(12_000);
    assert.equal(await status.textContent(), 'Reasoning… 52 s');

    // Hidden and shown again, the view first replays what it saved, on the page's clock: reasoning began at start − 40 s.
    // Half a second either way leaves room for the time each page takes to load.
    const reopened = await webview(await view.read('__state'), undefined, start + 20_500);
    assert.equal(await reopened.page.locator('.answer .reasoning-status').textContent(), 'Reasoning… 60 s');
  });

  it('pulses the "Reasoning…" dot only for users who have not asked for reduced motion', async () => {
    const view = await webview();
    const requestId = await ask(view);
    await view.sendAll([decision(requestId), { type: 'reasoning', requestId, text: 'Thinking.' }]);
    const animation = () => view.page.locator('.reasoning-status').evaluate((element: any) => element.ownerDocument.defaultView.getComputedStyle(element, '::before').animationName);
    assert.equal(await animation(), 'reasoning-pulse');
    await view.page.emulateMedia({ reducedMotion: 'reduce' });
    assert.equal(await animation(), 'none');
  });

  it('says in the footer why an answer was cut short', async () => {
    const view = await webview();
    const requestId = await ask(view);
    const cut = done(requestId);
    await view.sendAll([decision(requestId), { type: 'token', requestId, text: 'def add(a, b):' }, { ...cut, footer: { ...cut.footer, incomplete: "the answer was cut off at the model's output limit" } }]);
    assert.equal(await view.page.locator('.answer-footer .incomplete').textContent(), "the answer was cut off at the model's output limit");
  });

  it('says under the answer, on a line of its own, when earlier turns were left out to fit the context window', async () => {
    const view = await webview();
    const requestId = await ask(view);
    const answered = done(requestId);
    const trimmed = 'Sent the last 12 of 40 turns: the earlier ones do not fit Coder\'s context window (32,768 tokens, "contextWindow" in .omni/policies.json)';
    await view.sendAll([decision(requestId), { type: 'token', requestId, text: 'def add(a, b):' }, { ...answered, footer: { ...answered.footer, trimmed } }]);
    const note = view.page.locator('.answer-footer .trimmed');
    assert.equal(await note.textContent(), trimmed);
    const [figures, sentence] = await Promise.all([view.page.locator('.answer-footer span').first().boundingBox(), note.boundingBox()]);
    assert.ok(figures && sentence && sentence.y >= figures.y + figures.height, 'the note starts below the footer\'s figures');
  });

  it('shows errors with their hint and attempts, and setup notices in two lines', async () => {
    const view = await webview();
    await view.send({ type: 'setup', lines: ['No API key is set for Hugging Face.', "Run 'Omni: Set API Key', or start Ollama."] });
    const banner = view.page.locator('.setup-banner');
    assert.deepEqual(await banner.locator('p').allTextContents(), ['No API key is set for Hugging Face.', "Run 'Omni: Set API Key', or start Ollama."]);

    const setupId = await ask(view);
    await view.sendAll([decision(setupId), { type: 'setup', requestId: setupId, lines: ['No model is reachable.', 'Set a key or start Ollama, then retry.'] }]);
    const setupAnswer = view.page.locator('.answer').first();
    assert.equal(await setupAnswer.locator('.tag-route').textContent(), 'code-generation');
    assert.deepEqual(await setupAnswer.locator('.setup-notice p').allTextContents(), ['No model is reachable.', 'Set a key or start Ollama, then retry.']);
    assert.equal(await view.page.locator('.composer-button').textContent(), 'Send', 'a setup notice ends the request');
    assert.equal(await setupAnswer.getByText('Retry with…').count(), 1);

    const requestId = await ask(view);
    await view.sendAll([
      decision(requestId),
      { type: 'error', requestId, error: { message: 'Every model failed.', hint: 'Check the key.', attempts: [{ model: 'coder', cause: 'HTTP 401' }, { model: 'general', cause: 'connection refused' }] } },
    ]);
    const alert = view.page.locator('.answer').nth(1).getByRole('group', { name: 'Error' });
    assert.equal(await alert.locator('.error-message').textContent(), 'Every model failed.');
    assert.equal(await alert.locator('.error-hint').textContent(), 'Check the key.');
    assert.deepEqual(await alert.locator('li').allTextContents(), ['coder: HTTP 401', 'general: connection refused']);
    assert.equal(await view.page.locator('.composer-button').textContent(), 'Send');
    // Read after the route, which came at the same moment.
    assert.match(await view.page.getByRole('status').filter({ hasText: 'Answer failed' }).textContent() ?? '', /is answering\. Answer failed: Every model failed\. coder: HTTP 401; general: connection refused\.$/);

    // The order the extension sends when every attempt failed for want of a key: error, then setup.
    const both = await ask(view);
    await view.sendAll([
      decision(both),
      { type: 'error', requestId: both, error: { message: 'No model answered.', attempts: [] } },
      { type: 'setup', requestId: both, lines: ['No API key is set.', "Run 'Omni: Set API Key'."] },
    ]);
    const third = view.page.locator('.answer').nth(2);
    assert.equal(await third.locator('.error-message').textContent(), 'No model answered.');
    assert.equal(await third.locator('.setup-notice p').count(), 2);
    assert.equal(await third.locator('.retry-menu').count(), 1);

    await banner.getByRole('button', { name: 'Dismiss setup notice' }).click();
    assert.equal(await banner.isVisible(), false);
  });

  it('offers "Set API Key" for each provider whose key was missing or refused, live and when the answer is reopened', async () => {
    const view = await webview();
    const setupId = await ask(view);
    await view.sendAll([
      decision(setupId),
      { type: 'setup', requestId: setupId, lines: ['No model could answer: hf rejected the key.', 'Run "Omni: Set API Key" to store a new one.'], keyFor: ['hf'] },
    ]);
    const first = view.page.locator('.answer').first();
    await first.getByRole('button', { name: 'Set API Key for hf' }).click();
    assert.deepEqual(ofType(await view.posted(), 'setApiKey'), [{ type: 'setApiKey', provider: 'hf' }]);

    const errorId = await ask(view);
    const error = { message: 'No model could answer.', attempts: [{ model: 'coder', cause: 'hf rejected the token' }, { model: 'general', cause: 'HTTP 500' }] };
    await view.sendAll([decision(errorId), { type: 'error', requestId: errorId, error, keyFor: ['hf', 'openai'] }]);
    const second = view.page.locator('.answer').nth(1);
    assert.deepEqual(await second.locator('button.set-key').allTextContents(), ['Set API Key for hf', 'Set API Key for openai']);
    // An answer without a key problem offers none.
    const fine = await ask(view);
    await view.sendAll([decision(fine), { type: 'token', requestId: fine, text: 'ok' }, done(fine)]);
    assert.equal(await view.page.locator('.answer').nth(2).locator('button.set-key').count(), 0);

    await view.send(savedConversation('c-key', 'Keys', 'hello', { text: '', status: 'error', tag: sampleTag, error, keyFor: ['hf'] }));
    assert.deepEqual(await view.page.locator('.answer').first().locator('button.set-key').allTextContents(), ['Set API Key for hf']);
  });

  it('a model asked again after a short Retry-After says so, rather than that another model takes over', async () => {
    const view = await webview();
    const requestId = await ask(view);
    const note = { failedModel: 'Coder', cause: 'hf is rate-limiting requests (retry after 2 s)', nextModel: 'Coder', partialDiscarded: false, retryInMs: 2000 };
    await view.sendAll([decision(requestId), { type: 'fallback', requestId, note }]);
    assert.equal(await view.page.locator('.fallback-note').textContent(), 'Coder failed (hf is rate-limiting requests (retry after 2 s)); asking it again in 2.0 s');
    await view.page.getByRole('status').filter({ hasText: 'Coder failed; asking it again' }).waitFor();
  });

  it('greets an empty conversation with what to do first, and steps aside once there is one', async () => {
    const view = await webview();
    const welcome = view.page.getByRole('region', { name: 'Getting started' });
    assert.match(await welcome.textContent() ?? '', /Ctrl\+Alt\+E.*"Omni: Create Policy"/);
    assert.equal(await welcome.isVisible(), true);
    await ask(view);
    assert.equal(await welcome.isVisible(), false);
    await view.send({ type: 'conversation', conversationId: null, title: 'New chat', turns: [] });
    assert.equal(await welcome.isVisible(), true, 'New chat brings it back');
  });

  it('offers the first steps as buttons in an empty conversation: Set API Key asks which provider, Create Policy runs the command', async () => {
    const view = await webview();
    const welcome = view.page.getByRole('region', { name: 'Getting started' });
    await welcome.getByRole('button', { name: 'Set API Key' }).click();
    await welcome.getByRole('button', { name: 'Create Policy' }).click();
    // No provider: the command's own picker asks, as from the palette.
    assert.deepEqual(ofType(await view.posted(), 'setApiKey'), [{ type: 'setApiKey' }]);
    assert.deepEqual(ofType(await view.posted(), 'createPolicy'), [{ type: 'createPolicy' }]);
  });

  it('names the Explain and Refactor keys of the platform: Cmd+Alt on a Mac, where Ctrl+Alt does nothing', async () => {
    const mac = await webview(undefined, 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Code/1.100.0 Chrome/132.0.0.0 Electron/34.5.1 Safari/537.36');
    const text = await mac.page.getByRole('region', { name: 'Getting started' }).textContent();
    assert.match(text ?? '', /press ⌥⌘E to explain it \(⌥⌘R to refactor\)/);
  });

  it('keeps a policy banner through answers until the host clears it', async () => {
    const view = await webview();
    await view.send({ type: 'setup', lines: ['Policy problem: .omni/policies.json has 1 error(s).', 'Fix the errors shown in the Problems panel.'] });
    const banner = view.page.locator('.setup-banner');
    const requestId = await ask(view);
    await view.sendAll([decision(requestId), { type: 'token', requestId, text: 'Fine.' }, done(requestId)]);
    assert.equal(await banner.isVisible(), true, 'an answer does not make the problem go away');
    await view.send({ type: 'clearBanner' });
    assert.equal(await banner.isVisible(), false);
  });

  it('code block buttons and links post to the host', async () => {
    const view = await webview();
    const requestId = await ask(view);
    // Each button gets the code without the newline that ends the block's last line.
    const code = 'const answer = 42;';
    await view.sendAll([decision(requestId), { type: 'token', requestId, text: `See [docs](https://example.com/x).\n\n\`\`\`js\n${code}\n\`\`\`\n` }, done(requestId)]);
    const block = view.page.getByRole('group', { name: 'js code' });
    assert.equal(await block.locator('.code-language').textContent(), 'js');
    // A line too long for the panel scrolls sideways, from the keyboard too.
    await block.locator('pre').focus();
    assert.equal(await block.locator('pre').evaluate((pre) => pre === pre.ownerDocument.activeElement), true);
    await block.getByRole('button', { name: 'Copy code' }).click();
    await block.getByRole('button', { name: 'Insert code at cursor' }).click();
    await block.getByRole('button', { name: 'Apply code to selection' }).click();
    await view.page.locator('.markdown a').click();
    const posted = (await view.posted()).filter((message) => ['copy', 'insertAtCursor', 'applyToSelection', 'openLink'].includes(message.type));
    assert.deepEqual(posted, [
      { type: 'copy', code },
      { type: 'insertAtCursor', code },
      { type: 'applyToSelection', code },
      { type: 'openLink', href: 'https://example.com/x' },
    ]);
    assert.equal(view.page.url(), 'https://omni.test/index.html');
  });

  it('a code block cut off by Stop or a length limit offers Copy only, and says it is incomplete; finished blocks keep Apply', async () => {
    const view = await webview();
    const finished = '```js\nconst whole = 1;\n```\n';
    const half = 'function parse(line) {\n  return line.sp';
    const stopped = await ask(view);
    await view.sendAll([decision(stopped), { type: 'token', requestId: stopped, text: `${finished}\nThen:\n\n\`\`\`js\n${half}` }]);
    await frames(view.page);
    await view.send(done(stopped, true));
    const [whole, cut] = [0, 1].map((index) => view.page.locator('.answer').first().locator('.code-block').nth(index));
    assert.deepEqual(await whole.locator('button').allTextContents(), ['Copy', 'Insert', 'Apply']);
    assert.deepEqual(await cut.locator('button').allTextContents(), ['Copy']);
    assert.equal(await cut.getAttribute('aria-label'), 'js code, incomplete');
    assert.match((await cut.locator('.code-toolbar').textContent()) ?? '', /incomplete/);
    await cut.getByRole('button', { name: 'Copy code' }).click();
    assert.deepEqual(ofType(await view.posted(), 'copy'), [{ type: 'copy', code: half }]);

    // Cut off by the model's length limit, and restored from saved state: the same.
    const limited = await ask(view, 'again');
    const footer = { ...done(limited).footer, incomplete: 'cut off at the length limit' };
    await view.sendAll([decision(limited), { type: 'token', requestId: limited, text: `\`\`\`js\n${half}` }, { type: 'done', requestId: limited, stopped: false, footer }]);
    assert.deepEqual(await view.page.locator('.answer').nth(1).locator('.code-block button').allTextContents(), ['Copy']);
    // The view saves a moment after a change: wait for the saved copy of the cut answer.
    await view.page.waitForFunction(() => JSON.stringify((globalThis as unknown as { __state: unknown }).__state).includes('cut off at the length limit'));
    const reopened = await webview(await view.read('__state'));
    assert.deepEqual(await reopened.page.locator('.answer').nth(1).locator('.code-block button').allTextContents(), ['Copy']);
    assert.deepEqual(await reopened.page.locator('.answer').first().locator('.code-block').first().locator('button').allTextContents(), ['Copy', 'Insert', 'Apply']);

    // A complete answer whose last block is closed keeps every button.
    const complete = await ask(view, 'once more');
    await view.sendAll([decision(complete), { type: 'token', requestId: complete, text: finished }, done(complete)]);
    assert.deepEqual(await view.page.locator('.answer').nth(2).locator('.code-block button').allTextContents(), ['Copy', 'Insert', 'Apply']);
  });

  it('breaks no word in a narrow sidebar: table cells, inline code and code block toolbars keep whole words', async () => {
    const view = await webview();
    await view.page.setViewportSize({ width: 220, height: 800 });
    const requestId = await ask(view);
    const answer = [
      'Call `code` or `parseCsvLine` from https://example.com/a/very/long/path/that/does/not/fit/in/a/narrow/sidebar/at/all.',
      '',
      '| Left | Right | Center | Default |',
      '| :--- | ----: | :----: | ------- |',
      '| `code` | value | middle | another |',
      '',
      '```python',
      'print(1)',
      '```',
    ].join('\n');
    await view.sendAll([decision(requestId), { type: 'token', requestId, text: answer }, done(requestId)]);
    const layout = await view.page.locator('.answer .markdown').evaluate((markdown: any) => {
      const document = markdown.ownerDocument;
      // How many line boxes each element's text takes: 1 when no word in it wraps.
      const lines = (element: any) => {
        const range = document.createRange();
        range.selectNodeContents(element);
        return new Set([...range.getClientRects()].map((rect: any) => Math.round(rect.top))).size;
      };
      const table = markdown.querySelector('table');
      return {
        wrapped: [...markdown.querySelectorAll('th, td, p code, .code-language, .code-action')]
          .filter((element: any) => lines(element) > 1)
          .map((element: any) => element.textContent),
        overflows: markdown.scrollWidth > markdown.clientWidth,
        tableScrolls: table.scrollWidth > table.clientWidth && table.getBoundingClientRect().right <= markdown.getBoundingClientRect().right,
      };
    });
    assert.deepEqual(layout.wrapped, []);
    assert.equal(layout.overflows, false, 'the long URL wraps rather than widening the answer');
    assert.equal(layout.tableScrolls, true, 'the table scrolls sideways inside the answer');
  });

  it('keeps every value of the session totals and the routing details on screen in a narrow, zoomed sidebar', async () => {
    const view = await webview();
    // A 250 px sidebar at 150 % zoom leaves the page about 170 CSS pixels.
    await view.page.setViewportSize({ width: 170, height: 800 });
    const requestId = await ask(view);
    await view.sendAll([
      decision(requestId, { ...sampleTag, fallbacks: ['general', 'deepseek-r1-distill'] }),
      done(requestId),
      { type: 'sessionTotals', answers: 12, inputTokens: 123456, outputTokens: 65432, estimated: true, costUsd: 0.4321, unpriced: 0, baselineCostUsd: 2.5, savingUsd: 2.0679, baselineModel: 'Qwen2.5 Coder 32B Instruct' },
    ]);
    await view.page.getByRole('button', { name: 'Session' }).click();
    await view.page.locator('.tag-details summary').click();
    // Each term and value inside its list's box, and no value squeezed to a sliver that splits every word.
    const clipped = await view.page.locator('.totals, .tag-details dl').evaluateAll((lists) =>
      lists.flatMap((list) => {
        const box = list.getBoundingClientRect();
        return [...list.children]
          .filter((cell) => {
            const rect = cell.getBoundingClientRect();
            return rect.right > box.right + 0.5 || rect.width < 40;
          })
          .map((cell) => `${cell.tagName} "${cell.textContent}" ${Math.round(cell.getBoundingClientRect().width)} px`);
      }),
    );
    assert.deepEqual(clipped, []);
  });

  it('renders TeX as MathML in the four ways models write it, streamed or whole, and leaves prices and shell variables alone', async () => {
    const answer = [
      'Inline $e^{i\\pi} + 1 = 0$ and \\(\\sqrt{x}\\), in a sentence, over $\\mathbb{R}^\\mathbf{n}$.',
      '',
      '$$',
      '\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2}',
      '$$',
      '',
      '\\[',
      '\\int_0^1 x^2 \\, dx',
      '\\]',
      '',
      'It costs $5 or $10, and `echo $HOME` prints $HOME; this \\frac{ and arr\\[i\\] are not math.',
      '',
      'A formula on its own lines in a paragraph:',
      '\\[ a^2 + b^2 = c^2 \\]',
      'is displayed too.',
      '',
      'Broken: $\\frac{1$ stays readable.',
    ].join('\n');
    const body = await renderedBothWays(await webview(), answer, 4);
    const sources = await body.locator('annotation').allTextContents();
    assert.deepEqual(sources.map((source) => source.trim()), [
      'e^{i\\pi} + 1 = 0',
      '\\sqrt{x}',
      '\\mathbb{R}^\\mathbf{n}',
      '\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2}',
      '\\int_0^1 x^2 \\, dx',
      'a^2 + b^2 = c^2',
    ]);
    assert.equal(await body.locator('.katex-block math[display="block"]').count(), 3, 'the $$ and \\[ formulas are displayed on their own');
    assert.deepEqual(await body.locator('math').nth(2).locator('mi').allTextContents(), ['ℝ', '𝐧'], 'styled letters, which MathML Core would draw plain');
    const sizes = await body.locator('math').evaluateAll((formulas) => formulas.map((formula) => formula.getBoundingClientRect().width));
    assert.ok(sizes.every((width) => width > 5), `each formula is laid out by the browser: ${sizes}`);
    assert.equal(
      await body.locator('p', { hasText: 'It costs' }).textContent(),
      'It costs $5 or $10, and echo $HOME prints $HOME; this \\frac{ and arr[i] are not math.',
    );
    const broken = body.locator('.katex-error');
    assert.equal(await broken.textContent(), '\\frac{1', 'TeX that does not parse is shown as written');
    assert.match((await broken.getAttribute('title')) ?? '', /KaTeX parse error/, 'with the reason on hover');
  });

  it("colours TeX's \\color and \\textcolor with a named or #hex colour, but not \\colorbox, nor in high-contrast themes", async () => {
    const view = await webview();
    const requestId = await ask(view);
    const text = '$\\textcolor{red}{a} + \\textcolor{#00f}{b} + {\\color{green} c} + \\colorbox{yellow}{d} + e$';
    await view.sendAll([decision(requestId), { type: 'token', requestId, text }, done(requestId)]);
    const formula = view.page.locator('.answer math');
    const colours = () => formula.evaluate((math) =>
      Object.fromEntries([...math.querySelectorAll('mi, mtext')].map((letter) => [letter.textContent, math.ownerDocument.defaultView!.getComputedStyle(letter).color])),
    );
    const plain = await view.page.locator('.answer .markdown p').evaluate((p) => p.ownerDocument.defaultView!.getComputedStyle(p).color);
    assert.deepEqual(await colours(), { a: 'rgb(255, 0, 0)', b: 'rgb(0, 0, 255)', c: 'rgb(0, 128, 0)', d: plain, e: plain });
    assert.equal(await formula.locator('[mathbackground]').count(), 0, "\\colorbox's background is left out");
    await view.page.locator('body').evaluate((body) => body.classList.add('vscode-high-contrast'));
    assert.deepEqual(await colours(), { a: plain, b: plain, c: plain, d: plain, e: plain });
  });

  it('stretches matrix and \\left( … \\right) brackets to the height of what they enclose, also on a system without a math font', async () => {
    for (const fonts of ['system fonts', 'no math font'] as const) {
      const view = await openWebview({ fonts });
      open.push(view);
      const requestId = await ask(view);
      const text = ['$$', '\\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix} \\left( \\frac{a}{b} \\right)', '$$'].join('\n');
      await view.sendAll([decision(requestId), { type: 'token', requestId, text }, done(requestId)]);
      // A font the stylesheet loads lays the formula out again when it arrives.
      await view.page.locator('html').evaluate(async (html) => void (await html.ownerDocument.fonts.ready));
      const heights = await view.page.locator('.answer math').evaluate((formula) => ({
        brackets: [...formula.querySelectorAll('mo')].map((bracket) => bracket.getBoundingClientRect().height),
        matrix: formula.querySelector('mtable')!.getBoundingClientRect().height,
        fraction: formula.querySelector('mfrac')!.getBoundingClientRect().height,
      }));
      const [opening, closing, left, right] = heights.brackets;
      const where = `with ${fonts}: ${heights.brackets}`;
      assert.ok(opening >= 0.9 * heights.matrix && closing >= 0.9 * heights.matrix, `the matrix's brackets span its ${heights.matrix} px ${where}`);
      assert.ok(left >= 0.9 * heights.fraction && right >= 0.9 * heights.fraction, `\\left( \\right) span the ${heights.fraction} px fraction ${where}`);
    }
  });

  it('shows a link the host would not open as plain text, not as a dead link', async () => {
    const view = await webview();
    const requestId = await ask(view);
    const text = 'Run [quit](command:workbench.action.quit), read [the **readme**](./README.md) or [docs](https://example.com/docs).';
    await view.sendAll([decision(requestId), { type: 'token', requestId, text }, done(requestId)]);
    const paragraph = view.page.locator('.answer .markdown p');
    assert.equal(await paragraph.textContent(), 'Run quit, read the readme or docs.');
    assert.deepEqual(await paragraph.locator('a').evaluateAll((links) => links.map((link) => link.outerHTML)), ['<a href="https://example.com/docs">docs</a>']);
    assert.equal(await paragraph.locator('strong').textContent(), 'readme', 'the text keeps its emphasis');
    await paragraph.getByText('quit').click();
    assert.deepEqual(ofType(await view.posted(), 'openLink'), []);
  });

  it('says "Copied" on the Copy button for a moment after a click', async () => {
    const view = await webview();
    const requestId = await ask(view);
    await view.sendAll([decision(requestId), { type: 'token', requestId, text: '```py\nprint(1)\n```' }, done(requestId)]);
    const copy = view.page.getByRole('button', { name: 'Copy code' });
    // Every label the button shows, in order: read afterwards, so a slow machine cannot miss the short one.
    await copy.evaluate((button: any) => {
      const window = button.ownerDocument.defaultView;
      window.__labels = [];
      new window.MutationObserver(() => window.__labels.push(button.textContent)).observe(button, { childList: true, characterData: true, subtree: true });
    });
    await copy.click();
    assert.deepEqual(ofType(await view.posted(), 'copy'), [{ type: 'copy', code: 'print(1)' }]);
    await view.page.waitForFunction(() => (globalThis as unknown as { __labels: string[] }).__labels.length === 2);
    assert.deepEqual(await view.read('__labels'), ['Copied', 'Copy']);
    assert.equal(await copy.getAttribute('aria-label'), 'Copy code', 'the name stays; the host\'s notice is announced');
  });

  it('a routed answer can be saved as a routing example, from the keyboard too; an unrouted one cannot', async () => {
    const view = await webview();
    const routed = await ask(view, 'Explain closures');
    await view.sendAll([decision(routed), { type: 'token', requestId: routed, text: 'A closure…' }, done(routed)]);
    const unrouted = await ask(view, 'Explain closures again');
    await view.send({ type: 'error', requestId: unrouted, error: { message: 'The router could not load.', attempts: [] } });
    const [first, second] = [view.page.locator('.answer').nth(0), view.page.locator('.answer').nth(1)];
    assert.equal(await second.locator('.error-message').textContent(), 'The router could not load.');
    assert.equal(await second.getByRole('button', { name: 'Save as routing example' }).count(), 0);

    const save = first.getByRole('button', { name: 'Save as routing example' });
    await save.focus();
    await view.page.keyboard.press('Enter');
    assert.deepEqual(ofType(await view.posted(), 'saveRoutingExample'), [{ type: 'saveRoutingExample', requestId: routed }]);
  });

  it('does not retry an earlier answer while another is streaming, and shows a request another view sent', async () => {
    const view = await webview();
    await view.send({ type: 'models', models: [{ alias: 'local', displayName: 'Llama 3.2 3B', provider: 'ollama' }], chosen: null });
    const first = await ask(view, 'Explain closures');
    await view.sendAll([decision(first), { type: 'token', requestId: first, text: 'A closure…' }, done(first)]);
    await view.send({ type: 'userTurn', requestId: 'from-the-other-view', text: 'and generators?' });
    assert.deepEqual(await view.page.locator('.user-turn').allTextContents(), ['Explain closures', 'and generators?']);
    assert.equal(await view.page.locator('.composer-button').textContent(), 'Stop');
    await view.page.getByText('Retry with…').first().click();
    await view.page.locator('.retry-menu .menu-list').filter({ hasText: 'An answer is still streaming: wait for it, or stop it (Esc) first.' }).waitFor();
    assert.equal(await view.page.locator('.retry-menu .menu-item').count(), 0);
    await view.page.locator('.composer-input').fill('one more');
    await view.page.locator('.composer-input').press('Enter');
    await view.page.getByRole('status').filter({ hasText: 'still streaming' }).waitFor();
    assert.deepEqual(ofType(await view.posted(), 'retryWith'), []);
    assert.equal(ofType(await view.posted(), 'send').length, 1, 'Enter while streaming sends nothing');
  });

  it('keeps a message over the protocol limit in the box and says why, rather than sending what the host drops unanswered', async () => {
    const view = await webview();
    const input = view.page.locator('.composer-input');
    const note = view.page.locator('.composer-note');
    // A pasted log just over the limit: the host refuses such a `send`, so it would show "Routing…" for ever.
    const log = 'ERROR something failed at line 42\n'.repeat(Math.ceil(MAX_MESSAGE_CHARS / 34) + 1);
    // Put in at once, as a paste does.
    await input.evaluate((box, text) => Object.assign(box, { value: text }), log);
    await input.press('Enter');
    assert.deepEqual(ofType(await view.posted(), 'send'), [], 'nothing is sent');
    assert.equal(await view.page.locator('.user-turn').count(), 0, 'no turn waits for an answer');
    assert.equal((await input.inputValue()).length, log.length, 'the message stays in the box to be shortened');
    assert.match((await note.textContent()) ?? '', new RegExp(`^Not sent: the message has ${log.length.toLocaleString('en-US')} characters, and the chat takes at most 1,000,000\\.`));
    await view.page.getByRole('status').filter({ hasText: 'Not sent' }).waitFor();
    assert.equal(await view.page.locator('.composer-button').textContent(), 'Send');

    // Shortened, it is sent, and the note about the long one goes.
    await ask(view, log.slice(0, 1000));
    assert.equal(await note.isVisible(), false);
  });

  it('shows beside the message box why a retry or Enter did nothing while an answer streams, and what Enter does then', async () => {
    const view = await webview();
    const busy = 'An answer is still streaming: wait for it, or stop it (Esc) first.';
    const hint = view.page.locator('#composer-hint');
    const note = view.page.locator('.composer-note');
    const input = view.page.locator('.composer-input');
    await view.send({ type: 'models', models: [{ alias: 'local', displayName: 'Llama 3.2 3B', provider: 'ollama' }], chosen: null });
    const first = await ask(view, 'Explain closures');
    await view.sendAll([decision(first), { type: 'token', requestId: first, text: 'A closure…' }, done(first)]);
    assert.match((await hint.textContent()) ?? '', /^Enter to send/);
    assert.equal(await note.isVisible(), false);

    // The menu, opened while nothing streamed, still lists the models when the next answer starts.
    await view.page.getByText('Retry with…').click();
    await frames(view.page, 2);
    const second = await ask(view, 'and generators?');
    assert.match((await hint.textContent()) ?? '', /Esc stops the answer/);
    await view.page.getByRole('button', { name: 'Llama 3.2 3B ollama' }).click();
    assert.deepEqual(ofType(await view.posted(), 'retryWith'), []);
    assert.equal(await note.isVisible(), true);
    assert.equal(await note.textContent(), busy);
    await view.send(done(second));
    assert.equal(await note.isVisible(), false, 'the note goes once the answer ends');
    assert.match((await hint.textContent()) ?? '', /^Enter to send/);

    await ask(view, 'and iterators?');
    await input.fill('one more');
    await input.press('Enter');
    assert.equal(ofType(await view.posted(), 'send').length, 3, 'Enter while streaming sends nothing');
    assert.equal(await input.inputValue(), 'one more');
    assert.equal(await note.isVisible(), true);
    assert.equal(await note.textContent(), busy);
    await view.page.getByRole('status').filter({ hasText: busy }).waitFor();
  });

  it('retries with a chosen model and lets the user pick the model for new requests', async () => {
    const view = await webview();
    await view.send({
      type: 'models',
      models: [
        { alias: 'coder', displayName: 'Qwen3 Coder 480B', provider: 'huggingface' },
        { alias: 'local', displayName: 'Llama 3.2 3B', provider: 'ollama' },
      ],
      chosen: null,
    });
    const requestId = await ask(view, 'Explain closures');
    await view.sendAll([decision(requestId), { type: 'token', requestId, text: 'A closure…' }, done(requestId)]);
    await view.page.getByText('Retry with…').click();
    await view.page.getByRole('button', { name: 'Llama 3.2 3B ollama' }).click();
    const [retry] = ofType(await view.posted(), 'retryWith');
    assert.equal(retry.retryOf, requestId);
    assert.equal(retry.model, 'local');
    assert.notEqual(retry.requestId, requestId);
    assert.deepEqual(await view.page.locator('.user-turn').allTextContents(), ['Explain closures', 'Explain closures']);
    assert.equal(await view.page.locator('.answer').nth(1).locator('.tag').textContent(), 'Routing…');

    const select = view.page.getByRole('combobox', { name: 'Model for new requests' });
    assert.equal(await select.inputValue(), '');
    await select.selectOption('coder');
    await select.selectOption('');
    assert.deepEqual(ofType(await view.posted(), 'chooseModel'), [
      { type: 'chooseModel', model: 'coder' },
      { type: 'chooseModel', model: null },
    ]);
  });

  it('says how many older conversations the history list leaves out, and lists more of them on request', async () => {
    const view = await webview();
    const conversations = [0, 1, 2, 3].map((i) => ({ id: `c${i}`, title: `Chat ${i}`, updatedAt: 1_700_000_000_000 - i, turnCount: 2 }));
    await view.send({ type: 'history', conversations: conversations.slice(0, 2), activeId: 'c0', older: 123 });
    await view.page.getByRole('button', { name: 'History' }).click();
    const older = view.page.locator('#history-panel li').last();
    assert.match((await older.textContent()) ?? '', /^123 older conversations are saved but not listed\./);
    // From the keyboard: Tab from the last row's Delete button.
    await view.page.getByRole('button', { name: 'Delete conversation “Chat 1”' }).focus();
    await view.page.keyboard.press('Tab');
    await view.page.keyboard.press('Enter');
    assert.deepEqual(ofType(await view.posted(), 'showMoreHistory'), [{ type: 'showMoreHistory' }]);
    await view.send({ type: 'history', conversations, activeId: 'c0', older: 0 });
    assert.deepEqual(await view.page.locator('.history-title').allTextContents(), ['Chat 0', 'Chat 1', 'Chat 2', 'Chat 3']);
    assert.equal(await view.page.getByRole('button', { name: 'Show more' }).count(), 0);
    const focused = await view.page.evaluate(() => (globalThis as unknown as { document: any }).document.activeElement.textContent);
    assert.match(focused, /^Chat 2/, 'the keyboard goes to the first row just listed');
  });

  it('shows history and session totals one click away', async () => {
    const view = await webview();
    await view.sendAll([
      { type: 'history', conversations: [{ id: 'c1', title: 'Parse a CSV', updatedAt: Date.UTC(2025, 0, 2), turnCount: 4, latest: 'and quoted fields?', model: 'Coder' }, { id: 'c2', title: 'Fix the build', updatedAt: Date.UTC(2025, 0, 1), turnCount: 1 }], activeId: 'c1' },
      { type: 'sessionTotals', answers: 3, inputTokens: 1000, outputTokens: 500, estimated: false, costUsd: 0.01, unpriced: 0, baselineCostUsd: 0.05, savingUsd: 0.04, baselineModel: 'GPT-5' },
    ]);
    const totals = view.page.locator('#totals-panel');
    assert.equal(await totals.isVisible(), false);
    await view.page.getByRole('button', { name: 'Session' }).click();
    assert.equal(await view.page.getByRole('button', { name: 'Session' }).getAttribute('aria-expanded'), 'true');
    assert.equal(await totals.innerText(), 'Answers\n3\nTokens\n1,000 in · 500 out\nCost\n$0.0100\nBaseline (GPT-5)\n$0.0500\nSaved\n$0.0400 (80%)');
    // Some answer's tokens were estimated: the cost priced on them is an estimate too.
    await view.send({ type: 'sessionTotals', answers: 3, inputTokens: 1000, outputTokens: 500, estimated: true, costUsd: 0.01, unpriced: 0, baselineCostUsd: 0.05, savingUsd: 0.04, baselineModel: 'GPT-5' });
    assert.match(await totals.innerText(), /^Answers\n3\nTokens\n~1,000 in · ~500 out\nCost\n~\$0\.0100\n/);
    // Two answers on a model without a price: their cost is unknown, not $0, and the saving is over the priced ones.
    await view.send({ type: 'sessionTotals', answers: 3, inputTokens: 1000, outputTokens: 500, estimated: false, costUsd: 0.01, unpriced: 2, baselineCostUsd: 0.02, savingUsd: 0.01, baselineModel: 'GPT-5' });
    assert.equal(
      await totals.innerText(),
      'Answers\n3\nTokens\n1,000 in · 500 out\nCost\n$0.0100, and 2 answers on models without a price\nBaseline (GPT-5)\n$0.0200 for the 1 answer with a price\nSaved\n$0.0100 (50%)',
    );
    // A new window: nothing to compare yet, which is not a missing price.
    await view.send({ type: 'sessionTotals', answers: 0, inputTokens: 0, outputTokens: 0, estimated: false, costUsd: 0, unpriced: 0, baselineCostUsd: null, savingUsd: null, baselineModel: 'none' });
    assert.equal(await totals.innerText(), 'No answers in this window yet. Tokens, cost and the saving against the baseline model add up here.');

    await view.page.getByRole('button', { name: 'History' }).click();
    const history = view.page.locator('#history-panel');
    assert.equal(await history.locator('[aria-current="true"] .history-title').textContent(), 'Parse a CSV');
    const when = (ms: number) => new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
    assert.deepEqual(await history.locator('.history-open').evaluateAll((rows) => rows.map((row) => [...row.children].map((part) => part.textContent))), [
      ['Parse a CSV', 'Latest: and quoted fields?', `${when(Date.UTC(2025, 0, 2))} · 4 turns · Coder`],
      ['Fix the build', `${when(Date.UTC(2025, 0, 1))} · 1 turn`],
    ]);
    await history.getByText('Fix the build').click();
    // Opened: the panel closes and leaves the conversation the whole view, with the keyboard in the message box.
    assert.equal(await history.isVisible(), false);
    assert.equal(await view.page.getByRole('button', { name: 'History' }).getAttribute('aria-expanded'), 'false');
    assert.ok(await view.page.locator('.composer-input').evaluate((input) => input === input.ownerDocument.activeElement));
    await view.page.getByRole('button', { name: 'History' }).click();
    await history.getByRole('button', { name: `Delete conversation “Parse a CSV”, ${when(Date.UTC(2025, 0, 2))} · 4 turns · Coder` }).click();
    await view.page.getByRole('button', { name: 'New chat' }).click();
    const actions = (await view.posted()).filter((message) => ['openConversation', 'deleteConversation', 'newChat'].includes(message.type));
    assert.deepEqual(actions, [
      { type: 'openConversation', conversationId: 'c2' },
      { type: 'deleteConversation', conversationId: 'c1' },
      { type: 'newChat' },
    ]);

    await view.send(savedConversation('c2', 'Fix the build', 'Why does the build fail?', { text: 'Missing `tsx`.', footer: done('old-1').footer, status: 'done' }));
    assert.deepEqual(await view.page.locator('.user-turn').allTextContents(), ['Why does the build fail?']);
    assert.equal(await view.page.locator('.answer .markdown code').textContent(), 'tsx');
    assert.equal(await view.page.locator('.answer .tag-model').textContent(), 'Qwen3 Coder 480B');
  });

  it('Tab from an open History reaches the list first, and one panel at a time leaves a zoomed narrow view a readable conversation', async () => {
    const view = await webview();
    const page = view.page;
    // A 250 px sidebar at 144 % zoom (Ctrl+= twice) lays out as 174 x 533 CSS pixels.
    await page.setViewportSize({ width: 174, height: 533 });
    const conversations = Array.from({ length: 8 }, (_, i) => ({ id: `c${i}`, title: `Conversation ${i}`, updatedAt: Date.UTC(2025, 0, i + 1), turnCount: 2, model: 'Coder' }));
    await view.sendAll([
      { type: 'history', conversations, activeId: 'c0' },
      { type: 'sessionTotals', answers: 3, inputTokens: 1000, outputTokens: 500, estimated: false, costUsd: 0.01, unpriced: 0, baselineCostUsd: 0.05, savingUsd: 0.04, baselineModel: 'Qwen2.5 Coder 32B Instruct' },
    ]);
    const requestId = await ask(view);
    await view.sendAll([decision(requestId), { type: 'token', requestId, text: Array.from({ length: 40 }, (_, i) => `Line ${i}.`).join('\n\n') }, done(requestId)]);
    const session = page.getByRole('button', { name: 'Session' });
    const history = page.getByRole('button', { name: 'History', exact: true });
    await session.click();
    await history.focus();
    await page.keyboard.press('Enter');
    assert.equal(await session.getAttribute('aria-expanded'), 'false', 'opening History closes Session');
    assert.equal(await page.locator('#totals-panel').isHidden(), true);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => (globalThis as unknown as { document: any }).document.activeElement.closest('.history-item')?.dataset.conversationId), 'c0');

    const box = (selector: string) => page.locator(selector).evaluate((element) => element.getBoundingClientRect().toJSON() as { top: number; bottom: number; height: number });
    const [panel, transcript, composer] = [await box('#history-panel'), await box('.transcript'), await box('.composer')];
    const line = await page.locator('.answer .markdown p').first().evaluate((p) => p.getBoundingClientRect().height);
    assert.ok(transcript.height >= 5 * line, `the conversation shows at least five lines: ${transcript.height} px, a line ${line} px`);
    assert.ok(panel.height >= 2 * line, `the list keeps room for a row or two and scrolls: ${panel.height} px`);
    assert.ok(panel.bottom <= transcript.top + 0.5 && transcript.bottom <= composer.top + 0.5, 'nothing overlaps');
    assert.ok(await page.locator('#history-panel').evaluate((element) => element.scrollHeight > element.clientHeight), 'the list scrolls within the panel');
  });

  it('restores the transcript, panels and draft from saved state', async () => {
    const first = await webview();
    await first.send({ type: 'config', showReasoning: true });
    await first.send({ type: 'history', conversations: [{ id: 'c1', title: 'Parse a CSV', updatedAt: 0, turnCount: 2 }], activeId: 'c1' });
    const requestId = await ask(first);
    await first.sendAll([decision(requestId), { type: 'reasoning', requestId, text: 'Think first.' }, ...tokens(requestId, '## Done\n\nAll **good**.', 4), done(requestId)]);
    await first.page.locator('.composer-input').fill('unsent draft');
    const state = await first.read('__state');

    const second = await webview(state);
    assert.equal(await second.page.locator('.answer .markdown h2').textContent(), 'Done');
    assert.equal(await second.page.locator('.answer .tag-route').textContent(), 'code-generation');
    assert.equal(await second.page.locator('.answer .reasoning-text').textContent(), 'Think first.');
    assert.equal(await second.page.locator('.answer .reasoning').getAttribute('open'), '');
    assert.equal(await second.page.locator('.answer-footer span').first().textContent(), '~1,234 in · ~567 out tokens');
    assert.equal(await second.page.locator('.history-title').textContent(), 'Parse a CSV');
    assert.equal(await second.page.locator('.composer-input').inputValue(), 'unsent draft');
  });

  it('saves the draft as it is typed, so hiding the view at once loses none of it', async () => {
    const view = await webview();
    const input = view.page.locator('.composer-input');
    await input.pressSequentially('draft');
    // Nothing in between: VS Code may drop the view right after the last key.
    assert.equal(await input.evaluate((element: any) => element.ownerDocument.defaultView.__state?.draft), 'draft');
  });

  it('is keyboard operable in a sensible tab order, with labels for assistive technology', async () => {
    const view = await webview();
    const page = view.page;
    assert.ok(await page.locator('.composer-input').evaluate((element) => element === element.ownerDocument.activeElement));
    const focusedLabels: string[] = [];
    await page.locator('.model-select').focus();
    for (let i = 0; i < 7; i++) {
      await page.keyboard.press('Tab');
      focusedLabels.push(await page.evaluate(() => {
        const active = (globalThis as unknown as { document: any }).document.activeElement;
        return active.getAttribute('aria-label') ?? active.textContent;
      }));
    }
    // The empty conversation's first steps come before the message box, as they are read.
    assert.deepEqual(focusedLabels, ['New chat', 'Session', 'History', 'Set API Key', 'Create Policy', 'Message', 'Send message']);
    assert.equal(await page.getByRole('textbox', { name: 'Message' }).count(), 1);
    const requestId = await ask(view);
    await view.send(decision(requestId));
    // Streamed text is not a live region (it would be read token by token); a heading starts each exchange.
    assert.equal(await page.locator('.answer').getAttribute('aria-live'), null);
    assert.equal(await page.getByRole('heading', { name: 'You said' }).count(), 1);
    assert.match(await page.getByRole('group', { name: 'Routing decision' }).textContent() ?? '', /^Routecode-generationModelQwen3 Coder 480BProviderhuggingface/);
  });

  it('keeps the keyboard where the user is: after a retry, a deletion, New chat, and a picker that took focus', async () => {
    const view = await webview();
    const { page } = view;
    const focused = () => page.evaluate(() => {
      const active = (globalThis as unknown as { document: any }).document.activeElement;
      return active.getAttribute('aria-label') ?? active.textContent;
    });
    await view.send({ type: 'models', models: [{ alias: 'local', displayName: 'Llama 3.2 3B', provider: 'ollama' }], chosen: null });
    const first = await ask(view, 'Explain closures');
    await view.sendAll([decision(first), { type: 'token', requestId: first, text: 'A closure…' }, done(first)]);

    await page.getByText('Retry with…').focus();
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Llama 3.2 3B ollama' }).focus();
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('.retry-menu').getAttribute('open'), null, 'Escape closes the menu');
    assert.equal(await focused(), 'Retry with…');
    assert.deepEqual(ofType(await view.posted(), 'stop'), [], 'and stops nothing');
    // Tab at once, as a fast typist does: the menu's buttons are there as it opens, and stay.
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await frames(page, 2);
    assert.equal(await focused(), 'Llama 3.2 3B ollama');
    await page.keyboard.press('Enter');
    assert.equal(ofType(await view.posted(), 'retryWith').length, 1);
    assert.equal(await focused(), 'Message');
    await page.getByRole('status').filter({ hasText: 'Retrying with Llama 3.2 3B' }).waitFor();

    const conversations = [0, 1, 2].map((i) => ({ id: `c${i}`, title: `Chat ${i}`, updatedAt: 1_700_000_000_000 + i, turnCount: 2 }));
    await view.send({ type: 'history', conversations, activeId: 'c0' });
    await page.getByRole('button', { name: 'History' }).click();
    await page.getByRole('button', { name: 'Delete conversation “Chat 1”' }).click();
    assert.deepEqual(ofType(await view.posted(), 'deleteConversation').at(-1), { type: 'deleteConversation', conversationId: 'c1' });
    await view.send({ type: 'history', conversations: [conversations[0], conversations[2]], activeId: 'c0' });
    assert.match(await focused() ?? '', /^Chat 2/, 'the next row takes the place of the deleted one');
    await page.getByRole('status').filter({ hasText: 'Conversation deleted' }).waitFor();

    // Cancelled: the conversation is still listed, and the keyboard goes back to the button the user pressed.
    await page.getByRole('button', { name: 'Delete conversation “Chat 2”' }).click();
    await view.send({ type: 'history', conversations: [conversations[0], conversations[2]], activeId: 'c0' });
    assert.match(await focused() ?? '', /^Delete conversation “Chat 2”/);

    await page.getByRole('button', { name: 'New chat' }).click();
    assert.equal(await focused(), 'Message');

    // A picker takes the keyboard to the workbench and gives it back to the webview's window, not to a control.
    await page.getByRole('button', { name: 'Session' }).focus();
    await page.evaluate(() => {
      const document = (globalThis as unknown as { document: any }).document;
      document.activeElement.blur();
      document.defaultView.dispatchEvent(new document.defaultView.FocusEvent('focus'));
    });
    assert.equal(await focused(), 'Session');
  });

  it('keeps the keyboard on its row of the History list when the host sends the list again, as it does while an answer streams', async () => {
    const view = await webview();
    const { page } = view;
    const focused = () => page.evaluate(() => (globalThis as unknown as { document: any }).document.activeElement.getAttribute('aria-label') ?? (globalThis as unknown as { document: any }).document.activeElement.textContent);
    const row = (id: string, title: string, turnCount: number) => ({ id, title, updatedAt: 1_700_000_000_000 + turnCount, turnCount });
    await view.send({ type: 'history', conversations: [row('c1', 'Parse a CSV', 2), row('c2', 'Fix the build', 2)], activeId: 'c1' });
    await page.getByRole('button', { name: 'History', exact: true }).click();
    await page.locator('.history-open').nth(1).focus();
    // The active conversation was saved with a new turn: it moves, the rows are drawn anew.
    await view.send({ type: 'history', conversations: [row('c2', 'Fix the build', 2), row('c1', 'Parse a CSV', 4)], activeId: 'c1' });
    assert.match(await focused() ?? '', /^Fix the build/);
    await page.getByRole('button', { name: /^Delete conversation “Parse a CSV”/ }).focus();
    await view.send({ type: 'history', conversations: [row('c1', 'Parse a CSV', 6), row('c2', 'Fix the build', 2)], activeId: 'c1' });
    assert.match(await focused() ?? '', /^Delete conversation “Parse a CSV”/);
  });

  it('shows the focus ring on the current conversation of the History list, in the four default themes', async () => {
    for (const [theme, variables] of Object.entries(THEMES)) {
      const view = await webview();
      await useTheme(view, variables);
      const { page } = view;
      const conversations = ['c1', 'c2'].map((id, i) => ({ id, title: `Chat ${i}`, updatedAt: 1_700_000_000_000 + i, turnCount: 2 }));
      await view.send({ type: 'history', conversations, activeId: 'c1' });
      // By keyboard, as :focus-visible needs: Tab from an open History reaches the list first.
      await page.getByRole('button', { name: 'History', exact: true }).focus();
      await page.keyboard.press('Enter');
      await page.keyboard.press('Tab');
      const ring = await page.locator('.history-open[aria-current="true"]').evaluate((element: any) => {
        const document = element.ownerDocument;
        const style = document.defaultView.getComputedStyle(element);
        // The theme's focus colour as the browser resolves it, to compare like with like.
        const probe = document.createElement('i');
        probe.style.color = 'var(--vscode-focusBorder)';
        document.body.append(probe);
        const focusBorder = document.defaultView.getComputedStyle(probe).color;
        probe.remove();
        return { focused: element === document.activeElement, style: style.outlineStyle, color: style.outlineColor, focusBorder };
      });
      assert.ok(ring.focused, `${theme}: the current conversation has the keyboard`);
      assert.deepEqual({ style: ring.style, color: ring.color }, { style: 'solid', color: ring.focusBorder }, `${theme}: its focus ring`);
    }
  });

  it('Escape in the History panel closes it and goes back to its button, without stopping the answer', async () => {
    const view = await webview();
    const { page } = view;
    const focused = () => page.evaluate(() => (globalThis as unknown as { document: any }).document.activeElement.textContent);
    const requestId = await ask(view);
    await view.sendAll([
      decision(requestId),
      { type: 'token', requestId, text: 'Streaming…' },
      { type: 'history', conversations: [{ id: 'c1', title: 'Parse a CSV', updatedAt: 1_700_000_000_000, turnCount: 2 }], activeId: 'c1' },
    ]);
    const toggle = page.getByRole('button', { name: 'History', exact: true });
    await toggle.focus();
    await page.keyboard.press('Enter');
    await page.locator('.history-open').focus();
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('#history-panel').isHidden(), true, 'Escape closes the panel');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.equal(await focused(), 'History', 'the keyboard is back on its button');
    assert.deepEqual(ofType(await view.posted(), 'stop'), [], 'the streaming answer goes on');
    // Outside the panels, Escape still stops the answer, as the hint under the message box says.
    await page.keyboard.press('Escape');
    assert.deepEqual(ofType(await view.posted(), 'stop'), [{ type: 'stop', requestId }]);
  });

  it('keeps the keyboard on a Copy button or link of the part of an answer still streaming, which is drawn anew as text arrives', async () => {
    const view = await webview();
    const { page } = view;
    const focused = () => page.evaluate(() => {
      const active = (globalThis as unknown as { document: any }).document.activeElement;
      return `${active.closest('.answer') ? 'answer' : 'outside'}: ${active.getAttribute('aria-label') ?? active.textContent}`;
    });
    const requestId = await ask(view);
    // A list is one block until something after it starts: its code and links are drawn anew with every token.
    await view.sendAll([decision(requestId), { type: 'token', requestId, text: '1. Install it:\n\n   ```sh\n   pip install omni\n   ```\n2. See [the docs](https://example.com/docs) and ' }]);
    await page.getByRole('button', { name: 'Copy code' }).waitFor();
    // By keyboard, back from the link: the code (it scrolls sideways), then the code's buttons.
    await page.locator('.answer .markdown a').focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    assert.equal(await focused(), 'answer: Apply code to selection');
    await view.send({ type: 'token', requestId, text: 'run it.' });
    assert.equal(await focused(), 'answer: Apply code to selection', 'a token redraws the list');
    await page.keyboard.press('Shift+Tab');
    await view.send({ type: 'token', requestId, text: '\n3. Enjoy.' });
    assert.equal(await focused(), 'answer: Insert code at cursor', 'the next Shift+Tab went on from the same button');
    await page.locator('.answer .markdown a').focus();
    await view.sendAll([{ type: 'token', requestId, text: '\n\nThat is all.' }, done(requestId)]);
    assert.equal(await focused(), 'answer: the docs', 'the list, ended by the next paragraph, is drawn once more for good');
  });

  it('puts the keyboard on the fallback note when the partial text it was in is discarded', async () => {
    const view = await webview();
    const { page } = view;
    const focused = () => page.evaluate(() => {
      const active = (globalThis as unknown as { document: any }).document.activeElement;
      return `${active.tagName.toLowerCase()}: ${active.getAttribute('aria-label') ?? active.textContent}`;
    });
    const requestId = await ask(view);
    await view.sendAll([decision(requestId), { type: 'token', requestId, text: 'See [the docs](https://example.com/docs).\n\nThen ' }]);
    await page.locator('.answer .markdown a').focus();
    await view.send({ type: 'fallback', requestId, note: { failedModel: 'coder', cause: 'HTTP 500', nextModel: 'general', partialDiscarded: true } });
    // Before, the link went with the text and the keyboard was left on the page's body.
    assert.equal(await focused(), 'p: coder failed (HTTP 500); trying general — partial text discarded');
    await view.sendAll([{ type: 'token', requestId, text: 'Read [the guide](https://example.com/guide).' }, done(requestId)]);
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'a: the guide', 'Tab goes on into the new answer');
  });

  it('keeps the keyboard on a routing tag redrawn by a fallback or the end of its answer, and in the message box after Dismiss', async () => {
    const view = await webview();
    const { page } = view;
    const focused = () => page.evaluate(() => (globalThis as unknown as { document: any }).document.activeElement.textContent);
    const requestId = await ask(view);
    await view.send(decision(requestId));
    await page.getByRole('group', { name: 'Routing decision' }).getByText('Details').focus();
    await page.keyboard.press('Enter');
    await view.send({ type: 'fallback', requestId, note: { failedModel: 'Qwen3 Coder 480B', cause: 'HTTP 500', nextModel: 'Llama 3.3 70B', partialDiscarded: false } });
    assert.equal(await focused(), 'Details', 'a fallback redraws the tag');
    await view.send(done(requestId));
    assert.equal(await focused(), 'Details', 'the end of the answer redraws the tag');
    assert.equal(await page.locator('.tag-details').getAttribute('open'), '', 'and it stays open');

    await view.send({ type: 'setup', lines: ['.omni/policies.json was deleted.', 'Undo the deletion.'] });
    await page.getByRole('button', { name: 'Dismiss setup notice' }).focus();
    await page.keyboard.press('Enter');
    assert.equal(await page.locator('.setup-banner').isVisible(), false);
    assert.ok(await page.locator('.composer-input').evaluate((element) => element === element.ownerDocument.activeElement), 'not the page, as the hidden button left it');
  });

  it('tells screen readers that a request was sent, where it was routed and when a fallback takes over', async () => {
    const view = await webview();
    const status = view.page.getByRole('status');
    const first = await ask(view);
    await view.sendAll([decision(first), done(first)]);
    await status.filter({ hasText: 'Answer complete' }).waitFor();
    const second = await ask(view, 'and quoted fields?');
    // Before, the region still said "Answer complete" while this answer streamed.
    await status.filter({ hasText: 'Sent; routing…' }).waitFor();
    await view.send(decision(second));
    await status.filter({ hasText: 'Routed to code-generation; Qwen3 Coder 480B is answering' }).waitFor();
    await view.send({ type: 'fallback', requestId: second, note: { failedModel: 'Qwen3 Coder 480B', cause: 'HTTP 500', nextModel: 'Llama 3.3 70B', partialDiscarded: false } });
    await status.filter({ hasText: 'Qwen3 Coder 480B failed; Llama 3.3 70B is answering' }).waitFor();
    // A rejected key ends the answer with a setup notice; before, the last words read were "… is answering".
    await view.send({ type: 'setup', requestId: second, lines: ['No model could answer: fake rejected the key.', 'Run "Omni: Set API Key" to store a new one.'] });
    await status.filter({ hasText: 'No model could answer: fake rejected the key. Run "Omni: Set API Key" to store a new one.' }).waitFor();
  });

  it('reads announcements that come in quick succession together, each once', async () => {
    const view = await webview();
    const status = view.page.getByRole('status');
    const requestId = await ask(view);
    await status.filter({ hasText: 'Sent; routing…' }).waitFor();
    await status.evaluate((region) => {
      const page = globalThis as unknown as { __statusChanges: string[]; MutationObserver: any };
      page.__statusChanges = [];
      new page.MutationObserver(() => page.__statusChanges.push(region.textContent ?? '')).observe(region, { childList: true, characterData: true, subtree: true });
    });
    // A model that fails at once: the route, the fallback and the end all arrive within the region's delay.
    const note = { failedModel: 'Qwen3 Coder 480B', cause: 'HTTP 500', nextModel: 'Llama 3.3 70B', partialDiscarded: false };
    await view.sendAll([decision(requestId), { type: 'fallback', requestId, note }, { type: 'token', requestId, text: 'ok' }, done(requestId)]);
    const all = 'Routed to code-generation; Qwen3 Coder 480B is answering. Qwen3 Coder 480B failed; Llama 3.3 70B is answering. Answer complete.';
    await status.filter({ hasText: all }).waitFor();
    // Before, each replaced the last and only "Answer complete" was read.
    assert.deepEqual(await view.read('__statusChanges'), ['', all]);
    await view.send({ type: 'notice', text: 'Code copied' });
    await status.filter({ hasText: /^Code copied$/ }).waitFor();
    assert.deepEqual(await view.read('__statusChanges'), ['', all, '', 'Code copied'], 'what was read is not read again');
  });

  it('announces what the host did with a code button, every time', async () => {
    const view = await webview();
    const requestId = await ask(view);
    await view.sendAll([decision(requestId), { type: 'token', requestId, text: '```py\nprint(1)\n```' }, done(requestId)]);
    const status = view.page.getByRole('status');
    await status.filter({ hasText: 'Answer complete' }).waitFor();
    const before = await status.textContent();
    await view.page.getByRole('button', { name: 'Insert code at cursor' }).click();
    assert.equal(ofType(await view.posted(), 'insertAtCursor').length, 1);
    assert.equal(await status.textContent(), before, 'nothing is claimed before the host answers');
    await view.send({ type: 'notice', text: 'No editor is open: nothing changed' });
    await status.filter({ hasText: 'No editor is open: nothing changed' }).waitFor();
    // Every change of the region, in order: the same words again must go through an empty region to be read again.
    await status.evaluate((region) => {
      const page = globalThis as unknown as { __statusChanges: string[]; MutationObserver: any };
      page.__statusChanges = [];
      new page.MutationObserver(() => page.__statusChanges.push(region.textContent ?? '')).observe(region, { childList: true, characterData: true, subtree: true });
    });
    await view.send({ type: 'notice', text: 'No editor is open: nothing changed' });
    await status.filter({ hasText: 'No editor is open: nothing changed' }).waitFor();
    assert.deepEqual(await view.read('__statusChanges'), ['', 'No editor is open: nothing changed']);
  });
});
