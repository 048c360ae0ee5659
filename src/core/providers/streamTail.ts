/**
 * The end of the event stream an SDK is reading, and the start of a reply that is not a stream, so a message it cannot
 * parse can be quoted: both SDKs throw JSON.parse's own error ("Expected property name or '}' in JSON at position 1"),
 * which does not say what came.
 */
import { tryJson } from '../text/tryJson';

/** Far more than the events one network read completes; both SDKs parse each read before the next. */
const TAIL_CHARS = 16_384;
/** Enough of a whole reply to quote its start and tell an HTML page from a truncated answer. */
const START_CHARS = 1024;

export interface StreamTail {
  /** The fetch the SDK must use; it copies the end of each successful reply's body as the SDK reads it. */
  fetch: typeof fetch;
  /** The first `data:` payload in the copied text that is not JSON, if any. */
  unreadableEvent(): string | undefined;
  /** The start of the last successful reply's body, to quote when a non-streamed answer could not be read as JSON. */
  bodyStart(): string;
  /** The URL the last successful reply came from as the SDK asked it: each SDK adds its own path to the baseURL. */
  url(): string | undefined;
}

export function keepStreamTail(baseFetch: typeof fetch): StreamTail {
  let tail = '';
  let cut = false;
  let start = '';
  let url: string | undefined;
  return {
    fetch: (async (input, init) => {
      const response = await baseFetch(input, init);
      if (!response.ok || !response.body) return response;
      url = input instanceof Request ? input.url : String(input);
      const decoder = new TextDecoder();
      start = '';
      const copy = new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          const text = decoder.decode(chunk, { stream: true });
          if (start.length < START_CHARS) start += text.slice(0, START_CHARS - start.length);
          tail += text;
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
    bodyStart: () => start,
    url: () => url,
  };
}
