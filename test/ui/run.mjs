// Runs the black-box UI scenarios (test/ui/*.test.mjs) with mocha: packages Omni into omni-router.vsix first, so
// the scenarios test what users install. `npm test` runs this as its `ui` stage; it prints `N passing`/`N failing`.
// `node test/ui/run.mjs test/ui/some.test.mjs` runs only the scenario files given.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import { ROOT } from '../vscode/paths.mjs';
import { screenshotOpenWorkbenches } from './workbench.mjs';

const TIME_LIMIT_MS = 5 * 60_000;
const started = Date.now();

// Hanging in a browser must fail the stage, not CI: the harness's exit hooks stop code-server and chromium.
let running; // the scenario under way, for the time-limit message
setTimeout(() => {
  console.error(`ui: the scenarios did not finish within ${TIME_LIMIT_MS / 1000} s${running ? `; stuck in "${running}"` : ''}`);
  console.log('\n  0 passing\n  1 failing'); // what `npm test` counts: the stage ended without mocha's summary
  process.exit(1);
}, TIME_LIMIT_MS).unref();

try {
  execFileSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
} catch {
  console.error('ui: `npm run package` failed (its errors are above), so there is no .vsix to test');
  process.exit(1);
}

const mocha = new Mocha({
  ui: 'bdd',
  reporter: 'spec',
  color: false, // `npm test` reads the plain `N passing` / `N failing` lines
  timeout: 60_000,
  forbidOnly: Boolean(process.env.CI),
  grep: process.env.UI_GREP, // e.g. UI_GREP='Refactor' runs only the scenarios whose title matches
  rootHooks: {
    beforeEach() {
      running = this.currentTest?.fullTitle();
    },
    // What the screen looked like when a scenario failed is usually the fastest way to see why.
    async afterEach() {
      if (this.currentTest?.state === 'failed') {
        await screenshotOpenWorkbenches(`failed-${this.currentTest.fullTitle().replace(/\W+/g, '-').toLowerCase()}`);
      }
    },
  },
});
const only = process.argv.slice(2);
const dir = join(ROOT, 'test/ui');
const files = only.length > 0 ? only : readdirSync(dir).filter((f) => f.endsWith('.test.mjs')).sort().map((f) => join(dir, f));
files.forEach((file) => mocha.addFile(file));
await mocha.loadFilesAsync();
const failures = await new Promise((resolve) => mocha.run(resolve));
console.log(`ui scenarios took ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(failures > 0 ? 1 : 0);
