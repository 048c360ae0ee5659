// `npm run test:electron`: the same extension-host suite under desktop VS Code through @vscode/test-electron, for
// machines that can download VS Code. This one and CI cannot; there test/vscode/run.mjs runs it in code-server.
import { runTests } from '@vscode/test-electron';
import { prepareRun } from './harness.mjs';
import { ROOT } from './paths.mjs';
import { SUITE_OUT, buildExtensionAndSuite } from './run.mjs';

await buildExtensionAndSuite();
const run = prepareRun('electron');
try {
  await runTests({
    version: '1.100.3', // the VS Code that code-server 4.100.3 carries, so both runners test the same editor
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: SUITE_OUT,
    // Same fresh profile (settings.json included) and scratch workspace as the code-server runner; only Omni loads.
    launchArgs: [run.workspace, '--user-data-dir', run.userDataDir, '--extensions-dir', run.extensionsDir,
      '--disable-extensions'],
  });
} catch (error) {
  console.error(`test:electron: ${error.message}`);
  process.exitCode = 1;
} finally {
  run.remove();
}
