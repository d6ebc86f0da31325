/**
 * The Tickwire feed SDK (`tickwire/client`). Isomorphic: no `node:*` imports.
 */

export type { BookDepth, BookLevel, InstrumentInfo } from '../protocol/index.ts';
export { Backoff, type BackoffOptions, DEFAULT_MAX_DELAY_MS, DEFAULT_MIN_DELAY_MS } from './backoff.ts';
export { type Candle, CandleMerger, DEFAULT_MAX_BARS } from './candle-merger.ts';
export { type BookState, LocalBook } from './local-book.ts';
export { formatPrice, formatQty, formatScaled } from './scaled-decimal.ts';
