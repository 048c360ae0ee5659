import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { build } from 'esbuild';
import { closeBrowser, frames, openWebview } from './harness';
import { decision, done, sampleTag, tokens } from './messages';

after(closeBrowser);

// Each payload tries to run script (setting window.__pwned), load something remote, or restyle the page.
const hostileAnswer = [
  'Raw HTML is off: <script>window.__pwned = "script"</script>',
  '<img src="https://evil.test/onerror.png" onerror="window.__pwned = \'img\'">',
  '<svg onload="window.__pwned = \'svg\'"><script>window.__pwned = "svg-script"</script></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror="window.__pwned = \'mathml\'">',
  '<style>body { display: none } @import url(https://evil.test/x.css);</style>',
  '<div style="background: url(https://evil.test/bg.png)">styled</div>',
  '<iframe src="https://evil.test/frame"></iframe><object data="https://evil.test/o"></object>',
  '<meta http-equiv="refresh" content="0;url=https://evil.test/"><base href="https://evil.test/">',
  '<link rel="stylesheet" href="https://evil.test/link.css">',
  '',
  '[js link](javascript:window.__pwned=\'link\') [JS upper](JAVASCRIPT:window.__pwned=1) [tabbed](jav\tascript:alert(1))',
  '[entity](&#106;avascript:alert(1)) [vbscript](vbscript:msgbox(1)) [data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[file](file:///etc/passwd) [command](command:workbench.action.quit) <javascript:alert(1)>',
  '',
  '![remote](https://evil.test/pixel.png) ![protocol-relative](//evil.test/p.png) ![http](http://evil.test/h.png "t")',
  '![svg data](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIi8+) ![ref][pic]',
  '',
  '[pic]: https://evil.test/ref.png',
  '',
  '```js" onmouseover="window.__pwned=\'fence\'',
  'alert("inside a fence is just text")',
  '```',
  '',
  '| a | b |',
  '| :-: | --: |',
  '| <img src=x onerror=alert(1)> | ok |',
  '',
  'Inline ![ok](data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==) image.',
  '[safe](https://example.com/docs)',
].join('\n');

