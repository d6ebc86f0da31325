import { type BookLevel, type ChannelEvent, formatScaled } from '../client/index.ts';
import { type InstrumentLookup, requireInstrument } from './feed-text-format.ts';

/**
 * The `--json` output of `tickwire subscribe`: one JSON object per message with a fixed field order —
 * `channel`, `type`, `seq`, `tsUs`, `snapshot`, then the message's fields — prices and sizes as exact decimal
 * strings at the instrument's scales, `null` for an unknown value. A book message carries the whole local
 * book (best first, `[price, qty, count]`) and its checksum, not the diff.
 */
export class FeedNdjsonFormat {
  constructor(private readonly instruments: InstrumentLookup) {}

  /** One event as a JSON object followed by a newline. */
  format(e: ChannelEvent): string {
    const head = `{"channel":${JSON.stringify(e.channel)},"type":"${e.type}","seq":${e.seq},"tsUs":${e.tsUs},"snapshot":${e.snapshot}`;
    if (e.type === 'instruments') {
      const list = e.instruments.map((i) =>
        JSON.stringify({
          symbol: i.symbol,
          priceScale: i.priceScale,
          qtyScale: i.qtyScale,
          tickSize: formatScaled(i.tickSize, i.priceScale),
          lotSize: formatScaled(i.lotSize, i.qtyScale),
          minSize: formatScaled(i.minSize, i.qtyScale),
          maxPrice: formatScaled(i.maxPrice, i.priceScale),
          maxSize: formatScaled(i.maxSize, i.qtyScale),
        }),
      );
      return `${head},"instruments":[${list.join(',')}]}\n`;
    }
    if (e.type === 'replay') return `${head},"status":${JSON.stringify(e.status)}}\n`;
    const inst = requireInstrument(this.instruments, e.symbol);
    const ps = inst.priceScale;
    const qs = inst.qtyScale;
    const symbol = JSON.stringify(e.symbol);
    switch (e.type) {
      case 'trade':
        return `${head},"symbol":${symbol},"tradeId":${e.tradeId},"price":"${formatScaled(e.price, ps)}","qty":"${formatScaled(e.qty, qs)}","side":"${e.side}"}\n`;
      case 'ticker':
        return (
          `${head},"symbol":${symbol},"bid":${str(e.bid, ps)},"bidQty":${str(e.bidQty, qs)},"ask":${str(e.ask, ps)},` +
          `"askQty":${str(e.askQty, qs)},"last":${str(e.last, ps)},"lastQty":${str(e.lastQty, qs)},` +
          `"open24h":${str(e.open24h, ps)},"high24h":${str(e.high24h, ps)},"low24h":${str(e.low24h, ps)},` +
          `"volume24h":"${formatScaled(e.volume24h, qs)}","trades24h":${e.trades24h}}\n`
        );
      case 'book':
        return `${head},"symbol":${symbol},"depth":${JSON.stringify(e.depth)},"checksum":${e.book.checksum()},"bids":${levels(e.book.bids, ps, qs)},"asks":${levels(e.book.asks, ps, qs)}}\n`;
      case 'candle': {
        const b = e.bar;
        return (
          `${head},"symbol":${symbol},"interval":"${e.interval}","startUs":${b.startUs},"open":"${formatScaled(b.open, ps)}",` +
          `"high":"${formatScaled(b.high, ps)}","low":"${formatScaled(b.low, ps)}","close":"${formatScaled(b.close, ps)}",` +
          `"volume":"${formatScaled(b.volume, qs)}","trades":${b.trades},"vwap":${JSON.stringify(b.vwap)},"closed":${b.closed}}\n`
        );
      }
    }
  }
}

function str(v: number | null, scale: number): string {
  return v === null ? 'null' : `"${formatScaled(v, scale)}"`;
}

function levels(side: readonly BookLevel[], ps: number, qs: number): string {
  let out = '[';
  for (let i = 0; i < side.length; i++) {
    const l = side[i] as BookLevel;
    out += `${i === 0 ? '' : ','}["${formatScaled(l[0], ps)}","${formatScaled(l[1], qs)}",${l[2]}]`;
  }
  return `${out}]`;
}
