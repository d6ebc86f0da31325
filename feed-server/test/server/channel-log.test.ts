import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ChannelLog, DEFAULT_CHANNEL_LOG_LIMITS } from '../../src/server/channel-log.ts';

let made = 0;
/** `n` bytes that differ from the previous message's, so a test can tell messages apart by content. */
const bytes = (n: number): Uint8Array => {
  made++;
  return new Uint8Array(n).map((_, i) => (made * 31 + i) & 0xff);
};

/** A log filled with `count` messages of `size` bytes appended at `atMs`, and those messages. */
function filled(log: ChannelLog, count: number, size = 1, atMs = 0): Uint8Array[] {
  const msgs: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const m = bytes(size);
    msgs.push(m);
    log.append(m, atMs);
  }
  return msgs;
}

/** `got` holds exactly the bytes of the `want` payloads, in order. */
function expectSamePayloads(
  got: readonly Uint8Array[] | 'reset',
  want: readonly (Uint8Array | undefined)[],
): void {
  expect(got).not.toBe('reset');
  expect(got).toHaveLength(want.length);
  for (let i = 0; i < want.length; i++) expect((got as readonly Uint8Array[])[i]).toEqual(want[i]);
}

test('defaults follow PROTOCOL.md §5', () => {
  expect(DEFAULT_CHANNEL_LOG_LIMITS).toEqual({
    maxCount: 10_000,
    maxAgeMs: 60_000,
    maxBytes: 8 * 1024 * 1024,
  });
  const log = new ChannelLog();
  expect(log.limits).toEqual(DEFAULT_CHANNEL_LOG_LIMITS);
  expect([log.lastSeq, log.seqOfOldest, log.length, log.bytes]).toEqual([0, 1, 0, 0]);
  expect(log.since(0)).toEqual([]);
});

test('append assigns contiguous seqs from 1', () => {
  const log = new ChannelLog({ maxCount: 2 });
  expect([1, 2, 3, 4].map(() => log.append(bytes(1), 0))).toEqual([1, 2, 3, 4]);
  expect([log.lastSeq, log.seqOfOldest, log.length]).toEqual([4, 3, 2]);
});

