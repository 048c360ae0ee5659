/**
 * The end of the event stream an SDK is reading, so a message it cannot parse can be quoted: both SDKs throw
 * JSON.parse's own error ("Expected property name or '}' in JSON at position 1"), which does not say what came.
 */
import { tryJson } from '../text/tryJson';

/** Far more than the events one network read completes; both SDKs parse each read before the next. */
const TAIL_CHARS = 16_384;

export interface StreamTail {
  /** The fetch the SDK must use; it copies the end of each successful reply's body as the SDK reads it. */
  fetch: typeof fetch;
  /** The first `data:` payload in the copied text that is not JSON, if any. */
  unreadableEvent(): string | undefined;
}

export function keepStreamTail(baseFetch: typeof fetch): StreamTail {
  let tail = '';
  let cut = false;
  return {
    fetch: (async (input, init) => {
      const response = await baseFetch(input, init);
      if (!response.ok || !response.body) return response;
      const decoder = new TextDecoder();
      const copy = new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          tail += decoder.decode(chunk, { stream: true });
          if (tail.length > TAIL_CHARS) {
            tail = tail.slice(-TAIL_CHARS);
            cut = true;
          }
          controller.enqueue(chunk);
        },
      });
      return new Response(response.body.pipeThrough(copy), { status: response.status, statusText: response.statusText, headers: response.headers });
    }) as typeof fetch,
    unreadableEvent() {
      // Only whole lines: the first may have lost its start to the cut, the last may not have ended yet.
      const lines = tail.split(/\r\n|\r|\n/).slice(cut ? 1 : 0, -1);
      for (const line of lines) {
        const data = /^data: ?(.*)$/.exec(line)?.[1];
        if (data === undefined || data === '' || data === '[DONE]') continue;
        if (tryJson(data) === undefined) return data;
      }
      return undefined;
    },
  };
}
