/**
 * "Did you mean …?": the known word closest to a misspelt one, by edit distance.
 */

/** Words longer than this are never matched: nobody misspells a 100-character key, and it keeps the cost bounded. */
const MAX_WORD_LENGTH = 100;
/** Only the first this many candidates are considered, so a file with thousands of names stays fast. */
const MAX_CANDIDATES = 100;

/**
 * The edit distance between two words (optimal string alignment: insertions, deletions,
 * substitutions and swaps of two neighbouring letters each cost 1). With `max`, gives up early
 * and returns `max + 1` once the distance is sure to exceed `max`.
 */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMinimum = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (beforePrevious[j - 2] ?? 0) + 1);
      }
      current.push(best);
      rowMinimum = Math.min(rowMinimum, best);
    }
    // A row's minimum is at most one above the previous row's, and later rows build on both:
    // once it passes max + 1, the distance cannot come back to max.
    if (rowMinimum > max + 1) return max + 1;
    beforePrevious = previous;
    previous = current;
  }
  return Math.min(previous[b.length] ?? 0, max + 1);
}

/**
 * The candidate closest to `word`, ignoring case, if it is close enough to be a likely typo (at most
 * one edit per three letters, at least one); `undefined` when nothing is close or `word` is itself a
 * candidate. Only the first {@link MAX_CANDIDATES} candidates are looked at.
 */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  if (word.length === 0 || word.length > MAX_WORD_LENGTH) return undefined;
  const wanted = word.toLowerCase();
  const limit = Math.max(1, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  let considered = 0;
  for (const candidate of candidates) {
    if (++considered > MAX_CANDIDATES) break;
    if (candidate === word) return undefined;
    // Lengths further apart than the limit cannot be within it; skip the costly distance.
    if (Math.abs(candidate.length - word.length) > limit) continue;
    const lower = candidate.toLowerCase();
    const distance = lower === wanted ? 0 : editDistance(wanted, lower, limit);
    if (distance <= limit && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** ` (did you mean "x"?)` when a candidate is close to `word`, else the empty string. */
export function didYouMean(suggestion: string | undefined): string {
  return suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
}
