import type { CandleInterval } from 'tickwire/client';
import type { DisplayZone } from './time-zone.ts';

const formats = new Map<string, Intl.DateTimeFormat>();

/** One `Intl.DateTimeFormat` per zone and shape: building one is far slower than using it. */
function format(tz: DisplayZone, key: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const id = `${tz ?? 'local'}|${key}`;
  let f = formats.get(id);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-GB', {
      ...options,
      hourCycle: 'h23',
      ...(tz === undefined ? {} : { timeZone: tz }),
    });
    formats.set(id, f);
  }
  return f;
}

function parts(f: Intl.DateTimeFormat, ms: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of f.formatToParts(ms)) out[p.type] = p.value;
  return out;
}

const DATE_TIME: Intl.DateTimeFormatOptions = {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
};

/**
 * `HH:MM:SS.mmm` of an engine time (µs since the epoch) in zone `tz` (undefined: the browser's): the tape and
 * the replay clock.
 */
export function clockText(tsUs: number, tz: DisplayZone): string {
  const ms = Math.floor(tsUs / 1000);
  const p = parts(format(tz, 'dt', DATE_TIME), ms);
  const millis = String(((ms % 1000) + 1000) % 1000).padStart(3, '0');
  return `${p.hour}:${p.minute}:${p.second}.${millis}`;
}

/**
 * The zone a bar's times read in: `tz`, except for daily bars, which are UTC days (the server's buckets are
 * aligned on the epoch) — in New York a daily bar starts at 20:00 the evening before, and is still the UTC date's.
 */
export function barZone(interval: CandleInterval, tz: DisplayZone): DisplayZone {
  return interval === '1d' ? 'UTC' : tz;
}

/** `YYYY-MM-DD HH:MM:SS` (or `YYYY-MM-DD` for daily bars) of a bar start, for the legend and crosshair. */
export function barTimeText(startUs: number, interval: CandleInterval, tz: DisplayZone): string {
  const p = parts(format(barZone(interval, tz), 'dt', DATE_TIME), Math.floor(startUs / 1000));
  const date = `${p.year}-${p.month}-${p.day}`;
  if (interval === '1d') return date;
  const time = interval === '1s' ? `${p.hour}:${p.minute}:${p.second}` : `${p.hour}:${p.minute}`;
  return `${date} ${time}`;
}

/** The label granularity of a time-axis tick mark (lightweight-charts' `TickMarkType`). */
export type TickKind = 'year' | 'month' | 'day' | 'time' | 'seconds';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A time-axis label for a tick at `timeSec` (seconds since the epoch) in the chosen zone. */
export function tickText(timeSec: number, kind: TickKind, tz: DisplayZone): string {
  const p = parts(format(tz, 'dt', DATE_TIME), timeSec * 1000);
  switch (kind) {
    case 'year':
      return p.year ?? '';
    case 'month':
      return MONTHS[Number(p.month) - 1] ?? '';
    case 'day':
      return `${Number(p.day)} ${MONTHS[Number(p.month) - 1] ?? ''}`;
    case 'time':
      return `${p.hour}:${p.minute}`;
    case 'seconds':
      return `${p.hour}:${p.minute}:${p.second}`;
  }
}
