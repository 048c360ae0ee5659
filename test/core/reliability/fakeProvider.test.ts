// The fake provider is the yardstick of the reliability tests, so its own resource use must not grow with an answer's
// length: a long slow stream is exactly what those tests send.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import OpenAI from 'openai';
import { startFakeProvider } from '../../fake-provider/server';

test('a slow stream of many chunks does not pile up abort listeners on the server (no MaxListenersExceededWarning)', async () => {
  const fake = await startFakeProvider({ behaviours: { slow: { text: 'x'.repeat(40), chunks: 40, chunkDelayMs: 1 } } });
  const warnings: string[] = [];
  const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
  process.on('warning', onWarning);
  try {
    const client = new OpenAI({ baseURL: fake.baseURL, apiKey: 'unused', maxRetries: 0 });
    const stream = await client.chat.completions.create({ model: 'slow', messages: [{ role: 'user', content: 'hi' }], stream: true });
    for await (const chunk of stream) void chunk;
    // Warnings are emitted on the next tick.
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(warnings.filter((w) => w.startsWith('MaxListenersExceededWarning')), []);
  } finally {
    process.off('warning', onWarning);
    await fake.close();
  }
});
