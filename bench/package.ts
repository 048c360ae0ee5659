// Packaging benchmark: the .vsix and bundle sizes of a production build, and Omni's activation time in a real
// extension host (code-server with the .vsix installed), read from the line Omni logs when it activates.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
// @ts-expect-error: the UI harness is plain JavaScript shared with the Playwright scenarios.
import { openWorkbench } from '../test/ui/workbench.mjs';

const root = join(__dirname, '..');
const STARTS = 3;

const kib = (file: string) => statSync(join(root, file)).size / 1024;

export function benchSizes() {
  execFileSync('npm', ['run', '--silent', 'package'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const files = ['omni-router.vsix', 'dist/extension.js', 'media/webview.js', 'media/webview.css', 'dist/cli.js'];
  return Object.fromEntries(files.map((file) => [file, kib(file)]));
}

/** Activation times (ms) over `STARTS` fresh workbenches, as Omni measured them from the start of `activate()`. */
export async function benchActivation(): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < STARTS; i++) {
    const workbench = await openWorkbench({ name: `bench-activation-${i}` });
    try {
      await workbench.runCommand('Omni: Show Routing Log');
      const { lines } = await workbench.output(/Omni activated in \d+ ms/);
      const line = (lines as string[]).find((l) => /Omni activated in \d+ ms/.test(l))!;
      times.push(Number(/Omni activated in (\d+) ms/.exec(line)![1]));
    } finally {
      await workbench.close();
    }
  }
  return times;
}

async function main() {
  const sizes = benchSizes();
  console.log('production build sizes');
  for (const [file, size] of Object.entries(sizes)) console.log(`  ${file.padEnd(20)} ${size.toFixed(1)} KiB`);
  const times = await benchActivation();
  const sorted = [...times].sort((a, b) => a - b);
  console.log(`\nactivation in code-server's extension host (${STARTS} fresh starts, .vsix installed): ${times.join(', ')} ms; median ${sorted[Math.floor(sorted.length / 2)]} ms`);
  // Leave a development build behind, as the other scripts expect.
  execFileSync(process.execPath, ['esbuild.js'], { cwd: root, stdio: 'inherit' });
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
