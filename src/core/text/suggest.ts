/** "Did you mean" suggestions for names users mistype (model aliases, route names). */

/** Edit distance between two strings (insert, delete, substitute). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}

/** The closest candidate when it is close enough to be a likely typo, else undefined. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const limit = Math.max(2, Math.floor(name.length / 3));
  if (bestDistance <= limit) return best;
  // A name cut short ("general" for "general_chat") is a typo too, if only one candidate extends it.
  const extensions = [...candidates].filter((c) => c.toLowerCase().startsWith(lower) && lower.length >= 3);
  return extensions.length === 1 ? extensions[0] : undefined;
}

/**
 * ` Did you mean "x"?` or the list of valid names, ready to append to an error message. The list stops after
 * `maxKnown` names: a generated policy can define thousands, and a message should stay a line.
 */
export function suggestion(name: string, candidates: readonly string[], maxKnown = Infinity): string {
  const unique = [...new Set(candidates)];
  const guess = closest(name, unique);
  if (guess) return ` Did you mean "${guess}"?`;
  if (unique.length === 0) return '';
  const known = unique.slice(0, maxKnown).map((c) => `"${c}"`).join(', ');
  return unique.length > maxKnown ? ` Known: ${known}, … and ${unique.length - maxKnown} more.` : ` Known: ${known}.`;
}
