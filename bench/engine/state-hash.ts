/**
 * `node --import tsx bench/engine/state-hash.ts [ORDERS] [REPS]`: how long `MatchingEngine.stateHash()` takes on a
 * large book (default 100,000 resting orders plus 1,000 pending stops on one instrument). The live recorder
 * calls it at every keyframe (every 4,000 records by default), so its time is a pause of the event loop there.
 * Figures, not assertions; not part of `npm run bench`. Prints the median, min and max of REPS timed calls after
 * three untimed ones, against node:crypto over the same text in the same run.
 */
import { createHash } from 'node:crypto';
import { defineInstrument, MatchingEngine } from '../../matching/src/index.ts';

const orders = Number(process.argv[2] ?? 100_000);
const reps = Number(process.argv[3] ?? 21);
const instrument = defineInstrument({ symbol: 'BTC-USD', tickSize: '0.01', lotSize: '0.00001' });
const engine = new MatchingEngine([instrument], () => {});
const STP = ['cancel_newest', 'cancel_oldest', 'cancel_both', 'decrement_cancel', 'none'] as const;
let orderId = 0;
for (let i = 0; i < orders; i++) {
  const buy = i % 2 === 0;
  // 500 levels a side, apart, so nothing crosses; sizes and owners vary so the text is not one repeated line
  const level = (i >> 1) % 500;
  engine.submit({
    type: 'new',
    tsUs: i,
    symbol: 'BTC-USD',
    orderId: ++orderId,
    ownerId: 100 + (i % 37),
    side: buy ? 'buy' : 'sell',
    orderType: 'limit',
    price: buy ? 6_000_000 - level : 6_000_600 + level,
    qty: 1000 + ((i * 7919) % 100_000),
    stp: STP[i % STP.length],
    postOnly: i % 3 === 0,
  });
}
for (let i = 0; i < 1000; i++) {
  engine.submit({
    type: 'new',
    tsUs: orders + i,
    symbol: 'BTC-USD',
    orderId: ++orderId,
    ownerId: 300 + (i % 5),
    side: i % 2 === 0 ? 'buy' : 'sell',
    orderType: i % 4 < 2 ? 'stop_market' : 'stop_limit',
    stopPrice: i % 2 === 0 ? 7_000_000 + i : 5_000_000 - i,
    ...(i % 4 < 2 ? {} : { price: i % 2 === 0 ? 7_000_100 + i : 4_999_900 - i }),
    qty: 5000 + i,
  });
}

// Three ways, called in turn so that load from other processes falls on each alike: the text alone; the text
// hashed by node:crypto (stateHash() before matching/ dropped Node built-ins); stateHash() itself.
const ways = {
  'text only (stateText)': () => engine.stateText(),
  'node:crypto over the text': () => createHash('sha256').update(engine.stateText()).digest('hex'),
  'stateHash() (@noble/hashes)': () => engine.stateHash(),
} as const;
const names = Object.keys(ways) as (keyof typeof ways)[];
const ms = new Map(names.map((n) => [n, [] as number[]]));
for (let i = 0; i < 3 + reps; i++) {
  for (const name of names) {
    const t0 = performance.now();
    ways[name]();
    if (i >= 3) ms.get(name)?.push(performance.now() - t0);
  }
}
const f = (x: number | undefined): string => (x ?? Number.NaN).toFixed(1).padStart(7);
const bytes = new TextEncoder().encode(engine.stateText()).length;
process.stdout.write(
  `stateHash on ${engine.openOrders().toLocaleString('en-US')} open orders (${(bytes / 2 ** 20).toFixed(1)} MiB of text), ` +
    `${reps} calls each, ms:\n${'median'.padStart(37)}${'min'.padStart(7)}${'max'.padStart(7)}\n`,
);
for (const name of names) {
  const m = (ms.get(name) ?? []).sort((a, b) => a - b);
  process.stdout.write(`${name.padEnd(30)}${f(m[m.length >> 1])}${f(m[0])}${f(m[m.length - 1])}\n`);
}
const same = ways['node:crypto over the text']() === engine.stateHash();
process.stdout.write(`${engine.stateHash()} (${same ? 'same as' : 'DIFFERENT FROM'} node:crypto)\n`);
