import type { CandleInterval, Instrument } from '../../matching/src/index.ts';
import type { ChannelInfo, MessageKind } from './feed-message.ts';

/** Channel names as the feed would spell them. */
export function channelName(kind: MessageKind, symbol: string, interval: CandleInterval | null): string {
  switch (kind) {
    case 'trade':
      return `trades.${symbol}`;
    case 'l2':
      return `l2.${symbol}`;
    case 'ticker':
      return `ticker.${symbol}`;
    case 'candle':
      return `candles.${interval ?? '1m'}.${symbol}`;
  }
}

/**
 * The channels of one stream, by name and by numeric id. Stands for what a session learns when it subscribes:
 * the numeric id the server assigned to each channel name, and the instrument behind it.
 */
export class ChannelRegistry {
  readonly #byName = new Map<string, ChannelInfo>();
  readonly #byId: ChannelInfo[] = [];

  /** The channel of `kind` for `instrument` (and `interval` for candles), registered on first use. */
  channel(kind: MessageKind, instrument: Instrument, interval: CandleInterval | null = null): ChannelInfo {
    const name = channelName(kind, instrument.symbol, interval);
    let info = this.#byName.get(name);
    if (info === undefined) {
      info = {
        name,
        id: this.#byId.length,
        kind,
        symbol: instrument.symbol,
        interval,
        priceScale: instrument.priceScale,
        qtyScale: instrument.qtyScale,
      };
      this.#byName.set(name, info);
      this.#byId.push(info);
    }
    return info;
  }

  /** The channel called `name`; throws `RangeError` for an unknown one. */
  byName(name: string): ChannelInfo {
    const info = this.#byName.get(name);
    if (info === undefined) throw new RangeError(`unknown channel ${name}`);
    return info;
  }

  /** The channel with numeric id `id`; throws `RangeError` for an unknown one. */
  byId(id: number): ChannelInfo {
    const info = this.#byId[id];
    if (info === undefined) throw new RangeError(`unknown channel id ${id}`);
    return info;
  }

  /** How many channels are registered. */
  get size(): number {
    return this.#byId.length;
  }
}
