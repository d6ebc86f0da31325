import { expect, test } from 'vitest';
import {
  DEFAULT_INSTRUMENT_SPECS,
  defineInstrument,
  type EngineEvent,
  MarketSimulator,
  MatchingEngine,
} from '../../../matching/src/index.ts';
import { type Channel, parseChannel } from '../../src/protocol/index.ts';
import { InProcessBus } from '../../src/server/bus.ts';
import { EngineFeed } from '../../src/server/engine-feed.ts';
import { FeedPublisher } from '../../src/server/feed-publisher.ts';

const instruments = DEFAULT_INSTRUMENT_SPECS.map(defineInstrument);
const CHANNELS = [
  'trades:BTC-USD',
  'ticker:BTC-USD',
  'book:BTC-USD:10',
  'book:ETH-USD:full',
  'candles:AMZN:1s',
];

/** A publisher with every channel of `CHANNELS` open, and the bytes it publishes, in order. */
function producer() {
  const bus = new InProcessBus((e) => {
    throw e;
  });
  const publisher = new FeedPublisher({ instruments, bus, clockMs: () => 1_767_225_600_000, session: 't' });
  const published: string[] = [];
  for (const name of CHANNELS) {
    const handle = publisher.open(parseChannel(name) as Channel);
    bus.subscribe(handle.name, (channel, seq, encoded) =>
      published.push(`${channel} ${seq} ${Buffer.from(encoded).toString('hex')}`),
    );
  }
  return { publisher, published };
}

test('EngineFeed.submit publishes a command as the engine events fed by hand, then endCommand, do', () => {
  const byHand = producer();
  const handSim = new MarketSimulator({ seed: 5, instruments, ordersPerSecond: 2000 });
  const engine = new MatchingEngine(instruments, (e) => {
    handSim.onEvent(e);
    byHand.publisher.onEvent(e);
  });
  const wired = producer();
  const sim = new MarketSimulator({ seed: 5, instruments, ordersPerSecond: 2000 });
  const seen: string[] = [];
  const feed = new EngineFeed(instruments, wired.publisher, (e) => {
    sim.onEvent(e);
    seen.push(e.type);
  });
  for (let i = 0; i < 3000; i++) {
    engine.submit(handSim.next());
    byHand.publisher.endCommand();
    feed.submit(sim.next());
  }
  expect(wired.published.length).toBeGreaterThan(1000);
  expect(wired.published).toEqual(byHand.published);
  expect(seen.length).toBeGreaterThan(3000);
  expect(feed.engine.stateHash()).toBe(engine.stateHash());
});

test('publishCommand publishes a command given as its events as the engine-wired producer does', () => {
  const wired = producer();
  const sim = new MarketSimulator({ seed: 9, instruments, ordersPerSecond: 2000 });
  const feed = new EngineFeed(instruments, wired.publisher, (e) => sim.onEvent(e));
  const replayed = producer();
  let events: EngineEvent[] = [];
  const sim2 = new MarketSimulator({ seed: 9, instruments, ordersPerSecond: 2000 });
  const engine = new MatchingEngine(instruments, (e) => {
    sim2.onEvent(e);
    events.push(e);
  });
  for (let i = 0; i < 2000; i++) {
    feed.submit(sim.next());
    events = [];
    engine.submit(sim2.next());
    replayed.publisher.publishCommand(events);
  }
  expect(replayed.published).toEqual(wired.published);
});
