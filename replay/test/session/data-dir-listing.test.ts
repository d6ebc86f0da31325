import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { DataDirListing, DELETING_SUFFIX, LogWriter, listRecordedSessions } from '../../src/index.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

test('lists the session directories serve names, oldest first, and nothing else', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tickwire-listing-'));
  dirs.push(dataDir);
  for (const name of [
    '2026-12-02T10-00-00Z-2',
    '2026-12-02T10-00-00Z-10',
    '2026-12-01T23-59-59Z',
    '2026-12-02T10-00-00Z',
    'amzn', // an import's --out
  ]) {
    mkdirSync(join(dataDir, name));
  }
  writeFileSync(join(dataDir, '2026-12-02T11-00-00Z'), 'a file, not a session');
  expect(listRecordedSessions(dataDir).map((s) => s.name)).toEqual([
    '2026-12-01T23-59-59Z',
    '2026-12-02T10-00-00Z',
    '2026-12-02T10-00-00Z-2',
    '2026-12-02T10-00-00Z-10',
  ]);
  expect(listRecordedSessions(dataDir)[0]?.dir).toBe(join(dataDir, '2026-12-01T23-59-59Z'));
});

test('a data directory that does not exist yet has no sessions', () => {
  expect(listRecordedSessions(join(tmpdir(), 'tickwire-no-such-dir-12'))).toEqual([]);
});

test('one listing, two views: by name for continuing, by header for retention', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tickwire-listing-'));
  dirs.push(dataDir);
  const log = async (name: string, source: string) => {
    const w = LogWriter.openSync(join(dataDir, name), { fsync: 'none', metadata: { source } });
    w.append(3, 1, new Uint8Array([1]));
    await w.close();
  };
  await log('2026-12-02T10-00-00Z', 'simulator'); // a recorded session
  await log('amzn', 'lobster'); // an import's --out: a session by its header, not by its name
  mkdirSync(join(dataDir, '2026-12-02T11-00-00Z')); // named as serve names them, no log (yet)
  mkdirSync(join(dataDir, `2026-12-01T09-00-00Z${DELETING_SUFFIX}`)); // a deletion a crash interrupted
  const listing = DataDirListing.read(dataDir);
  expect(listing.recordedSessions().map((s) => s.name)).toEqual([
    '2026-12-02T10-00-00Z',
    '2026-12-02T11-00-00Z',
  ]);
  expect(
    listing
      .sessionsOnDisk()
      .map((s) => [s.dir, s.source])
      .sort(),
  ).toEqual([
    [join(dataDir, '2026-12-02T10-00-00Z'), 'simulator'],
    [join(dataDir, 'amzn'), 'lobster'],
  ]);
  expect(listing.deleting()).toEqual([join(dataDir, `2026-12-01T09-00-00Z${DELETING_SUFFIX}`)]);
});
