// `npm test`: every stage in order (unit tests, the extension-host suite and the UI scenarios inside code-server),
// each stage's own output streamed through, then one closing line `N passed, N failed` over all of them.
import { spawn } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const stages = [
  { name: 'build', cmd: ['node', 'esbuild.js'] },
  { name: 'typecheck', cmd: ['npx', 'tsc', '-p', '.', '--noEmit'] },
  // Idempotent: installs chromium, fonts, openssl and code-server only when missing, so `npm test` works on a fresh
  // machine; before the unit stage, whose webview tests drive chromium and one of which runs openssl.
  { name: 'install', cmd: ['node', 'test/vscode/install.mjs'] },
  { name: 'unit', cmd: ['node', 'test/run-unit.mjs'] },
  { name: 'vscode', cmd: ['node', 'test/vscode/run.mjs'] },
  { name: 'ui', cmd: ['node', 'test/ui/run.mjs'] },
];

/** Reads pass/fail counts from Node's test runner (`ℹ pass N`) or mocha (`N passing`). */
function counts(output) {
  const pick = (re) => [...output.matchAll(re)].reduce((sum, m) => sum + Number(m[1]), 0);
  return {
    passed: pick(/^ℹ pass (\d+)$/gm) + pick(/^\s*(\d+) passing\b/gm),
    failed: pick(/^ℹ fail (\d+)$/gm) + pick(/^\s*(\d+) failing\b/gm),
  };
}

function run(stage) {
  return new Promise((resolve) => {
    const child = spawn(stage.cmd[0], stage.cmd.slice(1), { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => { output += d; process.stdout.write(d); });
    child.stderr.on('data', (d) => { output += d; process.stderr.write(d); });
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

let passed = 0;
let failed = 0;
const broken = [];
for (const stage of stages) {
  console.log(`\n=== ${stage.name}: ${stage.cmd.join(' ')}`);
  const { code, output } = await run(stage);
  const c = counts(output);
  passed += c.passed;
  failed += c.failed;
  if (code !== 0) {
    broken.push(stage.name);
    // A stage that crashed before reporting counts as one failure, so the total never hides it.
    if (c.failed === 0) failed += 1;
  }
}
if (broken.length > 0) console.log(`\nstages that failed: ${broken.join(', ')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(broken.length > 0 ? 1 : 0);
