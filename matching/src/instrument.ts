import { Decimal } from 'decimal.js';
import { MatchingError } from './matching-error.ts';

/**
 * One tradable instrument. Prices and quantities inside the engine are scaled integers: the decimal value
 * times 10^scale. Tick, lot, minimum and maximum are in those same scaled units.
 */
export interface Instrument {
  readonly symbol: string;
  /** decimals of a price: price 101.25 at scale 2 is 10125 */
  readonly priceScale: number;
  /** decimals of a quantity */
  readonly qtyScale: number;
  /** smallest price step, scaled (positive integer) */
  readonly tickSize: number;
  /** smallest quantity step, scaled (positive integer) */
  readonly lotSize: number;
  /** smallest order quantity, scaled (a multiple of the lot) */
  readonly minQty: number;
  /** largest accepted price, scaled */
  readonly maxPrice: number;
  /** largest accepted order quantity, scaled */
  readonly maxQty: number;
}

/** An instrument as written in a config file: sizes as exact decimal strings. */
export interface InstrumentSpec {
  readonly symbol: string;
  /** e.g. "0.01" */
  readonly tickSize: string;
  /** e.g. "0.00001" */
  readonly lotSize: string;
  /** defaults to the lot size */
  readonly minSize?: string;
  /** defaults to the tick size's decimals */
  readonly priceScale?: number;
  /** defaults to the lot size's decimals */
  readonly qtyScale?: number;
  /** defaults to the largest that keeps every scaled value a safe integer */
  readonly maxPrice?: string;
  readonly maxSize?: string;
}

const SYMBOL_RE = /^[A-Z0-9][A-Z0-9._-]{0,31}$/;
/** The largest scaled price or quantity (PROTOCOL.md §3: at most 2^50): it and a sum of a few stay inside 2^53. */
const SCALED_LIMIT = 2 ** 50;

function parseDecimal(field: string, value: string): Decimal {
  try {
    return new Decimal(value);
  } catch (cause) {
    throw new MatchingError('BAD_INSTRUMENT', `${field} "${value}" is not a decimal number`, { cause });
  }
}

function toScaled(field: string, value: string, scale: number): number {
  const d = parseDecimal(field, value);
  const scaled = d.times(Decimal.pow(10, scale));
  if (!scaled.isInteger() || scaled.lte(0) || scaled.gt(SCALED_LIMIT)) {
    throw new MatchingError(
      'BAD_INSTRUMENT',
      `${field} "${value}" must be positive, at most ${scale} decimals, and at most 2^50 once scaled`,
    );
  }
  return scaled.toNumber();
}

/** Validates a spec and turns it into an `Instrument`; throws `MatchingError` (`BAD_INSTRUMENT`) on any flaw. */
export function defineInstrument(spec: InstrumentSpec): Instrument {
  if (!SYMBOL_RE.test(spec.symbol)) {
    throw new MatchingError('BAD_INSTRUMENT', `symbol "${spec.symbol}" must match ${SYMBOL_RE}`);
  }
  const priceScale =
    spec.priceScale ?? parseDecimal(`${spec.symbol} tickSize`, spec.tickSize).decimalPlaces();
  const qtyScale = spec.qtyScale ?? parseDecimal(`${spec.symbol} lotSize`, spec.lotSize).decimalPlaces();
  for (const [name, s] of [
    ['priceScale', priceScale],
    ['qtyScale', qtyScale],
  ] as const) {
    if (!Number.isInteger(s) || s < 0 || s > 12) {
      throw new MatchingError('BAD_INSTRUMENT', `${spec.symbol}: ${name} must be an integer from 0 to 12`);
    }
  }
  const tickSize = toScaled(`${spec.symbol} tickSize`, spec.tickSize, priceScale);
  const lotSize = toScaled(`${spec.symbol} lotSize`, spec.lotSize, qtyScale);
  const minQty = toScaled(`${spec.symbol} minSize`, spec.minSize ?? spec.lotSize, qtyScale);
  if (minQty % lotSize !== 0) {
    throw new MatchingError('BAD_INSTRUMENT', `${spec.symbol}: minSize must be a multiple of lotSize`);
  }
  const maxPrice =
    spec.maxPrice === undefined
      ? SCALED_LIMIT - (SCALED_LIMIT % tickSize)
      : toScaled(`${spec.symbol} maxPrice`, spec.maxPrice, priceScale);
  const maxQty =
    spec.maxSize === undefined
      ? SCALED_LIMIT - (SCALED_LIMIT % lotSize)
      : toScaled(`${spec.symbol} maxSize`, spec.maxSize, qtyScale);
  return { symbol: spec.symbol, priceScale, qtyScale, tickSize, lotSize, minQty, maxPrice, maxQty };
}

/** The instruments Tickwire runs with when none are configured. */
export const DEFAULT_INSTRUMENT_SPECS: readonly InstrumentSpec[] = [
  { symbol: 'BTC-USD', tickSize: '0.01', lotSize: '0.00001', minSize: '0.0001' },
  { symbol: 'ETH-USD', tickSize: '0.01', lotSize: '0.0001', minSize: '0.001' },
  { symbol: 'AMZN', tickSize: '0.01', lotSize: '1' },
];

/** Parses a JSON config (`{"instruments": [InstrumentSpec, ...]}` or a bare array) into instruments. */
export function parseInstrumentConfig(json: unknown): Instrument[] {
  const list = Array.isArray(json) ? json : (json as { instruments?: unknown } | null)?.instruments;
  if (!Array.isArray(list) || list.length === 0) {
    throw new MatchingError(
      'BAD_INSTRUMENT',
      'instrument config must be a non-empty array or {"instruments": [...]}',
    );
  }
  const out = list.map((s: unknown) => {
    if (typeof s !== 'object' || s === null)
      throw new MatchingError('BAD_INSTRUMENT', 'each instrument must be an object');
    const spec = s as Record<string, unknown>;
    for (const k of ['symbol', 'tickSize', 'lotSize'] as const) {
      if (typeof spec[k] !== 'string')
        throw new MatchingError('BAD_INSTRUMENT', `instrument ${k} must be a string`);
    }
    return defineInstrument(spec as unknown as InstrumentSpec);
  });
  const seen = new Set<string>();
  for (const i of out) {
    if (seen.has(i.symbol))
      throw new MatchingError('BAD_INSTRUMENT', `symbol ${i.symbol} is configured twice`);
    seen.add(i.symbol);
  }
  return out;
}
