import { describe, expect, test } from 'vitest';
import { CliError } from '../src/cli-error.ts';
import { DEFAULT_RETAIN, parseRetainFlag } from '../src/retain-flag.ts';
import { parseServeArgs } from '../src/serve-command.ts';

const DAY = 86_400_000;

describe('parseRetainFlag', () => {
  test.each([
    ['none', null],
    ['7d', { maxAgeMs: 7 * DAY, maxBytes: null }],
    ['12h', { maxAgeMs: 12 * 3_600_000, maxBytes: null }],
    ['30m', { maxAgeMs: 30 * 60_000, maxBytes: null }],
    ['2w', { maxAgeMs: 14 * DAY, maxBytes: null }],
    ['10GB', { maxAgeMs: null, maxBytes: 10e9 }],
    ['500mb', { maxAgeMs: null, maxBytes: 500e6 }],
    ['2GiB', { maxAgeMs: null, maxBytes: 2 * 2 ** 30 }],
    ['1.5GB', { maxAgeMs: null, maxBytes: 1.5e9 }],
    ['1B', { maxAgeMs: null, maxBytes: 1 }],
    ['7d,10GB', { maxAgeMs: 7 * DAY, maxBytes: 10e9 }],
    ['10GB, 7d', { maxAgeMs: 7 * DAY, maxBytes: 10e9 }],
  ])('%s', (text, expected) => {
    expect(parseRetainFlag('--retain', text)).toEqual(expected);
  });

  test.each([
    ['', 'has an empty bound'],
    ['7', 'is not a number with a unit'],
    ['d7', 'is not a number with a unit'],
    ['-1d', 'is not a number with a unit'],
    ['7d,', 'has an empty bound'],
    ['7d,3d', 'gives two ages'],
    ['1GB,2GB', 'gives two sizes'],
    ['none,7d', 'mixes none with a bound'],
    ['10M', 'ages are lower case (m), sizes end in B (MB)'],
    ['7D', 'ages are lower case (d)'],
    ['90s', 'the shortest unit is m'],
    ['0.5m', 'keeps less than a minute'],
    ['0GB', 'keeps less than a byte'],
    ['3 parsecs', 'neither an age nor a size'],
    ['7days', 'neither an age nor a size'],
  ])('"%s" is refused: %s', (text, why) => {
    let error: unknown;
    try {
      parseRetainFlag('--retain', text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).code).toBe('BAD_FLAG_VALUE');
    expect((error as CliError).message).toContain(`--retain: "${text}"`);
    expect((error as CliError).message).toContain(why);
  });
});

describe('serve --retain', () => {
  const retain = (argv: string[], env: Record<string, string> = {}) => {
    const o = parseServeArgs(argv, env);
    if (o === 'help') throw new Error('help');
    return o.retain;
  };

  test(`defaults to ${DEFAULT_RETAIN}: a week or 2 GB, whichever first`, () => {
    expect(retain([])).toEqual({ maxAgeMs: 7 * DAY, maxBytes: 2e9 });
  });

  test('the flag over TICKWIRE_RETAIN; none keeps everything', () => {
    expect(retain([], { TICKWIRE_RETAIN: 'none' })).toBeNull();
    expect(retain(['--retain', '1h'], { TICKWIRE_RETAIN: 'none' })).toEqual({
      maxAgeMs: 3_600_000,
      maxBytes: null,
    });
  });

  test('a bad value names where it came from', () => {
    expect(() => retain([], { TICKWIRE_RETAIN: '5 apples' })).toThrow(/^TICKWIRE_RETAIN: "5 apples"/);
  });
});
