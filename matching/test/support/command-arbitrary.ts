import fc from 'fast-check';
import type { Command, OrderType, Side, StpMode, TimeInForce } from '../../src/index.ts';
import type { Draft } from './commands.ts';

/**
 * Random command sequences for property tests: mostly valid commands on AAA and BBB (see fixtures), a few
 * owners, a handful of order ids (so cancels, modifies and duplicates hit), prices in a narrow band around
 * 100 (so orders cross and stops trigger often), every order type / tif / STP mode, plus a sprinkling of
 * invalid fields, unknown symbols and stale timestamps.
 */

/** A price as a level offset from 100 (scaled per instrument) or a raw, probably invalid, value. */
type PriceDraft = { readonly k: number } | { readonly raw: number };
/** A quantity in lot steps above the minimum, or a raw, probably invalid, value. */
type QtyDraft = { readonly u: number } | { readonly raw: number };

const priceArb: fc.Arbitrary<PriceDraft> = fc.oneof(
  { weight: 60, arbitrary: fc.integer({ min: -3, max: 3 }).map((k) => ({ k })) },
  { weight: 1, arbitrary: fc.constantFrom(0, -5, 101, 3, 50_000).map((raw) => ({ raw })) },
);
const qtyArb: fc.Arbitrary<QtyDraft> = fc.oneof(
  { weight: 60, arbitrary: fc.integer({ min: 0, max: 6 }).map((u) => ({ u })) },
  { weight: 1, arbitrary: fc.constantFrom(0, -10, 25, 10, 20_000, 2.5).map((raw) => ({ raw })) },
);
const symbolArb = fc.oneof(
  { weight: 30, arbitrary: fc.constant('AAA') },
  { weight: 8, arbitrary: fc.constant('BBB') },
  { weight: 1, arbitrary: fc.constant('ZZZ') },
);
const orderIdArb = fc.oneof(
  { weight: 80, arbitrary: fc.integer({ min: 1, max: 20 }) },
  { weight: 1, arbitrary: fc.constantFrom(-1, 1.5, 2 ** 53) },
);
const ownerIdArb = fc.oneof(
  { weight: 80, arbitrary: fc.integer({ min: 1, max: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(-2, 0.5) },
);
const STP_MODES: readonly StpMode[] = [
  'none',
  'cancel_newest',
  'cancel_oldest',
  'cancel_both',
  'decrement_cancel',
];

function price(p: PriceDraft, symbol: string): number {
  if ('raw' in p) return p.raw;
  return symbol === 'BBB' ? 100 + p.k : 100 + 5 * p.k;
}

function qty(q: QtyDraft, symbol: string): number {
  if ('raw' in q) return q.raw;
  return symbol === 'BBB' ? q.u + 1 : 20 + 10 * q.u;
}

/** `pick` (0–99) chooses from `[value, percent]` pairs; the last pair takes the rest. */
function choose<T>(pick: number, table: readonly (readonly [T, number])[]): T {
  let acc = 0;
  for (const [value, percent] of table) {
    acc += percent;
    if (pick < acc) return value;
  }
  const last = table[table.length - 1];
  if (last === undefined) throw new Error('empty table');
  return last[0];
}

const newOrderArb = fc
  .record({
    symbol: symbolArb,
    orderId: orderIdArb,
    ownerId: ownerIdArb,
    side: fc.oneof(
      { weight: 80, arbitrary: fc.constantFrom<Side>('buy', 'sell') },
      { weight: 1, arbitrary: fc.constant('hold' as Side) },
    ),
    orderType: fc.oneof(
      { weight: 10, arbitrary: fc.constant<OrderType>('limit') },
      { weight: 2, arbitrary: fc.constant<OrderType>('market') },
      { weight: 2, arbitrary: fc.constant<OrderType>('stop_market') },
      { weight: 2, arbitrary: fc.constant<OrderType>('stop_limit') },
    ),
    price: priceArb,
    stopPrice: priceArb,
    qty: qtyArb,
    pricePick: fc.integer({ min: 0, max: 99 }),
    stopPick: fc.integer({ min: 0, max: 99 }),
    tifPick: fc.integer({ min: 0, max: 99 }),
    postOnlyPick: fc.integer({ min: 0, max: 99 }),
    stp: fc.option(fc.constantFrom(...STP_MODES), { nil: undefined, freq: 3 }),
  })
  .map((d): Draft => {
    const marketLike = d.orderType === 'market' || d.orderType === 'stop_market';
    const stop = d.orderType === 'stop_market' || d.orderType === 'stop_limit';
    const hasPrice = marketLike ? d.pricePick < 40 : d.pricePick >= 2;
    const hasStop = stop ? d.stopPick >= 2 : d.stopPick < 2;
    const tif = marketLike
      ? choose<TimeInForce | undefined>(d.tifPick, [
          [undefined, 70],
          ['IOC', 25],
          ['GTC', 2],
          ['FOK', 3],
        ])
      : choose<TimeInForce | undefined>(d.tifPick, [
          [undefined, 48],
          ['GTC', 10],
          ['IOC', 20],
          ['FOK', 20],
          ['DAY' as TimeInForce, 2],
        ]);
    const postOnly = choose<boolean | undefined>(d.postOnlyPick, [
      [undefined, 80],
      [true, d.orderType === 'limit' ? 15 : 2],
      [false, 5],
    ]);
    return {
      type: 'new',
      symbol: d.symbol,
      orderId: d.orderId,
      ownerId: d.ownerId,
      side: d.side,
      orderType: d.orderType,
      ...(hasPrice ? { price: price(d.price, d.symbol) } : {}),
      ...(hasStop ? { stopPrice: price(d.stopPrice, d.symbol) } : {}),
      qty: qty(d.qty, d.symbol),
      ...(tif === undefined ? {} : { tif }),
      ...(postOnly === undefined ? {} : { postOnly }),
      ...(d.stp === undefined ? {} : { stp: d.stp }),
    } as Draft;
  });

/**
 * The order a cancel or modify aims at: usually the `back`-th most recent new order of the sequence (open or
 * not), sometimes a random id on a random symbol.
 */
type Target = { readonly back: number } | { readonly symbol: string; readonly orderId: number };
const targetArb: fc.Arbitrary<Target> = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 0, max: 7 }).map((back) => ({ back })) },
  { weight: 1, arbitrary: fc.record({ symbol: symbolArb, orderId: orderIdArb }) },
);

