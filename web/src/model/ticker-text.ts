import type { TickerEvent } from 'tickwire/client';
import { exactChange } from './exact-change.ts';
import { type PriceUnits, priceText, type QtyUnits, qtyText } from './number-format.ts';

/** Shown for a value the feed does not know (no trade yet, empty side). */
export const UNKNOWN_TEXT = '—';

/** The ticker header's texts, each formatted exactly from the feed's scaled integers (`number-format.ts`). */
export interface TickerText {
  readonly last: string;
  /** `last − open24h` with its sign, e.g. `"+1,012.50"`, `"-0.25"`, `"0.00"` */
  readonly change: string;
  /** the change in percent with its sign, e.g. `"+0.02%"` */
  readonly percent: string;
  /** the sign of the 24 h change, for colour */
  readonly trend: 'up' | 'down' | 'flat';
  readonly high: string;
  readonly low: string;
  /** 24 h volume in the instrument's quantity unit */
  readonly volume: string;
  readonly bid: string;
  readonly ask: string;
}

function signed(text: string): string {
  return text.startsWith('-') || /^[0.,]+$/.test(text) ? text : `+${text}`;
}

/** The ticker header's texts for a ticker event of `instrument`. */
export function tickerText(t: TickerEvent, instrument: PriceUnits & QtyUnits): TickerText {
  const price = (v: number | null) => (v === null ? UNKNOWN_TEXT : priceText(v, instrument));
  let change = UNKNOWN_TEXT;
  let percent = UNKNOWN_TEXT;
  let trend: TickerText['trend'] = 'flat';
  if (t.last !== null && t.open24h !== null) {
    const c = exactChange(t.last, t.open24h);
    change = signed(priceText(c.change, instrument));
    percent = c.percent === null ? UNKNOWN_TEXT : `${signed(c.percent)}%`;
    trend = c.change > 0 ? 'up' : c.change < 0 ? 'down' : 'flat';
  }
  return {
    last: price(t.last),
    change,
    percent,
    trend,
    high: price(t.high24h),
    low: price(t.low24h),
    volume: qtyText(t.volume24h, instrument),
    bid: price(t.bid),
    ask: price(t.ask),
  };
}

/**
 * Which way the last price moved since it was last drawn, for the flash: `'up'`, `'down'`, or null when it did
 * not move (or one of them is unknown). Comparing what was drawn with what is drawn now, not consecutive
 * events, so that coalescing a burst into one frame still flashes the net move.
 */
export function tickDirection(drawn: number | null, next: number | null): 'up' | 'down' | null {
  if (drawn === null || next === null || drawn === next) return null;
  return next > drawn ? 'up' : 'down';
}
