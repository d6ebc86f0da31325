/** The public surface of replay/src/import: real market data turned into replayable sessions. */
export { csvLines, type Line, secondsToUs } from './csv-lines.ts';
export {
  type BadRow,
  type ImportResult,
  importLobster,
  type LobsterImportOptions,
} from './import-lobster.ts';
export { IMPORT_KEYFRAME_POLICY, ImportRecording } from './import-recording.ts';
export { importTrades, type TradeColumns, type TradesImportOptions } from './import-trades.ts';
export { LobsterBook, type LobsterNotes, type LobsterRow } from './lobster-book.ts';
