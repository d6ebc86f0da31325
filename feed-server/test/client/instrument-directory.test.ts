import { expect, test } from 'vitest';
import type { InstrumentInfo } from '../../src/client/index.ts';
import { InstrumentDirectory } from '../../src/client/instrument-directory.ts';

const info = (symbol: string) => ({ symbol, priceScale: 2, qtyScale: 5 }) as InstrumentInfo;

test('a snapshot replaces the list and settles the waiters; a close rejects them', async () => {
  const d = new InstrumentDirectory();
  expect(d.all).toBeNull();
  const next = d.next();
  d.update([info('A'), info('B')]);
  expect((await next).map((i) => i.symbol)).toEqual(['A', 'B']);
  d.update([info('B')]);
  expect(d.get('A')).toBeUndefined();
  expect(d.get('B')?.priceScale).toBe(2);
  const waiting = d.next();
  d.fail(new Error('closed'));
  await expect(waiting).rejects.toThrow('closed');
});
