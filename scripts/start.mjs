// `npm start`: builds Omni and opens it in a real VS Code on sample-workspace/, as an Extension Development Host.
// Desktop VS Code when a `code` command exists; otherwise code-server on 127.0.0.1 (installed by
// test/vscode/install.mjs), whose URL is printed, running until Ctrl-C. PORT picks the port (default: a free one).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { seedPolicies, startCodeServer, workbenchUrl, writeUserSettings } from '../test/vscode/harness.mjs';
import { ARTIFACTS_DIR, ROOT, SAMPLE_WORKSPACE } from '../test/vscode/paths.mjs';

execFileSync(process.execPath, ['esbuild.js'], { cwd: ROOT, stdio: 'inherit' });
seedPolicies(SAMPLE_WORKSPACE);

if (spawnSync('sh', ['-c', 'command -v code'], { stdio: 'ignore' }).status === 0) {
  const code = spawn('code', [`--extensionDevelopmentPath=${ROOT}`, SAMPLE_WORKSPACE], { stdio: 'inherit' });
  code.on('exit', (status) => process.exit(status ?? 1));
} else {
  execFileSync(process.execPath, [join(ROOT, 'test/vscode/install.mjs')], { stdio: 'inherit' });
  // One profile kept across starts, so settings a person changes (e.g. Omni's provider) are still there next time.
  const dir = join(ROOT, '.vscode-test/start');
  const userDataDir = join(dir, 'user-data');
  if (!existsSync(join(userDataDir, 'User/settings.json'))) writeUserSettings(userDataDir);
  mkdirSync(join(ARTIFACTS_DIR, 'logs'), { recursive: true });
  const logFile = join(ARTIFACTS_DIR, 'logs/start-code-server.log');
  const server = await startCodeServer({
    workspace: SAMPLE_WORKSPACE,
    userDataDir,
    extensionsDir: join(dir, 'extensions'),
    xdgDir: join(dir, 'xdg'),
    logFile,
    port: Number(process.env.PORT ?? 0),
  });
  const url = workbenchUrl(server.url, { workspace: SAMPLE_WORKSPACE, extensionDevelopmentPath: ROOT });
  console.log(`\nOmni is running in code-server. Open this URL (it loads Omni from ${ROOT}):\n\n  ${url}\n`);
  console.log(`code-server's log: ${logFile}\nPress Ctrl-C to stop.`);
  // Ctrl-C ends this process; the harness's exit hook then stops code-server's whole process group.
  const status = await server.exited;
  console.error(`code-server stopped on its own (${status}); see ${logFile}`);
  process.exit(1);
}
