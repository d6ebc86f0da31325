import { basename } from 'node:path';
import {
  defineInstrument,
  type Instrument,
  MatchingError,
  parseScaled,
} from '../../../matching/src/index.ts';
import type { SegmentCompression } from '../log/index.ts';
import { ReplayError } from '../session/replay-error.ts';
import { tradeEvent } from '../session/replay-state.ts';
import { csvLines, digitsValue, type Line, secondsToUs } from './csv-lines.ts';
import type { BadRow, ImportResult } from './import-lobster.ts';
import { ImportRecording } from './import-recording.ts';
import { readImportText } from './read-text.ts';

/** Which column holds what: a header name or a 1-based index. */
export interface TradeColumns {
  readonly time: string;
  readonly price: string;
  readonly size: string;
  readonly side: string;
}

/** Options of {@link importTrades}. */
export interface TradesImportOptions {
  readonly file: string;
  readonly symbol: string;
  readonly out: string;
  /** how the session's log stores its segments (default brotli) */
  readonly compression?: SegmentCompression;
  /** default: a column named time/timestamp/ts, price/px, size/qty/quantity/amount, side/taker_side */
  readonly columns?: Partial<TradeColumns>;
  /** the side column is the maker's (e.g. Binance `isBuyerMaker`), not the taker's */
  readonly sideIsMaker?: boolean;
  /** default 0.01 */
  readonly tickSize?: string;
  /** default 0.00000001 */
  readonly lotSize?: string;
  readonly strict?: boolean;
  /**
   * the exchange's IANA time zone (e.g. `Europe/London`), recorded in the session so that a replay can show
   * exchange time; the file's times carry their own zone or are epoch times, so it changes no timestamp.
   * Default: none (times show in UTC as "exchange" time)
   */
  readonly timeZone?: string;
}

const DEFAULT_NAMES: Readonly<Record<keyof TradeColumns, readonly string[]>> = {
  time: ['time', 'timestamp', 'ts', 'date', 'datetime'],
  price: ['price', 'px'],
  size: ['size', 'qty', 'quantity', 'amount', 'volume'],
  side: ['side', 'taker_side', 'takerside', 'direction', 'isbuyermaker', 'is_buyer_maker'],
};

/**
 * Converts a plain trades file — the shape most exchanges publish their history in: one trade a row with a
 * time, a price, a size and a side — into a replayable session. Times: ISO 8601 with a zone, or epoch seconds,
 * milliseconds or microseconds (told apart by magnitude). Prices and sizes are exact decimals on the instrument's
 * tick and lot. Sides: buy/sell, b/s, bid/ask, 1/-1, true/false (`true` = buy unless `sideIsMaker`). The book
 * channels stay empty; trades, ticker and candles derive from the trades as live.
 */
export async function importTrades(options: TradesImportOptions): Promise<ImportResult> {
  const started = performance.now();
  if (options.timeZone !== undefined) checkTimeZone(options.timeZone);
  const instrument = defineInstrument({
    symbol: options.symbol,
    tickSize: options.tickSize ?? '0.01',
    lotSize: options.lotSize ?? '0.00000001',
  });
  const text = readImportText(options.file);
  const lines = [...csvLines(text)];
  const first = lines[0];
  if (first === undefined) throw new ReplayError('BAD_IMPORT', `${options.file} is empty`);
  const header = /^\s*-?\d/.test(first.text)
    ? undefined
    : first.text.split(',').map((h) => h.trim().toLowerCase());
  const data = header === undefined ? lines : lines.slice(1);
  const at = columnIndexes(header, options.columns ?? {}, options.file);
  const badRows: BadRow[] = [];
  const rows: {
    tsUs: number;
    price: number;
    qty: number;
    side: 'buy' | 'sell';
    line: Line;
    fields: string[];
  }[] = [];
  let lastUs = 0;
  for (const line of data) {
    const fields = line.text.split(',').map((f) => f.trim());
    const parsed = parseTrade(fields, at, instrument, options.sideIsMaker === true);
    if (typeof parsed === 'string') {
      if (options.strict === true)
        throw new ReplayError('BAD_IMPORT', `${options.file}:${line.no}: ${parsed}`);
      badRows.push({ line: line.no, message: parsed });
      continue;
    }
    const tsUs = Math.max(parsed.tsUs, lastUs);
    lastUs = tsUs;
    rows.push({ ...parsed, tsUs, line, fields });
  }
  const firstRow = rows[0];
  if (firstRow === undefined) throw new ReplayError('BAD_IMPORT', `${options.file}: no valid rows`);
  const recording = await ImportRecording.create({
    dir: options.out,
    compression: options.compression,
    instrument,
    source: 'trades',
    startUs: firstRow.tsUs,
    origin: {
      file: basename(options.file),
      symbol: options.symbol,
      ...(options.timeZone === undefined ? {} : { timeZone: options.timeZone }),
    },
  });
  let tradeId = 0;
  for (const r of rows) {
    const event = tradeEvent(instrument.symbol, r.tsUs, ++tradeId, r.price, r.qty, r.side);
    recording.row({ tsUs: r.tsUs, line: r.line.no, fields: r.fields }, () => [event]);
  }
  // Close the last bars: a tick at the end of the last trade's minute.
  const endUs = Math.ceil((lastUs + 1) / 60e6) * 60e6;
  await recording.finish(endUs);
  return {
    dir: options.out,
    rows: data.length,
    imported: rows.length,
    badRows,
    trades: rows.length,
    records: recording.records,
    startUs: firstRow.tsUs,
    endUs,
    notes: { unknownOrders: 0, oversized: 0, halts: 0, reconciled: 0, pruned: 0 },
    elapsedMs: performance.now() - started,
  };
}

