// A person runs "Omni: Show Routing Log" from the command palette and sees Omni's log in the Output panel.
import * as assert from 'node:assert/strict';
import { openWorkbench } from './workbench.mjs';

describe('Omni: Show Routing Log', function () {
  let workbench;
  before(async function () { workbench = await openWorkbench({ name: 'show-routing-log' }); });
  after(async function () { await workbench?.close(); });

  it('opens the Output panel on the "Omni" channel, which says Omni activated', async function () {
    await workbench.runCommand('Omni: Show Routing Log');
    const { channel, lines } = await workbench.output(/Omni activated/);
    await workbench.screenshot('show-routing-log');
    assert.equal(channel, 'Omni');
    assert.ok(lines.some((line) => /\[info\] Omni activated\b/.test(line)), `Output shows:\n${lines.join('\n')}`);
  });
});
