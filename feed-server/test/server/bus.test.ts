import { expect, test, vi } from 'vitest';
import { type BusHandler, InProcessBus } from '../../src/server/bus.ts';

const msg = new Uint8Array([1, 2, 3]);

test('fans a message out to every handler of its channel, in subscription order, and no other', () => {
  const bus = new InProcessBus(() => expect.unreachable());
  const calls: string[] = [];
  const record =
    (name: string): BusHandler =>
    (channel, seq, encoded) => {
      expect(encoded).toBe(msg);
      calls.push(`${name}:${channel}:${seq}`);
    };
  bus.subscribe('trades:BTC-USD', record('a'));
  bus.subscribe('trades:BTC-USD', record('b'));
  bus.subscribe('ticker:BTC-USD', record('c'));
  bus.publish('trades:BTC-USD', 7, msg);
  bus.publish('book:ETH-USD', 1, msg);
  expect(calls).toEqual(['a:trades:BTC-USD:7', 'b:trades:BTC-USD:7']);
});

test('unsubscribe stops delivery to that subscription only, and is idempotent', () => {
  const bus = new InProcessBus(() => expect.unreachable());
  const a = vi.fn<BusHandler>();
  const b = vi.fn<BusHandler>();
  const offA = bus.subscribe('x', a);
  const offA2 = bus.subscribe('x', a);
  bus.subscribe('x', b);
  offA();
  offA();
  bus.publish('x', 1, msg);
  expect(a).toHaveBeenCalledTimes(1);
  expect(b).toHaveBeenCalledTimes(1);
  offA2();
  expect(bus.subscriberCount('x')).toBe(1);
  bus.publish('x', 2, msg);
  expect(a).toHaveBeenCalledTimes(1);
  expect(b).toHaveBeenCalledTimes(2);
});

test('a throwing handler does not stop the others; its error is reported after all were called', () => {
  const events: string[] = [];
  const boom = new Error('boom');
  const bus = new InProcessBus((error, channel, seq) => {
    events.push(`error:${(error as Error).message}:${channel}:${seq}`);
  });
  bus.subscribe('x', () => events.push('first'));
  bus.subscribe('x', () => {
    throw boom;
  });
  bus.subscribe('x', () => events.push('third'));
  bus.publish('x', 3, msg);
  expect(events).toEqual(['first', 'third', 'error:boom:x:3']);
});

test('subscribing or unsubscribing during delivery takes effect from the next publish', () => {
  const bus = new InProcessBus(() => expect.unreachable());
  const late = vi.fn<BusHandler>();
  const second = vi.fn<BusHandler>();
  let offSecond = (): void => {};
  bus.subscribe('x', () => {
    offSecond();
    bus.subscribe('x', late);
  });
  offSecond = bus.subscribe('x', second);
  bus.publish('x', 1, msg);
  expect(second).toHaveBeenCalledTimes(1);
  expect(late).not.toHaveBeenCalled();
  bus.publish('x', 2, msg);
  expect(second).toHaveBeenCalledTimes(1);
  expect(late).toHaveBeenCalledTimes(1);
});
