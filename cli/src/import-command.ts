import { existsSync, readdirSync } from 'node:fs';
import { MatchingError } from '../../matching/src/index.ts';
import {
  type ImportResult,
  importLobster,
  importTrades,
  LogError,
  ReplayError,
} from '../../replay/src/index.ts';
import { CliError } from './cli-error.ts';
import type { CliIo } from './cli-io.ts';
import { isoUs } from './log-command.ts';
import { parseCliArgsWithPositionals } from './parse-cli-args.ts';
import { parseCompressionFlag } from './segment-flags.ts';

export const IMPORT_USAGE = `Usage: tickwire import lobster <message.csv> --symbol <S> --date <YYYY-MM-DD> --out <dir> [options]
       tickwire import trades <trades.csv> --symbol <S> --out <dir> [options]

Converts real market data into a session that 'tickwire replay <dir>' serves like a recorded one.

lobster: a LOBSTER message file (lobsterdata.com). Its events rebuild the L2 book; visible and hidden
executions become trades; ticker and candles derive from them as live.
      --orderbook <file>    the matching orderbook file: level 1 after each message, to learn the orders that
                            rested before the file starts
      --date <YYYY-MM-DD>   the trading day (LOBSTER times are seconds after midnight, exchange time)
      --tz <zone>           the exchange's time zone (default America/New_York)
      --tick-size <d>       price step (default 0.0001, LOBSTER's resolution)
      --lot-size <d>        size step (default 1)

trades: one trade per row: time, price, size, side (a header names the columns, or they come in that order).
      --time-col, --price-col, --size-col, --side-col <name|n>   map columns by header name or 1-based number
      --side-is-maker       the side column is the maker's (Binance isBuyerMaker), not the taker's
      --tz <zone>           the exchange's time zone, recorded for showing exchange time (default: none, UTC)
      --tick-size <d>       price step (default 0.01)
      --lot-size <d>        size step (default 0.00000001)

Both: any file may be gzipped (.csv.gz), as downloaded.
      --symbol <S>          the instrument's symbol
      --out <dir>           the new session's directory (must not exist, or be empty)
      --strict              stop at the first bad row (default: report it with its line number, skip it)
      --compression <c>     brotli | none: how the session's segments are stored (default brotli)
  -h, --help                show this help

Exit status: 0 imported, 1 the files cannot be imported (the message says why), 2 usage error.
`;

const OPTIONS = {
  orderbook: { type: 'string' },
  symbol: { type: 'string' },
  date: { type: 'string' },
  tz: { type: 'string' },
  out: { type: 'string' },
  'tick-size': { type: 'string' },
  'lot-size': { type: 'string' },
  'time-col': { type: 'string' },
  'price-col': { type: 'string' },
  'size-col': { type: 'string' },
  'side-col': { type: 'string' },
  'side-is-maker': { type: 'boolean' },
  strict: { type: 'boolean' },
  compression: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Bad rows shown one by one; the rest are counted. */
const SHOWN_BAD_ROWS = 20;

/** `tickwire import`: returns the exit status. */
export async function importCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCliArgsWithPositionals(argv, OPTIONS);
  if (values.help === true) {
    io.stdout.write(IMPORT_USAGE);
    return 0;
  }
  const [kind, file, ...extra] = positionals;
  if (kind !== 'lobster' && kind !== 'trades') {
    throw new CliError(
      'BAD_FLAG',
      kind === undefined ? 'missing the format: lobster or trades' : `unknown format "${kind}"`,
    );
  }
  if (file === undefined) throw new CliError('BAD_FLAG', `import ${kind}: missing the input file`);
  if (extra.length > 0) throw new CliError('BAD_FLAG', `unexpected argument "${extra[0]}"`);
  const need = (flag: 'symbol' | 'out' | 'date'): string => {
    const v = values[flag];
    if (v === undefined || v === '') throw new CliError('BAD_FLAG', `import ${kind}: --${flag} is required`);
    return v;
  };
  const symbol = need('symbol');
  const out = need('out');
  if (existsSync(out) && readdirSync(out).length > 0) {
    throw new CliError(
      'BAD_FLAG_VALUE',
      `--out ${out} exists and is not empty: a session gets a new directory`,
    );
  }
  if (kind === 'trades') {
    for (const flag of ['orderbook', 'date'] as const) {
      if (values[flag] !== undefined) throw new CliError('BAD_FLAG', `--${flag} is for lobster, not trades`);
    }
  } else {
    for (const flag of ['time-col', 'price-col', 'size-col', 'side-col', 'side-is-maker'] as const) {
      if (values[flag] !== undefined) throw new CliError('BAD_FLAG', `--${flag} is for trades, not lobster`);
    }
  }
  let result: ImportResult;
  try {
    const common = {
      symbol,
      out,
      strict: values.strict === true,
      ...(values.compression === undefined
        ? {}
        : { compression: parseCompressionFlag('--compression', values.compression) }),
      ...(values['tick-size'] === undefined ? {} : { tickSize: values['tick-size'] }),
      ...(values['lot-size'] === undefined ? {} : { lotSize: values['lot-size'] }),
    };
    result =
      kind === 'lobster'
        ? await importLobster({
            ...common,
            messageFile: file,
            date: need('date'),
            ...(values.orderbook === undefined ? {} : { orderbookFile: values.orderbook }),
            ...(values.tz === undefined ? {} : { timeZone: values.tz }),
          })
        : await importTrades({
            ...common,
            file,
            sideIsMaker: values['side-is-maker'] === true,
            ...(values.tz === undefined ? {} : { timeZone: values.tz }),
            columns: {
              ...(values['time-col'] === undefined ? {} : { time: values['time-col'] }),
              ...(values['price-col'] === undefined ? {} : { price: values['price-col'] }),
              ...(values['size-col'] === undefined ? {} : { size: values['size-col'] }),
              ...(values['side-col'] === undefined ? {} : { side: values['side-col'] }),
            },
          });
  } catch (error) {
    if (error instanceof ReplayError && error.code === 'BAD_OPTION') {
      throw new CliError('BAD_FLAG_VALUE', error.message, { cause: error });
    }
    if (error instanceof MatchingError) throw new CliError('BAD_FLAG_VALUE', error.message, { cause: error });
    if (error instanceof ReplayError || error instanceof LogError) {
      io.stderr.write(`tickwire import ${kind}: ${error.message} [${error.code}]\n`);
      return 1;
    }
    throw error;
  }
  for (const bad of result.badRows.slice(0, SHOWN_BAD_ROWS))
    io.stderr.write(`${file}:${bad.line}: ${bad.message}\n`);
  if (result.badRows.length > SHOWN_BAD_ROWS) {
    io.stderr.write(`… and ${result.badRows.length - SHOWN_BAD_ROWS} more bad rows\n`);
  }
  const int = (n: number): string => n.toLocaleString('en-US');
  const n = result.notes;
  io.stdout.write(
    [
      `imported ${int(result.imported)} of ${int(result.rows)} rows (${int(result.badRows.length)} bad) into ${result.dir} in ${(result.elapsedMs / 1000).toFixed(1)} s`,
      `  ${int(result.trades)} trades, ${int(result.records)} records, ${isoUs(result.startUs)} … ${isoUs(result.endUs)}`,
      ...(kind === 'lobster'
        ? [
            `  ${int(n.unknownOrders)} events on orders from before the file, ${int(n.pruned)} stale levels dropped, ${int(n.reconciled)} level-1 corrections from the orderbook file`,
          ]
        : []),
      `replay it: npx tickwire replay ${result.dir}`,
      '',
    ].join('\n'),
  );
  return 0;
}
