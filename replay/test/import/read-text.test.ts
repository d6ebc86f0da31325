import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect, test } from 'vitest';
import { readImportText } from '../../src/import/read-text.ts';
import { ReplayError } from '../../src/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'tickwire-read-text-'));
const TEXT = 'Time,Type,OrderId,Size,Price,Direction\r\n34200.01746,5,0,1,2238200,-1';

test('a plain file and the same file gzipped read as the same text, whatever their names', () => {
  const plain = join(dir, 'm.csv');
  const gzipped = join(dir, 'm.csv.gz');
  const misnamed = join(dir, 'gzipped-but-named.csv');
  writeFileSync(plain, TEXT);
  writeFileSync(gzipped, gzipSync(TEXT));
  writeFileSync(misnamed, gzipSync(TEXT));
  expect(readImportText(plain)).toBe(TEXT);
  expect(readImportText(gzipped)).toBe(TEXT);
  expect(readImportText(misnamed)).toBe(TEXT);
});

test('a missing file and a corrupt gzip stream are BAD_IMPORT errors naming the file', () => {
  const corrupt = join(dir, 'corrupt.csv.gz');
  writeFileSync(corrupt, Buffer.concat([gzipSync(TEXT).subarray(0, 12), Buffer.from('not deflate')]));
  for (const [file, message] of [
    [join(dir, 'absent.csv'), /cannot read .*absent\.csv/],
    [corrupt, /cannot gunzip .*corrupt\.csv\.gz/],
  ] as const) {
    const error = (() => {
      try {
        readImportText(file);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ReplayError);
    expect((error as ReplayError).code).toBe('BAD_IMPORT');
    expect((error as ReplayError).message).toMatch(message);
  }
});
