/** "Did you mean" suggestions for names users mistype (model aliases, route names). */

/**
 * Edit distance between two strings (insert, delete, substitute), or `max + 1` as soon as it must exceed `max`:
 * a policy can define thousands of names, and most candidates are ruled out after a row or two.
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      const cell = Math.min(previous[j] + 1, current[j - 1] + 1, substitution);
      current.push(cell);
      rowMin = Math.min(rowMin, cell);
    }
    if (rowMin > max) return max + 1;
    previous = current;
  }
  return Math.min(previous[b.length], max + 1);
}

/** The closest candidate when it is close enough to be a likely typo, else undefined. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  const limit = Math.max(2, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    // Only a strictly closer candidate matters, so the search bound tightens as better ones are found.
    const distance = editDistance(lower, candidate.toLowerCase(), bestDistance - 1);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best !== undefined) return best;
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
