import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { listRecordedSessions } from '../../src/session/index.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

test('lists the session directories serve names, oldest first, and nothing else', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tickwire-catalog-'));
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
