/**
 * Where the labels of the migration chart's vertical lines go, so that none covers another: each
 * label sits right of its line, or left of it where it would run past the plot's right edge
 * (the phases crowd at the end: finish, confirm, done), on the first row down where it overlaps
 * no label already placed. Pure, so it is tested without a canvas.
 */

/** A label to place: its line's x in pixels and the label's width. */
export interface MarkerLabel {
  readonly px: number;
  readonly width: number;
}

/** Where a label is drawn: the x of its left edge, and its row (0 = the top one). */
export interface PlacedLabel {
  readonly x: number;
  readonly row: number;
}

/** Pixels between a line and its label, and between two labels on a row. */
const GAP = 3;

/**
 * Places the labels in the order given (the caller gives them left to right). With more labels
 * crowded than `maxRows` can take, the row whose labels end furthest left takes the next one:
 * overlap is then the least it can be.
 */
export function placeMarkerLabels(labels: readonly MarkerLabel[], plotLeft: number, plotRight: number, maxRows = 6): PlacedLabel[] {
  const rows: { start: number; end: number }[][] = Array.from({ length: Math.max(1, maxRows) }, () => []);
  return labels.map(({ px, width }) => {
    const right = px + GAP;
    const left = px - GAP - width;
    const x = right + width <= plotRight || left < plotLeft ? right : left;
    const start = x;
    const end = x + width;
    const free = rows.findIndex((row) => row.every((box) => end + GAP <= box.start || start >= box.end + GAP));
    const row = free >= 0 ? free : leastCrowded(rows, start);
    rows[row]?.push({ start, end });
    return { x, row };
  });
}

/** The row whose last label ends furthest left of `start` (or least past it). */
function leastCrowded(rows: readonly { start: number; end: number }[][], start: number): number {
  let best = 0;
  let bestOverlap = Number.POSITIVE_INFINITY;
  rows.forEach((row, index) => {
    const overlap = Math.max(0, ...row.map((box) => box.end - start));
    if (overlap < bestOverlap) {
      best = index;
      bestOverlap = overlap;
    }
  });
  return best;
}
