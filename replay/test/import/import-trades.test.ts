import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { importTrades, ReplayError, SessionReader, sessionTimeZone } from '../../src/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'tickwire-trades-'));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

test('a trades file: columns by header, exact decimals, bad rows reported by line, candles from the trades', async () => {
  const csv = file(
    'btc.csv',
    [
      'trade_id,timestamp,side,price,qty',
      '1,2024-03-01T00:00:00.250Z,buy,61000.10,0.5',
      '2,2024-03-01T00:00:00.750Z,sell,61000.00,0.25',
      '3,not a time,buy,61000.00,1',
      '4,1709251201,b,61001.5,0.125',
      '5,1709251261000,s,61002.00,2',
      '6,1709251262000000,buy,61002.005,1',
      '7,1709251263000000,hold,61002,1',
    ].join('\r\n'),
  );
  const r = await importTrades({ file: csv, symbol: 'BTC-USD', out: join(dir, 's1') });
  expect(r.imported).toBe(4);
  expect(r.badRows.map((b) => b.line)).toEqual([4, 7, 8]);
  expect(r.badRows[1]?.message).toMatch(/tick|decimal/);
  const reader = SessionReader.open(r.dir);
  const state = reader.stateAt(reader.lastSeq);
  const t = state.trades('BTC-USD', 10) ?? [];
  expect(t.map((x) => [x.price, x.qty, x.side])).toEqual([
    [6100010, 50_000_000, 'b'],
    [6100000, 25_000_000, 's'],
    [6100150, 12_500_000, 'b'],
    [6100200, 200_000_000, 's'],
  ]);
  expect(t.map((x) => x.tsUs)).toEqual([
    1709251200250000, 1709251200750000, 1709251201000000, 1709251261000000,
  ]);
  const bars = state.candles('BTC-USD', '1m', 10) ?? [];
  expect(bars[0]).toMatchObject({
    open: 6100010,
    high: 6100150,
    low: 6100000,
    close: 6100150,
    tradeCount: 3,
    closed: true,
  });
  expect(bars[1]).toMatchObject({ open: 6100200, tradeCount: 1, closed: true });
  reader.close();
});

test('columns by number without a header; the maker side flipped; a missing column is a clear error', async () => {
  const csv = file('bin.csv', '1709251200123,61000,0.1,true\n1709251200124,61001,0.2,false\n');
  const r = await importTrades({
    file: csv,
    symbol: 'BTC-USD',
    out: join(dir, 's2'),
    sideIsMaker: true,
    columns: { time: '1', price: '2', size: '3', side: '4' },
  });
  const reader = SessionReader.open(r.dir);
  expect(
    reader
      .stateAt(reader.lastSeq)
      .trades('BTC-USD', 10)
      ?.map((x) => x.side),
  ).toEqual(['s', 'b']);
  reader.close();
  const named = file('named.csv', 'when,price,size\n2024-03-01T00:00:00Z,1,1\n');
  await expect(importTrades({ file: named, symbol: 'X', out: join(dir, 's3') })).rejects.toThrow(
    /no time column.*--time-col/,
  );
  await expect(
    importTrades({ file: join(dir, 'nope.csv'), symbol: 'X', out: join(dir, 's4') }),
  ).rejects.toBeInstanceOf(ReplayError);
});

test('--tz: the exchange time zone is recorded in the session metadata, changing no timestamp', async () => {
  const csv = file('lse.csv', 'time,price,size,side\n2024-03-01T08:00:00.5Z,101.25,10,buy\n');
  const zoned = await importTrades({
    file: csv,
    symbol: 'VOD.L',
    out: join(dir, 'tz1'),
    tickSize: '0.01',
    lotSize: '1',
    timeZone: 'Europe/London',
  });
  const plain = await importTrades({
    file: csv,
    symbol: 'VOD.L',
    out: join(dir, 'tz2'),
    tickSize: '0.01',
    lotSize: '1',
  });
  expect(zoned.startUs).toBe(plain.startUs);
  const a = SessionReader.open(zoned.dir);
  const b = SessionReader.open(plain.dir);
  expect(sessionTimeZone(a.metadata)).toBe('Europe/London');
  expect(sessionTimeZone(b.metadata)).toBeUndefined();
  a.close();
  b.close();
  await expect(
    importTrades({ file: csv, symbol: 'VOD.L', out: join(dir, 'tz3'), timeZone: 'Mars/Olympus_Mons' }),
  ).rejects.toMatchObject({ code: 'BAD_OPTION' });
});

test('sessionTimeZone: an unknown or empty zone counts as none', () => {
  expect(sessionTimeZone({ origin: { timeZone: 'America/New_York' } })).toBe('America/New_York');
  expect(sessionTimeZone({ origin: { timeZone: 'Nowhere/Town' } })).toBeUndefined();
  expect(sessionTimeZone({ origin: { timeZone: '' } })).toBeUndefined();
  expect(sessionTimeZone({})).toBeUndefined();
});

test("an import's session is compressed once written (segments .twlogz); compression 'none' keeps .twlog", async () => {
  const csv = file(
    'few.csv',
    ['time,price,size,side', '2024-03-01T00:00:00Z,100.5,1,buy', '2024-03-01T00:00:01Z,100.25,2,sell'].join(
      '\n',
    ),
  );
  for (const compression of [undefined, 'none'] as const) {
    const out = join(dir, `few-${compression ?? 'default'}`);
    await importTrades({
      file: csv,
      symbol: 'BTC-USD',
      out,
      ...(compression === undefined ? {} : { compression }),
    });
    const s = SessionReader.open(out);
    expect(s.log.segments.map((x) => x.compressed)).toEqual([compression === undefined]);
    expect(s.log.segments[0]?.file.endsWith(compression === undefined ? '.twlogz' : '.twlog')).toBe(true);
    expect(s.lastSeq).toBeGreaterThan(2);
    s.close();
  }
});