function columnIndexes(
  header: readonly string[] | undefined,
  given: Partial<TradeColumns>,
  file: string,
): Record<keyof TradeColumns, number> {
  const out = {} as Record<keyof TradeColumns, number>;
  const defaults: Record<keyof TradeColumns, number> = { time: 0, price: 1, size: 2, side: 3 };
  for (const key of ['time', 'price', 'size', 'side'] as const) {
    const want = given[key];
    if (want !== undefined && /^\d+$/.test(want)) {
      out[key] = Number(want) - 1;
      if (out[key] < 0) throw new ReplayError('BAD_OPTION', `--${key}-col: columns count from 1`);
      continue;
    }
    if (header === undefined) {
      if (want !== undefined) {
        throw new ReplayError(
          'BAD_OPTION',
          `--${key}-col "${want}": ${file} has no header row; give a column number`,
        );
      }
      out[key] = defaults[key];
      continue;
    }
    const names = want === undefined ? DEFAULT_NAMES[key] : [want.toLowerCase()];
    const i = header.findIndex((h) => names.includes(h));
    if (i < 0) {
      throw new ReplayError(
        'BAD_IMPORT',
        `${file}: no ${key} column (looked for ${names.join(', ')}; header: ${header.join(', ')}); map it with --${key}-col`,
      );
    }
    out[key] = i;
  }
  return out;
}

const SIDES: Readonly<Record<string, 'buy' | 'sell'>> = {
  buy: 'buy',
  b: 'buy',
  bid: 'buy',
  '1': 'buy',
  true: 'buy',
  sell: 'sell',
  s: 'sell',
  ask: 'sell',
  '-1': 'sell',
  false: 'sell',
};

function parseTrade(
  fields: readonly string[],
  at: Record<keyof TradeColumns, number>,
  instrument: Instrument,
  sideIsMaker: boolean,
): { tsUs: number; price: number; qty: number; side: 'buy' | 'sell' } | string {
  const time = fields[at.time];
  const priceText = fields[at.price];
  const sizeText = fields[at.size];
  const sideText = fields[at.side];
  if (time === undefined || priceText === undefined || sizeText === undefined || sideText === undefined) {
    return `expected at least ${Math.max(at.time, at.price, at.size, at.side) + 1} fields, got ${fields.length}`;
  }
  const tsUs = parseTime(time);
  if (tsUs === null) return `time "${time}" is not ISO 8601 with a zone or epoch s/ms/µs`;
  let price: number;
  let qty: number;
  try {
    price = parseScaled(priceText, instrument.priceScale);
    qty = parseScaled(sizeText, instrument.qtyScale);
  } catch (error) {
    if (error instanceof MatchingError) return error.message;
    throw error;
  }
  if (price <= 0 || price % instrument.tickSize !== 0 || price > instrument.maxPrice) {
    return `price ${priceText} is not a positive multiple of the tick`;
  }
  if (qty <= 0 || qty % instrument.lotSize !== 0 || qty > instrument.maxQty) {
    return `size ${sizeText} is not a positive multiple of the lot`;
  }
  const side = SIDES[sideText.toLowerCase()];
  if (side === undefined) return `side "${sideText}" is not buy/sell, b/s, bid/ask, 1/-1 or true/false`;
  return { tsUs, price, qty, side: sideIsMaker ? (side === 'buy' ? 'sell' : 'buy') : side };
}

/** An ISO date-time with a zone, or epoch seconds (< 10^11, decimals allowed), milliseconds or µs. */
function parseTime(text: string): number | null {
  if (/^\d{4}-\d{2}-\d{2}[T ]/.test(text)) {
    if (!/(Z|[+-]\d{2}:?\d{2})$/.test(text)) return null;
    const ms = Date.parse(text.replace(' ', 'T'));
    if (Number.isNaN(ms)) return null;
    const frac = /\.(\d+)/.exec(text)?.[1] ?? '';
    return ms * 1000 + (frac.length > 3 ? Number(frac.slice(3, 6).padEnd(3, '0')) : 0);
  }
  const whole = digitsValue(text.split('.')[0] ?? '');
  if (whole < 0) return null;
  if (whole < 1e11) return secondsToUs(text);
  if (text.includes('.')) return null;
  return whole < 1e14 ? whole * 1000 : whole;
}

/** Throws `BAD_OPTION` unless `zone` is an IANA time zone this runtime knows. */
function checkTimeZone(zone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch (cause) {
    throw new ReplayError('BAD_OPTION', `--tz: "${zone}" is not a known IANA time zone`, { cause });
  }
}
