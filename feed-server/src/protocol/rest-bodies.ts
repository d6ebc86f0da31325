import type { BookDepth, CandleInterval } from './channel-name.ts';
import type { Side } from './messages.ts';
import type { RestErrorCode } from './rest-error-codes.ts';

/*
 * The JSON bodies of the REST API (PROTOCOL.md §14), defined once for the server that writes them and the clients
 * that read them. Every price and quantity appears twice: under the protocol's name as the scaled integer of §3
 * (exact, the same number the feed sends, what the checksum is computed over), and under that name + `Decimal` as
 * the exact decimal string at the instrument's scale (`"65001.25"`). Every per-symbol body carries `priceScale`
 * and `qtyScale`.
 */

/** A bigint as JSON, exactly: a number when it is a safe integer (|v| ≤ 2^53 − 1), else its digits as a string. */
export type ExactInteger = number | string;

/** One instrument (`GET /api/v1/instruments`); sizes are scaled like the protocol's `instruments` snapshot. */
export interface RestInstrument {
  readonly symbol: string;
  /** decimals of a price: a price integer × 10^-priceScale is the price */
  readonly priceScale: number;
  /** decimals of a quantity */
  readonly qtyScale: number;
  /** smallest price step, scaled at priceScale */
  readonly tickSize: number;
  readonly tickSizeDecimal: string;
  /** smallest quantity step, scaled at qtyScale */
  readonly lotSize: number;
  readonly lotSizeDecimal: string;
  /** smallest order quantity, scaled at qtyScale */
  readonly minSize: number;
  readonly minSizeDecimal: string;
  /** largest accepted price, scaled at priceScale */
  readonly maxPrice: number;
  readonly maxPriceDecimal: string;
  /** largest accepted order quantity, scaled at qtyScale */
  readonly maxSize: number;
  readonly maxSizeDecimal: string;
}

/** `GET /api/v1/instruments`. */
export interface RestInstruments {
  /** in configuration order */
  readonly instruments: readonly RestInstrument[];
}

/** Fields every per-symbol body starts with. */
export interface RestScales {
  readonly symbol: string;
  readonly priceScale: number;
  readonly qtyScale: number;
}

/** `GET /api/v1/ticker/:symbol`. Prices scaled at priceScale, quantities at qtyScale; `null` = unknown. */
export interface RestTicker extends RestScales {
  /** engine time of the latest event or tick the ticker saw, µs since the Unix epoch; 0 before any */
  readonly tsUs: number;
  /** best bid price */
  readonly bid: number | null;
  readonly bidDecimal: string | null;
  /** quantity at the best bid */
  readonly bidQty: number | null;
  readonly bidQtyDecimal: string | null;
  /** best ask price */
  readonly ask: number | null;
  readonly askDecimal: string | null;
  /** quantity at the best ask */
  readonly askQty: number | null;
  readonly askQtyDecimal: string | null;
  /** price of the last trade ever */
  readonly last: number | null;
  readonly lastDecimal: string | null;
  /** quantity of the last trade */
  readonly lastQty: number | null;
  readonly lastQtyDecimal: string | null;
  /** first trade price of the 24 h window */
  readonly open24h: number | null;
  readonly open24hDecimal: string | null;
  /** highest trade price of the 24 h window */
  readonly high24h: number | null;
  readonly high24hDecimal: string | null;
  /** lowest trade price of the 24 h window */
  readonly low24h: number | null;
  readonly low24hDecimal: string | null;
  /** Σ qty of the 24 h window, scaled at qtyScale (an `ExactInteger`) */
  readonly volume24h: ExactInteger;
  readonly volume24hDecimal: string;
  /** Σ price × qty of the 24 h window, scaled at priceScale + qtyScale (an `ExactInteger`) */
  readonly notional24h: ExactInteger;
  readonly notional24hDecimal: string;
  /** `last − open24h`, scaled at priceScale */
  readonly change24h: number | null;
  readonly change24hDecimal: string | null;
  /** `change24h / open24h` in percent, 2 decimals, half-even (`"2.50"`) */
  readonly changePct24h: string | null;
  /** trades in the 24 h window */
  readonly trades24h: number;
}

/** One L2 level. */
export interface RestBookLevel {
  /** scaled at priceScale */
  readonly price: number;
  readonly priceDecimal: string;
  /** total quantity resting at the price, scaled at qtyScale */
  readonly qty: number;
  readonly qtyDecimal: string;
  /** number of resting orders at the price */
  readonly count: number;
}

/** `GET /api/v1/book/:symbol`: the `book:SYMBOL:DEPTH` channel's state. */
export interface RestBook extends RestScales {
  /** levels per side: 10, 50 or `"full"` */
  readonly depth: BookDepth;
  /** seq of the `book:SYMBOL:DEPTH` channel this state reflects (PROTOCOL.md §5) */
  readonly seq: number;
  /** engine time of the latest change, µs since the Unix epoch; 0 before any */
  readonly tsUs: number;
  /** PROTOCOL.md §12 CRC-32 of the top 10 levels per side (unsigned) */
  readonly checksum: number;
  /** best (highest) first */
  readonly bids: readonly RestBookLevel[];
  /** best (lowest) first */
  readonly asks: readonly RestBookLevel[];
}

/** One trade. */
export interface RestTrade {
  /** engine time, µs since the Unix epoch */
  readonly tsUs: number;
  /** the engine's per-instrument trade id, increasing */
  readonly tradeId: number;
  /** scaled at priceScale */
  readonly price: number;
  readonly priceDecimal: string;
  /** scaled at qtyScale */
  readonly qty: number;
  readonly qtyDecimal: string;
  /** the taker's side: `"b"` buy, `"s"` sell */
  readonly side: Side;
}

/** `GET /api/v1/trades/:symbol`. */
export interface RestTrades extends RestScales {
  /** oldest first */
  readonly trades: readonly RestTrade[];
}

/** One OHLCV bar. Prices scaled at priceScale. */
export interface RestCandle {
  /** start of the bar, µs since the Unix epoch; the bar covers `[startUs, startUs + interval)` */
  readonly startUs: number;
  readonly open: number;
  readonly openDecimal: string;
  readonly high: number;
  readonly highDecimal: string;
  readonly low: number;
  readonly lowDecimal: string;
  readonly close: number;
  readonly closeDecimal: string;
  /** Σ qty, scaled at qtyScale (an `ExactInteger`) */
  readonly volume: ExactInteger;
  readonly volumeDecimal: string;
  /** Σ price × qty, scaled at priceScale + qtyScale (an `ExactInteger`) */
  readonly notional: ExactInteger;
  readonly notionalDecimal: string;
  /** trades in the bar */
  readonly trades: number;
  /** `notional / volume` as a decimal string at priceScale + 4 decimals, half-even; null for a bar without trades */
  readonly vwap: string | null;
  /** false while the bar is forming (the last bar), true once its time has passed */
  readonly closed: boolean;
}

/** `GET /api/v1/candles/:symbol`. */
export interface RestCandles extends RestScales {
  readonly interval: CandleInterval;
  /** oldest first */
  readonly candles: readonly RestCandle[];
}

/** The JSON body of every REST error response (§14). */
export interface RestErrorBody {
  readonly error: {
    /** stable code of `REST_ERROR_CODES` */
    readonly code: RestErrorCode;
    /** for humans; the wording may change */
    readonly message: string;
  };
}
