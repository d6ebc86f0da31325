import { describe, expect, test } from 'vitest';
import { barTimeText, clockText, tickText } from '../../src/model/index.ts';

const T = Date.UTC(2026, 0, 2, 3, 4, 5, 678) * 1000 + 901; // µs

describe('time formatting', () => {
  test('UTC', () => {
    expect(clockText(T, 'UTC')).toBe('03:04:05.678');
    expect(barTimeText(T, '1s', 'UTC')).toBe('2026-01-02 03:04:05');
    expect(barTimeText(T, '5m', 'UTC')).toBe('2026-01-02 03:04');
    expect(barTimeText(T, '1d', 'UTC')).toBe('2026-01-02');
    const s = Math.floor(T / 1e6);
    expect([tickText(s, 'year', 'UTC'), tickText(s, 'month', 'UTC'), tickText(s, 'day', 'UTC')]).toEqual([
      '2026',
      'Jan',
      '2 Jan',
    ]);
    expect([tickText(s, 'time', 'UTC'), tickText(s, 'seconds', 'UTC')]).toEqual(['03:04', '03:04:05']);
  });

  test("undefined: local time, this machine's zone", () => {
    const d = new Date(Math.floor(T / 1000));
    const pad = (n: number) => String(n).padStart(2, '0');
    expect(clockText(T, undefined)).toBe(
      `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.678`,
    );
  });
});

test('an IANA zone: New York is 5 hours behind UTC in January, 4 in June', () => {
  expect(clockText(T, 'America/New_York')).toBe('22:04:05.678');
  expect(barTimeText(T, '1m', 'America/New_York')).toBe('2026-01-01 22:04');
  const june = Date.UTC(2012, 5, 21, 13, 30) * 1000;
  expect(clockText(june, 'America/New_York')).toBe('09:30:00.000');
});

test('a daily bar is a UTC day in every zone: its date is the UTC date', () => {
  const day = Date.UTC(2012, 5, 21) * 1000;
  expect(barTimeText(day, '1d', 'America/New_York')).toBe('2012-06-21');
  expect(barTimeText(day, '1d', 'Asia/Tokyo')).toBe('2012-06-21');
  expect(barTimeText(day, '1h', 'America/New_York')).toBe('2012-06-20 20:00');
});
