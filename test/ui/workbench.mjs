// Black-box UI harness: Omni's packaged .vsix installed into code-server the way a user installs it, driven through
// the workbench in headless chromium with Playwright. Scenarios open one workbench each and act as a person would.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
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
 * settings.json, `env` into code-server's (and so the extension host's) environment, and `files` (workspace-relative
 * path → text) into the workspace before VS Code starts, e.g. `.omni/policies.json`. `window` holds 'folder' (the
 * copy), 'empty' (no folder, as VS Code first starts) or the path of a `.code-workspace` among `files` (multi-root).
 */
export async function openWorkbench({ name = 'ui', settings = {}, env = {}, files = {}, workspaceTrust = false, window = 'folder' } = {}) {
  const run = prepareRun(name, settings);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(run.workspace, path)), { recursive: true });
    writeFileSync(join(run.workspace, path), text);
  }
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
    server = await startCodeServer({ ...run, logFile: join(ARTIFACTS_DIR, `logs/${name}-code-server.log`), env, workspaceTrust });
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const url = window === 'folder'
      ? workbenchUrl(server.url, { workspace: run.workspace })
      : window === 'empty'
        ? `${server.url}/?ew=true`
        : `${server.url}/?${new URLSearchParams({ workspace: join(run.workspace, window) })}`;
    await page.goto(url);
    // The status bar appears once the workbench has restored its layout.
    await page.locator('.part.statusbar').waitFor({ timeout: 60_000 });
    workbench = new Workbench(page, close, run);
    open.add(workbench);
    return workbench;
  } catch (error) {
    await close();
    throw error;
  }
}

export class Workbench {
  constructor(page, close, run = undefined) {
    this.page = page;
    this.close = close;
    /** The run's folders: `workspace` (the opened folder) and `userDataDir`. */
    this.run = run;
  }

