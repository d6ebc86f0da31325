import type {
  BookDepth,
  BookLevel,
  CandleFields,
  CandleInterval,
  InstrumentInfo,
  Side,
} from '../protocol/index.ts';
import { CandleBar } from './decimal-events.ts';
import { FeedClientError } from './feed-client-error.ts';
import { LocalBook } from './local-book.ts';
import type { BookSnapshot, DecimalCandle, Scales, Ticker, Trade } from './market-data.ts';
import { formatScaled } from './scaled-decimal.ts';
import { tradeSide } from './trade-side.ts';

/*
 * The REST API's answers (PROTOCOL.md §14) read into the SDK's own types, the ones the stream's events carry:
 * every field checked, the `…Decimal` twins made again from the scaled integers with `formatScaled` (so they are
 * the stream's strings to the letter), the wire's side codes mapped to words. Anything else is a
 * `REST_BAD_ANSWER`.
 */

type Json = Record<string, unknown>;

function bad(what: string): FeedClientError {
  return new FeedClientError(
    'REST_BAD_ANSWER',
    `the REST answer does not have the documented shape: ${what}`,
  );
}

function object(v: unknown, what: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(`${what} is not an object`);
  return v as Json;
}

function array(o: Json, key: string): readonly unknown[] {
  const v = o[key];
  if (!Array.isArray(v)) throw bad(`${key} is not an array`);
  return v;
}

function int(o: Json, key: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw bad(`${key} is not an integer`);
  return v;
}

function intOrNull(o: Json, key: string): number | null {
  return o[key] === null ? null : int(o, key);
}

function text(o: Json, key: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw bad(`${key} is not a string`);
  return v;
}

function flag(o: Json, key: string): boolean {
  const v = o[key];
  if (typeof v !== 'boolean') throw bad(`${key} is not a boolean`);
  return v;
}

/**
 * A §14 exact integer (a JSON number up to 2^53 − 1, else a string of digits) as the feed carries a volume:
 * saturated at 2^53 − 1 (§13), so REST and stream values compare equal.
 */
function volume(o: Json, key: string): number {
  const v = o[key];
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) {
    const b = BigInt(v);
    const max = BigInt(Number.MAX_SAFE_INTEGER);
    return Number(b > max ? max : b < -max ? -max : b);
  }
  throw bad(`${key} is not an exact integer`);
}

function side(o: Json): Side {
  const v = o.side;
  if (v !== 'b' && v !== 's') throw bad('side is neither "b" nor "s"');
  return v;
}

/** The scales of a per-symbol answer, checked against the symbol asked for. */
function scalesOf(body: Json, symbol: string): Scales {
  if (body.symbol !== symbol) throw bad(`the answer is about ${String(body.symbol)}, not ${symbol}`);
  return { priceScale: int(body, 'priceScale'), qtyScale: int(body, 'qtyScale') };
}

const decimalOrNull = (v: number | null, scale: number): string | null =>
  v === null ? null : formatScaled(v, scale);

/** `GET /api/v1/instruments` as the `instruments` channel's list. */
export function readInstruments(body: unknown): InstrumentInfo[] {
  return array(object(body, 'the answer'), 'instruments').map((v) => {
    const i = object(v, 'an instrument');
    return {
      symbol: text(i, 'symbol'),
      priceScale: int(i, 'priceScale'),
      qtyScale: int(i, 'qtyScale'),
      tickSize: int(i, 'tickSize'),
      lotSize: int(i, 'lotSize'),
      minSize: int(i, 'minSize'),
      maxPrice: int(i, 'maxPrice'),
      maxSize: int(i, 'maxSize'),
    };
  });
}

