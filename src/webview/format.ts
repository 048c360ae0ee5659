/** How numbers read in the tag, the footer and the session totals. */

/** `1,234`, in the UI's locale. */
export function formatCount(value: number): string {
  return value.toLocaleString();
}

/** `$0.0012`, `$1.25`, `<$0.0001`; `—` when unknown. */
export function formatCost(usd: number | null): string {
  if (usd === null) return '—';
  if (usd === 0) return '$0';
  if (usd < 0.0001) return '<$0.0001';
  return `$${usd.toFixed(usd < 1 ? 4 : 2)}`;
}

/** `320 ms` under a second, else `4.2 s`. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** `82%` from 0.82. */
export function formatPercent(ratio: number): string {
  return `${Math.round(ratio * 100)}%`;
}
