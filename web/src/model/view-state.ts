import type { CandleInterval } from 'tickwire/client';
import { CANDLE_INTERVALS } from 'tickwire/protocol';

/** What the chart shows: the part of the view the URL carries, so that it can be shared. */
export interface Selection {
  readonly symbol: string;
  readonly interval: CandleInterval;
}

/**
 * The interval a first visit shows: one-second bars, so that a server started a moment ago already draws a
 * row of candles instead of a single forming one.
 */
export const DEFAULT_INTERVAL: CandleInterval = '1s';

/**
 * Whose clock the chart axis, the tape and the replay clock read: the exchange's (a replayed import's zone, else
 * UTC: `resolveTimeZone`), the browser's, or UTC.
 */
export type TimeZoneMode = 'exchange' | 'local' | 'utc';
/** Colour theme. */
export type Theme = 'dark' | 'light';

const SYMBOL = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;

function isInterval(v: string | null): v is CandleInterval {
  return v !== null && (CANDLE_INTERVALS as readonly string[]).includes(v);
}

/**
 * The selection a URL query asks for (`?symbol=ETH-USD&interval=5m`): the symbol when it is well formed (null
 * otherwise: the first instrument will do), the interval or the default.
 */
export function parseSelection(search: string): {
  readonly symbol: string | null;
  readonly interval: CandleInterval;
} {
  const q = new URLSearchParams(search);
  const symbol = q.get('symbol');
  const interval = q.get('interval');
  return {
    symbol: symbol !== null && SYMBOL.test(symbol) ? symbol : null,
    interval: isInterval(interval) ? interval : DEFAULT_INTERVAL,
  };
}

/** The query string for `selection`, keeping any other parameters of `search`. */
export function selectionSearch(selection: Selection, search = ''): string {
  const q = new URLSearchParams(search);
  q.set('symbol', selection.symbol);
  q.set('interval', selection.interval);
  return `?${q.toString()}`;
}

/** The selection to show given the URL's wish and the server's symbols: an unknown symbol becomes the first. */
export function resolveSelection(
  wish: { readonly symbol: string | null; readonly interval: CandleInterval },
  symbols: readonly string[],
): Selection | null {
  const symbol = wish.symbol !== null && symbols.includes(wish.symbol) ? wish.symbol : symbols[0];
  return symbol === undefined ? null : { symbol, interval: wish.interval };
}

/** A stored time zone preference (or a URL's `tz`), or null. */
export function parseTimeZone(v: string | null): TimeZoneMode | null {
  return v === 'exchange' || v === 'local' || v === 'utc' ? v : null;
}

/** The time zone a URL asks for (`?tz=exchange`), or null: a shared link shows times as its sender read them. */
export function urlTimeZone(search: string): TimeZoneMode | null {
  return parseTimeZone(new URLSearchParams(search).get('tz'));
}

/** The query string with `tz` set to `mode`, keeping any other parameters of `search`. */
export function timeZoneSearch(mode: TimeZoneMode, search = ''): string {
  const q = new URLSearchParams(search);
  q.set('tz', mode);
  return `?${q.toString()}`;
}

/** A stored theme preference, or null. */
export function parseTheme(v: string | null): Theme | null {
  return v === 'dark' || v === 'light' ? v : null;
}

/** The next interval in `CANDLE_INTERVALS` (`step` 1) or the previous one (-1), staying at the ends. */
export function stepInterval(interval: CandleInterval, step: 1 | -1): CandleInterval {
  const i = CANDLE_INTERVALS.indexOf(interval);
  return CANDLE_INTERVALS[Math.min(CANDLE_INTERVALS.length - 1, Math.max(0, i + step))] as CandleInterval;
}
