import { type ParseArgsConfig, parseArgs } from 'node:util';
import { CliError } from './cli-error.ts';

type Options = NonNullable<ParseArgsConfig['options']>;
/** What `parseArgs` returns for these options; spelled out because the package's .d.ts cannot name the type
 * `util` infers (it uses a type `node:util` does not export). */
type Parsed<O extends Options, P extends boolean> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: P }>
>;

/**
 * `util.parseArgs` in strict mode with no positionals, its errors turned into `CliError` (`BAD_FLAG`) with
 * the first sentence of Node's message ("Unknown option '--foo'", "Option '--seed <value>' argument missing").
 */
export function parseCliArgs<O extends Options>(argv: readonly string[], options: O): Parsed<O, false> {
  return asCliErrors(() => parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }));
}

/** `parseCliArgs` that also takes positional arguments (the channels of `tickwire subscribe`, the dir of `log`). */
export function parseCliArgsWithPositionals<O extends Options>(
  argv: readonly string[],
  options: O,
): Parsed<O, true> {
  return asCliErrors(() => parseArgs({ args: [...argv], options, strict: true, allowPositionals: true }));
}

function asCliErrors<R>(parse: () => R): R {
  try {
    return parse();
  } catch (cause) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) {
      const message = (cause as Error).message.split('. ')[0] ?? '';
      throw new CliError('BAD_FLAG', message, { cause });
    }
    throw cause;
  }
}

/** A flag value that must be a decimal integer in [min, max]; throws `CliError` (`BAD_FLAG_VALUE`). */
export function parseIntegerFlag(flag: string, text: string, min: number, max: number): number {
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(n >= min && n <= max)) {
    throw new CliError('BAD_FLAG_VALUE', `${flag} must be an integer from ${min} to ${max}, got "${text}"`);
  }
  return n;
}

/**
 * A `HOST:PORT` flag value (`127.0.0.1:9464`, `[::1]:9464`, `0.0.0.0:9464`); throws `CliError`
 * (`BAD_FLAG_VALUE`).
 */
export function parseListenFlag(
  flag: string,
  text: string,
): { readonly host: string; readonly port: number } {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9._-]+)):(\d+)$/.exec(text);
  const host = m?.[1] ?? m?.[2];
  if (m === null || host === undefined || m[3] === undefined) {
    throw new CliError('BAD_FLAG_VALUE', `${flag} must be HOST:PORT, e.g. 127.0.0.1:9464, got "${text}"`);
  }
  return { host, port: parseIntegerFlag(flag, m[3], 0, 65_535) };
}
