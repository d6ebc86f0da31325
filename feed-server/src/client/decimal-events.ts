import type { CandleFields } from '../protocol/index.ts';
import type { TickerEvent, TradeEvent } from './feed-events.ts';
import type { DecimalCandle, Scales } from './market-data.ts';
import { formatScaled } from './scaled-decimal.ts';
import type { TradeSide } from './trade-side.ts';

/*
 * The stream's data objects, whose `…Decimal` fields are getters on the prototype: an event costs one
 * reference to its instrument's scales, and a decimal string is formatted only when read (measured in
 * bench/client: the difference per trade event between never reading them and reading both). `toJSON` lists
 * them, so `JSON.stringify(event)` shows what a reader sees.
 */

/** The scales an event was built with; a data event without them is a bug of the client (see `FeedClient`). */
function scalesOf(scales: Scales | undefined, symbol: string): Scales {
  if (scales === undefined) {
    throw new Error(
      `no instrument scales for ${symbol}: the instruments snapshot did not come before its data`,
    );
  }
  return scales;
}

function priceOrNull(v: number | null, scales: Scales | undefined, symbol: string): string | null {
  return v === null ? null : formatScaled(v, scalesOf(scales, symbol).priceScale);
}

function qtyOrNull(v: number | null, scales: Scales | undefined, symbol: string): string | null {
  return v === null ? null : formatScaled(v, scalesOf(scales, symbol).qtyScale);
}

/** A `trades:SYMBOL` event. */
export class TradeEventObject implements TradeEvent {
  readonly type = 'trade' as const;
  readonly channel: string;
  readonly symbol: string;
  readonly seq: number;
  readonly generation: number;
  readonly tsUs: number;
  readonly snapshot: boolean;
  readonly tradeId: number;
  readonly price: number;
  readonly qty: number;
  readonly side: TradeSide;
  readonly #scales: Scales | undefined;

  constructor(
    channel: string,
    symbol: string,
    seq: number,
    generation: number,
    tsUs: number,
    snapshot: boolean,
    tradeId: number,
    price: number,
    qty: number,
    side: TradeSide,
    scales: Scales | undefined,
  ) {
    this.channel = channel;
    this.symbol = symbol;
    this.seq = seq;
    this.generation = generation;
    this.tsUs = tsUs;
    this.snapshot = snapshot;
    this.tradeId = tradeId;
    this.price = price;
    this.qty = qty;
    this.side = side;
    this.#scales = scales;
  }

