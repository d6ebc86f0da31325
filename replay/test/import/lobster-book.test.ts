import { describe, expect, test } from 'vitest';
import { LobsterBook, type LobsterRow } from '../../src/index.ts';

let line = 0;
const row = (type: number, orderId: number, size: number, price: number, direction: 1 | -1): LobsterRow => ({
  line: ++line,
  tsUs: line * 1000,
  type,
  orderId,
  size,
  price,
  direction,
});

/** What each row emits, compactly: `L buy 100@5 n1` for a level, `T buy 3@5` for a trade (taker side). */
const show = (b: LobsterBook, r: LobsterRow): string[] =>
  b
    .apply(r)
    .map((e) =>
      e.type === 'level'
        ? `L ${e.side} ${e.qty}@${e.price} n${e.count}`
        : `T ${e.takerSide} ${e.qty}@${e.price}`,
    );

describe('LobsterBook', () => {
  test.each<[string, LobsterRow[], string[]]>([
    ['a submission adds to its level', [row(1, 1, 100, 500, 1), row(1, 2, 50, 500, 1)], ['L buy 150@500 n2']],
    ['a partial cancel shrinks it', [row(1, 1, 100, 500, 1), row(2, 1, 30, 500, 1)], ['L buy 70@500 n1']],
    [
      'a deletion removes the order whatever the size says',
      [row(1, 1, 100, 500, 1), row(3, 1, 1, 500, 1)],
      ['L buy 0@500 n0'],
    ],
    [
      'a visible execution of a sell order: a buyer-initiated trade, then the level',
      [row(1, 1, 100, 510, -1), row(4, 1, 40, 510, -1)],
      ['T buy 40@510', 'L sell 60@510 n1'],
    ],
    ['a hidden execution: a trade and no book change', [row(5, 0, 7, 505, 1)], ['T sell 7@505']],
    ['an event on an order from before the file changes nothing it cannot', [row(3, 99, 100, 500, 1)], []],
    ['a halt is noted, not a change', [row(7, 0, 0, 0, -1)], []],
  ])('%s', (_name, rows, last) => {
    const b = new LobsterBook('AMZN');
    let out: string[] = [];
    for (const r of rows) out = show(b, r);
    expect(out).toEqual(last);
  });

  test('a level-1 event below a level the book still holds: that level was deleted unseen, and is dropped', () => {
    const b = new LobsterBook('AMZN');
    show(b, row(1, 1, 100, 520, 1)); // a bid that later leaves the top and is deleted unseen
    show(b, row(1, 2, 100, 530, 1));
    show(b, row(3, 2, 100, 530, 1));
    // The next event at the top is at 500: nothing can be better.
    expect(show(b, row(1, 3, 10, 500, 1))).toEqual(['L buy 10@500 n1', 'L buy 0@520 n0']);
    expect(b.notes.pruned).toBe(1);
    expect(b.best('buy')).toEqual([500, 10]);
  });

  test('a resting submission uncrosses the other side', () => {
    const b = new LobsterBook('AMZN');
    show(b, row(1, 1, 100, 500, -1));
    expect(show(b, row(1, 2, 20, 501, 1))).toEqual(['L buy 20@501 n1', 'L sell 0@500 n0']);
  });

  test('reconciling with the orderbook file: unseen resting orders, stale better levels, shrunk known orders', () => {
    const b = new LobsterBook('AMZN');
    const r = row(1, 1, 100, 500, 1);
    show(b, r);
    expect(
      b.reconcile(r, [510, 300], [500, 150]).map((e) => `${e.side} ${e.qty}@${e.price} n${e.count}`),
    ).toEqual(['sell 300@510 n1', 'buy 150@500 n2']);
    const r2 = row(1, 2, 10, 505, -1);
    show(b, r2);
    expect(b.reconcile(r2, [510, 300], [500, 80]).map((e) => `${e.side} ${e.qty}@${e.price}`)).toEqual([
      'sell 0@505',
      'buy 80@500',
    ]);
    expect(b.best('sell')).toEqual([510, 300]);
  });
});
