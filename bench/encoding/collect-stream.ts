import {
  type Candle,
  DEFAULT_INSTRUMENT_SPECS,
  defineInstrument,
  type EngineEvent,
  type Instrument,
  MarketData,
  runSimulation,
  type Ticker,
} from '../../matching/src/index.ts';
import { ChannelRegistry } from './channel-registry.ts';
import type { CandleData, ChannelInfo, FeedMessage, MessageKind, TickerData } from './feed-message.ts';

/** A recorded feed: every channel message of one simulator run, by kind and in publication order. */
export interface FeedStream {
  readonly registry: ChannelRegistry;
  /** every message, in the order the feed would publish them */
  readonly all: readonly FeedMessage[];
  readonly byKind: Readonly<Record<MessageKind, readonly FeedMessage[]>>;
  /** simulator commands run */
  readonly commands: number;
  /** virtual time the run covered, µs */
  readonly spanUs: number;
}

/** Which run to record. */
export interface CollectOptions {
  readonly seed: number;
  /** simulator commands */
  readonly count: number;
  /** default: `DEFAULT_INSTRUMENT_SPECS` */
  readonly instruments?: readonly Instrument[];
}

/**
 * Runs the real simulator and engine, feeds every event to `MarketData`, and turns trades, L2 level changes,
 * tickers and candles into channel messages: per-channel `seq` from 1, `tsUs` of the engine event behind
 * the message. Deterministic for a seed.
 */
export function collectFeedStream(options: CollectOptions): FeedStream {
  const instruments = options.instruments ?? DEFAULT_INSTRUMENT_SPECS.map(defineInstrument);
  const bySymbol = new Map(instruments.map((i) => [i.symbol, i]));
  const registry = new ChannelRegistry();
  const seqs = new Map<string, number>();
  const all: FeedMessage[] = [];
  const byKind: Record<MessageKind, FeedMessage[]> = { trade: [], l2: [], ticker: [], candle: [] };
  let nowUs = 0;
  let firstUs: number | null = null;

  const publish = (info: ChannelInfo, data: FeedMessage['data']): void => {
    const seq = (seqs.get(info.name) ?? 0) + 1;
    seqs.set(info.name, seq);
    const msg: FeedMessage = { channel: info.name, seq, tsUs: nowUs, data };
    all.push(msg);
    byKind[info.kind].push(msg);
  };
  const instrumentOf = (symbol: string): Instrument => {
    const instrument = bySymbol.get(symbol);
    if (instrument === undefined) throw new RangeError(`event of unknown symbol ${symbol}`);
    return instrument;
  };

  const marketData = new MarketData(instruments, (u) => {
    if (u.type === 'ticker') {
      publish(registry.channel('ticker', instrumentOf(u.ticker.symbol)), tickerData(u.ticker));
    } else {
      const c = u.candle;
      publish(registry.channel('candle', instrumentOf(c.symbol), c.interval), candleData(c));
    }
  });

  const onEvent = (e: EngineEvent): void => {
    nowUs = e.tsUs;
    firstUs ??= e.tsUs;
    if (e.type === 'trade') {
      publish(registry.channel('trade', instrumentOf(e.symbol)), {
        tradeId: e.tradeId,
        price: e.price,
        qty: e.qty,
        takerSide: e.takerSide,
      });
    } else if (e.type === 'level') {
      publish(registry.channel('l2', instrumentOf(e.symbol)), {
        side: e.side,
        price: e.price,
        qty: e.qty,
        count: e.count,
      });
    }
    marketData.onEvent(e);
  };

  const summary = runSimulation({ seed: options.seed, instruments, count: options.count, onEvent });
  return { registry, all, byKind, commands: summary.commands, spanUs: nowUs - (firstUs ?? nowUs) };
}

function tickerData(t: Ticker): TickerData {
  return {
    bestBid: t.bestBid,
    bestBidQty: t.bestBidQty,
    bestAsk: t.bestAsk,
    bestAskQty: t.bestAskQty,
    last: t.last,
    lastQty: t.lastQty,
    open24h: t.open24h,
    high24h: t.high24h,
    low24h: t.low24h,
    volume24h: t.volume24h,
    notional24h: t.notional24h,
    change24h: t.change24h,
    tradeCount24h: t.tradeCount24h,
  };
}

function candleData(c: Candle): CandleData {
  return {
    startUs: c.startUs,
    open: c.open,
    high: c.high,
    low: c.low,
    close: c.close,
    volume: c.volume,
    notional: c.notional,
    tradeCount: c.tradeCount,
    closed: c.closed,
  };
}
