import { describe, expect, it } from 'vitest';
import { placeMarkerLabels, type PlacedLabel } from '../../../webview/migration/marker-labels';

/** Whether two placed labels of these widths cover each other. */
function overlap(a: PlacedLabel, aWidth: number, b: PlacedLabel, bWidth: number): boolean {
  return a.row === b.row && a.x < b.x + bWidth && b.x < a.x + aWidth;
}

describe('the labels of the migration chart\'s lines', () => {
  it('puts labels far apart on the top row, right of their lines', () => {
    expect(placeMarkerLabels([{ px: 100, width: 40 }, { px: 300, width: 40 }], 50, 800)).toEqual([
      { x: 103, row: 0 },
      { x: 303, row: 0 },
    ]);
  });

  it('flips a label left of its line where it would run past the right edge', () => {
    expect(placeMarkerLabels([{ px: 790, width: 40 }], 50, 800)).toEqual([{ x: 747, row: 0 }]);
    // Unless there is no room on the left either.
    expect(placeMarkerLabels([{ px: 60, width: 40 }], 50, 80)).toEqual([{ x: 63, row: 0 }]);
  });

  it('the phases crowded at the end (finish, confirm, done a few ms apart): none covers another', () => {
    const labels = [
      { px: 700, width: 60 },
      { px: 780, width: 40 },
      { px: 781, width: 50 },
      { px: 782, width: 55 },
      { px: 783, width: 30 },
    ];
    const placed = placeMarkerLabels(labels, 50, 790);
    for (let i = 0; i < placed.length; i += 1) {
      for (let j = i + 1; j < placed.length; j += 1) {
        expect(overlap(placed[i] as PlacedLabel, labels[i]?.width ?? 0, placed[j] as PlacedLabel, labels[j]?.width ?? 0), `${i} and ${j}`).toBe(false);
      }
      expect((placed[i]?.x ?? 0) + (labels[i]?.width ?? 0)).toBeLessThanOrEqual(790);
    }
    expect(new Set(placed.map((p) => p.row)).size).toBeGreaterThan(1);
  });

  it('with more crowded labels than rows, takes the row that overlaps least', () => {
    const labels = Array.from({ length: 4 }, (_, i) => ({ px: 100 + i, width: 50 }));
    const placed = placeMarkerLabels(labels, 0, 1000, 3);
    expect(placed.map((p) => p.row)).toEqual([0, 1, 2, 0]);
  });
});
