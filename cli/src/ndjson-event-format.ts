import { type EngineEvent, formatScaled, type Instrument } from '../../matching/src/index.ts';

interface Scales {
  readonly quotedSymbol: string;
  readonly priceScale: number;
  readonly qtyScale: number;
}

/**
 * Formats engine events as NDJSON lines with a fixed field order: `seq`, `tsUs`, `type`, `symbol`, then the
 * event's own fields in the order `matching/src/events.ts` declares them. Prices and quantities are exact
 * decimal strings at the instrument's scales ("65000.01", "0.03076"); a price or stop price of 0 (none:
 * an unprotected market order, a non-stop order) is `null`. Ids, counts and `tsUs` are JSON integers.
 */
export class NdjsonEventFormat {
  private readonly scales = new Map<string, Scales>();

  constructor(instruments: readonly Instrument[]) {
    for (const i of instruments) {
      this.scales.set(i.symbol, {
        quotedSymbol: JSON.stringify(i.symbol),
        priceScale: i.priceScale,
        qtyScale: i.qtyScale,
      });
    }
  }

  /** One event as a JSON object followed by a newline. */
  format(e: EngineEvent): string {
    const s = this.scales.get(e.symbol);
    const head = `{"seq":${e.seq},"tsUs":${e.tsUs},"type":"${e.type}","symbol":${s?.quotedSymbol ?? JSON.stringify(e.symbol)}`;
    if (e.type === 'rejected') {
      return `${head},"command":"${e.command}","orderId":${e.orderId},"code":"${e.code}"}\n`;
    }
    if (s === undefined) throw new Error(`event for an unconfigured symbol ${e.symbol}`);
    // No per-call closures here: tsx's keepNames would wrap each one in a helper call per event.
    const ps = s.priceScale;
    const qs = s.qtyScale;
    switch (e.type) {
      case 'level':
        return `${head},"side":"${e.side}","price":"${formatScaled(e.price, ps)}","qty":"${formatScaled(e.qty, qs)}","count":${e.count}}\n`;
      case 'trade':
        return `${head},"tradeId":${e.tradeId},"price":"${formatScaled(e.price, ps)}","qty":"${formatScaled(e.qty, qs)}","takerSide":"${e.takerSide}","makerOrderId":${e.makerOrderId},"takerOrderId":${e.takerOrderId},"makerOwnerId":${e.makerOwnerId},"takerOwnerId":${e.takerOwnerId}}\n`;
      case 'accepted': {
        const price = e.price === 0 ? 'null' : `"${formatScaled(e.price, ps)}"`;
        const stop = e.stopPrice === 0 ? 'null' : `"${formatScaled(e.stopPrice, ps)}"`;
        return `${head},"orderId":${e.orderId},"ownerId":${e.ownerId},"side":"${e.side}","orderType":"${e.orderType}","price":${price},"stopPrice":${stop},"qty":"${formatScaled(e.qty, qs)}","tif":"${e.tif}","postOnly":${e.postOnly}}\n`;
      }
      case 'done':
        return `${head},"orderId":${e.orderId},"ownerId":${e.ownerId},"side":"${e.side}","reason":"${e.reason}","remainingQty":"${formatScaled(e.remainingQty, qs)}"}\n`;
      case 'modified':
        return `${head},"orderId":${e.orderId},"side":"${e.side}","price":"${formatScaled(e.price, ps)}","qty":"${formatScaled(e.qty, qs)}","priorityKept":${e.priorityKept}}\n`;
      case 'triggered':
        return `${head},"orderId":${e.orderId},"side":"${e.side}","stopPrice":"${formatScaled(e.stopPrice, ps)}"}\n`;
    }
  }
}
