import {
  type BookDepth,
  type BookLevel,
  bookChecksum,
  CHECKSUM_DEPTH,
  encodeMessage,
  parseChannel,
  type SnapshotData,
  type TickerFields,
} from '../../../feed-server/src/protocol/index.ts';
import {
  type BookAtDepth,
  CANDLE_SNAPSHOT,
  type ConflationInput,
  candleFields,
  type DepthBookFrame,
  type FeedState,
  instrumentInfo,
  LadderSide,
  type MarketQuery,
  TRADE_HISTORY,
  TRADE_SNAPSHOT,
  type TradeRecord,
  tickerFields,
  tradeRows,
} from '../../../feed-server/src/server/index.ts';
import {
  type Candle,
  type CandleInterval,
  type Instrument,
  type LevelEvent,
  MarketData,
  type MarketDataState,
  type Ticker,
  type TradeEvent,
} from '../../../matching/src/index.ts';
import { RECORD_TYPES } from './record-types.ts';
import { ReplayError } from './replay-error.ts';
import { decodeCommand, decodeKeyframe, decodeMessage, decodeSource, decodeTick } from './session-codec.ts';
import type { SessionMetadata } from './session-metadata.ts';

/** What the replay knows of one recorded channel. */
interface ChannelInfo {
  readonly id: number;
  readonly name: string;
  readonly kind: 'instruments' | 'trades' | 'ticker' | 'book' | 'candles';
  readonly symbol: SymbolState | undefined;
  readonly depth: BookDepth;
  readonly interval: CandleInterval;
  seq: number;
  /** `tsUs` of the channel's last message; 0 before any */
  lastTsUs: number;
}

/** One instrument's state, as the live producer holds it (see `FeedPublisher`'s SymbolFeed). */
class SymbolState implements ConflationInput {
  readonly bids = new LadderSide(true);
  readonly asks = new LadderSide(false);
  bookTsUs = 0;
  trades: TradeRecord[] = [];
  lastTicker: TickerFields;
  tickerTsUs = 0;
  tickerVersion = 0;
  bookVersion = 0;

  constructor(
    readonly instrument: Instrument,
    initialTicker: TickerFields,
  ) {
    this.lastTicker = initialTicker;
  }

  bookAt(depth: BookDepth): DepthBookFrame {
    const n = depth === 'full' ? Number.POSITIVE_INFINITY : depth;
    return {
      bids: this.bids.top(n),
      asks: this.asks.top(n),
      checksum: bookChecksum(this.bids.top(CHECKSUM_DEPTH), this.asks.top(CHECKSUM_DEPTH)),
    };
  }
}

const noop = (): void => {};

/**
 * The state of a recorded feed at one point of its log, rebuilt from a keyframe and the records after it: the
 * snapshots (byte for byte what the live producer would have sent at that point) and the REST answers. Only the
 * recorded output and the input's times are read, so an imported session replays exactly as a simulated one.
 *
 * Records are applied in log order; a snapshot is consistent at any record boundary, and identical to the live
 * producer's between two commands (where the recorder writes keyframes and the replay stops).
 */
export class ReplayState implements MarketQuery {
  readonly session: string;
  readonly mode = 'replay' as const;
  readonly #instruments: readonly Instrument[];
  readonly #marketData: MarketData;
  readonly #symbols = new Map<string, SymbolState>();
  readonly #byId = new Map<number, ChannelInfo>();
  readonly #byName = new Map<string, ChannelInfo>();
  #nowUs = 0;
  /** seq of the last record applied */
  position = 0;

