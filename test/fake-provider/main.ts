// Runs the fake provider as its own process (for the VS Code end-to-end tests):
//   node --import tsx test/fake-provider/main.ts --port 0 --behaviours file.json
// and prints `listening http://127.0.0.1:PORT` once it accepts requests.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { behavioursFileSchema } from './behaviours';
import { startFakeProvider } from './server';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '0' }, behaviours: { type: 'string' } } });
  const behaviours = values.behaviours ? behavioursFileSchema.parse(JSON.parse(readFileSync(values.behaviours, 'utf8'))) : {};
  const provider = await startFakeProvider({ port: Number(values.port), behaviours });
  console.log(`listening ${provider.url}`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void provider.close().then(() => process.exit(0)));
  }
}

main().catch((error: unknown) => {
  console.error(`fake-provider: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
