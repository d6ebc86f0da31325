import {
  type BookLevel,
  type ChannelEvent,
  formatScaled,
  type InstrumentInfo,
  type InstrumentsEvent,
} from '../client/index.ts';
import { isoMicros } from './text-event-format.ts';

/** The scales of a symbol, from the `instruments` channel; undefined when the feed did not list it. */
export type InstrumentLookup = (symbol: string) => InstrumentInfo | undefined;

/** The instrument of `symbol`, which must be known: numbers are never printed at a guessed scale. */
export function requireInstrument(lookup: InstrumentLookup, symbol: string): InstrumentInfo {
  const inst = lookup(symbol);
  if (inst === undefined) throw new Error(`the feed's instruments channel does not list ${symbol}`);
  return inst;
}

const DASH = '-';

/**
 * The human-readable output of `tickwire subscribe`: one line per message, starting with the event's time and
 * channel; prices and sizes as exact decimals at the instrument's scales, `-` for an unknown value.
 */
export class FeedTextFormat {
  constructor(private readonly instruments: InstrumentLookup) {}

  /** One event as a line (an `instruments` snapshot as a line per instrument), with newlines. */
  format(e: ChannelEvent): string {
    if (e.type === 'instruments') return this.instrumentsLines(e);
    if (e.type === 'replay') {
      const s = e.status;
      return `${isoMicros(e.tsUs)}  replay  ${s.state} at ${isoMicros(s.clockUs)}, speed ${s.speed}${s.loop ? ', looping' : ''}  (${isoMicros(s.fromUs)} … ${isoMicros(s.toUs)})${e.snapshot ? '  (snapshot)' : ''}\n`;
    }
    const inst = requireInstrument(this.instruments, e.symbol);
    const ps = inst.priceScale;
    const qs = inst.qtyScale;
    const mark = e.snapshot ? '  (snapshot)' : '';
    switch (e.type) {
      case 'trade': {
        const side = e.side === 'b' ? 'BUY ' : 'SELL';
        return `${isoMicros(e.tsUs)}  ${e.channel}  ${side} ${formatScaled(e.qty, qs).padStart(14)} @ ${formatScaled(e.price, ps)}${mark}\n`;
      }
      case 'ticker':
        return (
          `${isoMicros(e.tsUs)}  ${e.channel}  bid ${orDash(e.bid, ps)} × ${orDash(e.bidQty, qs)}` +
          ` | ask ${orDash(e.ask, ps)} × ${orDash(e.askQty, qs)}  last ${orDash(e.last, ps)} × ${orDash(e.lastQty, qs)}` +
          `  24h open ${orDash(e.open24h, ps)} high ${orDash(e.high24h, ps)} low ${orDash(e.low24h, ps)}` +
          ` volume ${formatScaled(e.volume24h, qs)} trades ${e.trades24h}${mark}\n`
        );
      case 'book': {
        const bid = e.book.bids[0];
        const ask = e.book.asks[0];
        const spread =
          bid !== undefined && ask !== undefined ? `  spread ${formatScaled(ask[0] - bid[0], ps)}` : '';
        return (
          `${isoMicros(e.tsUs)}  ${e.channel}  ${level(bid, ps, qs, '(no bids)')} | ${level(ask, ps, qs, '(no asks)')}` +
          `${spread}  levels ${e.book.bids.length}/${e.book.asks.length}  seq ${e.seq}${mark}\n`
        );
      }
      case 'candle': {
        const b = e.bar;
        return (
          `${isoMicros(b.startUs)}  ${e.channel}  O ${formatScaled(b.open, ps)} H ${formatScaled(b.high, ps)}` +
          ` L ${formatScaled(b.low, ps)} C ${formatScaled(b.close, ps)}  V ${formatScaled(b.volume, qs)}` +
          `  ${b.trades} trades  vwap ${b.vwap}${b.closed ? '  closed' : ''}${mark}\n`
        );
      }
    }
  }

  private instrumentsLines(e: InstrumentsEvent): string {
    let out = '';
    for (const i of e.instruments) {
      out +=
        `${isoMicros(e.tsUs)}  ${e.channel}  ${i.symbol}  priceScale ${i.priceScale}  qtyScale ${i.qtyScale}` +
        `  tick ${formatScaled(i.tickSize, i.priceScale)}  lot ${formatScaled(i.lotSize, i.qtyScale)}` +
        `  min ${formatScaled(i.minSize, i.qtyScale)}  maxPrice ${formatScaled(i.maxPrice, i.priceScale)}` +
        `  maxSize ${formatScaled(i.maxSize, i.qtyScale)}\n`;
    }
    return out;
  }
}

function orDash(v: number | null, scale: number): string {
  return v === null ? DASH : formatScaled(v, scale);
}

function level(l: BookLevel | undefined, ps: number, qs: number, none: string): string {
  return l === undefined ? none : `${formatScaled(l[0], ps)} × ${formatScaled(l[1], qs)}`;
}
