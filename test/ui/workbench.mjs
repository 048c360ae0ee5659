// Black-box UI harness: Omni's packaged .vsix installed into code-server the way a user installs it, driven through
// the workbench in headless chromium with Playwright. Scenarios open one workbench each and act as a person would.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { installVsix, launchChromium, prepareRun, startCodeServer, workbenchUrl } from '../vscode/harness.mjs';
import { ARTIFACTS_DIR, ROOT } from '../vscode/paths.mjs';

export const VSIX = join(ROOT, 'omni-router.vsix'); // written by `npm run package`
export const EXTENSION_ID = 'omni-dev.omni-router';
const SCREENSHOTS = join(ARTIFACTS_DIR, 'screenshots');
const open = new Set(); // for screenshots of every open workbench when a scenario fails

/** Screenshots each open workbench as `<name>-<n>`; the UI runner calls it after a failed test. */
export async function screenshotOpenWorkbenches(name) {
  let n = 0;
  for (const workbench of open) await workbench.screenshot(`${name}-${++n}`);
}

/**
 * Opens a workbench on a scratch copy of sample-workspace with the .vsix installed. `settings` go into the user's
 * settings.json and `env` into code-server's (and so the extension host's) environment.
 */
export async function openWorkbench({ name = 'ui', settings = {}, env = {} } = {}) {
  const run = prepareRun(name, settings);
  mkdirSync(join(ARTIFACTS_DIR, 'logs'), { recursive: true });
  let server;
  let browser;
  let workbench;
  const close = async () => {
    open.delete(workbench);
    await browser?.close();
    await server?.stop();
    run.remove();
  };
  try {
    installVsix(VSIX, run);
    server = await startCodeServer({ ...run, logFile: join(ARTIFACTS_DIR, `logs/${name}-code-server.log`), env });
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(workbenchUrl(server.url, { workspace: run.workspace }));
    // The status bar appears once the workbench has restored its layout.
    await page.locator('.part.statusbar').waitFor({ timeout: 60_000 });
    workbench = new Workbench(page, close);
    open.add(workbench);
    return workbench;
  } catch (error) {
    await close();
    throw error;
  }
}

export class Workbench {
  constructor(page, close) {
    this.page = page;
    this.close = close;
  }

  /** Runs a command from the palette by its full title, e.g. 'Omni: Show Routing Log'. */
  async runCommand(title, timeoutMs = 30_000) {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    // The row whose label is exactly `title` (case-sensitive), never 'Omni: X Y' for 'Omni: X'.
    const row = this.page.locator('.quick-input-list .monaco-list-row .label-name', { hasText: exactly(title) }).first();
    // The palette lists the commands known when it opens, and the workbench shows before extensions have
    // registered theirs: reopen it until the command is there.
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.page.keyboard.press('F1');
      await input.fill(`>${title}`);
      try {
        await row.waitFor({ timeout: 2_000 });
        break;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`the command palette never offered "${title}"`, { cause: error });
        await input.press('Escape');
      }
    }
    await row.click(); // Enter would run whichever row ranks first
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /** The content frame of one of Omni's webviews (a webview is two nested iframes). */
  webview() {
    return this.page
      .frameLocator(`iframe.webview.ready[src*="extensionId=${EXTENSION_ID}"]`)
      .frameLocator('iframe#active-frame');
  }

  /** Text of the editor lines inside `scope` (default: the active editor), in line order, not DOM order.
   *  Monaco renders spaces as U+00A0, so they are turned back into spaces (Playwright's `hasText` would not match). */
  async editorLines(scope = this.page.locator('.editor-group-container.active .monaco-editor').first()) {
    const lines = await scope.locator('.view-lines .view-line').evaluateAll((nodes) =>
      nodes.map((node) => ({ top: parseFloat(node.style.top), text: node.textContent.replace(/\u00a0/g, ' ') })));
    return lines.sort((a, b) => a.top - b.top).map((line) => line.text);
  }

  /** The Output panel's selected channel and its lines, once one of them matches `pattern` (within `timeoutMs`). */
  async output(pattern, timeoutMs = 30_000) {
    const panel = this.page.locator('.part.panel');
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const lines = await this.editorLines(panel.locator('.monaco-editor').first());
      if (lines.some((line) => pattern.test(line))) {
        return { channel: await panel.locator('select.monaco-select-box:visible').inputValue(), lines };
      }
      if (Date.now() > deadline) throw new Error(`the Output panel never showed ${pattern}; it shows:\n${lines.join('\n')}`);
      await this.page.waitForTimeout(200);
    }
  }

  /** Saves a 1400×900 screenshot to .artifacts/screenshots/<name>.png for people to review, and prints its path. */
  async screenshot(name) {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const path = join(SCREENSHOTS, `${name}.png`);
    await this.page.screenshot({ path });
    console.log(`      screenshot: ${path}`);
    return path;
  }
}

/** A case-sensitive RegExp matching exactly `text` (Playwright's string `hasText` ignores case and matches parts). */
const exactly = (text) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
