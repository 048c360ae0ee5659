// The extension-host test entry: VS Code requires this module and awaits `run()`, under code-server
// (test/vscode/run.mjs) and under @vscode/test-electron (test/vscode/electron.mjs) alike.
// The test files are bundled into this module, so they are imported here after mocha has defined its globals.

export async function run(): Promise<void> {
  // mocha 12 is an ES module: import() loads it on every Node the extension host may run on (require(esm) needs 20.19).
  const { default: Mocha } = await import('mocha');
  const mocha = new Mocha({
    ui: 'tdd',
    reporter: 'spec',
    color: false, // the runners read the plain `N passing` / `N failing` lines
    timeout: 20_000,
    forbidOnly: Boolean(process.env.CI),
  });
  // What mocha does before it requires each spec file: defines suite()/test() on the global object.
  mocha.suite.emit(Mocha.Suite.constants.EVENT_FILE_PRE_REQUIRE, globalThis, 'suite', mocha);
  await import('./activation.test');
  await import('./policy.test');
  await import('./selection.test');
  await import('./commands.test');
  await import('./routingExamples.test');
  await import('./saveRoutingExample.test');
  await import('./settings.test');

  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} extension-host test(s) failed`);
}
