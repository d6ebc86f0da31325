import type {
  CandleData,
  ChannelData,
  ChannelInfo,
  LevelData,
  TickerData,
  TradeData,
} from '../feed-message.ts';
import type { IntWriter } from '../wire-ints.ts';
import {
  candleFromLong,
  candleFromShort,
  candleFromTuple,
  candleToLong,
  candleToShort,
  candleToTuple,
} from './candle-shape.ts';
import {
  levelFromLong,
  levelFromShort,
  levelFromTuple,
  levelToLong,
  levelToShort,
  levelToTuple,
} from './level-shape.ts';
import {
  tickerFromLong,
  tickerFromShort,
  tickerFromTuple,
  tickerToLong,
  tickerToShort,
  tickerToTuple,
} from './ticker-shape.ts';
import {
  tradeFromLong,
  tradeFromShort,
  tradeFromTuple,
  tradeToLong,
  tradeToShort,
  tradeToTuple,
} from './trade-shape.ts';
import type { WireObject } from './wire-object.ts';

/*
 * The channel's kind says which payload a message carries; these dispatch to the per-kind shapes. The casts
 * trust the channel registry, as a decoder trusts the subscription that named the channel.
 */

/** The payload in long keys with decimal strings (encoding a). */
export function dataToLong(ch: ChannelInfo, d: ChannelData): WireObject {
  switch (ch.kind) {
    case 'trade':
      return tradeToLong(d as TradeData, ch);
    case 'l2':
      return levelToLong(d as LevelData, ch);
    case 'ticker':
      return tickerToLong(d as TickerData, ch);
    case 'candle':
      return candleToLong(d as CandleData, ch);
  }
}

/** Reads `dataToLong`'s object back. */
export function dataFromLong(ch: ChannelInfo, o: WireObject): ChannelData {
  switch (ch.kind) {
    case 'trade':
      return tradeFromLong(o, ch);
    case 'l2':
      return levelFromLong(o, ch);
    case 'ticker':
      return tickerFromLong(o, ch);
    case 'candle':
      return candleFromLong(o, ch);
  }
}

/** The payload in short keys with scaled integers written by `w`. */
export function dataToShort(ch: ChannelInfo, d: ChannelData, w: IntWriter): WireObject {
  switch (ch.kind) {
    case 'trade':
      return tradeToShort(d as TradeData, w);
    case 'l2':
      return levelToShort(d as LevelData, w);
    case 'ticker':
      return tickerToShort(d as TickerData, w);
    case 'candle':
      return candleToShort(d as CandleData, w);
  }
}

/** Reads `dataToShort`'s object back. */
export function dataFromShort(ch: ChannelInfo, o: WireObject): ChannelData {
  switch (ch.kind) {
    case 'trade':
      return tradeFromShort(o);
    case 'l2':
      return levelFromShort(o);
    case 'ticker':
      return tickerFromShort(o);
    case 'candle':
      return candleFromShort(o);
  }
}

/** Appends the payload's positional fields to `out`. */
export function dataToTuple(ch: ChannelInfo, d: ChannelData, w: IntWriter, out: unknown[]): void {
  switch (ch.kind) {
    case 'trade':
      tradeToTuple(d as TradeData, w, out);
      return;
    case 'l2':
      levelToTuple(d as LevelData, w, out);
      return;
    case 'ticker':
      tickerToTuple(d as TickerData, w, out);
      return;
    case 'candle':
      candleToTuple(d as CandleData, w, out);
      return;
  }
}

/** Reads a payload written by `dataToTuple` from `a`, starting at index `at`. */
export function dataFromTuple(ch: ChannelInfo, a: readonly unknown[], at: number): ChannelData {
  switch (ch.kind) {
    case 'trade':
      return tradeFromTuple(a, at);
    case 'l2':
      return levelFromTuple(a, at);
    case 'ticker':
      return tickerFromTuple(a, at);
    case 'candle':
      return candleFromTuple(a, at);
  }
}
