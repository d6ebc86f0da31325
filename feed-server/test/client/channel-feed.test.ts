import { describe, expect, test } from 'vitest';
import { ChannelFeed, type ChannelFeedSink } from '../../src/client/channel-feed.ts';
import type { ChannelEvent, StatusEvent } from '../../src/client/index.ts';
import {
  type BookLevel,
  bookChecksum,
  type CandleFields,
  parseChannel,
  type SnapshotMessage,
  type UpdateMessage,
} from '../../src/protocol/index.ts';

const TS = 1_763_791_200_000_000;

function feed(name: string) {
  /** what was emitted but `synced` statuses (the tests of those read `all`) */
  const events: (ChannelEvent | StatusEvent)[] = [];
  const all: (ChannelEvent | StatusEvent)[] = [];
  let resyncs = 0;
  const sink: ChannelFeedSink = {
    emit: (e) => {
      all.push(e);
      if (e.type !== 'status' || e.status !== 'synced') events.push(e);
    },
    requestResync: () => {
      resyncs++;
    },
  };
  const f = new ChannelFeed(name, parseChannel(name), sink);
  return {
    f,
    events,
    all,
    resyncs: () => resyncs,
    /** what was emitted: trade ids, or `status:reason` */
    trail: () =>
      events.map((e) =>
        e.type === 'trade'
          ? e.tradeId
          : e.type === 'status' && `${e.status}:${'reason' in e ? e.reason : ''}`,
      ),
  };
}

const trade = (seq: number, tradeId: number): UpdateMessage => [4, 1, seq, TS, tradeId, 100, 1, 'b'];
const trades = (seq: number, ...ids: number[]): SnapshotMessage => [
  3,
  1,
  seq,
  TS,
  ids.map((id) => [TS, id, 100, 1, 'b'] as const),
];

describe('ChannelFeed sequencing', () => {
  test('nothing before the first snapshot; then contiguous updates only', () => {
    const t = feed('trades:X');
    t.f.subscribed(false);
    t.f.update(trade(5, 1));
    t.f.snapshot(trades(5, 1), 's1');
    t.f.update(trade(5, 1)); // already in the snapshot
    t.f.update(trade(6, 2));
    t.f.update(trade(7, 3));
    expect(t.trail()).toEqual([1, 2, 3]);
    expect(t.f.seq).toBe(7);
  });

  test('a gap: a resyncing status, one resync request, and silence until a snapshot', () => {
    const t = feed('trades:X');
    t.f.subscribed(false);
    t.f.snapshot(trades(5), 's1');
    t.f.update(trade(7, 2));
    t.f.update(trade(8, 3));
    expect(t.trail()).toEqual(['resyncing:gap']);
    expect(t.events[0]).toMatchObject({ expectedSeq: 6, receivedSeq: 7 });
    expect(t.resyncs()).toBe(1);
    expect(t.f.phase).toBe('resyncing');
    t.f.subscribed(false);
    t.f.snapshot(trades(8, 1, 2, 3), 's1');
    t.f.update(trade(9, 4));
    expect(t.trail()).toEqual(['resyncing:gap', 1, 2, 3, 4]);
    expect(t.f.consecutiveResyncs).toBe(0);
  });

  test('a heartbeat beyond the last seq is a gap; at it, nothing happens', () => {
    const t = feed('trades:X');
    t.f.subscribed(false);
    t.f.snapshot(trades(5), 's1');
    t.f.heartbeat(5);
    t.f.heartbeat(4);
    expect(t.events).toEqual([]);
    t.f.heartbeat(9);
    expect(t.events).toMatchObject([{ reason: 'heartbeat', expectedSeq: 6, receivedSeq: 9 }]);
    expect(t.resyncs()).toBe(1);
  });

  test('reset: status, no request, updates dropped until the snapshot', () => {
    const t = feed('trades:X');
    t.f.subscribed(false);
    t.f.snapshot(trades(5), 's1');
    t.f.reset('slow consumer');
    t.f.update(trade(6, 1));
    t.f.snapshot(trades(9, 1, 2), 's1');
    expect(t.trail()).toEqual(['resyncing:reset', 1, 2]);
    expect(t.resyncs()).toBe(0);
  });

  test('resumed subscription: live at once, expecting last seq + 1', () => {
    const t = feed('trades:X');
    t.f.subscribed(false);
    t.f.snapshot(trades(5, 1), 's1');
    t.f.disconnected();
    expect(t.f.phase).toBe('subscribing');
    t.f.subscribed(true);
    t.f.update(trade(6, 2));
    expect(t.trail()).toEqual([1, 2]);
    expect(t.f.session).toBe('s1');
  });

  test('a resync snapshot skips trades already delivered in the same session; a reset starts over', () => {
    const t = feed('trades:X');
    t.f.subscribed(false);
    t.f.snapshot(trades(5, 1, 2), 's1');
    t.f.update(trade(7, 4)); // a gap: the client resyncs, in the same session
    t.f.subscribed(false);
    t.f.snapshot(trades(8, 1, 2, 3, 4), 's1');
    // A reset (a replay seek back): the snapshot is of another point in time, delivered in full.
    t.f.reset('seek');
    t.f.snapshot(trades(2, 1, 2), 's1');
    expect(t.trail()).toEqual([1, 2, 'resyncing:gap', 3, 4, 'resyncing:reset', 1, 2]);
    const data = t.events.filter((e) => e.type === 'trade');
    expect(data.map((e) => [e.tradeId, e.generation])).toEqual([
      [1, 1],
      [2, 1],
      [3, 1],
      [4, 1],
      [1, 2],
      [2, 2],
    ]);
  });

  test('a reset discards everything: even a snapshot with no data says the channel is in sync again', () => {
    const t = feed('candles:X:1m');
    const bar = (startUs: number, close: number): CandleFields => [
      startUs,
      close,
      close,
      close,
      close,
      1,
      1,
      null,
      false,
    ];
    t.f.subscribed(false);
    t.f.snapshot([3, 1, 5, TS, [bar(TS, 10), bar(TS + 60e6, 11)]], 's1');
    t.f.reset('seek to the start');
    t.f.snapshot([3, 1, 1, TS, []], 's1');
    t.f.reset('seek back');
    t.f.snapshot([3, 1, 2, TS, [bar(TS, 12)]], 's1');
    expect(
      t.all.map((e) =>
        e.type === 'candle'
          ? `${e.generation}:${e.bar.close}:${e.bars.length}`
          : e.type === 'status' && `${e.status}:${'reason' in e ? e.reason : e.status === 'synced' && e.seq}`,
      ),
    ).toEqual([
      '1:10:2', // a snapshot's events carry the series as of the snapshot (they share its seq)
      '1:11:2',
      'synced:5',
      'resyncing:reset',
      'synced:1',
      'resyncing:reset',
      '3:12:1', // an older bar than any seen before: after a reset it is the chart's new start
      'synced:2',
    ]);
    expect(t.f.generation).toBe(3);
  });

  test('synced: after each snapshot; after a resume, with the first update or heartbeat that confirms it', () => {
    const t = feed('trades:X');
    t.f.subscribed(false);
    t.f.snapshot(trades(5, 1), 's1');
    t.f.disconnected();
    t.f.subscribed(true);
    expect(t.all.at(-1)).toMatchObject({ status: 'synced', resumed: false, seq: 5 });
    t.f.update(trade(6, 2));
    t.f.disconnected();
    t.f.subscribed(true);
    t.f.heartbeat(6);
    t.f.heartbeat(6);
    t.f.disconnected();
    t.f.subscribed(true);
    t.f.reset('resume not possible'); // the server could not resume after all
    t.f.snapshot(trades(9, 3), 's1');
    expect(
      t.all.map((e) =>
        e.type === 'trade'
          ? e.tradeId
          : e.type === 'status' &&
            `${e.status}:${e.status === 'synced' ? (e.resumed ? 'resumed' : 'snapshot') : 'reason' in e ? e.reason : ''}`,
      ),
    ).toEqual([
      1,
      'synced:snapshot',
      'synced:resumed',
      2,
      'synced:resumed',
      'resyncing:reset',
      3,
      'synced:snapshot',
    ]);
  });

  test('a new server session: the state is discarded, the next subscription is fresh, a new generation', () => {
    const t = feed('trades:X');
    t.f.subscribed(false);
    t.f.snapshot(trades(1750, 1750), 's1');
    t.f.disconnected();
    t.f.sessionChanged('s1', 's2');
    expect(t.f.seq).toBeNull();
    t.f.subscribed(false);
    expect(t.f.phase).toBe('awaiting_snapshot');
    t.f.snapshot(trades(3, 1), 's2');
    expect(t.trail()).toEqual([1750, 'resyncing:session', 1]);
    expect(t.events.at(-1)).toMatchObject({ tradeId: 1, snapshot: true, generation: 2 });
  });
});

