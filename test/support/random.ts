/**
 * A small seeded PRNG (mulberry32) for fuzzing and fault injection: the same seed gives the same inputs and the same
 * faults, so a failure reproduces from the seed a run prints.
 */
export interface Random {
  readonly seed: number;
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  /** Integer in [min, max], both included. */
  between(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
}

export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return {
    seed,
    next,
    int,
    between: (min, max) => min + int(max - min + 1),
    chance: (p) => next() < p,
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[int(items.length)];
    },
  };
}

/** The seed from the environment variable `name` (to replay a failure), else `fallback`. */
export function seedFrom(name: string, fallback: number): number {
  const raw = process.env[name]?.trim();
  const value = Number(raw);
  return raw && Number.isInteger(value) ? value : fallback;
}
