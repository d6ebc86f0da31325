import { describe, expect, test } from 'vitest';
import { clearOfBadge } from '../../src/model/index.ts';

describe('clearOfBadge', () => {
  const labels = ['225.00', '224.80', '224.70', '224.60'];
  const coords = [100, 140, 160, 180];

  test('the label under the last-price badge is left out, its neighbours stay', () => {
    // the badge at y 164 (224.69): 224.70 at 160 would be half covered
    expect(clearOfBadge(labels, coords, 164, 12)).toEqual(['225.00', '224.80', '', '224.60']);
  });

  test('a label more than half a badge and half a label away stays', () => {
    // 12 px font: badge 17 px high, label 12 px: centres 14.5 px apart touch
    expect(clearOfBadge(['a'], [100], 115, 12)).toEqual(['a']);
    expect(clearOfBadge(['a'], [100], 114, 12)).toEqual(['']);
  });

  test('no badge, or a label the scale cannot place yet: nothing is hidden', () => {
    expect(clearOfBadge(labels, coords, null, 12)).toEqual(labels);
    expect(clearOfBadge(['a'], [null], 100, 12)).toEqual(['a']);
  });
});
