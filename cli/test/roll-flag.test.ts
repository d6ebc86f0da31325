import { PassThrough } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { CliError, USAGE_EXIT_CODE } from '../src/cli-error.ts';
import { main } from '../src/main.ts';
import {
  checkRollAgainstRetain,
  DEFAULT_ROLL_BYTES,
  defaultRollPolicy,
  MIN_ROLL_BYTES,
  parseRollFlag,
} from '../src/roll-flag.ts';
import { parseServeArgs } from '../src/serve-command.ts';

const MIN_US = 60_000_000;
const HOUR_US = 3_600_000_000;

describe('parseRollFlag', () => {
  test.each([
    ['none', null],
    ['1h', { maxAgeUs: HOUR_US, maxBytes: null }],
    ['30m', { maxAgeUs: 30 * MIN_US, maxBytes: null }],
    ['1d', { maxAgeUs: 24 * HOUR_US, maxBytes: null }],
    ['256MB', { maxAgeUs: null, maxBytes: 256e6 }],
    ['1GiB', { maxAgeUs: null, maxBytes: 2 ** 30 }],
    ['64KiB', { maxAgeUs: null, maxBytes: MIN_ROLL_BYTES }],
    ['0.5GB', { maxAgeUs: null, maxBytes: 5e8 }],
    ['1h,256MB', { maxAgeUs: HOUR_US, maxBytes: 256e6 }],
    ['256MB, 1h', { maxAgeUs: HOUR_US, maxBytes: 256e6 }],
  ])('%s', (text, expected) => {
    expect(parseRollFlag('--roll', text)).toEqual(expected);
  });

  test.each([
    ['', 'has an empty bound'],
    ['1', 'is not a number with a unit'],
    ['h1', 'is not a number with a unit'],
    ['-1h', 'is not a number with a unit'],
    ['1h,', 'has an empty bound'],
    ['1h,2h', 'gives two ages'],
    ['1GB,2GB', 'gives two sizes'],
    ['none,1h', 'mixes none with a bound'],
    ['256M', 'ages are lower case (m), sizes end in B (MB)'],
    ['1H', 'ages are lower case (h)'],
    ['90s', 'the shortest unit is m'],
    ['0.5m', 'rolls in less than a minute'],
    ['10KB', 'rolls below 64KiB'],
    ['0B', 'rolls below 64KiB'],
    ['3 parsecs', 'neither an age nor a size'],
    ['1hour', 'neither an age nor a size'],
  ])('"%s" is refused: %s', (text, why) => {
    let error: unknown;
    try {
      parseRollFlag('--roll', text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).code).toBe('BAD_FLAG_VALUE');
    expect((error as CliError).message).toContain(`--roll: "${text}"`);
    expect((error as CliError).message).toContain(why);
  });
});

describe('the default roll policy', () => {
  test('every hour or 256 MB, whichever first, under a large retention or none', () => {
    expect(defaultRollPolicy(null)).toEqual({ maxAgeUs: HOUR_US, maxBytes: DEFAULT_ROLL_BYTES });
    expect(defaultRollPolicy({ maxAgeMs: 1000, maxBytes: null })).toEqual({
      maxAgeUs: HOUR_US,
      maxBytes: DEFAULT_ROLL_BYTES,
    });
    expect(defaultRollPolicy({ maxAgeMs: null, maxBytes: 10e9 }).maxBytes).toBe(DEFAULT_ROLL_BYTES);
  });

  test("a quarter of --retain's size when that is less, never below the minimum", () => {
    expect(defaultRollPolicy({ maxAgeMs: null, maxBytes: 400e6 }).maxBytes).toBe(100e6);
    expect(defaultRollPolicy({ maxAgeMs: null, maxBytes: 1000 }).maxBytes).toBe(MIN_ROLL_BYTES);
  });
});

describe('serve --roll', () => {
  const parse = (argv: string[], env: Record<string, string> = {}) => {
    const o = parseServeArgs(argv, env);
    if (o === 'help') throw new Error('help');
    return o;
  };

  test('defaults to 1h and 256MB with the default --retain (7d,2GB), a quarter of a smaller one', () => {
    expect(parse([]).roll).toEqual({ maxAgeUs: HOUR_US, maxBytes: 256e6 });
    expect(parse(['--retain', '400MB']).roll).toEqual({ maxAgeUs: HOUR_US, maxBytes: 100e6 });
  });

  test('the flag over TICKWIRE_ROLL; none rolls never', () => {
    expect(parse([], { TICKWIRE_ROLL: 'none' }).roll).toBeNull();
    expect(parse(['--roll', '2h'], { TICKWIRE_ROLL: 'none' }).roll).toEqual({
      maxAgeUs: 2 * HOUR_US,
      maxBytes: null,
    });
  });

  test("a roll size over half of --retain's is refused, naming both", () => {
    expect(() => parse(['--roll', '1.5GB'])).toThrow(
      /^--roll: "1.5GB" is more than half of --retain "7d,2GB": the session being written and the one it rolled from are never deleted/,
    );
    expect(() => parse(['--retain', '100MB'], { TICKWIRE_ROLL: '60MB' })).toThrow(
      /^TICKWIRE_ROLL: "60MB" is more than half of --retain "100MB"/,
    );
    expect(parse(['--retain', '100MB', '--roll', '50MB']).roll?.maxBytes).toBe(50e6);
    expect(() =>
      checkRollAgainstRetain(
        { name: '--roll', text: '1h', policy: { maxAgeUs: HOUR_US, maxBytes: null } },
        { name: '--retain', text: '1GB', policy: { maxAgeMs: null, maxBytes: 1e9 } },
      ),
    ).not.toThrow();
  });

  test('a bad value names where it came from', () => {
    expect(() => parse([], { TICKWIRE_ROLL: '5 apples' })).toThrow(/^TICKWIRE_ROLL: "5 apples"/);
  });

  test('tickwire serve --roll <bad> exits 2 with what is wrong, before it listens or records', async () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let err = '';
    stderr.on('data', (b: Buffer) => {
      err += b.toString();
    });
    const code = await main(['serve', '--roll', '10KB', '--no-record'], { stdout, stderr, env: {} });
    expect(code).toBe(USAGE_EXIT_CODE);
    expect(USAGE_EXIT_CODE).toBe(2);
    expect(err).toContain('--roll: "10KB" rolls below 64KiB');
  });
});