/** `GET /api/v1/ticker/:symbol` as a `Ticker`. */
export function readTicker(body: unknown, symbol: string): Ticker {
  const t = object(body, 'the answer');
  const { priceScale: p, qtyScale: q } = scalesOf(t, symbol);
  const bid = intOrNull(t, 'bid');
  const bidQty = intOrNull(t, 'bidQty');
  const ask = intOrNull(t, 'ask');
  const askQty = intOrNull(t, 'askQty');
  const last = intOrNull(t, 'last');
  const lastQty = intOrNull(t, 'lastQty');
  const open24h = intOrNull(t, 'open24h');
  const high24h = intOrNull(t, 'high24h');
  const low24h = intOrNull(t, 'low24h');
  const volume24h = volume(t, 'volume24h');
  return {
    symbol,
    tsUs: int(t, 'tsUs'),
    bid,
    bidDecimal: decimalOrNull(bid, p),
    bidQty,
    bidQtyDecimal: decimalOrNull(bidQty, q),
    ask,
    askDecimal: decimalOrNull(ask, p),
    askQty,
    askQtyDecimal: decimalOrNull(askQty, q),
    last,
    lastDecimal: decimalOrNull(last, p),
    lastQty,
    lastQtyDecimal: decimalOrNull(lastQty, q),
    open24h,
    open24hDecimal: decimalOrNull(open24h, p),
    high24h,
    high24hDecimal: decimalOrNull(high24h, p),
    low24h,
    low24hDecimal: decimalOrNull(low24h, p),
    volume24h,
    volume24hDecimal: formatScaled(volume24h, q),
    trades24h: int(t, 'trades24h'),
  };
}

function levels(b: Json, key: string): BookLevel[] {
  return array(b, key).map((v) => {
    const l = object(v, 'a book level');
    return [int(l, 'price'), int(l, 'qty'), int(l, 'count')];
  });
}

/** `GET /api/v1/book/:symbol?depth=` as a `BookSnapshot`, its checksum verified (§12). */
export function readBook(body: unknown, symbol: string, depth: BookDepth): BookSnapshot {
  const b = object(body, 'the answer');
  const scales = scalesOf(b, symbol);
  if (b.depth !== depth) throw bad(`the book has depth ${String(b.depth)}, not ${depth}`);
  const book = new LocalBook(depth, scales);
  book.reset(levels(b, 'bids'), levels(b, 'asks'));
  const checksum = int(b, 'checksum');
  if (book.checksum() !== checksum) {
    throw bad(`the book's levels have checksum ${book.checksum()}, the answer says ${checksum}`);
  }
  return { symbol, depth, seq: int(b, 'seq'), tsUs: int(b, 'tsUs'), checksum, book: book.view() };
}

/** `GET /api/v1/trades/:symbol` as `Trade`s, oldest first. */
export function readTrades(body: unknown, symbol: string): Trade[] {
  const b = object(body, 'the answer');
  const { priceScale: p, qtyScale: q } = scalesOf(b, symbol);
  return array(b, 'trades').map((v) => {
    const t = object(v, 'a trade');
    const price = int(t, 'price');
    const qty = int(t, 'qty');
    return {
      symbol,
      tsUs: int(t, 'tsUs'),
      tradeId: int(t, 'tradeId'),
      price,
      priceDecimal: formatScaled(price, p),
      qty,
      qtyDecimal: formatScaled(qty, q),
      side: tradeSide(side(t)),
    };
  });
}

/**
 * `GET /api/v1/candles/:symbol?interval=` as the stream's bars, oldest first: `CandleBar`s of the answer's
 * numbers (the REST-only `notional` left out), so a REST bar and a stream bar of the same state are equal.
 */
export function readCandles(body: unknown, symbol: string, interval: CandleInterval): DecimalCandle[] {
  const b = object(body, 'the answer');
  const scales = scalesOf(b, symbol);
  if (b.interval !== interval) throw bad(`the candles are of ${String(b.interval)}, not ${interval}`);
  return array(b, 'candles').map((v) => {
    const c = object(v, 'a candle');
    const vwap = c.vwap;
    if (vwap !== null && typeof vwap !== 'string') throw bad('vwap is neither a string nor null');
    const fields: CandleFields = [
      int(c, 'startUs'),
      int(c, 'open'),
      int(c, 'high'),
      int(c, 'low'),
      int(c, 'close'),
      volume(c, 'volume'),
      int(c, 'trades'),
      vwap,
      flag(c, 'closed'),
    ];
    return new CandleBar(symbol, fields, scales);
  });
}
