import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { zonedTimeUs } from '../../../replay/src/index.ts';
import { AMZN_DAY } from '../../../test-support/samples.ts';
import {
  barTimeText,
  clockText,
  exchangeZoneLabel,
  knownZone,
  resolveTimeZone,
  selectionSearch,
  tickText,
  timeZoneSearch,
  urlTimeZone,
} from '../../src/model/index.ts';

/** The zone `import lobster` records when no `--tz` is given (NASDAQ's). */
const LOBSTER_DEFAULT_ZONE = 'America/New_York';

/**
 * The engine time of the AMZN day's first event, as `importLobster` computes it: LOBSTER's seconds after midnight
 * (exchange time) from the committed message file, on the sample's date in the exchange's zone.
 */
function amznOpenUs(): number {
  const text = gunzipSync(readFileSync(AMZN_DAY.messageFile)).subarray(0, 200).toString('latin1');
  const first = text.split('\n')[1] ?? '';
  const [secs = '', frac = ''] = (first.split(',')[0] ?? '').split('.');
  const [y, m, d] = AMZN_DAY.date.split('-').map(Number) as [number, number, number];
  const midnightUs = zonedTimeUs(y, m, d, 0, LOBSTER_DEFAULT_ZONE);
  return midnightUs + Number(secs) * 1_000_000 + Number(frac.padEnd(6, '0').slice(0, 6));
}

describe('exchange / local / UTC', () => {
  test('each mode resolves to a zone; exchange time without an exchange zone is UTC (the simulator)', () => {
    expect(resolveTimeZone('exchange', 'America/New_York')).toBe('America/New_York');
    expect(resolveTimeZone('exchange', undefined)).toBe('UTC');
    expect(resolveTimeZone('utc', 'America/New_York')).toBe('UTC');
    expect(resolveTimeZone('local', 'America/New_York')).toBeUndefined();
  });

  test('the exchange choice names its zone', () => {
    expect(exchangeZoneLabel('America/New_York')).toBe('Exchange (New York)');
    expect(exchangeZoneLabel(undefined)).toBe('Exchange (UTC)');
  });

  test("a feed's zone is used only when this runtime knows it", () => {
    expect(knownZone('America/New_York')).toBe('America/New_York');
    expect(knownZone('Atlantis/Capital')).toBeUndefined();
    expect(knownZone(42)).toBeUndefined();
    expect(knownZone(undefined)).toBeUndefined();
  });

  test('the choice lives in the URL beside the selection', () => {
    const search = timeZoneSearch('exchange', selectionSearch({ symbol: 'AMZN', interval: '1m' }));
    expect(search).toBe('?symbol=AMZN&interval=1m&tz=exchange');
    expect(urlTimeZone(search)).toBe('exchange');
    expect(urlTimeZone(selectionSearch({ symbol: 'AMZN', interval: '1m' }, search))).toBe('exchange');
    expect(urlTimeZone('?tz=mars')).toBeNull();
  });
});

describe('the imported LOBSTER AMZN day', () => {
  test('exchange time shows 09:30 at the open; UTC shows 13:30', () => {
    const openUs = amznOpenUs();
    const exchange = resolveTimeZone('exchange', LOBSTER_DEFAULT_ZONE);
    expect(clockText(openUs, exchange)).toBe('09:30:00.017');
    expect(barTimeText(openUs, '1m', exchange)).toBe('2012-06-21 09:30');
    expect(tickText(Math.floor(openUs / 1e6), 'time', exchange)).toBe('09:30');
    const utc = resolveTimeZone('utc', LOBSTER_DEFAULT_ZONE);
    expect(clockText(openUs, utc)).toBe('13:30:00.017');
    expect(barTimeText(openUs, '1m', utc)).toBe('2012-06-21 13:30');
  });
});
