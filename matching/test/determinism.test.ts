import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { Command, EngineEvent } from '../src/index.ts';
import { commandsArb } from './support/command-arbitrary.ts';
import { buy, cancel, type Draft, modify, sell, stamp, stopMarket } from './support/commands.ts';
import { TEST_INSTRUMENTS } from './support/fixtures.ts';
import { IMPLEMENTATIONS, type Implementation } from './support/implementations.ts';

/**
 * Determinism and the state hash: the same commands give the same events and the same hash; different books
 * give different hashes; and, README: "equal hashes ⇔ equal books", so equal books give equal hashes.
 */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 100);

function run(impl: Implementation, cmds: readonly Command[]): { events: string; hashes: string[] } {
  const events: EngineEvent[] = [];
  const book = impl.create(TEST_INSTRUMENTS, (e) => events.push(e));
  const hashes = cmds.map((cmd) => {
    book.submit(cmd);
    return book.stateHash();
  });
  return { events: JSON.stringify(events), hashes };
}

const hashAfter = (impl: Implementation, drafts: readonly Draft[]): string =>
  run(impl, stamp(drafts)).hashes.at(-1) ?? '';

const BASE: readonly Draft[] = [
  buy(1, 95, 30),
  buy(2, 95, 20),
  sell(3, 105, 40),
  stopMarket('buy', 4, 110, 20),
];

/** Pairs of histories whose final books differ in one respect each. */
const DIFFERENT_BOOKS: readonly { name: string; a: readonly Draft[]; b: readonly Draft[] }[] = [
  { name: 'one more resting order', a: BASE, b: [...BASE, buy(5, 90, 20)] },
  { name: 'queue order within a level', a: BASE, b: [buy(2, 95, 20), buy(1, 95, 30), ...BASE.slice(2)] },
  { name: 'an order quantity', a: BASE, b: [...BASE, modify(1, { qty: 20 })] },
  { name: 'an order price', a: BASE, b: [...BASE, modify(3, { price: 110 })] },
  { name: 'an owner', a: BASE, b: [buy(1, 95, 30, { o: 9 }), ...BASE.slice(1)] },
  { name: 'a pending stop', a: BASE, b: [...BASE, cancel(4)] },
  {
    name: 'the instrument an order rests on',
    a: BASE,
    b: [...BASE.slice(0, 3), stopMarket('buy', 4, 110, 20, { sym: 'BBB' })],
  },
  {
    name: 'the last trade price (stops depend on it)',
    a: [buy(8, 100, 20), sell(9, 100, 20), buy(1, 95, 30)],
    b: [buy(8, 90, 20), sell(9, 90, 20), buy(1, 95, 30)],
  },
];

describe.each(IMPLEMENTATIONS)('$name', (impl) => {
  test('the same commands twice give identical events and identical hashes', () => {
    fc.assert(
      fc.property(commandsArb(), (cmds) => {
        const first = run(impl, cmds);
        const second = run(impl, cmds);
        expect(second.events).toBe(first.events);
        expect(second.hashes).toEqual(first.hashes);
      }),
      { numRuns: RUNS },
    );
  });

  test.each(DIFFERENT_BOOKS)('the hash differs when the book differs: $name', ({ a, b }) => {
    expect(hashAfter(impl, a)).not.toBe(hashAfter(impl, b));
  });

  test('equal books reached by different histories hash equal (README: equal hashes ⇔ equal books)', () => {
    const direct = [buy(1, 95, 30, { ts: 2_000 })];
    const roundabout = [buy(7, 90, 30), cancel(7), buy(1, 95, 30, { ts: 2_000 })];
    expect(hashAfter(impl, roundabout)).toBe(hashAfter(impl, direct));
  });

  test('a refused command leaves the hash unchanged', () => {
    const cmds = stamp([...BASE, buy(1, 95, 30), cancel(99), modify(4, { qty: 10 }), buy(8, 96, 20)]);
    const { hashes } = run(impl, cmds);
    for (const i of [4, 5, 6, 7]) expect(hashes[i], `after refused command #${i}`).toBe(hashes[3]);
  });
});