  constructor(readonly metadata: SessionMetadata) {
    this.session = metadata.session;
    this.#instruments = metadata.instruments;
    this.#marketData = new MarketData(metadata.instruments, noop);
    for (const inst of metadata.instruments) {
      this.#symbols.set(
        inst.symbol,
        new SymbolState(inst, tickerFields(this.#marketData.ticker(inst.symbol) as Ticker)),
      );
    }
    const knownSymbols = new Set(this.#symbols.keys());
    for (const [id, name] of metadata.channels) {
      const c = parseChannel(name, { knownSymbols });
      if (c.kind === 'replay')
        throw new ReplayError('BAD_SESSION', 'a recording cannot hold the replay channel');
      const info: ChannelInfo = {
        id,
        name,
        kind: c.kind,
        symbol: c.kind === 'instruments' ? undefined : this.#symbols.get(c.symbol),
        depth: c.kind === 'book' ? c.depth : 10,
        interval: c.kind === 'candles' ? c.interval : '1s',
        seq: 0,
        lastTsUs: 0,
      };
      this.#byId.set(id, info);
      this.#byName.set(name, info);
    }
  }

  /** Replaces the state with a keyframe's (after which records from the keyframe's seq + 1 apply). */
  restore(state: FeedState, position: number): void {
    this.#nowUs = state.nowUs;
    this.#marketData.restoreState(state.marketData);
    for (const s of state.symbols) {
      const sym = this.#symbols.get(s.symbol);
      if (sym === undefined) throw new ReplayError('BAD_RECORD', `keyframe of unknown symbol ${s.symbol}`);
      sym.bids.clear();
      sym.asks.clear();
      for (const [price, qty, count] of s.bids) sym.bids.set(price, qty, count);
      for (const [price, qty, count] of s.asks) sym.asks.set(price, qty, count);
      sym.bookTsUs = s.bookTsUs;
      sym.trades = s.trades.map(([tsUs, tradeId, price, qty, side]) => ({ tsUs, tradeId, price, qty, side }));
      sym.lastTicker = s.ticker;
      sym.tickerTsUs = s.tickerTsUs;
    }
    for (const [name, seq, lastTsUs] of state.seqs) {
      const info = this.#byName.get(name);
      if (info === undefined) throw new ReplayError('BAD_RECORD', `keyframe of unknown channel ${name}`);
      info.seq = seq;
      info.lastTsUs = lastTsUs;
    }
    this.position = position;
  }

  /** Applies one record (the next in log order). */
  apply(seq: number, type: number, payload: Uint8Array): void {
    this.position = seq;
    switch (type) {
      case RECORD_TYPES.COMMAND:
        this.#advance(decodeCommand(payload).tsUs);
        return;
      case RECORD_TYPES.TICK:
        this.#advance(decodeTick(payload));
        return;
      case RECORD_TYPES.SOURCE:
        this.#advance(decodeSource(payload).tsUs);
        return;
      case RECORD_TYPES.KEYFRAME:
        // A keyframe agrees with what the records before it built; applying it is a restore.
        this.restore(decodeKeyframe(payload).state, seq);
        return;
      case RECORD_TYPES.MESSAGE:
        this.#message(decodeMessage(payload));
        return;
      default:
        throw new ReplayError('BAD_RECORD', `record ${seq} has unknown type ${type}`);
    }
  }

  /** The feed's clock: engine time of the latest input, µs. */
  nowUs(): number {
    return this.#nowUs;
  }

  /** The market data (candles, tickers) as of this point, as plain data (see `MarketData.exportState`). */
  exportMarketData(): MarketDataState {
    return this.#marketData.exportState();
  }

  /** Seq of a recorded channel here; undefined for a channel the recording does not have. */
  seqOf(name: string): number | undefined {
    return this.#byName.get(name)?.seq;
  }

  /** A symbol's ticker and book state, for conflated channels. */
  conflationInput(symbol: string): ConflationInput | undefined {
    return this.#symbols.get(symbol);
  }

  /** The encoded snapshot message `[3, id, seq, tsUs, data]` of a recorded channel, as the live feed built it. */
  snapshot(name: string): { readonly seq: number; readonly encoded: Uint8Array } {
    const info = this.#byName.get(name);
    if (info === undefined) throw new Error(`assertion failed: ${name} is not a recorded channel`);
    const { tsUs, data } = this.#snapshotData(info);
    return { seq: info.seq, encoded: encodeMessage([3, info.id, info.seq, tsUs, data]) };
  }

  // ---- MarketQuery ----

  instruments(): readonly Instrument[] {
    return this.#instruments;
  }

  ticker(symbol: string): Ticker | undefined {
    return this.#marketData.ticker(symbol);
  }

  book(symbol: string, depth: BookDepth): BookAtDepth | undefined {
    const sym = this.#symbols.get(symbol);
    if (sym === undefined) return undefined;
    const seq = this.#byName.get(`book:${symbol}:${depth}`)?.seq ?? 0;
    return { seq, tsUs: sym.bookTsUs, ...sym.bookAt(depth) };
  }

  trades(symbol: string, limit: number): readonly TradeRecord[] | undefined {
    const trades = this.#symbols.get(symbol)?.trades;
    return trades?.slice(Math.max(0, trades.length - Math.min(limit, TRADE_HISTORY)));
  }

  candles(symbol: string, interval: CandleInterval, limit: number): readonly Candle[] | undefined {
    return this.#marketData.candles(symbol, interval, limit);
  }

  // ---- internals ----

  #advance(tsUs: number): void {
    if (tsUs > this.#nowUs) this.#nowUs = tsUs;
    this.#marketData.advanceTo(tsUs);
  }

  #message(m: readonly unknown[]): void {
    const id = m[1] as number;
    const info = this.#byId.get(id);
    if (info === undefined) throw new ReplayError('BAD_RECORD', `message of unknown channel id ${id}`);
    const seq = m[2] as number;
    if (seq !== info.seq + 1) {
      throw new ReplayError('BAD_RECORD', `${info.name}: message seq ${seq} after ${info.seq}`);
    }
    info.seq = seq;
    const tsUs = m[3] as number;
    info.lastTsUs = tsUs;
    const sym = info.symbol;
    if (sym === undefined) return;
    const symbol = sym.instrument.symbol;
    switch (info.kind) {
      case 'trades': {
        const [tradeId, price, qty, side] = m.slice(4) as [number, number, number, 'b' | 's'];
        sym.trades.push({ tsUs, tradeId, price, qty, side });
        if (sym.trades.length >= 2 * TRADE_HISTORY) sym.trades.splice(0, sym.trades.length - TRADE_HISTORY);
        this.#marketData.onEvent(tradeEvent(symbol, tsUs, tradeId, price, qty, side));
        return;
      }
      case 'ticker':
        sym.lastTicker = m.slice(4) as unknown as TickerFields;
        sym.tickerTsUs = tsUs;
        sym.tickerVersion++;
        return;
      case 'book': {
        if (info.depth !== 'full') return;
        const bids = m[5] as readonly BookLevel[];
        const asks = m[6] as readonly BookLevel[];
        for (const [price, qty, count] of bids) {
          sym.bids.set(price, qty, count);
          this.#marketData.onEvent(levelEvent(symbol, tsUs, 'buy', price, qty, count));
        }
        for (const [price, qty, count] of asks) {
          sym.asks.set(price, qty, count);
          this.#marketData.onEvent(levelEvent(symbol, tsUs, 'sell', price, qty, count));
        }
        sym.bookTsUs = tsUs;
        sym.bookVersion++;
        return;
      }
      default:
        // candles: the market data derives the bars from the trades and the clock, as live.
        return;
    }
  }

  #snapshotData(info: ChannelInfo): { tsUs: number; data: SnapshotData } {
    const sym = info.symbol;
    switch (info.kind) {
      case 'instruments':
        return { tsUs: info.lastTsUs, data: this.#instruments.map(instrumentInfo) };
      case 'trades':
        return { tsUs: info.lastTsUs, data: tradeRows((sym as SymbolState).trades.slice(-TRADE_SNAPSHOT)) };
      case 'ticker':
        return { tsUs: (sym as SymbolState).tickerTsUs, data: (sym as SymbolState).lastTicker };
      case 'book': {
        const { checksum, bids, asks } = (sym as SymbolState).bookAt(info.depth);
        return { tsUs: (sym as SymbolState).bookTsUs, data: [checksum, bids, asks] };
      }
      case 'candles': {
        const symbol = (sym as SymbolState).instrument.symbol;
        const bars = this.#marketData.candles(symbol, info.interval, CANDLE_SNAPSHOT) ?? [];
        return { tsUs: info.lastTsUs, data: bars.map(candleFields) };
      }
    }
  }
}

/** A `trade` engine event from a trade's fields (the ids and owners the feed never shows are 0). */
export function tradeEvent(
  symbol: string,
  tsUs: number,
  tradeId: number,
  price: number,
  qty: number,
  side: 'b' | 's' | 'buy' | 'sell',
): TradeEvent {
  return {
    type: 'trade',
    seq: 0,
    tsUs,
    symbol,
    tradeId,
    price,
    qty,
    takerSide: side === 'b' || side === 'buy' ? 'buy' : 'sell',
    makerOrderId: 0,
    takerOrderId: 0,
    makerOwnerId: 0,
    takerOwnerId: 0,
  };
}

function levelEvent(
  symbol: string,
  tsUs: number,
  side: 'buy' | 'sell',
  price: number,
  qty: number,
  count: number,
): LevelEvent {
  return { type: 'level', seq: 0, tsUs, symbol, side, price, qty, count };
}
