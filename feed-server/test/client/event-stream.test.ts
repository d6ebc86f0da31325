import { describe, expect, test } from 'vitest';
import { EventStream } from '../../src/client/event-stream.ts';
import { FeedClientError } from '../../src/client/index.ts';

function owner() {
  const released: object[] = [];
  return { released, release: (s: object) => released.push(s) };
}

describe('EventStream', () => {
  test('queued values first, then values as they come; end() after the queue is drained', async () => {
    const s = new EventStream<number>(undefined, false, 100);
    s.push(1);
    s.push(2);
    expect(await s.next()).toEqual({ done: false, value: 1 });
    expect(await s.next()).toEqual({ done: false, value: 2 });
    const pending = s.next();
    s.push(3);
    expect(await pending).toEqual({ done: false, value: 3 });
    s.push(4);
    s.end();
    s.push(5);
    expect(await s.next()).toEqual({ done: false, value: 4 });
    expect(await s.next()).toEqual({ done: true, value: undefined });
  });

  test('end() wakes a waiting consumer; for await ends', async () => {
    const s = new EventStream<number>(undefined, false, 100);
    const seen: number[] = [];
    const loop = (async () => {
      for await (const v of s) seen.push(v);
    })();
    s.push(1);
    await Promise.resolve();
    s.end();
    await loop;
    expect(seen).toEqual([1]);
  });

  test('fail(): queued values, then the error once, then done', async () => {
    const s = new EventStream<number>(undefined, false, 100);
    s.push(1);
    s.fail(new Error('boom'));
    expect(await s.next()).toEqual({ done: false, value: 1 });
    await expect(s.next()).rejects.toThrow('boom');
    expect(await s.next()).toEqual({ done: true, value: undefined });
  });

  test('conflated: a slow consumer gets the latest value only', async () => {
    const s = new EventStream<number>(undefined, true, 100);
    s.push(1);
    s.push(2);
    s.push(3);
    expect(s.queued).toBe(1);
    expect(await s.next()).toEqual({ done: false, value: 3 });
  });

  test('leaving the loop releases the stream once, and drops what was queued', async () => {
    const o = owner();
    const s = new EventStream<number>(o, false, 100);
    s.push(1);
    s.push(2);
    for await (const v of s) {
      expect(v).toBe(1);
      break;
    }
    expect(o.released).toEqual([s]);
    await s.return();
    expect(o.released).toHaveLength(1);
    expect(await s.next()).toEqual({ done: true, value: undefined });
  });

  test('over maxQueue: SLOW_CONSUMER after the queued values, and released', async () => {
    const o = owner();
    const s = new EventStream<number>(o, false, 2);
    s.push(1);
    s.push(2);
    s.push(3);
    expect(o.released).toEqual([s]);
    expect(await s.next()).toEqual({ done: false, value: 1 });
    expect(await s.next()).toEqual({ done: false, value: 2 });
    const error = await s.next().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FeedClientError);
    expect(error).toMatchObject({ code: 'SLOW_CONSUMER' });
  });

  test('a long queue is compacted as it is consumed', async () => {
    const s = new EventStream<number>(undefined, false, 10_000);
    for (let i = 0; i < 5000; i++) s.push(i);
    let sum = 0;
    for (let i = 0; i < 5000; i++) sum += ((await s.next()).value as number) - i;
    expect(sum).toBe(0);
    expect(s.queued).toBe(0);
  });
});
