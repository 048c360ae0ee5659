/** Bounded waits: every wait in the engine ends by a deadline or by cancellation. */

/** Resolves after `ms`, or as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * `promise`, unless it takes longer than `ms` (rejects with `onExpire()`) or `signal` aborts first (rejects with
 * `onAbort()`), so a callee that ignores its deadline or its abort signal cannot hold the caller.
 */
export async function within<T>(
  promise: Promise<T>,
  ms: number,
  onExpire: () => Error,
  cancel?: { signal: AbortSignal | undefined; onAbort: () => Error },
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopListening = () => {};
  const cutOff = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onExpire()), ms);
    const signal = cancel?.signal;
    if (!signal) return;
    const abort = () => reject(cancel.onAbort());
    if (signal.aborted) abort();
    signal.addEventListener('abort', abort, { once: true });
    stopListening = () => signal.removeEventListener('abort', abort);
  });
  try {
    return await Promise.race([promise, cutOff]);
  } catch (error) {
    // The losing promise may still reject later (e.g. aborted); nobody waits for it any more.
    promise.catch(() => {});
    throw error;
  } finally {
    clearTimeout(timer);
    stopListening();
  }
}

/** An AbortController that also aborts when `parent` does; `dispose` stops listening to the parent. */
export function linkedController(parent: AbortSignal | undefined): { controller: AbortController; dispose: () => void } {
  const controller = new AbortController();
  const abort = () => controller.abort();
  if (parent?.aborted) controller.abort();
  parent?.addEventListener('abort', abort, { once: true });
  return { controller, dispose: () => parent?.removeEventListener('abort', abort) };
}
