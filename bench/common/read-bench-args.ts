import { UsageError } from './int-flag.ts';

/**
 * Runs a benchmark's flag parser the same way for every benchmark: returns the options, or the exit code to
 * stop with — 0 after printing the usage for `--help`, 2 after printing the error and the usage for a bad flag.
 */
export function readBenchArgs<T>(
  argv: readonly string[],
  parse: (argv: readonly string[]) => T | null,
  usage: string,
): T | number {
  let options: T | null;
  try {
    options = parse(argv);
  } catch (err) {
    if (err instanceof UsageError || isParseArgsError(err)) {
      process.stderr.write(`${(err as Error).message}\n${usage}\n`);
      return 2;
    }
    throw err;
  }
  if (options === null) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  return options;
}

/** node:util parseArgs errors (unknown flag, missing value) carry codes starting with ERR_PARSE_ARGS. */
function isParseArgsError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}