describe('hostile model output', () => {
  it('executes nothing, loads nothing, and injects no styles', async () => {
    const view = await openWebview();
    try {
      const page = view.page;
      await page.locator('.composer-input').fill('show me');
      await page.locator('.composer-input').press('Enter');
      const send = (await view.posted()).find((message) => message.type === 'send');
      assert.ok(send?.type === 'send');
      const { requestId } = send;
      // Odd chunk sizes split tags, attributes and URLs across tokens.
      const messages = tokens(requestId, hostileAnswer, 7);
      await view.send(decision(requestId));
      for (let i = 0; i < messages.length; i += 11) {
        await view.sendAll(messages.slice(i, i + 11));
        await frames(page, 1);
      }
      await view.send(done(requestId));
      // Give any would-be image load, script or refresh time to happen, and hover everything.
      for (const element of await page.locator('.markdown :is(a, img, td, code)').all()) await element.hover({ force: true, timeout: 1000 });
      await page.waitForTimeout(300);

      const body = page.locator('.answer .markdown');
      assert.equal(await view.read('__pwned'), undefined);
      assert.deepEqual(view.pageErrors.map(String), []);
      assert.deepEqual(view.foreignRequests, []);
      assert.deepEqual(await view.cspViolations(), []);
      assert.equal(page.url(), 'https://omni.test/index.html');

      const report = await body.evaluate((root) => {
        const elements = [...root.querySelectorAll('*')] as any[];
        return {
          // The only <div>s and <button>s are the segments and code block chrome this webview adds itself.
          tags: [...new Set(elements.filter((element) => !element.closest('.code-toolbar') && !element.matches('.code-block, .md-segment')).map((element) => element.localName))].sort(),
          handlerOrStyleAttributes: elements.flatMap((element) =>
            [...element.attributes].map((attribute: any) => attribute.name).filter((name: string) => name.startsWith('on') || name === 'style'),
          ),
          hrefs: elements.filter((element) => element.hasAttribute('href')).map((element) => element.getAttribute('href')),
          imageSources: elements.filter((element) => element.localName === 'img').map((element) => element.getAttribute('src').slice(0, 22)),
          styleSheets: root.ownerDocument.styleSheets.length,
          text: root.textContent,
        };
      });
      assert.deepEqual(report.tags, ['a', 'code', 'img', 'p', 'pre', 'table', 'tbody', 'td', 'th', 'thead', 'tr']);
      assert.deepEqual(report.handlerOrStyleAttributes, []);
      // URLs quoted in the (escaped) raw HTML are linkified too; every link left is plain http(s).
      assert.ok(report.hrefs.includes('https://example.com/docs'));
      for (const href of report.hrefs) assert.match(href, /^https:\/\/[^\s"'<>]+$/);
      assert.deepEqual(report.imageSources, ['data:image/png;base64,']);
      assert.equal(report.styleSheets, 2, 'only webview.css and the harness theme');
      // Raw HTML is shown as text, blocked images as their alt text.
      assert.ok(report.text.includes('<script>window.__pwned = "script"</script>'));
      assert.ok(report.text.includes('[image: remote]'));
      assert.equal(await body.locator('.code-block .code-language').first().textContent(), 'js"');

      await body.getByText('js link').click();
      await body.getByText('safe').click();
      const links = (await view.posted()).filter((message) => message.type === 'openLink');
      assert.deepEqual(links, [{ type: 'openLink', href: 'https://example.com/docs' }]);
      assert.equal(await view.read('__pwned'), undefined);
    } finally {
      await view.close();
    }
  });

  it('sanitizer alone strips raw hostile HTML, in case markdown ever lets some through', async () => {
    // Bundle sanitize.ts on its own and run it in the webview page, under the same CSP.
    const bundle = await build({
      stdin: {
        contents: "import { sanitizeToFragment } from './sanitize'; (globalThis as any).__sanitize = (html: string) => { const box = document.createElement('div'); box.append(sanitizeToFragment(html)); return box.innerHTML; };",
        resolveDir: 'src/webview',
        loader: 'ts',
      },
      bundle: true,
      format: 'iife',
      write: false,
      logLevel: 'silent',
    });
    const view = await openWebview();
    try {
      await view.page.evaluate(bundle.outputFiles[0].text);
      const payloads = [
        '<img src=x onerror="window.__pwned=1">',
        '<img src="https://evil.test/a.png" alt="pic">',
        '<img srcset="https://evil.test/b.png 2x" src="data:image/png;base64,AAAA">',
        '<svg><script>window.__pwned=2</script><a xlink:href="javascript:alert(1)">x</a></svg>',
        '<math><mtext><table><mglyph><style><img src=x onerror="window.__pwned=3">',
        '<a href="javascript:window.__pwned=4">js</a><a href="  JaVaScRiPt:alert(1)">js2</a><a href="https://ok.test/">ok</a>',
        '<form><button formaction="javascript:alert(1)">b</button></form><input onfocus="alert(1)" autofocus>',
        '<p style="background:url(https://evil.test/s.png)">styled</p><style>*{color:red}</style>',
        '<iframe srcdoc="<script>parent.__pwned=5</script>"></iframe><object data="https://evil.test/o"></object>',
        '<details open ontoggle="window.__pwned=6"><summary>x</summary></details>',
        '<noscript><p title="</noscript><img src=x onerror=window.__pwned=7>">',
        '<template><img src=x onerror="window.__pwned=8"></template>',
        '<a href="https://ok.test/" data-code-action="copy" aria-label="fake" id="transcript" name="body">clobber</a>',
        // MathML is let through for formulas: not its links, its HTML islands, or its other ways to run script.
        '<math href="javascript:window.__pwned=9"><mrow href="https://evil.test/m"><mi>x</mi></mrow></math>',
        '<math><annotation-xml encoding="text/html"><img src=x onerror="window.__pwned=10"></annotation-xml></math>',
        '<math><maction actiontype="statusline"><mi xlink:href="javascript:alert(1)">x</mi></maction><mtext><style>*{color:red}</style></mtext></math>',
        '<math><semantics><mi mathcolor="red" mathbackground="url(https://evil.test/bg)">y</mi></semantics></math>',
        // A colour only as a name or #hex.
        '<math><mi mathcolor="url(https://evil.test/c)">c</mi><mi mathcolor="red;background:url(https://evil.test/d)">d</mi></math>',
        '<math><mi mathcolor="expression(alert(1))">e</mi><mi mathcolor="var(--vscode-foreground)">f</mi><mi mathcolor="#12345">g</mi></math>',
      ];
      const cleaned = await view.page.evaluate((inputs) => inputs.map((html) => (globalThis as unknown as { __sanitize(html: string): string }).__sanitize(html)), payloads);
      await frames(view.page, 3);
      await view.page.waitForTimeout(200);
      const all = cleaned.join('\n');
      assert.doesNotMatch(all, /<(script|svg|mglyph|maction|annotation-xml|style|iframe|object|form|input|button|details|template|noscript)\b/i);
      assert.doesNotMatch(all, /\s(mathbackground|xlink:href)=/i);
      assert.deepEqual(all.match(/\smathcolor="[^"]*"/gi), [' mathcolor="red"']);
      assert.match(all, /<math><mrow><mi>x<\/mi><\/mrow><\/math>/, 'a formula keeps its MathML, without its links');
      assert.doesNotMatch(all, /\s(on\w+|style|srcset|formaction|data-[\w-]+|aria-[\w-]+|id|name)=/i);
      assert.doesNotMatch(all, /javascript:|evil\.test/i);
      assert.match(all, /<a href="https:\/\/ok\.test\/">ok<\/a>/);
      assert.match(all, /\[image: pic\]/);
      assert.equal(await view.read('__pwned'), undefined);
      assert.deepEqual(view.foreignRequests, []);
      // Chromium checks inline handlers and <style> against the CSP while DOMPurify parses its inert copy, and
      // reports them blocked; nothing remote was even attempted.
      for (const violation of await view.cspViolations()) assert.match(violation, / inline$/);
    } finally {
      await view.close();
    }
  });

  it('shows hostile text in tags, prompts, errors and history as plain text', async () => {
    const view = await openWebview();
    try {
      const evil = '<img src=https://evil.test/x.png onerror="window.__pwned=1"><b>bold</b>';
      await view.sendAll([
        { type: 'userTurn', requestId: 'h1', text: evil },
        decision('h1', { ...sampleTag, route: evil, modelDisplayName: evil, reason: evil }),
        { type: 'fallback', requestId: 'h1', note: { failedModel: evil, cause: evil, nextModel: evil, partialDiscarded: false } },
        { type: 'error', requestId: 'h1', error: { message: evil, hint: evil, attempts: [{ model: evil, cause: evil }] } },
        { type: 'setup', lines: [evil, evil] },
        { type: 'history', conversations: [{ id: 'c1', title: evil, updatedAt: 0, turnCount: 1 }], activeId: null },
        { type: 'models', models: [{ alias: 'x', displayName: evil, provider: evil }], chosen: null },
      ]);
      await frames(view.page);
      assert.equal(await view.page.locator('body img, body b').count(), 0);
      assert.equal(await view.page.locator('.user-turn').textContent(), evil);
      assert.equal(await view.page.locator('.tag-reason').textContent(), evil);
      assert.equal(await view.read('__pwned'), undefined);
      assert.deepEqual(view.foreignRequests, []);
      assert.deepEqual(await view.cspViolations(), []);
    } finally {
      await view.close();
    }
  });

  it('drops messages that do not fit the protocol', async () => {
    const view = await openWebview();
    try {
      await view.page.evaluate(() => {
        const page = globalThis as unknown as { postMessage(message: unknown, origin: string): void };
        page.postMessage({ type: 'userTurn', requestId: 'p1', text: 'hi' }, '*');
        page.postMessage({ type: 'token', requestId: 'p1', text: 42 }, '*');
        page.postMessage({ type: 'token', requestId: 'p1', html: '<img src=x onerror=alert(1)>' }, '*');
        page.postMessage({ type: 'eval', code: 'window.__pwned = 1' }, '*');
        page.postMessage({ type: 'token', requestId: 'p1', text: 'valid' }, '*');
      });
      await view.send(done('p1'));
      assert.equal(await view.page.locator('.answer .markdown').innerText(), 'valid');
      assert.deepEqual(view.pageErrors.map(String), []);
    } finally {
      await view.close();
    }
  });
});
