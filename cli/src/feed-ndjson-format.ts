import {
  type ChannelEvent,
  type DecimalBookLevel,
  formatScaled,
} from '../../feed-server/src/client/index.ts';

/**
 * The `--json` output of `tickwire subscribe`: one JSON object per message with a fixed field order —
 * `channel`, `type`, `seq`, `tsUs`, `snapshot`, then the message's fields — prices and sizes as exact decimal
 * strings (the events' own), `null` for an unknown value; sides `"buy"` / `"sell"`. A book message carries the whole local
 * book (best first, `[price, qty, count]`) and its checksum, not the diff.
 */
export class FeedNdjsonFormat {
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
    const symbol = JSON.stringify(e.symbol);
    switch (e.type) {
      case 'trade':
        return `${head},"symbol":${symbol},"tradeId":${e.tradeId},"price":"${e.priceDecimal}","qty":"${e.qtyDecimal}","side":"${e.side}"}\n`;
      case 'ticker':
        return (
          `${head},"symbol":${symbol},"bid":${str(e.bidDecimal)},"bidQty":${str(e.bidQtyDecimal)},"ask":${str(e.askDecimal)},` +
          `"askQty":${str(e.askQtyDecimal)},"last":${str(e.lastDecimal)},"lastQty":${str(e.lastQtyDecimal)},` +
          `"open24h":${str(e.open24hDecimal)},"high24h":${str(e.high24hDecimal)},"low24h":${str(e.low24hDecimal)},` +
          `"volume24h":"${e.volume24hDecimal}","trades24h":${e.trades24h}}\n`
        );
      case 'book':
        return `${head},"symbol":${symbol},"depth":${JSON.stringify(e.depth)},"checksum":${e.book.checksum()},"bids":${levels(e.book.bidsDecimal)},"asks":${levels(e.book.asksDecimal)}}\n`;
      case 'candle': {
        const b = e.bar;
        return (
          `${head},"symbol":${symbol},"interval":"${e.interval}","startUs":${b.startUs},"open":"${b.openDecimal}",` +
          `"high":"${b.highDecimal}","low":"${b.lowDecimal}","close":"${b.closeDecimal}",` +
          `"volume":"${b.volumeDecimal}","trades":${b.trades},"vwap":${JSON.stringify(b.vwap)},"closed":${b.closed}}\n`
        );
      }
    }
  }
}

function str(v: string | null): string {
  return v === null ? 'null' : `"${v}"`;
}

function levels(side: readonly DecimalBookLevel[]): string {
  let out = '[';
  for (let i = 0; i < side.length; i++) {
    const l = side[i] as DecimalBookLevel;
    out += `${i === 0 ? '' : ','}["${l[0]}","${l[1]}",${l[2]}]`;
  }
  return `${out}]`;
}