  get priceDecimal(): string {
    return formatScaled(this.price, scalesOf(this.#scales, this.symbol).priceScale);
  }

  get qtyDecimal(): string {
    return formatScaled(this.qty, scalesOf(this.#scales, this.symbol).qtyScale);
  }

  toJSON(): Omit<TradeEvent, never> {
    return {
      type: this.type,
      channel: this.channel,
      symbol: this.symbol,
      seq: this.seq,
      generation: this.generation,
      tsUs: this.tsUs,
      snapshot: this.snapshot,
      tradeId: this.tradeId,
      price: this.price,
      priceDecimal: this.priceDecimal,
      qty: this.qty,
      qtyDecimal: this.qtyDecimal,
      side: this.side,
    };
  }
}

/** A `ticker:SYMBOL` event, from the 11 ticker fields of a snapshot's data or an update (PROTOCOL.md §11). */
export class TickerEventObject implements TickerEvent {
  readonly type = 'ticker' as const;
  readonly channel: string;
  readonly symbol: string;
  readonly seq: number;
  readonly generation: number;
  readonly tsUs: number;
  readonly snapshot: boolean;
  readonly bid: number | null;
  readonly bidQty: number | null;
  readonly ask: number | null;
  readonly askQty: number | null;
  readonly last: number | null;
  readonly lastQty: number | null;
  readonly open24h: number | null;
  readonly high24h: number | null;
  readonly low24h: number | null;
  readonly volume24h: number;
  readonly trades24h: number;
  readonly #scales: Scales | undefined;

  /** `v[at]` to `v[at + 10]` are the ticker fields: `at` 0 in a snapshot's data, 4 in an update */
  constructor(
    channel: string,
    symbol: string,
    seq: number,
    generation: number,
    tsUs: number,
    snapshot: boolean,
    v: readonly (number | null)[],
    at: number,
    scales: Scales | undefined,
  ) {
    this.channel = channel;
    this.symbol = symbol;
    this.seq = seq;
    this.generation = generation;
    this.tsUs = tsUs;
    this.snapshot = snapshot;
    this.bid = v[at] ?? null;
    this.bidQty = v[at + 1] ?? null;
    this.ask = v[at + 2] ?? null;
    this.askQty = v[at + 3] ?? null;
    this.last = v[at + 4] ?? null;
    this.lastQty = v[at + 5] ?? null;
    this.open24h = v[at + 6] ?? null;
    this.high24h = v[at + 7] ?? null;
    this.low24h = v[at + 8] ?? null;
    this.volume24h = v[at + 9] ?? 0;
    this.trades24h = v[at + 10] ?? 0;
    this.#scales = scales;
  }

  get bidDecimal(): string | null {
    return priceOrNull(this.bid, this.#scales, this.symbol);
  }
  get bidQtyDecimal(): string | null {
    return qtyOrNull(this.bidQty, this.#scales, this.symbol);
  }
  get askDecimal(): string | null {
    return priceOrNull(this.ask, this.#scales, this.symbol);
  }
  get askQtyDecimal(): string | null {
    return qtyOrNull(this.askQty, this.#scales, this.symbol);
  }
  get lastDecimal(): string | null {
    return priceOrNull(this.last, this.#scales, this.symbol);
  }
  get lastQtyDecimal(): string | null {
    return qtyOrNull(this.lastQty, this.#scales, this.symbol);
  }
  get open24hDecimal(): string | null {
    return priceOrNull(this.open24h, this.#scales, this.symbol);
  }
  get high24hDecimal(): string | null {
    return priceOrNull(this.high24h, this.#scales, this.symbol);
  }
  get low24hDecimal(): string | null {
    return priceOrNull(this.low24h, this.#scales, this.symbol);
  }
  get volume24hDecimal(): string {
    return formatScaled(this.volume24h, scalesOf(this.#scales, this.symbol).qtyScale);
  }

  toJSON(): Omit<TickerEvent, never> {
    return {
      type: this.type,
      channel: this.channel,
      symbol: this.symbol,
      seq: this.seq,
      generation: this.generation,
      tsUs: this.tsUs,
      snapshot: this.snapshot,
      bid: this.bid,
      bidDecimal: this.bidDecimal,
      bidQty: this.bidQty,
      bidQtyDecimal: this.bidQtyDecimal,
      ask: this.ask,
      askDecimal: this.askDecimal,
      askQty: this.askQty,
      askQtyDecimal: this.askQtyDecimal,
      last: this.last,
      lastDecimal: this.lastDecimal,
      lastQty: this.lastQty,
      lastQtyDecimal: this.lastQtyDecimal,
      open24h: this.open24h,
      open24hDecimal: this.open24hDecimal,
      high24h: this.high24h,
      high24hDecimal: this.high24hDecimal,
      low24h: this.low24h,
      low24hDecimal: this.low24hDecimal,
      volume24h: this.volume24h,
      volume24hDecimal: this.volume24hDecimal,
      trades24h: this.trades24h,
    };
  }
}

/**
 * A bar with its decimal strings, from the protocol's fields (the stream's and, made from the REST answer's
 * numbers, `FeedRest.candles()`'s: the two compare equal field for field). `symbol` is only for messages.
 */
export class CandleBar implements DecimalCandle {
  readonly startUs: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly trades: number;
  readonly vwap: string | null;
  readonly closed: boolean;
  readonly #symbol: string;
  readonly #scales: Scales | undefined;

  constructor(symbol: string, f: CandleFields, scales: Scales | undefined) {
    this.startUs = f[0];
    this.open = f[1];
    this.high = f[2];
    this.low = f[3];
    this.close = f[4];
    this.volume = f[5];
    this.trades = f[6];
    this.vwap = f[7];
    this.closed = f[8];
    this.#symbol = symbol;
    this.#scales = scales;
  }

  get openDecimal(): string {
    return formatScaled(this.open, scalesOf(this.#scales, this.#symbol).priceScale);
  }
  get highDecimal(): string {
    return formatScaled(this.high, scalesOf(this.#scales, this.#symbol).priceScale);
  }
  get lowDecimal(): string {
    return formatScaled(this.low, scalesOf(this.#scales, this.#symbol).priceScale);
  }
  get closeDecimal(): string {
    return formatScaled(this.close, scalesOf(this.#scales, this.#symbol).priceScale);
  }
  get volumeDecimal(): string {
    return formatScaled(this.volume, scalesOf(this.#scales, this.#symbol).qtyScale);
  }

  toJSON(): Omit<DecimalCandle, never> {
    return {
      startUs: this.startUs,
      open: this.open,
      openDecimal: this.openDecimal,
      high: this.high,
      highDecimal: this.highDecimal,
      low: this.low,
      lowDecimal: this.lowDecimal,
      close: this.close,
      closeDecimal: this.closeDecimal,
      volume: this.volume,
      volumeDecimal: this.volumeDecimal,
      trades: this.trades,
      vwap: this.vwap,
      closed: this.closed,
    };
  }
}
