import path from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, describe, expect, test, vi } from 'vitest';
import { LogReader, LogWriter } from '../../src/index.ts';
import { tempDir } from './support/temp-dir.ts';

// Issue 11 §1: under 'batch' (and 'none') the group commit could stop for good. A timer armed while a flush ran
// fired after that flush had already taken its records; the next flush then found nothing to write, finished
// synchronously and cleared its "in progress" mark before the caller stored its (settled) promise, which stayed
// as "in progress" forever. These tests script that interleaving with fake timers (only setTimeout is faked;
// file I/O completes for real), so they fail the same way every run.

const tmp = tempDir('tickwire-flush-');
afterAll(() => tmp.remove());
afterEach(() => {
  vi.useRealTimers();
});
let dirs = 0;
const freshDir = () => path.join(tmp.path, `log-${++dirs}`);
const BATCH_MS = 50;
const payload = new Uint8Array(16).fill(7);
/** Real time passes (file I/O completes) while the fake timers stand still. */
const realSetTimeout = globalThis.setTimeout;
const realSleep = (ms: number) => new Promise<void>((resolve) => realSetTimeout(resolve, ms));

/** Resolves once `w.durableSeq` reaches `seq`, polling with real timers; rejects after `timeoutMs`. */
async function durableWithin(w: LogWriter, seq: number, timeoutMs = 5000): Promise<void> {
  await vi.waitFor(
    () => {
      if (w.durableSeq < seq) throw new Error(`durableSeq ${w.durableSeq} < ${seq}`);
    },
    { timeout: timeoutMs, interval: 5 },
  );
}

describe.each(['batch', 'none'] as const)('group commit under %s', (fsync) => {
  test('a timer armed during a flush that fires after it never stalls the writer', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const w = await LogWriter.open(freshDir(), { fsync, batchMs: BATCH_MS, metadata: { t: 1 } });
    let ts = 1;
    const append = () => w.append(1, ts++, payload);

    append(); // arms the group-commit timer
    const first = w.flush(); // a flush starts and awaits its write
    append(); // appended while it runs: the old code armed a second timer here
    const second = w.flush(); // asks for another round (the old code also cleared that timer)
    const c = append(); // … and armed a third one, still pending after the flush takes this record
    await first;
    await second;
    await durableWithin(w, c);

    // The old code's third timer fires now: its flush finds nothing to take.
    vi.advanceTimersByTime(BATCH_MS);
    const d = append();
    vi.advanceTimersByTime(BATCH_MS); // the timer of d's group commit
    await durableWithin(w, d);
    const e = append();
    const flushed = w.flush();
    await durableWithin(w, e);
    await flushed;
    await w.close();
    expect(w.durableSeq).toBe(e);
  });

  test('any interleaving of appends, flushes, timer ticks and I/O completions ends with everything durable', async () => {
    type Op =
      | { readonly kind: 'append'; readonly n: number }
      | { readonly kind: 'flush' }
      | { readonly kind: 'tick'; readonly ms: number }
      | { readonly kind: 'io'; readonly ms: number };
    const opArb: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ kind: fc.constant('append' as const), n: fc.integer({ min: 1, max: 3 }) }),
      fc.record({ kind: fc.constant('flush' as const) }),
      fc.record({ kind: fc.constant('tick' as const), ms: fc.constantFrom(1, BATCH_MS) }),
      fc.record({ kind: fc.constant('io' as const), ms: fc.constantFrom(0, 20) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 40 }), async (ops) => {
        vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
        const dir = freshDir();
        const w = await LogWriter.open(dir, { fsync, batchMs: BATCH_MS, metadata: { t: 1 } });
        let ts = 1;
        try {
          for (const op of ops) {
            if (op.kind === 'append') for (let i = 0; i < op.n; i++) w.append(1, ts++, payload);
            else if (op.kind === 'flush') void w.flush();
            else if (op.kind === 'tick') vi.advanceTimersByTime(op.ms);
            else await realSleep(op.ms);
          }
          // Then one more record, left alone: the writer must get everything to the disk once its timer fires.
          await realSleep(20);
          vi.advanceTimersByTime(BATCH_MS);
          w.append(1, ts++, payload);
          vi.advanceTimersByTime(BATCH_MS);
          await durableWithin(w, w.lastSeq, 3000);
          // Nothing pending any more: a quiet writer has no timer armed.
          expect(vi.getTimerCount()).toBe(0);
        } finally {
          vi.useRealTimers();
          await w.close();
        }
        const r = LogReader.open(dir);
        try {
          expect(r.lastSeq).toBe(ts - 1);
        } finally {
          r.close();
        }
      }),
      { numRuns: 60 },
    );
  }, 60_000);
});
