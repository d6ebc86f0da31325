import { ReplayError } from '../session/index.ts';

/** A session's span, for times given relative to it. */
export interface SessionSpan {
  readonly startUs: number;
  readonly endUs: number;
  /** IANA zone of the session's exchange (an imported day), for times of day; default UTC */
  readonly timeZone?: string;
}

const DURATION = /^\+(\d+(?:\.\d+)?)(us|ms|s|m|h)?$/;
const TIME_OF_DAY = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?$/;
const UNIT_US: Readonly<Record<string, number>> = { us: 1, ms: 1e3, s: 1e6, m: 60e6, h: 3600e6 };

/**
 * Parses a replay time (`--from`, `--to`, a seek), µs since the epoch:
 * - an ISO 8601 date-time with a zone: `2012-06-21T14:00:00Z`, `2012-06-21T10:00:00-04:00`;
 * - a time of day `HH:MM[:SS[.ffffff]]` on the session's first day, in its exchange's zone (an imported day)
 *   or UTC: `10:00` is 10:00 New York time in the AMZN LOBSTER day;
 * - an offset from the session's start: `+90s`, `+5m`, `+1.5h` (unit us, ms, s, m or h; default s);
 * - an integer: µs since the epoch.
 * Throws `ReplayError` `BAD_TIME` for anything else.
 */
export function parseReplayTime(text: string, span: SessionSpan): number {
  const t = text.trim();
  const bad = (why: string): never => {
    throw new ReplayError('BAD_TIME', `"${text}": ${why}`);
  };
  const d = DURATION.exec(t);
  if (d !== null) return span.startUs + Math.round(Number(d[1]) * (UNIT_US[d[2] ?? 's'] as number));
  if (/^\d{13,17}$/.test(t)) return Number(t);
  const tod = TIME_OF_DAY.exec(t);
  if (tod !== null) {
    const [, hh, mm, ss = '0', frac = ''] = tod;
    const h = Number(hh);
    const m = Number(mm);
    const s = Number(ss);
    if (h > 23 || m > 59 || s > 59) bad('not a time of day');
    const micros = Number(frac.padEnd(6, '0'));
    const zone = span.timeZone ?? 'UTC';
    const midnight = zonedMidnightUs(span.startUs, zone);
    return midnight + ((h * 60 + m) * 60 + s) * 1_000_000 + micros;
  }
  if (/^\d{4}-\d{2}-\d{2}T/.test(t) && /(Z|[+-]\d{2}:\d{2})$/.test(t)) {
    const ms = Date.parse(t);
    if (Number.isNaN(ms)) bad('not a valid date-time');
    const frac = /\.(\d+)/.exec(t)?.[1] ?? '';
    const extraUs = frac.length > 3 ? Number(frac.slice(3, 6).padEnd(3, '0')) : 0;
    return ms * 1000 + extraUs;
  }
  return bad(
    'expected an ISO date-time with a zone (2012-06-21T14:00:00Z), a time of day (10:00), +<offset> or µs',
  );
}

/** µs of midnight, in `timeZone`, of the day that holds `tsUs` there. */
export function zonedMidnightUs(tsUs: number, timeZone: string): number {
  const ms = Math.floor(tsUs / 1000);
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(new Date(ms));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
  return zonedTimeUs(get('year'), get('month'), get('day'), 0, timeZone);
}

/** µs since the epoch of a wall-clock time (`seconds` after midnight, may be fractional) on a date in a zone. */
export function zonedTimeUs(
  year: number,
  month: number,
  day: number,
  seconds: number,
  timeZone: string,
): number {
  // The zone's offset at that moment: guess it as UTC, read the offset there, correct once (and again across a
  // DST change, which the second read settles).
  const naive = Date.UTC(year, month - 1, day) + seconds * 1000;
  let guess = naive;
  for (let i = 0; i < 2; i++) guess = naive - offsetMs(guess, timeZone);
  return Math.round(guess * 1000);
}

function offsetMs(utcMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(Math.floor(utcMs)));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}
