// Child process for the kill test: rewrites one record as fast as it can, with a payload large enough that a
// kill often lands mid-write, until it is killed.
import { z } from 'zod';
import { JsonDirectory } from '../../../src/core/storage/jsonDirectory';

const folder = process.argv[2];
const store = new JsonDirectory(folder, z.object({ n: z.number(), payload: z.string() }));
let n = 0;
async function loop(): Promise<void> {
  for (;;) {
    n++;
    await store.put('busy', { n, payload: String(n).repeat(200_000) });
    if (n === 1) process.stdout.write('started\n');
  }
}
void loop();
