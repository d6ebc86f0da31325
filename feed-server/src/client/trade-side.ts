import type { Side } from '../protocol/index.ts';

/**
 * A trade's taker side in words, as the SDK's events and REST helpers give it: `'buy'` — a buyer lifted the
 * ask (the price ticked up against a resting sell); `'sell'` — a seller hit the bid. The wire keeps its
 * one-letter codes (`"b"` / `"s"`, PROTOCOL.md §11); the SDK maps them once, as it builds the event.
 */
export type TradeSide = 'buy' | 'sell';

/**
 * The SDK's side of a wire side code: `"b"` is `'buy'`, `"s"` is `'sell'`.
 *
 * @example
 * ```ts
 * tradeSide('b'); // 'buy'
 * ```
 */
export function tradeSide(side: Side): TradeSide {
  return side === 'b' ? 'buy' : 'sell';
}
