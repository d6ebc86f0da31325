import { describe, expect, test } from 'vitest';
import { barTimeText, clockText, tickText } from '../../src/model/index.ts';

const T = Date.UTC(2026, 0, 2, 3, 4, 5, 678) * 1000 + 901; // µs

describe('time formatting', () => {
  test('UTC', () => {
    expect(clockText(T, 'utc')).toBe('03:04:05.678');
    expect(barTimeText(T, '1s', 'utc')).toBe('2026-01-02 03:04:05');
    expect(barTimeText(T, '5m', 'utc')).toBe('2026-01-02 03:04');
    expect(barTimeText(T, '1d', 'utc')).toBe('2026-01-02');
    const s = Math.floor(T / 1e6);
    expect([tickText(s, 'year', 'utc'), tickText(s, 'month', 'utc'), tickText(s, 'day', 'utc')]).toEqual([
      '2026',
      'Jan',
      '2 Jan',
    ]);
    expect([tickText(s, 'time', 'utc'), tickText(s, 'seconds', 'utc')]).toEqual(['03:04', '03:04:05']);
  });

  test("local time is this machine's zone", () => {
    const d = new Date(Math.floor(T / 1000));
    const pad = (n: number) => String(n).padStart(2, '0');
    expect(clockText(T, 'local')).toBe(
      `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.678`,
    );
  });
});
