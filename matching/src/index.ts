/** The public surface of matching/: the engine, its commands and events, instruments and exact decimals. */

export type { L2Level, L2Snapshot, L3Level, L3Order, L3Snapshot, L3Stop } from './book-snapshot.ts';
export type {
  CancelCommand,
  Command,
  MassCancelCommand,
  ModifyCommand,
  NewOrderCommand,
  OrderType,
  Side,
  StpMode,
  TimeInForce,
} from './commands.ts';
export { divideToDecimal, formatScaled, parseScaled } from './decimal-format.ts';
export { MatchingEngine } from './engine.ts';
export type {
  AcceptedEvent,
  DoneEvent,
  DoneReason,
  EngineEvent,
  LevelEvent,
  ModifiedEvent,
  RejectedEvent,
  TradeEvent,
  TriggeredEvent,
} from './events.ts';
export {
  DEFAULT_INSTRUMENT_SPECS,
  defineInstrument,
  type Instrument,
  type InstrumentSpec,
  parseInstrumentConfig,
} from './instrument.ts';
export * from './market-data/index.ts';
export { MATCHING_ERROR_CODES, MatchingError, type MatchingErrorCode } from './matching-error.ts';
export { REJECT_CODES, type RejectCode } from './reject-codes.ts';
export * from './simulator/index.ts';
