import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expect, test } from 'vitest';
import { AMZN_DAY } from '../../../test-support/samples.ts';

/*
 * The committed AMZN day is LOBSTER's sample byte for byte (only gzipped): the checksums its README lists, of the
 * uncompressed files, are the checksums of what the tests read.
 */
test('the committed AMZN files are the ones their README describes', () => {
  const readme = readFileSync(join(AMZN_DAY.dir, 'README.md'), 'utf8');
  const listed = new Map(
    [...readme.matchAll(/^([0-9a-f]{64}) {2}(\S+\.csv)$/gm)].map((m) => [m[2] as string, m[1] as string]),
  );
  expect(listed.size).toBe(2);
  for (const file of [AMZN_DAY.messageFile, AMZN_DAY.orderbookFile]) {
    const text = gunzipSync(readFileSync(file));
    const name = (file.split('/').at(-1) as string).replace(/\.gz$/, '');
    expect(createHash('sha256').update(text).digest('hex'), name).toBe(listed.get(name));
    // 57,515 rows and a header; the last line has no newline.
    expect(text.toString('latin1').split('\n').length, name).toBe(AMZN_DAY.rows + 1);
  }
});