describe('ChannelFeed book', () => {
  const bids: BookLevel[] = [[100, 5, 1]];
  const asks: BookLevel[] = [[101, 7, 2]];

  test('snapshot and update checked against the server checksum; each event carries the book as of itself', () => {
    const t = feed('book:X:10');
    t.f.subscribed(false);
    t.f.snapshot([3, 2, 1, TS, [bookChecksum(bids, asks), bids, asks]], 's1');
    expect(t.events).toMatchObject([{ type: 'book', seq: 1, snapshot: true, changes: null }]);
    expect(t.f.book?.bids).toEqual(bids);
    const bids2: BookLevel[] = [[100, 6, 2]];
    t.f.update([4, 2, 2, TS, bookChecksum(bids2, asks), [[100, 6, 2]], []]);
    expect(t.events[1]).toMatchObject({ seq: 2, snapshot: false, changes: { bids: bids2, asks: [] } });
    expect(t.f.book?.bids).toEqual(bids2);
    const books = t.events.map((e) => (e.type === 'book' ? e.book : null));
    expect(books[0]?.bids).toEqual(bids);
    expect(books[1]?.bids).toEqual(bids2);
    // The side the update did not touch is shared, not copied.
    expect(books[1]?.asks).toBe(books[0]?.asks);
    expect(books[0]?.checksum()).toBe(bookChecksum(bids, asks));
  });

  test('a wrong checksum on a snapshot or an update: resync, no book event, book cleared', () => {
    const t = feed('book:X:10');
    t.f.subscribed(false);
    t.f.snapshot([3, 2, 1, TS, [1, bids, asks]], 's1');
    expect(t.trail()).toEqual(['resyncing:checksum']);
    t.f.subscribed(false);
    t.f.snapshot([3, 2, 1, TS, [bookChecksum(bids, asks), bids, asks]], 's1');
    t.f.update([4, 2, 2, TS, 1, [[99, 1, 1]], []]);
    expect(t.trail()).toEqual(['resyncing:checksum', false, 'resyncing:checksum']);
    expect(t.f.consecutiveResyncs).toBe(2);
    expect(t.f.book?.bids).toEqual([]);
  });
});
