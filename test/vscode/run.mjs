// Runs the extension-host suite (test/vscode/suite) inside code-server: builds Omni and the suite, starts a fresh
// code-server, opens the workbench in headless chromium with the Extension Development Host `payload`, streams
// mocha's report to stdout and exits with the suite's code. `npm test` runs this as its `vscode` stage.
//
// runExtensionTests({ settings, env }) is the API for scenarios that need more: `settings` go into the user's
// settings.json (the same file a person edits), `env` into the extension host's environment.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import * as esbuild from 'esbuild';
import { launchChromium, prepareRun, startCodeServer, workbenchUrl } from './harness.mjs';
import { FAKE_KEY } from './fakeKey.mjs';
import { ARTIFACTS_DIR, ROOT } from './paths.mjs';

export const SUITE_OUT = join(ROOT, 'out/test/vscode/suite/index.js');

/** Builds Omni (esbuild.js) and bundles the suite; `vscode` comes from the extension host, mocha from node_modules. */
export async function buildExtensionAndSuite() {
  execFileSync(process.execPath, ['esbuild.js'], { cwd: ROOT, stdio: 'inherit' });
  await esbuild.build({
    entryPoints: [join(ROOT, 'test/vscode/suite/index.ts')],
    outfile: SUITE_OUT,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
}

/** Resolves with the suite's exit code; rejects with a clear message if anything takes longer than `timeoutMs`. */
export async function runExtensionTests({ settings = {}, env = {}, timeoutMs = 5 * 60_000 } = {}) {
  const started = Date.now();
  await buildExtensionAndSuite();
  const run = prepareRun('extension-tests', settings);
  mkdirSync(join(ARTIFACTS_DIR, 'logs'), { recursive: true });
  const logFile = join(ARTIFACTS_DIR, 'logs/extension-tests-code-server.log');

  let server;
  let browser;
  let timer;
  try {
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the suite did not finish within ${timeoutMs / 1000} s`)), timeoutMs);
    });
    const finished = (async () => {
      server = await startCodeServer({ ...run, logFile, env });
      browser = await launchChromium();
      const page = await browser.newPage();
      // Both must exist before the workbench loads: it calls them while it runs the tests.
      const exitCode = new Promise((resolve) => page.exposeFunction('codeAutomationExit', (code) => resolve(code)));
      // The run's log, the extension host's console (mocha's report) included, as console.log-style arguments.
      await page.exposeFunction('codeAutomationLog', (_level, args) => process.stdout.write(`${format(...args)}\n`));
      await page.goto(workbenchUrl(server.url, {
        workspace: run.workspace,
        extensionDevelopmentPath: ROOT,
        extensionTestsPath: SUITE_OUT,
      }));
      return Promise.race([
        exitCode,
        server.exited.then((code) => { throw new Error(`code-server exited (${code}) during the tests`); }),
      ]);
    })();
    const code = await Promise.race([finished, timeout]);
    console.log(`extension-host suite exited with ${code} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    await browser.close();
    await server.stop();
    const leaks = filesContaining(run.dir, FAKE_KEY);
    // Reported like a mocha test, so the total that `npm test` prints counts it.
    if (leaks.length > 0) {
      console.log(`  ✖ the suite's API key was written to:\n${leaks.map((file) => `      ${file}`).join('\n')}\n  1 failing`);
      return 1;
    }
    console.log('  ✔ the API key appears in no file the run left (logs, settings, conversations, workspace)\n  1 passing');
    return code;
  } catch (error) {
    throw new Error(`${error.message} (code-server's log: ${logFile})`);
  } finally {
    clearTimeout(timer);
    await browser?.close();
    await server?.stop();
    run.remove();
  }
}

/** Every file under `dir` whose bytes contain `secret` (SecretStorage encrypts, so a plain match is a leak). */
function filesContaining(dir, secret) {
  const needle = Buffer.from(secret);
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name))
    .filter((file) => readFileSync(file).includes(needle));
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    process.exit(await runExtensionTests());
  } catch (error) {
    console.error(`vscode: ${error.message}`);
    process.exit(1);
  }
}
