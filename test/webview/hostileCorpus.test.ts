import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { closeBrowser, frames, openWebview } from './harness';
import { hostileCorpus } from './hostileCorpus';
import { decision, done, tokensInto } from './messages';

after(closeBrowser);

/** How long a page may take to answer a trivial evaluation after an answer: it must stay responsive. */
const RESPONSIVE_WITHIN_MS = 2_000;

describe(`hostile corpus (${hostileCorpus.length} answers) streamed into the chat webview`, () => {
  it('has at least 50 answers', () => {
    assert.ok(hostileCorpus.length >= 50);
  });

  it('runs no script, sends no request, violates no CSP rule, and stays responsive', { timeout: 600_000 }, async () => {
    const view = await openWebview();
    try {
      const { page } = view;
      for (const [i, { name, answer }] of hostileCorpus.entries()) {
        const requestId = `hostile-${i}`;
        await view.sendAll([{ type: 'userTurn', requestId, text: name }, decision(requestId)]);
        // Odd chunk counts split tags, attributes, entities and URLs across tokens.
        const chunks = tokensInto(requestId, answer, Math.min(answer.length, 2_000));
        for (let c = 0; c < chunks.length; c += 50) {
          await view.sendAll(chunks.slice(c, c + 50));
          await frames(page, 1);
        }
        await view.send(done(requestId));
        await frames(page, 2);
        const started = Date.now();
        await page.evaluate(() => 1);
        assert.ok(Date.now() - started < RESPONSIVE_WITHIN_MS, `${name}: the page did not answer within ${RESPONSIVE_WITHIN_MS} ms`);
        assert.equal(await view.read('__pwned'), undefined, `${name}: script ran`);
      }
      // Hover and click every link and image: handlers or navigation would fire now.
      for (const element of await page.locator('.markdown :is(a, img)').all()) await element.hover({ force: true, timeout: 1000 }).catch(() => {});
      await page.waitForTimeout(300);
      assert.equal(await view.read('__pwned'), undefined);
      assert.deepEqual(view.pageErrors.map(String), []);
      assert.deepEqual(view.foreignRequests, []);
      assert.deepEqual(await view.cspViolations(), []);
      assert.equal(page.url(), 'https://omni.test/index.html');
      // Still usable: typing and Enter send a message.
      await page.locator('.composer-input').fill('still there?');
      await page.locator('.composer-input').press('Enter');
      assert.ok((await view.posted()).some((m) => m.type === 'send' && m.text === 'still there?'));
    } finally {
      await view.close();
    }
  });
});
