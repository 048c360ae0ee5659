/**
 * Loads the built chat webview (media/webview.js + media/webview.css, build first with `node esbuild.js`) into
 * headless Chromium under the production HTML shell and CSP, with a stub `acquireVsCodeApi`. Files are served from a
 * fake origin; every other request is refused and recorded, so tests can assert the page asked for nothing else.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { HostMessage, WebviewMessage } from '../../src/protocol/messages';
import { webviewHtml } from '../../src/protocol/webviewHtml';

const root = join(__dirname, '..', '..');
const origin = 'https://omni.test';
const nonce = 'harness-nonce-5f3a';

const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** What the init script adds to the page, and the window methods the harness uses, as seen through `globalThis`. */
interface HarnessGlobals {
  __posted: unknown[];
  __cspViolations: string[];
  postMessage(message: unknown, targetOrigin: string): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  requestAnimationFrame(callback: () => void): number;
}

/**
 * A stand-in for VS Code's webview API, plus a CSP violation log; runs before any page script. Written as source
 * text because tsx wraps named functions in a `__name` helper that does not exist in the page; the same helper is
 * defined here so functions the tests pass to `page.evaluate` run too.
 */
function initScript(savedState: unknown): string {
  return `
    globalThis.__name = (fn) => fn;
    window.__posted = [];
    window.__state = ${JSON.stringify(savedState ?? null)} ?? undefined;
    window.__cspViolations = [];
    window.acquireVsCodeApi = () => ({
      postMessage: (message) => window.__posted.push(message),
      getState: () => window.__state,
      setState: (state) => { window.__state = state; },
    });
    document.addEventListener('securitypolicyviolation', (event) => {
      window.__cspViolations.push(event.violatedDirective + ' ' + event.blockedURI);
    });
  `;
}

const files: Record<string, { path: string; contentType: string }> = {
  '/webview.js': { path: 'media/webview.js', contentType: 'text/javascript' },
  '/webview.css': { path: 'media/webview.css', contentType: 'text/css' },
  '/fonts/omni-math.woff2': { path: 'media/fonts/omni-math.woff2', contentType: 'font/woff2' },
  '/theme.css': { path: 'test/webview/theme.css', contentType: 'text/css' },
};

export interface Webview {
  page: Page;
  /** Delivers a message as the extension host would; resolves once the webview has handled it. */
  send(message: HostMessage): Promise<void>;
  /** Delivers messages back to back, with no frame in between; resolves once the webview has handled them all. */
  sendAll(messages: HostMessage[]): Promise<void>;
  /** The page's global `name`, e.g. what the webview last passed to `setState` (`__state`). */
  read(name: string): Promise<unknown>;
  /** Everything the webview posted to the host so far. */
  posted(): Promise<WebviewMessage[]>;
  /** Requests the page made beyond the harness's own files. */
  foreignRequests: string[];
  cspViolations(): Promise<string[]>;
  /** Uncaught errors in the page. */
  pageErrors: Error[];
  close(): Promise<void>;
}

const browsers = new Map<'system fonts' | 'no math font', Promise<Browser>>();

/**
 * A fontconfig file that hides every font file with "Math" or "math" in its path from Chromium, as on a Linux
 * system that has no math font (this machine may have some, e.g. fonts-dejavu-extra's DejaVu Math TeX Gyre).
 */
function noMathFontConfig(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'omni-fonts-')), 'fonts.conf');
  writeFileSync(file, `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <selectfont><rejectfont><glob>*Math*</glob><glob>*math*</glob></rejectfont></selectfont>
</fontconfig>
`);
  return file;
}

/** One headless Chromium per test process and kind of system, started on first use. */
export function launchBrowser(fonts: 'system fonts' | 'no math font' = 'system fonts'): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(`no Chromium at ${executablePath}: run 'apt-get install -y chromium' or set CHROMIUM_PATH`);
  }
  let browser = browsers.get(fonts);
  if (!browser) {
    const env = fonts === 'no math font' ? { ...process.env, FONTCONFIG_FILE: noMathFontConfig() } : undefined;
    browser = chromium.launch({ executablePath, args: chromiumArgs, env });
    browsers.set(fonts, browser);
  }
  return browser;
}

/** Closes the shared browsers, if any were started. */
export async function closeBrowser(): Promise<void> {
  const started = [...browsers.values()];
  browsers.clear();
  for (const browser of started) await (await browser).close();
}