  /** Writes `text` to the workspace-relative `path`, as an editor outside VS Code would. */
  writeFile(path, text) {
    const file = join(this.run.workspace, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    return file;
  }

  /**
   * Runs a command from the palette by its full title, e.g. 'Omni: Show Routing Log'. `opensQuickInput`: the command
   * shows a quick pick of its own (e.g. 'Preferences: Color Theme'), so the widget stays open.
   */
  async runCommand(title, timeoutMs = 30_000, { opensQuickInput = false } = {}) {
    await this.pickFromPalette(`>${title}`, title, `the command palette never offered "${title}"`, timeoutMs);
    if (opensQuickInput) {
      await this.page.waitForFunction(() => !document.querySelector('.quick-input-widget .quick-input-box input')?.value.startsWith('>'));
    } else {
      await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    }
  }

  /** Opens the workspace file `name` with Quick Open and waits until its editor is the active tab. */
  async openFile(name) {
    await this.pickFromPalette(name, name, `Quick Open never offered the file "${name}"`, 15_000);
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    await this.page.locator('.editor-group-container.active .tab.active .label-name', { hasText: exactly(name) }).waitFor({ timeout: 10_000 });
    await this.page.locator('.editor-group-container.active .monaco-editor .view-line').first().waitFor({ timeout: 10_000 });
  }

  /** Opens the palette (F1), types `text` and clicks the row labelled exactly `label` (case-sensitive). */
  async pickFromPalette(text, label, failure, timeoutMs) {
    const widget = this.page.locator('.quick-input-widget');
    const input = widget.locator('.quick-input-box input');
    // The row whose label is exactly `label`, never 'Omni: X Y' for 'Omni: X'.
    const row = widget.locator('.quick-input-list .monaco-list-row .label-name', { hasText: exactly(label) }).first();
    // The palette lists the commands known when it opens, and the workbench shows before extensions have registered
    // theirs; a key press can also land while focus is moving (e.g. into a webview): reopen it until the row is there.
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        await this.page.keyboard.press('F1');
        await input.waitFor({ timeout: 2_000 });
        await input.fill(text, { timeout: 2_000 });
        await row.waitFor({ timeout: 2_000 });
        break;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(failure, { cause: error });
        if (await widget.isVisible()) await input.press('Escape').catch(() => {});
      }
    }
    await row.click(); // Enter would run whichever row ranks first
  }

  /** Selects the whole lines `from`..`to` (1-based) of the active editor (Go to Line, then Shift+Down/End), as a person would. */
  async selectLines(from, to) {
    const widget = this.page.locator('.quick-input-widget');
    const input = widget.locator('.quick-input-box input');
    const status = this.page.locator('.statusbar-item[id="status.editor.selection"]');
    const cursor = async () => ((await status.textContent()) ?? '').trim();
    const waitForCursor = async (pattern, timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(await cursor())) {
        if (Date.now() > deadline) return false;
        await this.page.waitForTimeout(100);
      }
      return true;
    };
    for (let attempt = 1; ; attempt++) {
      // Go to Line is the palette with ":" (F1 reaches the workbench wherever the focus is, Ctrl+G only from the
      // editor); the status bar ("Ln 22, Col 71 (154 selected)") says where the cursor is.
      try {
        await this.page.keyboard.press('F1');
        await input.waitFor({ timeout: 2_000 });
        await input.fill(`:${from}`, { timeout: 2_000 });
        await widget.locator(`input[aria-label^="Go to line ${from}"]`).waitFor({ timeout: 2_000 });
        await input.press('Enter');
        await widget.waitFor({ state: 'hidden', timeout: 2_000 });
      } catch (error) {
        if (attempt === 3) throw new Error(`Go to Line ${from} did not work`, { cause: error });
        if (await widget.isVisible()) await input.press('Escape').catch(() => {});
        continue;
      }
      if (await waitForCursor(new RegExp(`^Ln ${from}, Col \\d+$`), 5_000)) {
        await this.page.keyboard.press('Home');
        if (!/^Ln \d+, Col 1$/.test(await cursor())) await this.page.keyboard.press('Home'); // the first stops at the indentation
        for (let line = from; line < to; line++) await this.page.keyboard.press('Shift+ArrowDown');
        await this.page.keyboard.press('Shift+End');
        if (await waitForCursor(new RegExp(`^Ln ${to}, Col \\d+ \\(\\d+ selected\\)$`), 5_000)) return;
      }
      if (attempt === 3) throw new Error(`selecting lines ${from}-${to} failed; the status bar says "${await cursor()}"`);
    }
  }

  /** Right-clicks inside the active editor's selection and picks `item` (exact label) from the context menu. */
  async contextMenu(item) {
    // The first selection highlight that has a size (Monaco keeps empty ones around).
    const boxes = await this.page.locator('.editor-group-container.active .monaco-editor .selected-text').evaluateAll((nodes) =>
      nodes.map((node) => node.getBoundingClientRect()).filter((r) => r.width > 4 && r.height > 4).map((r) => ({ x: r.x, y: r.y, width: r.width, height: r.height })));
    const box = boxes[0];
    if (!box) throw new Error('there is no selection to right-click');
    await this.page.mouse.click(box.x + Math.min(20, box.width / 2), box.y + box.height / 2, { button: 'right' });
    // A menu item's accessible name includes its keybinding ("Explain SelectionCtrl+Alt+E"): match the label.
    const entry = this.page.getByRole('menuitem').filter({ has: this.page.locator('.action-label', { hasText: exactly(item) }) });
    try {
      await entry.waitFor({ timeout: 5_000 });
    } catch (error) {
      const items = await this.page.getByRole('menuitem').allTextContents();
      throw new Error(`the editor context menu has no "${item}"; it has: ${items.filter(Boolean).join(' | ')}`, { cause: error });
    }
    await entry.hover();
    await entry.click();
    // A click right after the menu opened can be ignored (it guards against the right-click's own release).
    try {
      await entry.waitFor({ state: 'hidden', timeout: 1_500 });
    } catch {
      await this.page.keyboard.press('Enter');
      await entry.waitFor({ state: 'hidden', timeout: 5_000 });
    }
  }

  /** Picks `theme` (its label in the picker, e.g. 'Light Modern') with "Preferences: Color Theme", as a person would. */
  async setColorTheme(theme) {
    await this.runCommand('Preferences: Color Theme', 30_000, { opensQuickInput: true });
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.fill(theme);
    const row = this.page.locator('.quick-input-list .monaco-list-row', { has: this.page.locator('.label-name', { hasText: exactly(theme) }) }).first();
    await row.waitFor({ timeout: 10_000 });
    await row.click();
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /** Ticks or clears the checkbox of the boolean setting `id` in the Settings editor, as a person would, and closes it. */
  async setBooleanSetting(id, value) {
    await this.runCommand('Preferences: Open User Settings');
    const editor = this.page.locator('.settings-editor');
    await editor.locator('.settings-header textarea').first().fill(id);
    const box = editor.locator('.setting-item-bool .setting-value-checkbox').first();
    await box.waitFor({ timeout: 10_000 });
    if ((await box.getAttribute('aria-checked')) !== String(value)) await box.click();
    await editor.locator(`.setting-item-bool .setting-value-checkbox[aria-checked="${value}"]`).first().waitFor({ timeout: 10_000 });
    await this.runCommand('View: Close Editor');
  }

  /** Clears notifications and closes every editor without saving, so the next scenario starts from a clean window. */
  async tidy() {
    await this.page.keyboard.press('Escape');
    await this.runCommand('Notifications: Clear All Notifications');
    await this.runCommand('View: Close All Editors');
    // A modified editor asks whether to save: a scenario never wants its edits kept.
    const dontSave = this.page.locator('.monaco-dialog-box .monaco-button', { hasText: /^Don't Save$/ });
    const tabs = this.page.locator('.editor-group-container .tab');
    const deadline = Date.now() + 10_000;
    while ((await tabs.count()) > 0) {
      if (await dontSave.isVisible()) await dontSave.click();
      if (Date.now() > deadline) throw new Error(`"View: Close All Editors" left tabs open: ${(await tabs.allTextContents()).join(', ')}`);
      await this.page.waitForTimeout(100);
    }
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