describe('since', () => {
  // Each case: limits, then appends as [sizeBytes, atMs], then the question and the expected answer as seqs.
  type Case = [
    string,
    ConstructorParameters<typeof ChannelLog>[0],
    [number, number][],
    number,
    number[] | 'reset',
  ];
  const five: [number, number][] = [
    [1, 0],
    [1, 0],
    [1, 0],
    [1, 0],
    [1, 0],
  ];
  test.each<Case>([
    ['caught up', {}, five, 5, []],
    ['one missed', {}, five, 4, [5]],
    ['many missed', {}, five, 1, [2, 3, 4, 5]],
    ['seq 0, all still buffered: everything', {}, five, 0, [1, 2, 3, 4, 5]],
    ['seq 0, first evicted: reset', { maxCount: 4 }, five, 0, 'reset'],
    ['evicted by count', { maxCount: 3 }, five, 1, 'reset'],
    ['just inside the count bound', { maxCount: 3 }, five, 2, [3, 4, 5]],
    [
      'evicted by age',
      { maxAgeMs: 100 },
      [
        [1, 0],
        [1, 50],
        [1, 101],
      ],
      0,
      'reset',
    ],
    [
      'age exactly maxAgeMs is kept',
      { maxAgeMs: 100 },
      [
        [1, 0],
        [1, 50],
        [1, 100],
      ],
      0,
      [1, 2, 3],
    ],
    [
      'evicted by bytes',
      { maxBytes: 10 },
      [
        [4, 0],
        [4, 0],
        [4, 0],
      ],
      0,
      'reset',
    ],
    [
      'just inside the bytes bound',
      { maxBytes: 10 },
      [
        [4, 0],
        [4, 0],
        [4, 0],
      ],
      1,
      [2, 3],
    ],
    ['a message over maxBytes is never buffered', { maxBytes: 10 }, [[11, 0]], 0, 'reset'],
    ['…but is counted as seen', { maxBytes: 10 }, [[11, 0]], 1, []],
    ['seq ahead of lastSeq: reset', {}, five, 6, 'reset'],
    ['seq far ahead of lastSeq: reset', {}, five, 1_000_000, 'reset'],
    ['seq ahead on an empty log: reset', {}, [], 1, 'reset'],
  ])('%s', (_name, limits, appends, afterSeq, expected) => {
    const log = new ChannelLog(limits);
    const bySeq = new Map<number, Uint8Array>();
    for (const [size, atMs] of appends) {
      const m = bytes(size);
      bySeq.set(log.append(m, atMs), m);
    }
    const got = log.since(afterSeq);
    if (expected === 'reset') expect(got).toBe('reset');
    else {
      expectSamePayloads(
        got,
        expected.map((seq) => bySeq.get(seq)),
      );
    }
  });

  test('expire evicts by age without an append', () => {
    const log = new ChannelLog({ maxAgeMs: 100 });
    filled(log, 2, 1, 0);
    log.append(bytes(1), 60);
    expect(log.expire(100)).toBe(0);
    expect(log.expire(101)).toBe(2);
    expect(log.since(0)).toBe('reset');
    expect(log.since(2)).toHaveLength(1);
    expect(log.expire(161)).toBe(1);
    expect([log.length, log.bytes, log.seqOfOldest, log.lastSeq]).toEqual([0, 0, 4, 3]);
    expect(log.since(3)).toEqual([]);
  });

  test('the ring wraps many times and keeps the latest messages in order', () => {
    const log = new ChannelLog({ maxCount: 3 });
    const msgs = filled(log, 10);
    const got = log.since(7);
    expectSamePayloads(got, msgs.slice(7));
  });

  test.each([-1, 1.5, Number.NaN, 2 ** 53])('rejects afterSeq %s as a bug', (seq) => {
    expect(() => new ChannelLog().since(seq)).toThrow(RangeError);
  });
});

test.each([
  { maxCount: 0 },
  { maxCount: 1.5 },
  { maxAgeMs: -1 },
  { maxBytes: Number.NaN },
])('rejects limits %o', (limits) => {
  expect(() => new ChannelLog(limits)).toThrow(RangeError);
});

test('property: since(k) is exactly k+1..lastSeq, or reset only when one of those was evicted', () => {
  type Op = { kind: 'append'; size: number; dtMs: number } | { kind: 'expire'; dtMs: number };
  const op: fc.Arbitrary<Op> = fc.oneof(
    {
      weight: 5,
      arbitrary: fc.record({ kind: fc.constant('append' as const), size: fc.nat(40), dtMs: fc.nat(30) }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('expire' as const), dtMs: fc.nat(60) }) },
  );
  const limits = fc.record({
    maxCount: fc.integer({ min: 1, max: 12 }),
    maxAgeMs: fc.nat(150),
    maxBytes: fc.nat(200),
  });
  fc.assert(
    fc.property(limits, fc.array(op, { maxLength: 80 }), (lim, ops) => {
      const log = new ChannelLog(lim);
      // Every message ever appended, by seq - 1, and an independent record of which ones were evicted: a message
      // is evicted only when keeping it (and all newer ones) would break a bound.
      const all: { payload: Uint8Array; atMs: number }[] = [];
      let oldestKept = 0;
      let nowMs = 0;
      const evictByModel = (): void => {
        const kept = (): { payload: Uint8Array; atMs: number }[] => all.slice(oldestKept);
        while (kept().length > lim.maxCount) oldestKept++;
        while (kept().reduce((n, m) => n + m.payload.byteLength, 0) > lim.maxBytes) oldestKept++;
        while (oldestKept < all.length && nowMs - (all[oldestKept]?.atMs ?? 0) > lim.maxAgeMs) oldestKept++;
      };
      for (const o of ops) {
        nowMs += o.dtMs;
        if (o.kind === 'append') {
          const payload = bytes(o.size);
          all.push({ payload, atMs: nowMs });
          expect(log.append(payload, nowMs)).toBe(all.length);
        } else log.expire(nowMs);
        evictByModel();
        expect(log.lastSeq).toBe(all.length);
        expect(log.seqOfOldest).toBe(oldestKept + 1);
        expect(log.length).toBeLessThanOrEqual(lim.maxCount);
        expect(log.bytes).toBeLessThanOrEqual(lim.maxBytes);
        for (let k = 0; k <= all.length + 1; k++) {
          const got = log.since(k);
          const anyEvicted = k + 1 <= all.length && k < oldestKept;
          if (k > all.length || anyEvicted) {
            expect(got).toBe('reset');
            continue;
          }
          expectSamePayloads(
            got,
            all.slice(k).map((m) => m.payload),
          );
        }
      }
    }),
  );
});

