import type { Candle, CandleInterval } from 'tickwire/client';

/** A `GET /api/v1/candles/:symbol` answer (PROTOCOL.md §14) that does not have the documented shape. */
export class RestShapeError extends Error {
  override readonly name = 'RestShapeError';
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function safeInt(o: Record<string, unknown>, key: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new RestShapeError(`${key} is not an integer`);
  return v;
}

/**
 * An `ExactInteger` (§14: a JSON number while it fits 2^53 − 1, else a string of digits) as the feed carries a
 * volume: saturated at 2^53 − 1 (§13), so REST and feed bars compare equal.
 */
function saturatedVolume(v: unknown): number {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) {
    const b = BigInt(v);
    const max = BigInt(Number.MAX_SAFE_INTEGER);
    return Number(b > max ? max : b < -max ? -max : b);
  }
  throw new RestShapeError('volume is not an exact integer');
}

/** One §14 CANDLE as the SDK's `Candle` (the feed's bar): the scaled integers, not the `…Decimal` twins. */
function toCandle(v: unknown): Candle {
  if (!isObject(v)) throw new RestShapeError('a candle is not an object');
  const vwap = v.vwap;
  if (vwap !== null && typeof vwap !== 'string')
    throw new RestShapeError('vwap is neither a string nor null');
  if (typeof v.closed !== 'boolean') throw new RestShapeError('closed is not a boolean');
  return {
    startUs: safeInt(v, 'startUs'),
    open: safeInt(v, 'open'),
    high: safeInt(v, 'high'),
    low: safeInt(v, 'low'),
    close: safeInt(v, 'close'),
    volume: saturatedVolume(v.volume),
    trades: safeInt(v, 'trades'),
    vwap,
    closed: v.closed,
  };
}

/**
 * The bars of a `GET /api/v1/candles/:symbol?interval=…` answer, oldest first, checked against the symbol and
 * interval asked for. Throws `RestShapeError` for anything else (an error body, another symbol).
 */
export function parseRestCandles(body: unknown, symbol: string, interval: CandleInterval): Candle[] {
  if (!isObject(body)) throw new RestShapeError('the answer is not an object');
  if (isObject(body.error)) {
    throw new RestShapeError(`the server answered ${String(body.error.code)}: ${String(body.error.message)}`);
  }
  if (body.symbol !== symbol || body.interval !== interval) {
    throw new RestShapeError(
      `candles of ${String(body.symbol)} ${String(body.interval)}, not ${symbol} ${interval}`,
    );
  }
  if (!Array.isArray(body.candles)) throw new RestShapeError('candles is not an array');
  return body.candles.map(toCandle);
}

/** The path and query of the candles of `symbol` at `interval`: the newest `limit`, or those in [fromUs, toUs). */
export function restCandlesPath(
  symbol: string,
  interval: CandleInterval,
  range: { readonly fromUs: number; readonly toUs: number } | null,
  limit: number,
): string {
  const q = new URLSearchParams({ interval, limit: String(limit) });
  if (range !== null) {
    q.set('from', String(range.fromUs));
    q.set('to', String(range.toUs));
  }
  return `/api/v1/candles/${encodeURIComponent(symbol)}?${q.toString()}`;
}
