/** Skips a model that keeps failing until a cool-down has passed, so users do not wait on a known-dead endpoint. */

export interface CircuitBreaker {
  /** Undefined when `model` may be tried; otherwise why not, in words. */
  blocked(model: string): string | undefined;
  recordFailure(model: string): void;
  recordSuccess(model: string): void;
}

export interface CircuitBreakerOptions {
  /** Failures in a row that open the circuit. */
  failureThreshold?: number;
  coolDownMs?: number;
  clock?: () => number;
}

/** A breaker per model alias; share one across answers (a session) for it to mean anything. */
export function createCircuitBreaker(options: CircuitBreakerOptions = {}): CircuitBreaker {
  const { failureThreshold = 3, coolDownMs = 30_000, clock = Date.now } = options;
  const state = new Map<string, { failures: number; openedAt: number }>();

  return {
    blocked(model) {
      const entry = state.get(model);
      if (!entry || entry.failures < failureThreshold) return undefined;
      const remaining = entry.openedAt + coolDownMs - clock();
      // After the cool-down one request goes through; a failure re-opens the circuit (recordFailure).
      if (remaining <= 0) return undefined;
      return `failed ${entry.failures} times in a row; skipped for another ${Math.ceil(remaining / 1000)} s`;
    },
    recordFailure(model) {
      const failures = (state.get(model)?.failures ?? 0) + 1;
      state.set(model, { failures, openedAt: clock() });
    },
    recordSuccess(model) {
      state.delete(model);
    },
  };
}
