/**
 * The page's model: plain TypeScript without the DOM (the root tsconfig checks it without the DOM lib, and its
 * tests run in Node). Candle merging for the chart, the ladder, the tape, the ticker texts, the connection
 * state, the URL state, time formatting, and the per-frame scheduler.
 */

export { assert, assertNever, ensureDefined } from './assert.ts';
export { clearOfBadge } from './axis-labels.ts';
export { formatBigScaled } from './big-scaled.ts';
export { buildLadder, type Ladder, type LadderRow } from './book-ladder.ts';
export {
  ChartBars,
  type ChartPatch,
  type ChartPoint,
  DEFAULT_MAX_BARS,
  type EpochBar,
  type Hole,
  MAX_GAP_SLOTS,
  type PointUpdate,
  replaces,
} from './chart-bars.ts';
export { ConnectionModel, type ConnectionView, type LinkState } from './connection-model.ts';
export { type ExactChange, exactChange } from './exact-change.ts';
export { FrameScheduler } from './frame-scheduler.ts';
export { MarketState, type Part } from './market-state.ts';
export {
  axisPriceText,
  bigQtyText,
  groupThousands,
  type PriceUnits,
  priceDecimals,
  priceText,
  type QtyUnits,
  qtyDecimals,
  qtyText,
  stepDecimals,
  THOUSANDS_SEPARATOR,
  trimZeros,
  volumeAxisText,
} from './number-format.ts';
export { pageToken } from './page-token.ts';
export { plotToScaled, toPlotNumber } from './plot-number.ts';
export { REPLAY_SPEEDS, type ReplayControl } from './replay-control.ts';
export { type TickerText, tickDirection, tickerText, UNKNOWN_TEXT } from './ticker-text.ts';
export { barTimeText, barZone, clockText, type TickKind, tickText } from './time-format.ts';
export {
  DEFAULT_EXCHANGE_ZONE,
  type DisplayZone,
  exchangeZoneLabel,
  knownZone,
  resolveTimeZone,
} from './time-zone.ts';
export { DEFAULT_TAPE_SIZE, type TapeTrade, TradeTape } from './trade-tape.ts';
export {
  DEFAULT_INTERVAL,
  parseSelection,
  parseTheme,
  parseTimeZone,
  resolveSelection,
  type Selection,
  selectionSearch,
  stepInterval,
  type Theme,
  type TimeZoneMode,
  timeZoneSearch,
  urlTimeZone,
} from './view-state.ts';
