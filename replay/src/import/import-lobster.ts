import { basename } from 'node:path';
import { defineInstrument, type Instrument } from '../../../matching/src/index.ts';
import type { SegmentCompression } from '../log/index.ts';
import { zonedTimeUs } from '../player/replay-time.ts';
import { ReplayError } from '../session/replay-error.ts';

import { csvLines, digitsValue, type Line, secondsToUs } from './csv-lines.ts';
import { ImportRecording } from './import-recording.ts';
import { LobsterBook, type LobsterNotes, type LobsterRow } from './lobster-book.ts';
import { readImportText } from './read-text.ts';

/** Options of {@link importLobster}. */
export interface LobsterImportOptions {
  /** the LOBSTER message file (`…_message_N.csv`, or gzipped: `…_message_N.csv.gz`) */
  readonly messageFile: string;
  /** the matching orderbook file (`…_orderbook_N.csv[.gz]`): level 1 after each message, to learn the resting book */
  readonly orderbookFile?: string;
  readonly symbol: string;
  /** the trading day, `YYYY-MM-DD` (LOBSTER times are seconds after midnight, exchange time) */
  readonly date: string;
  /** the exchange's IANA time zone (default America/New_York, NASDAQ's) */
  readonly timeZone?: string;
  /** the new session's directory */
  readonly out: string;
  /** how the session's log stores its segments (default brotli) */
  readonly compression?: SegmentCompression;
  /** the instrument's price step (default 0.0001: LOBSTER's own resolution, hidden executions trade at half a cent) */
  readonly tickSize?: string;
  /** the instrument's size step (default 1 share) */
  readonly lotSize?: string;
  /** the session's end, µs (default 16:00 exchange time, or the last row when later) */
  readonly endUs?: number;
  /** stop at the first bad row instead of skipping it */
  readonly strict?: boolean;
  /** the book levels the file covers (its LEVEL; default from the file name `…_message_N.csv`, else 1) */
  readonly depth?: number;
}

/** A row that was not imported, and why. */
export interface BadRow {
  readonly line: number;
  readonly message: string;
}

/** What an import did. */
export interface ImportResult {
  readonly dir: string;
  readonly rows: number;
  readonly imported: number;
  readonly badRows: readonly BadRow[];
  readonly trades: number;
  readonly records: number;
  readonly startUs: number;
  readonly endUs: number;
  readonly notes: LobsterNotes;
  readonly elapsedMs: number;
}

const LOBSTER_PRICE_DECIMALS = 4;
const NO_ASK = 9_999_999_999;

/**
 * Converts a LOBSTER day into a replayable session (replay/README.md): each message row becomes one input of the
 * session, its book changes and trades go through the same producer as live (`FeedPublisher`), so the ticker and
 * candles derive from them exactly as they do live, and everything is recorded as `tickwire serve` records. A
 * header row, CRLF and repeated timestamps are fine (file order is authoritative); a bad row is reported with
 * its line number and skipped (or, `strict`, stops the import).
 */
export async function importLobster(options: LobsterImportOptions): Promise<ImportResult> {
  const started = performance.now();
  const timeZone = options.timeZone ?? 'America/New_York';
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(options.date);
  if (date === null) throw new ReplayError('BAD_OPTION', `--date must be YYYY-MM-DD, got "${options.date}"`);
  const midnightUs = tryZone(() =>
    zonedTimeUs(Number(date[1]), Number(date[2]), Number(date[3]), 0, timeZone),
  );
  const instrument = defineInstrument({
    symbol: options.symbol,
    tickSize: options.tickSize ?? '0.0001',
    lotSize: options.lotSize ?? '1',
  });
  if (instrument.priceScale > LOBSTER_PRICE_DECIMALS) {
    throw new ReplayError(
      'BAD_OPTION',
      `--tick-size ${options.tickSize}: LOBSTER prices have 4 decimals at most`,
    );
  }
  const messages = dataLines(readImportText(options.messageFile));
  const books =
    options.orderbookFile === undefined ? undefined : dataLines(readImportText(options.orderbookFile));
  if (books !== undefined && books.length !== messages.length) {
    throw new ReplayError(
      'BAD_IMPORT',
      `${options.orderbookFile} has ${books.length} rows, ${options.messageFile} ${messages.length}: not a pair`,
    );
  }
  const badRows: BadRow[] = [];
  const rows: { row: LobsterRow; fields: string[]; book: Line | undefined }[] = [];
  let lastUs = 0;
  for (let i = 0; i < messages.length; i++) {
    const line = messages[i] as Line;
    const parsed = parseRow(line, instrument, midnightUs);
    if (typeof parsed === 'string') {
      if (options.strict === true)
        throw new ReplayError('BAD_IMPORT', `${options.messageFile}:${line.no}: ${parsed}`);
      badRows.push({ line: line.no, message: parsed });
      continue;
    }
    // Rounded timestamps repeat; file order is authoritative, and time never goes back.
    const row = parsed.row.tsUs < lastUs ? { ...parsed.row, tsUs: lastUs } : parsed.row;
    lastUs = row.tsUs;
    rows.push({ row, fields: parsed.fields, book: books?.[i] });
  }
  const first = rows[0];
  if (first === undefined) throw new ReplayError('BAD_IMPORT', `${options.messageFile}: no valid rows`);
  const endUs = Math.max(options.endUs ?? midnightUs + 16 * 3600 * 1_000_000, lastUs);

  const recording = await ImportRecording.create({
    dir: options.out,
    compression: options.compression,
    instrument,
    source: 'lobster',
    startUs: first.row.tsUs,
    origin: {
      file: basename(options.messageFile),
      ...(options.orderbookFile === undefined ? {} : { orderbook: basename(options.orderbookFile) }),
      symbol: options.symbol,
      date: options.date,
      timeZone,
    },
  });
  const depth = options.depth ?? Number(/_message_(\d+)\.csv(?:\.gz)?$/.exec(options.messageFile)?.[1] ?? 1);
  const book = new LobsterBook(instrument.symbol, depth);
  let trades = 0;
  for (const { row, fields, book: level1 } of rows) {
    recording.row({ tsUs: row.tsUs, line: row.line, fields }, function* () {
      for (const e of book.apply(row)) {
        if (e.type === 'trade') trades++;
        yield e;
      }
      if (level1 === undefined) return;
      const l1 = parseLevel1(level1, instrument);
      if (typeof l1 === 'string') badRows.push({ line: level1.no, message: `orderbook file: ${l1}` });
      else yield* book.reconcile(row, l1.ask, l1.bid);
    });
  }
  await recording.finish(endUs);
  return {
    dir: options.out,
    rows: messages.length,
    imported: rows.length,
    badRows,
    trades,
    records: recording.records,
    startUs: first.row.tsUs,
    endUs,
    notes: book.notes,
    elapsedMs: performance.now() - started,
  };
}

