// `npm run bench`: every benchmark in turn, each printing its own figures. Figures, not pass/fail:
// speed and memory targets live here, never in timed tests.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const benches = ['bench/router.ts', 'bench/engine.ts', 'bench/faults.ts', 'bench/package.ts', 'bench/webview-render.ts', 'bench/history.ts'];
const only = process.argv.slice(2);
let failed = 0;
for (const bench of benches.filter((b) => existsSync(`${root}/${b}`) && (only.length === 0 || only.some((o) => b.includes(o))))) {
  console.log(`\n### ${bench}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', bench], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
