import type { DEFAULT_SEGMENT_BYTES, SegmentCompression } from '../../replay/src/index.ts';
import { parseAgeSizeBounds } from './age-size-bounds.ts';
import { CliError } from './cli-error.ts';

/** Smallest `--segment-size`: a segment holds at least a keyframe of the whole feed state (~30 KiB). */
export const MIN_SEGMENT_SIZE = 64 * 1024;
/** Largest `--segment-size`: a segment is compressed whole in the background; 1 GiB bounds that. */
export const MAX_SEGMENT_SIZE = 2 ** 30;

/**
 * `--compression brotli|none`: how the recording stores sealed segments (replay/README.md, "Compressed
 * segments"). Throws `CliError` `BAD_FLAG_VALUE` naming `flag`.
 */
export function parseCompressionFlag(flag: string, text: string): SegmentCompression {
  if (text === 'brotli' || text === 'none') return text;
  throw new CliError('BAD_FLAG_VALUE', `${flag}: "${text}" is not brotli or none`);
}

/**
 * `--segment-size <size>`: the recording's segment size, a size as `--retain`'s (`64MiB`, `4MB`), from 64 KiB to
 * 1 GiB; default {@link DEFAULT_SEGMENT_BYTES}. Throws `CliError` `BAD_FLAG_VALUE` naming `flag`.
 */
export function parseSegmentSizeFlag(flag: string, text: string): number {
  const fail = (why: string): never => {
    throw new CliError(
      'BAD_FLAG_VALUE',
      `${flag}: "${text}" ${why}; expected a size from 64KiB to 1GiB (64MiB)`,
    );
  };
  const bounds = parseAgeSizeBounds(
    text,
    { minBytes: MIN_SEGMENT_SIZE, tooYoung: 'is an age', tooSmall: 'is below 64KiB' },
    fail,
  );
  if (bounds === null || bounds.maxBytes === null || bounds.maxAgeMs !== null) fail('is not one size');
  const bytes = bounds?.maxBytes as number;
  if (bytes > MAX_SEGMENT_SIZE) fail('is over 1GiB');
  return bytes;
}