/**
 * Opens the webview in a fresh page; `savedState` is what `getState()` returns, as after a reload; `userAgent` stands
 * for another platform's VS Code; `fonts: 'no math font'` for a Linux system without one; `clock`, the page's fake
 * clock's time (epoch ms) from before the webview starts.
 */
export async function openWebview(
  options: { savedState?: unknown; userAgent?: string; fonts?: 'system fonts' | 'no math font'; clock?: number } = {},
): Promise<Webview> {
  for (const { path } of Object.values(files)) {
    if (!existsSync(join(root, path))) throw new Error(`${path} is missing: build first with 'node esbuild.js'`);
  }
  const context = await (await launchBrowser(options.fonts)).newContext({ viewport: { width: 480, height: 800 }, userAgent: options.userAgent });
  const page = await context.newPage();
  const foreignRequests: string[] = [];
  const pageErrors: Error[] = [];
  page.on('pageerror', (error) => pageErrors.push(error));
  page.on('dialog', (dialog) => {
    pageErrors.push(new Error(`dialog opened: ${dialog.message()}`));
    void dialog.dismiss();
  });
  page.on('request', (request) => {
    const url = request.url();
    const path = url.startsWith(origin) ? new URL(url).pathname : undefined;
    if (path !== '/index.html' && !(path && path in files) && !url.startsWith('data:')) foreignRequests.push(url);
  });
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    const file = url.origin === origin ? files[url.pathname] : undefined;
    if (url.origin === origin && url.pathname === '/index.html') {
      const html = webviewHtml({ cspSource: origin, nonce, scriptUri: `${origin}/webview.js`, styleUri: `${origin}/webview.css` });
      await route.fulfill({ contentType: 'text/html', body: html });
    } else if (file) {
      await route.fulfill({ contentType: file.contentType, body: readFileSync(join(root, file.path)) });
    } else {
      await route.abort('blockedbyclient');
    }
  });
  await page.addInitScript({ content: initScript(options.savedState) });
  if (options.clock !== undefined) await page.clock.install({ time: options.clock });
  await page.goto(`${origin}/index.html`);
  // Theme variables and VS Code's default webview styles, as VS Code injects them: before the page's own stylesheet,
  // which wins ties. A <link>, so the CSP allows it.
  const theme = await page.addStyleTag({ url: `${origin}/theme.css` });
  await theme.evaluate((link) => link.ownerDocument.head.prepend(link));
  await page.locator('.composer-input').waitFor();

  // Messages arrive in order, so once a trailing marker arrives the webview has handled the batch. Waiting one
  // frame more lets the page render it: until then Chromium reports freshly added `content-visibility: auto`
  // segments as empty to `innerText`, which made reads right after a batch flaky.
  const sendAll = (messages: HostMessage[]) =>
    page.evaluate(
      (batch) =>
        new Promise<void>((resolve) => {
          const page = globalThis as unknown as HarnessGlobals;
          const marker = { harnessFlush: Math.random() };
          const onMessage = (event: { data: unknown }) => {
            if (event.data !== null && typeof event.data === 'object' && (event.data as typeof marker).harnessFlush === marker.harnessFlush) {
              page.removeEventListener('message', onMessage);
              page.requestAnimationFrame(() => setTimeout(resolve));
            }
          };
          page.addEventListener('message', onMessage);
          for (const message of batch) page.postMessage(message, '*');
          page.postMessage(marker, '*');
        }),
      messages,
    );
  return {
    page,
    send: (message) => sendAll([message]),
    sendAll,
    read: (name) => page.evaluate((key) => (globalThis as unknown as Record<string, unknown>)[key], name),
    posted: () => page.evaluate(() => (globalThis as unknown as HarnessGlobals).__posted as WebviewMessage[]),
    foreignRequests,
    cspViolations: () => page.evaluate(() => (globalThis as unknown as HarnessGlobals).__cspViolations),
    pageErrors,
    close: () => context.close(),
  };
}

/** Resolves after `count` animation frames in the page, so queued rendering has run. */
export function frames(page: Page, count = 2): Promise<void> {
  return page.evaluate(
    (n) =>
      new Promise<void>((resolve) => {
        const raf = (globalThis as unknown as { requestAnimationFrame(callback: () => void): void }).requestAnimationFrame;
        let left = n;
        const tick = () => (--left <= 0 ? resolve() : raf(tick));
        raf(tick);
      }),
    count,
  );
}
