import { CANDLE_INTERVALS, type CandleInterval } from '../../../matching/src/index.ts';
import type { BookDepth } from '../protocol/index.ts';
import { type RestErrorCode, restError } from './rest-error.ts';

/**
 * Query parameters of the REST API (PROTOCOL.md §14), parsed strictly: one spelling per value, as on the feed
 * (no leading zeros, no sign, no exponent), and a parameter given twice is refused. Each parser throws a
 * `RestError` with the parameter's code.
 */

// As in channel names: one spelling per number, so `limit=010` or `limit=1e3` is refused, not guessed at.
const DECIMAL_INTEGER = /^(0|[1-9][0-9]*)$/;
// RFC 3339 date-time (ISO-8601 with a mandatory zone); at most 6 fraction digits, the resolution of µs.
const ISO_TIME =
  /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,6}))?(Z|[+-][0-9]{2}:[0-9]{2})$/i;

/** The single value of `name`, `undefined` when absent; throws `code` when it is given more than once. */
function single(params: URLSearchParams, name: string, code: RestErrorCode): string | undefined {
  const all = params.getAll(name);
  if (all.length > 1) throw restError(code, `${name} is given ${all.length} times; give it once`);
  return all[0];
}

/** `depth`: 10, 50 or `full`; 10 when absent. */
export function parseDepth(params: URLSearchParams): BookDepth {
  const text = single(params, 'depth', 'BAD_DEPTH');
  switch (text) {
    case undefined:
    case '10':
      return 10;
    case '50':
      return 50;
    case 'full':
      return 'full';
    default:
      throw restError('BAD_DEPTH', `depth "${text}" is not 10, 50 or full`);
  }
}

/** `interval`: one of `CANDLE_INTERVALS`; required. */
export function parseInterval(params: URLSearchParams): CandleInterval {
  const text = single(params, 'interval', 'BAD_INTERVAL');
  if (text === undefined) {
    throw restError('BAD_INTERVAL', `interval is required: one of ${CANDLE_INTERVALS.join(', ')}`);
  }
  const interval = CANDLE_INTERVALS.find((i) => i === text);
  if (interval === undefined) {
    throw restError('BAD_INTERVAL', `interval "${text}" is not one of ${CANDLE_INTERVALS.join(', ')}`);
  }
  return interval;
}

/** `limit`: an integer from 1 to `max`; `fallback` when absent. */
export function parseLimit(params: URLSearchParams, fallback: number, max: number): number {
  const text = single(params, 'limit', 'BAD_LIMIT');
  if (text === undefined) return fallback;
  const n = DECIMAL_INTEGER.test(text) ? Number(text) : Number.NaN;
  if (!(n >= 1 && n <= max)) {
    throw restError('BAD_LIMIT', `limit "${text}" is not an integer from 1 to ${max}`);
  }
  return n;
}

/**
 * A time parameter as µs since the Unix epoch, `null` when absent. Accepted: a decimal integer of µs (the
 * protocol's timestamps), or an RFC 3339 / ISO-8601 date-time with `Z` or a `±HH:MM` offset and up to 6
 * fraction digits (`2026-01-01T00:00:00Z`, `2026-01-01T01:00:00.5+01:00`). Never before 1970 and never
 * beyond a safe integer of µs (year 2255).
 */
export function parseTimeUs(params: URLSearchParams, name: string): number | null {
  const text = single(params, name, 'BAD_TIME');
  if (text === undefined) return null;
  const us = DECIMAL_INTEGER.test(text) ? Number(text) : isoToUs(text);
  if (us === null || !Number.isSafeInteger(us) || us < 0) {
    throw restError(
      'BAD_TIME',
      `${name} "${text}" is neither µs since the epoch nor an ISO-8601 time with a zone (e.g. 2026-01-01T00:00:00Z) from 1970 to 2255`,
    );
  }
  return us;
}

/** µs since the epoch of an RFC 3339 date-time, or null when it is malformed or names no real instant. */
function isoToUs(text: string): number | null {
  const m = ISO_TIME.exec(text);
  if (m === null) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const fractionUs = Number((m[7] ?? '').padEnd(6, '0'));
  const zone = m[8] ?? 'Z';
  let offsetMin = 0;
  if (zone.toUpperCase() !== 'Z') {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 23 || om > 59) return null;
    offsetMin = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  // Unix time has no leap seconds, so second 60 names no instant.
  if (hour > 23 || minute > 59 || second > 59) return null;
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0–99 to 1900–1999.
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return null; // 2026-02-30 and the like
  }
  const ms = date.getTime() + ((hour * 60 + minute - offsetMin) * 60 + second) * 1000;
  return ms * 1000 + fractionUs;
}
