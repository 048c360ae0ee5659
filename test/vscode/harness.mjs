// What the VS Code runners (extension-host suite, UI scenarios, `npm start`) share: a fresh profile and workspace per
// run, code-server (VS Code 1.100 server + web workbench) in its own process group, and headless Debian chromium.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT, SAMPLE_WORKSPACE, codeServerEntry } from './paths.mjs';

/** User settings every harness run starts from: nothing that pops up, phones home or checks for updates. */
export const HARNESS_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'security.workspace.trust.enabled': false,
  'git.openRepositoryInParentFolders': 'never', // run folders sit inside the checkout: no "open the repository?" toast
  // code-server, being VS Code for the Web, saves edits after a second by default; desktop VS Code, which we
  // support, does not. Tests of unsaved edits need them to stay unsaved.
  'files.autoSave': 'off',
};

/** Copies policies/default.json into <workspace>/.omni/policies.json when the template exists and the file does not. */
export function seedPolicies(workspace) {
  const template = join(ROOT, 'policies/default.json');
  const target = join(workspace, '.omni/policies.json');
  if (existsSync(template) && !existsSync(target)) {
    mkdirSync(join(workspace, '.omni'), { recursive: true });
    cpSync(template, target);
  }
}

/** Writes `settings` (merged over HARNESS_SETTINGS) where VS Code reads user settings: <user-data-dir>/User/settings.json. */
export function writeUserSettings(userDataDir, settings = {}) {
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(join(userDataDir, 'User/settings.json'), JSON.stringify({ ...HARNESS_SETTINGS, ...settings }, null, 2));
}

/**
 * A fresh run folder under .vscode-test/runs: a scratch copy of sample-workspace (so tests never dirty the repo and
 * concurrent runs never share state) and a user-data-dir whose settings.json holds `settings`.
 */
export function prepareRun(name, settings = {}) {
  mkdirSync(join(ROOT, '.vscode-test/runs'), { recursive: true });
  const dir = mkdtempSync(join(ROOT, `.vscode-test/runs/${name}-`));
  const workspace = join(dir, 'workspace');
  cpSync(SAMPLE_WORKSPACE, workspace, { recursive: true });
  seedPolicies(workspace);
  const userDataDir = join(dir, 'user-data');
  writeUserSettings(userDataDir, settings);
  return {
    dir, workspace, userDataDir,
    extensionsDir: join(dir, 'extensions'),
    xdgDir: join(dir, 'xdg'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

// Node skips 'exit' hooks when a signal ends the process: turn Ctrl-C and a CI time limit into an ordinary exit.
let signalsHandled = false;
function exitOnSignals() {
  if (signalsHandled) return;
  signalsHandled = true;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => process.exit(128 + constants.signals[signal]));
  }
}

function requireInstalled() {
  if (!existsSync(codeServerEntry)) throw new Error('code-server is not installed: run `node test/vscode/install.mjs`');
}

/** Installs a .vsix into `extensionsDir` with code-server's own CLI (the way a user would). */
export function installVsix(vsix, { userDataDir, extensionsDir }) {
  requireInstalled();
  const result = spawnSync(process.execPath, [codeServerEntry, '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir, '--install-extension', vsix], {
    encoding: 'utf8',
    env: { ...process.env, EXTENSIONS_GALLERY: '{}' },
    timeout: 60_000,
  });
  if (result.status !== 0) throw new Error(`installing ${vsix} failed:\n${result.stdout}${result.stderr}`);
}

/**
 * Starts code-server on 127.0.0.1 (a free port unless `port` is given) with the given folders, and `env` added to its
 * environment (the extension host inherits it). Its output goes to `logFile`. Resolves once it listens, with its
 * base URL, a `stop()` that ends its whole process group, and `exited`.
 */
export async function startCodeServer({
  workspace, userDataDir, extensionsDir, xdgDir, logFile, env = {}, port = 0, timeoutMs = 60_000, workspaceTrust = false,
}) {
  requireInstalled();
  mkdirSync(xdgDir, { recursive: true });
  const log = createWriteStream(logFile);
  const child = spawn(process.execPath, [
    codeServerEntry, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override',
    // Trust is off unless a scenario is about Restricted Mode.
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, workspace,
  ], {
    detached: true, // own process group: stop() signals -pid and reaches the extension host too
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      EXTENSIONS_GALLERY: '{}', // no lookups of a marketplace this machine cannot reach
      XDG_CONFIG_HOME: xdgDir, // code-server writes its config.yaml there, not into $HOME
      XDG_DATA_HOME: xdgDir,
      ...env,
    },
  });
  child.stdout.pipe(log, { end: false }); // two streams share one file: neither may close it
  child.stderr.pipe(log, { end: false });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  const killGroup = (signal) => { try { process.kill(-child.pid, signal); } catch { /* already gone */ } };
  // If this Node process ends without calling stop() (a crash, Ctrl-C), still leave no server behind.
  const onExit = () => killGroup('SIGKILL');
  process.on('exit', onExit);
  exitOnSignals();
  const stop = async () => {
    process.off('exit', onExit);
    killGroup('SIGTERM');
    const timer = setTimeout(() => killGroup('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
    killGroup('SIGKILL'); // anything in the group that outlived the server itself
  };

  let url;
  try {
    url = await new Promise((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`did not listen within ${timeoutMs / 1000} s`)), timeoutMs);
      const onData = (data) => {
        output += data;
        const match = /HTTP server listening on (http:\/\/\S+?)\/?\s/.exec(output);
        if (match) { clearTimeout(timer); resolve(match[1]); }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      exited.then((code) => { clearTimeout(timer); reject(new Error(`exited (${code}) before listening`)); });
    });
  } catch (error) {
    await stop();
    throw new Error(`code-server ${error.message}; see its log ${logFile}`);
  }
  return { url, stop, exited };
}

/**
 * Workbench URL that opens `workspace` and, given `extensionDevelopmentPath`, runs it as an Extension Development
 * Host (and its tests when `extensionTestsPath` is given): code-server's CLI rejects those flags, its page accepts them.
 */
export function workbenchUrl(base, { workspace, extensionDevelopmentPath, extensionTestsPath }) {
  const remote = (path) => `vscode-remote://${new URL(base).host}${path}`; // must be the page's own host:port
  const payload = [];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  const query = new URLSearchParams({ folder: workspace });
  if (payload.length > 0) query.set('payload', JSON.stringify(payload));
  return `${base}/?${query}`;
}

/** Headless Debian chromium (Playwright's own browser downloads are not reachable from here). */
export function launchChromium() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', // CI runs as root, where chromium's sandbox refuses to start
      '--disable-dev-shm-usage', // containers often have a tiny /dev/shm
      // No traffic to Google's services: the machine has no internet and must not try.
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-default-apps', '--no-first-run', '--disable-domain-reliability',
    ],
  });
}