const cancelArb = fc.record({ target: targetArb }).map((d) => ({ kind: 'cancel' as const, ...d }));

const modifyArb = fc
  .record({
    target: targetArb,
    price: fc.option(priceArb, { nil: undefined, freq: 2 }),
    qty: fc.option(qtyArb, { nil: undefined, freq: 3 }),
  })
  .map((d) => ({ kind: 'modify' as const, ...d }));

const massCancelArb = fc
  .record({ ownerId: ownerIdArb, symbol: fc.option(symbolArb, { nil: undefined, freq: 2 }) })
  .map(
    (d): Draft => ({
      type: 'mass_cancel',
      ownerId: d.ownerId,
      ...(d.symbol === undefined ? {} : { symbol: d.symbol }),
    }),
  );

/** Resolves a cancel / modify draft against the new orders generated so far. */
function resolve(
  step:
    | Draft
    | { kind: 'cancel'; target: Target }
    | { kind: 'modify'; target: Target; price?: PriceDraft; qty?: QtyDraft },
  news: readonly { symbol: string; orderId: number }[],
): Draft {
  if (!('kind' in step)) return step;
  const t = step.target;
  const aim = 'back' in t ? (news[news.length - 1 - t.back] ?? { symbol: 'AAA', orderId: 1 }) : t;
  if (step.kind === 'cancel') return { type: 'cancel', symbol: aim.symbol, orderId: aim.orderId };
  return {
    type: 'modify',
    symbol: aim.symbol,
    orderId: aim.orderId,
    ...(step.price === undefined ? {} : { price: price(step.price, aim.symbol) }),
    ...(step.qty === undefined ? {} : { qty: qty(step.qty, aim.symbol) }),
  };
}

const stepArb = fc.record({
  dtUs: fc.oneof(
    { weight: 40, arbitrary: fc.integer({ min: 0, max: 3 }) },
    { weight: 1, arbitrary: fc.integer({ min: -3, max: -1 }) },
  ),
  cmd: fc.oneof(
    { weight: 14, arbitrary: newOrderArb },
    { weight: 2, arbitrary: cancelArb },
    { weight: 3, arbitrary: modifyArb },
    { weight: 1, arbitrary: massCancelArb },
  ),
});

/**
 * Sequences of 1 to `maxLength` commands with timestamps from 1000 that go forward; a negative step makes
 * that one command stale without dragging the following ones back.
 */
export function commandsArb(maxLength = 60): fc.Arbitrary<Command[]> {
  return fc.array(stepArb, { minLength: 1, maxLength, size: 'max' }).map((steps) => {
    let ts = 1_000;
    const news: { symbol: string; orderId: number }[] = [];
    return steps.map(({ dtUs, cmd: step }) => {
      if (dtUs >= 0) ts += dtUs;
      const cmd = resolve(step, news);
      if (cmd.type === 'new') news.push({ symbol: cmd.symbol, orderId: cmd.orderId });
      return { ...cmd, tsUs: dtUs >= 0 ? ts : ts + dtUs } as Command;
    });
  });
}