function tryZone(f: () => number): number {
  try {
    return f();
  } catch (cause) {
    throw new ReplayError('BAD_OPTION', `--tz: ${(cause as Error).message}`, { cause });
  }
}

/** The data lines: a first line that does not start with a number is a header. */
function dataLines(text: string): Line[] {
  const lines = [...csvLines(text)];
  if (lines[0] !== undefined && !/^\s*-?\d/.test(lines[0].text)) lines.shift();
  return lines;
}

/** A message row, or why it is bad. */
function parseRow(
  line: Line,
  instrument: Instrument,
  midnightUs: number,
): { row: LobsterRow; fields: string[] } | string {
  const fields = line.text.split(',');
  if (fields.length !== 6)
    return `expected 6 fields (Time,Type,OrderId,Size,Price,Direction), got ${fields.length}`;
  for (let i = 0; i < 6; i++) fields[i] = (fields[i] as string).trim();
  const [time, type, orderId, size, price, direction] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const secondsUs = secondsToUs(time);
  if (secondsUs === null || secondsUs >= 48 * 3600 * 1_000_000)
    return `Time "${time}" is not seconds after midnight`;
  const t = type.length === 1 ? digitsValue(type) : -1;
  if (t !== 1 && t !== 2 && t !== 3 && t !== 4 && t !== 5 && t !== 7)
    return `Type "${type}" is not 1, 2, 3, 4, 5 or 7`;
  const id = digitsValue(orderId);
  if (id < 0) return `OrderId "${orderId}" is not a non-negative integer`;
  if (direction !== '1' && direction !== '-1') return `Direction "${direction}" is not 1 or -1`;
  const tsUs = midnightUs + secondsUs;
  const dir: 1 | -1 = direction === '1' ? 1 : -1;
  if (t === 7)
    return { row: { line: line.no, tsUs, type: t, orderId: id, size: 0, price: 0, direction: dir }, fields };
  const shares = digitsValue(size);
  if (shares <= 0) return `Size "${size}" is not a positive integer`;
  const scaledSize = shares * 10 ** instrument.qtyScale;
  if (scaledSize % instrument.lotSize !== 0) return `Size ${size} is not a multiple of the lot`;
  const lobsterPrice = digitsValue(price);
  if (lobsterPrice < 0) return `Price "${price}" is not a positive integer (dollars × 10000)`;
  const scaledPrice = toScaledPrice(lobsterPrice, instrument);
  if (scaledPrice === null)
    return `Price ${price} is not on the tick (${instrument.tickSize} × 10^-${instrument.priceScale})`;
  return {
    row: { line: line.no, tsUs, type: t, orderId: id, size: scaledSize, price: scaledPrice, direction: dir },
    fields,
  };
}

/** A LOBSTER price (dollars × 10^4) at the instrument's scale, or null when it is off its tick. */
function toScaledPrice(lobster: number, instrument: Instrument): number | null {
  const divisor = 10 ** (LOBSTER_PRICE_DECIMALS - instrument.priceScale);
  if (lobster <= 0 || lobster % divisor !== 0) return null;
  const scaled = lobster / divisor;
  return scaled % instrument.tickSize === 0 && scaled <= instrument.maxPrice ? scaled : null;
}

/** A row of the orderbook file: level 1, each side null when empty (LOBSTER's dummy prices). */
function parseLevel1(
  line: Line,
  instrument: Instrument,
): { ask: readonly [number, number] | null; bid: readonly [number, number] | null } | string {
  const f = line.text.split(',');
  if (f.length < 4) return `line ${line.no} is not four integers`;
  const ask = levelOf(f[0] as string, f[1] as string, instrument);
  const bid = levelOf(f[2] as string, f[3] as string, instrument);
  if (typeof ask === 'string') return `line ${line.no}: ${ask}`;
  if (typeof bid === 'string') return `line ${line.no}: ${bid}`;
  return { ask, bid };
}

/** One side of level 1: `[price, size]` scaled, null for LOBSTER's empty-side dummy, or why it is bad. */
function levelOf(
  priceText: string,
  sizeText: string,
  instrument: Instrument,
): readonly [number, number] | null | string {
  const p = priceText.trim();
  const size = digitsValue(sizeText.trim());
  if (size < 0) return `size "${sizeText}" is not an integer`;
  if (size === 0 || p === String(NO_ASK) || p === `-${NO_ASK}`) return null;
  const lobster = digitsValue(p);
  const price = lobster < 0 ? null : toScaledPrice(lobster, instrument);
  return price === null
    ? `price "${priceText}" is not on the tick`
    : [price, size * 10 ** instrument.qtyScale];
}
