import { formatScaled, type Instrument, type L2Snapshot, type TradeEvent } from '../../matching/src/index.ts';

/** `2026-01-01T00:00:01.234567Z` from microseconds since the epoch. */
export function isoMicros(tsUs: number): string {
  const iso = new Date(Math.floor(tsUs / 1000)).toISOString();
  return `${iso.slice(0, -1)}${String(tsUs % 1000).padStart(3, '0')}Z`;
}

/**
 * The human-readable output of `tickwire simulate`: one line per trade and, now and then, a line per
 * instrument summarizing its book.
 */
export class TextEventFormat {
  private readonly bySymbol = new Map<string, Instrument>();
  private readonly symbolWidth: number;

  constructor(instruments: readonly Instrument[]) {
    for (const i of instruments) this.bySymbol.set(i.symbol, i);
    this.symbolWidth = Math.max(...instruments.map((i) => i.symbol.length));
  }

  /** `2026-01-01T00:00:01.234567Z  BTC-USD  BUY      0.03076 @ 65000.12` */
  trade(e: TradeEvent): string {
    const inst = this.instrument(e.symbol);
    const qty = formatScaled(e.qty, inst.qtyScale).padStart(14);
    const side = e.takerSide === 'buy' ? 'BUY ' : 'SELL';
    return `${isoMicros(e.tsUs)}  ${e.symbol.padEnd(this.symbolWidth)}  ${side} ${qty} @ ${formatScaled(e.price, inst.priceScale)}\n`;
  }

  /** `── BTC-USD  64999.00 × 0.51230 | 65001.30 × 0.03000  spread 2.30  levels 22/25  last 65000.12` */
  book(symbol: string, l2: L2Snapshot, lastPrice: number | undefined): string {
    const inst = this.instrument(symbol);
    const px = (v: number) => formatScaled(v, inst.priceScale);
    const qty = (v: number) => formatScaled(v, inst.qtyScale);
    const bid = l2.bids[0];
    const ask = l2.asks[0];
    const bidText = bid === undefined ? '(no bids)' : `${px(bid[0])} × ${qty(bid[1])}`;
    const askText = ask === undefined ? '(no asks)' : `${px(ask[0])} × ${qty(ask[1])}`;
    const spread = bid !== undefined && ask !== undefined ? `  spread ${px(ask[0] - bid[0])}` : '';
    const last = lastPrice === undefined ? '' : `  last ${px(lastPrice)}`;
    return `── ${symbol.padEnd(this.symbolWidth)}  ${bidText} | ${askText}${spread}  levels ${l2.bids.length}/${l2.asks.length}${last}\n`;
  }

  private instrument(symbol: string): Instrument {
    const inst = this.bySymbol.get(symbol);
    if (inst === undefined) throw new Error(`event for an unconfigured symbol ${symbol}`);
    return inst;
  }
}
