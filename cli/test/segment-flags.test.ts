import { describe, expect, test } from 'vitest';
import { CliError } from '../src/cli-error.ts';
import { parseCompressionFlag, parseSegmentSizeFlag } from '../src/segment-flags.ts';
import { parseServeArgs } from '../src/serve-command.ts';

function refused(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    if (err instanceof CliError && err.code === 'BAD_FLAG_VALUE') return err.message;
    throw err;
  }
  throw new Error('expected a CliError');
}

describe('--compression and --segment-size', () => {
  test('brotli or none', () => {
    expect(parseCompressionFlag('--compression', 'brotli')).toBe('brotli');
    expect(parseCompressionFlag('--compression', 'none')).toBe('none');
    expect(refused(() => parseCompressionFlag('--compression', 'gzip'))).toBe(
      '--compression: "gzip" is not brotli or none',
    );
  });

  test.each([
    ['64KiB', 65_536],
    ['4MB', 4_000_000],
    ['64MiB', 67_108_864],
    ['1GiB', 2 ** 30],
  ])('a size from 64KiB to 1GiB: %s', (text, bytes) => {
    expect(parseSegmentSizeFlag('--segment-size', text)).toBe(bytes);
  });

  test.each([
    ['60KiB', 'is below 64KiB'],
    ['2GiB', 'is over 1GiB'],
    ['1h', 'is not one size'],
    ['none', 'is not one size'],
    ['10M', 'sizes end in B'],
  ])('refused: %s', (text, why) => {
    expect(refused(() => parseSegmentSizeFlag('--segment-size', text))).toContain(why);
  });

  test('serve: defaults brotli and the log default; flags over TICKWIRE_COMPRESSION and TICKWIRE_SEGMENT_SIZE', () => {
    const opts = (argv: string[], env: Record<string, string> = {}) => {
      const o = parseServeArgs(argv, env);
      if (o === 'help') throw new Error('help');
      return [o.compression, o.segmentBytes];
    };
    expect(opts([])).toEqual(['brotli', undefined]);
    expect(opts([], { TICKWIRE_COMPRESSION: 'none', TICKWIRE_SEGMENT_SIZE: '1MiB' })).toEqual([
      'none',
      2 ** 20,
    ]);
    expect(
      opts(['--compression', 'brotli', '--segment-size', '256KiB'], { TICKWIRE_COMPRESSION: 'none' }),
    ).toEqual(['brotli', 256 * 1024]);
  });
});
