import {
  type ChannelEvent,
  type DecimalBookLevel,
  formatScaled,
  type InstrumentInfo,
  type InstrumentsEvent,
} from '../../feed-server/src/client/index.ts';
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
 * channel; prices and sizes as the events' exact decimal strings, `-` for an unknown value.
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
    const mark = e.snapshot ? '  (snapshot)' : '';
    switch (e.type) {
      case 'trade': {
        const side = e.side === 'buy' ? 'BUY ' : 'SELL';
        return `${isoMicros(e.tsUs)}  ${e.channel}  ${side} ${e.qtyDecimal.padStart(14)} @ ${e.priceDecimal}${mark}\n`;
      }
      case 'ticker':
        return (
          `${isoMicros(e.tsUs)}  ${e.channel}  bid ${e.bidDecimal ?? DASH} × ${e.bidQtyDecimal ?? DASH}` +
          ` | ask ${e.askDecimal ?? DASH} × ${e.askQtyDecimal ?? DASH}  last ${e.lastDecimal ?? DASH} × ${e.lastQtyDecimal ?? DASH}` +
          `  24h open ${e.open24hDecimal ?? DASH} high ${e.high24hDecimal ?? DASH} low ${e.low24hDecimal ?? DASH}` +
          ` volume ${e.volume24hDecimal} trades ${e.trades24h}${mark}\n`
        );
      case 'book': {
        const bid = e.book.bidsDecimal[0];
        const ask = e.book.asksDecimal[0];
        const bestBid = e.book.bids[0];
        const bestAsk = e.book.asks[0];
        const ps = requireInstrument(this.instruments, e.symbol).priceScale;
        const spread =
          bestBid !== undefined && bestAsk !== undefined
            ? `  spread ${formatScaled(bestAsk[0] - bestBid[0], ps)}`
            : '';
        return (
          `${isoMicros(e.tsUs)}  ${e.channel}  ${level(bid, '(no bids)')} | ${level(ask, '(no asks)')}` +
          `${spread}  levels ${e.book.bids.length}/${e.book.asks.length}  seq ${e.seq}${mark}\n`
        );
      }
      case 'candle': {
        const b = e.bar;
        return (
          `${isoMicros(b.startUs)}  ${e.channel}  O ${b.openDecimal} H ${b.highDecimal}` +
          ` L ${b.lowDecimal} C ${b.closeDecimal}  V ${b.volumeDecimal}` +
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

function level(l: DecimalBookLevel | undefined, none: string): string {
  return l === undefined ? none : `${l[0]} × ${l[1]}`;
}
