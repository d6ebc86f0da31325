import { readFileSync } from 'node:fs';
import {
  DEFAULT_INSTRUMENT_SPECS,
  defineInstrument,
  type Instrument,
  MatchingError,
  parseInstrumentConfig,
  parseScaled,
} from '../../matching/src/index.ts';
import { CliError } from './cli-error.ts';

/** Instruments chosen by `--instruments <file>` and `--symbols <list>`, with their initial prices (scaled). */
export interface ResolvedInstruments {
  readonly instruments: Instrument[];
  readonly initialPrices: Record<string, number>;
}

/**
 * The instruments of `--instruments` (default: BTC-USD, ETH-USD, AMZN) narrowed to `--symbols`. Throws
 * `CliError` (BAD_CONFIG, BAD_FLAG_VALUE).
 */
export function resolveInstruments(
  file: string | undefined,
  symbols: string | undefined,
): ResolvedInstruments {
  const { instruments: configured, initialPrices } =
    file === undefined
      ? { instruments: DEFAULT_INSTRUMENT_SPECS.map(defineInstrument), initialPrices: {} }
      : readInstrumentFile(file);
  const instruments = symbols === undefined ? configured : selectSymbols(configured, symbols);
  const prices = Object.fromEntries(
    Object.entries(initialPrices).filter(([s]) => instruments.some((i) => i.symbol === s)),
  );
  return { instruments, initialPrices: prices };
}

function selectSymbols(configured: readonly Instrument[], list: string): Instrument[] {
  const names = list.split(',').map((s) => s.trim());
  const known = configured.map((i) => i.symbol).join(', ');
  const out: Instrument[] = [];
  for (const name of names) {
    if (name === '') throw new CliError('BAD_FLAG_VALUE', `--symbols has an empty entry: "${list}"`);
    const inst = configured.find((i) => i.symbol === name);
    if (inst === undefined) {
      throw new CliError('BAD_FLAG_VALUE', `--symbols: unknown symbol "${name}" (configured: ${known})`);
    }
    if (out.includes(inst)) throw new CliError('BAD_FLAG_VALUE', `--symbols: "${name}" is listed twice`);
    out.push(inst);
  }
  return out;
}

function readInstrumentFile(path: string): {
  instruments: Instrument[];
  initialPrices: Record<string, number>;
} {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new CliError('BAD_CONFIG', `--instruments ${path}: ${why}`, { cause });
  }
  try {
    const instruments = parseInstrumentConfig(json);
    const list = (Array.isArray(json) ? json : (json as { instruments: unknown[] }).instruments) as Record<
      string,
      unknown
    >[];
    const initialPrices: Record<string, number> = {};
    list.forEach((spec, k) => {
      const inst = instruments[k] as Instrument;
      const text = spec.initialPrice;
      if (text === undefined) return;
      if (typeof text !== 'string') {
        throw new CliError(
          'BAD_CONFIG',
          `--instruments ${path}: ${inst.symbol} initialPrice must be a string`,
        );
      }
      initialPrices[inst.symbol] = parseScaled(text, inst.priceScale);
    });
    return { instruments, initialPrices };
  } catch (cause) {
    if (cause instanceof MatchingError) {
      throw new CliError('BAD_CONFIG', `--instruments ${path}: ${cause.message}`, { cause });
    }
    throw cause;
  }
}