test('bytes are copied: the caller may reuse its buffer, and what since() returned stays valid', () => {
  const log = new ChannelLog({ maxCount: 4, maxBytes: 64 });
  const buffer = new Uint8Array([1, 2, 3]);
  log.append(buffer, 0);
  const first = log.since(0);
  buffer.fill(9);
  log.append(buffer, 0);
  for (let i = 0; i < 20; i++) log.append(bytes(30), 0);
  expect(first).toEqual([new Uint8Array([1, 2, 3])]);
  expect(log.since(21)).toEqual([expect.any(Uint8Array)]);
});

test('the arena wraps, compacts and grows under messages of every size; the buffered bytes never change', () => {
  const log = new ChannelLog({ maxCount: 300, maxBytes: 40_000 });
  const all: Uint8Array[] = [];
  let seed = 7;
  const next = (): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed;
  };
  for (let i = 0; i < 20_000; i++) {
    const m = bytes(next() % (i % 1000 < 500 ? 60 : 2000));
    all.push(m);
    log.append(m, 0);
    if (i % 97 === 0) {
      const from = log.seqOfOldest - 1;
      const got = log.since(from);
      if (got === 'reset') throw new Error(`reset at append ${i}`);
      const want = all.slice(from);
      const differ = got.findIndex((m, j) => Buffer.compare(m, want[j] as Uint8Array) !== 0);
      if (got.length !== want.length || differ >= 0)
        throw new Error(`append ${i}: message ${differ} differs`);
    }
    if (log.bytes > 40_000) throw new Error(`append ${i}: ${log.bytes} bytes buffered`);
  }
});

test('resetTo continues the sequence from another point and forgets the buffer', () => {
  const log = new ChannelLog({ maxCount: 10 });
  filled(log, 5);
  log.resetTo(42);
  expect([log.lastSeq, log.length, log.bytes]).toEqual([42, 0, 0]);
  expect(log.since(41)).toBe('reset');
  expect(log.since(42)).toEqual([]);
  expect(log.append(bytes(3), 0)).toBe(43);
  expect(log.since(42)).toHaveLength(1);
  expect(() => log.resetTo(-1)).toThrow(RangeError);
});

test('the slots grow with what is buffered, the ring unwrapped, up to maxCount (issue 13)', () => {
  const log = new ChannelLog({ maxCount: 200, maxAgeMs: 50 });
  filled(log, 50, 3, 0);
  // At 100 ms the first 50 expire: the ring's head is no longer slot 0 when the slots next grow.
  const kept = filled(log, 150, 3, 100);
  expect(log.seqOfOldest).toBe(51);
  expectSamePayloads(log.since(50), kept);
  const more = filled(log, 120, 5, 120);
  expect(log.length).toBe(200);
  expect(log.seqOfOldest).toBe(121);
  expectSamePayloads(log.since(120), [...kept, ...more].slice(-200));
  expect(log.since(119)).toBe('reset');
});
