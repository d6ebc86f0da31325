// The one list of candle intervals is matching's, which builds the bars: matching cannot import the protocol
// (it sits below feed-server), so the protocol imports it, through matching's public entry.
import { CANDLE_INTERVAL_US, CANDLE_INTERVALS, type CandleInterval } from '../../../matching/src/index.ts';
import { requestError } from './protocol-error.ts';

export { CANDLE_INTERVAL_US, CANDLE_INTERVALS, type CandleInterval };

/** Book depths a `book` channel can have (§4): levels per side, or `'full'` for every level. */
export const BOOK_DEPTHS = [10, 50, 'full'] as const;
/** Levels per side of a `book` channel, or `'full'`. */
export type BookDepth = (typeof BOOK_DEPTHS)[number];

/** Conflation intervals of `ticker` and `book` channels (§4), in milliseconds. */
export const CONFLATE_MS = [100, 250, 500, 1000] as const;
/** A conflation interval in milliseconds. */
export type ConflateMs = (typeof CONFLATE_MS)[number];

/** Candle intervals (§4), by wire name, with their length in milliseconds (from `CANDLE_INTERVAL_US`). */
export const CANDLE_INTERVALS_MS: Readonly<Record<CandleInterval, number>> = Object.freeze(
  Object.fromEntries(CANDLE_INTERVALS.map((i) => [i, CANDLE_INTERVAL_US[i] / 1000])) as Record<
    CandleInterval,
    number
  >,
);

/**
 * A parsed channel name (§4). `conflateMs` is the conflation interval in milliseconds, `null` for the
 * unconflated channel.
 */
export type Channel =
  | { readonly kind: 'instruments' }
  | { readonly kind: 'trades'; readonly symbol: string }
  | { readonly kind: 'ticker'; readonly symbol: string; readonly conflateMs: ConflateMs | null }
  | {
      readonly kind: 'book';
      readonly symbol: string;
      readonly depth: BookDepth;
      readonly conflateMs: ConflateMs | null;
    }
  | { readonly kind: 'candles'; readonly symbol: string; readonly interval: CandleInterval }
  | { readonly kind: 'replay' };

/** The kind of a channel: the part of its name before the first `:`. */
export type ChannelKind = Channel['kind'];

/** Options of `parseChannel`. */
export interface ParseChannelOptions {
  /** the server's instrument symbols; when given, any other symbol is `UNKNOWN_SYMBOL` */
  readonly knownSymbols?: ReadonlySet<string>;
}

// Symbols are instrument names such as BTC-USD; `:` and `@` are the channel name's separators.
const SYMBOL = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;
// No leading zeros: one spelling per channel, so the ack's names match what the client sent.
const CONFLATION = /^([1-9][0-9]{0,4})ms$/;

function isOneOf<T>(list: readonly T[], value: unknown): value is T {
  return list.includes(value as T);
}

/**
 * Parses a channel name of §4 into a `Channel`. `book:SYM` is depth 10. Throws a `ProtocolError`
 * (no close code) with `UNKNOWN_CHANNEL`, `UNKNOWN_SYMBOL`, `BAD_DEPTH` or `BAD_INTERVAL`, carrying `name`
 * as its `channel`.
 */
export function parseChannel(name: string, options: ParseChannelOptions = {}): Channel {
  const fail = (code: 'UNKNOWN_CHANNEL' | 'UNKNOWN_SYMBOL' | 'BAD_DEPTH' | 'BAD_INTERVAL', why: string) =>
    requestError(code, `channel ${JSON.stringify(name.slice(0, 100))}: ${why}`, { channel: name });
  const at = name.split('@');
  if (at.length > 2) throw fail('UNKNOWN_CHANNEL', 'more than one "@"');
  const [base = '', suffix] = at;
  const parts = base.split(':');
  const [kind, symbol = ''] = parts;

  const conflation = (): ConflateMs | null => {
    if (suffix === undefined) return null;
    const ms = Number(CONFLATION.exec(suffix)?.[1]);
    if (!isOneOf(CONFLATE_MS, ms))
      throw fail('BAD_INTERVAL', `conflation must be one of ${CONFLATE_MS.join(', ')} ms`);
    return ms;
  };
  const checkSymbol = (): string => {
    if (!SYMBOL.test(symbol)) throw fail('UNKNOWN_SYMBOL', 'not a symbol');
    if (options.knownSymbols !== undefined && !options.knownSymbols.has(symbol)) {
      throw fail('UNKNOWN_SYMBOL', 'not an instrument of this server');
    }
    return symbol;
  };
  const arity = (min: number, max: number, conflatable: boolean): void => {
    if (parts.length < min || parts.length > max) throw fail('UNKNOWN_CHANNEL', 'wrong number of parts');
    if (!conflatable && suffix !== undefined)
      throw fail('UNKNOWN_CHANNEL', `${kind} has no conflated variant`);
  };

  switch (kind) {
    case 'instruments':
    case 'replay':
      arity(1, 1, false);
      return { kind };
    case 'trades':
      arity(2, 2, false);
      return { kind, symbol: checkSymbol() };
    case 'ticker':
      arity(2, 2, true);
      return { kind, symbol: checkSymbol(), conflateMs: conflation() };
    case 'book': {
      arity(2, 3, true);
      const s = checkSymbol();
      const d = parts[2];
      const depth = d === undefined ? 10 : d === 'full' ? 'full' : /^[1-9][0-9]*$/.test(d) ? Number(d) : d;
      if (!isOneOf(BOOK_DEPTHS, depth)) throw fail('BAD_DEPTH', 'depth must be 10, 50 or full');
      return { kind, symbol: s, depth, conflateMs: conflation() };
    }
    case 'candles': {
      arity(3, 3, false);
      const s = checkSymbol();
      const interval = parts[2] ?? '';
      if (!isOneOf(CANDLE_INTERVALS, interval)) {
        throw fail('BAD_INTERVAL', `interval must be one of ${CANDLE_INTERVALS.join(', ')}`);
      }
      return { kind, symbol: s, interval };
    }
    default:
      throw fail('UNKNOWN_CHANNEL', 'unknown channel kind');
  }
}

/** The canonical name of a channel: `book` always with its depth (`book:BTC-USD:10`), conflation as `@NNNms`. */
export function formatChannel(channel: Channel): string {
  switch (channel.kind) {
    case 'instruments':
    case 'replay':
      return channel.kind;
    case 'trades':
      return `trades:${channel.symbol}`;
    case 'ticker':
      return `ticker:${channel.symbol}${conflationSuffix(channel.conflateMs)}`;
    case 'book':
      return `book:${channel.symbol}:${channel.depth}${conflationSuffix(channel.conflateMs)}`;
    case 'candles':
      return `candles:${channel.symbol}:${channel.interval}`;
  }
}

function conflationSuffix(ms: ConflateMs | null): string {
  return ms === null ? '' : `@${ms}ms`;
}

/** `formatChannel(parseChannel(name, options))`: the canonical name, e.g. `book:X` → `book:X:10`. */
export function normalizeChannel(name: string, options?: ParseChannelOptions): string {
  return formatChannel(parseChannel(name, options));
}
