import { describe, expect, test } from 'vitest';
import { ChannelFeed, type ChannelFeedSink } from '../../src/client/channel-feed.ts';
import type { ChannelEvent, StatusEvent } from '../../src/client/index.ts';
import {
  type BookLevel,
  bookChecksum,
  parseChannel,
  type SnapshotMessage,
  type UpdateMessage,
} from '../../src/protocol/index.ts';

const TS = 1_763_791_200_000_000;

function feed(name: string) {
  const events: (ChannelEvent | StatusEvent)[] = [];
  let resyncs = 0;
  const sink: ChannelFeedSink = {
    emit: (e) => events.push(e),
    requestResync: () => {
      resyncs++;
    },
  };
  const f = new ChannelFeed(name, parseChannel(name), sink);
  return {
    f,
    events,
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

  test('a resubscription snapshot skips trades already delivered in the same session only', () => {
    const t = feed('trades:X');
    t.f.subscribed(false);
    t.f.snapshot(trades(5, 1, 2), 's1');
    t.f.reset('x');
    t.f.snapshot(trades(6, 1, 2, 3), 's1');
    t.f.reset('restart');
    t.f.snapshot(trades(2, 1, 2), 's2');
    expect(t.trail()).toEqual([1, 2, 'resyncing:reset', 3, 'resyncing:reset', 1, 2]);
  });
});

describe('ChannelFeed book', () => {
  const bids: BookLevel[] = [[100, 5, 1]];
  const asks: BookLevel[] = [[101, 7, 2]];

  test('snapshot and update checked against the server checksum; the event carries the live book', () => {
    const t = feed('book:X:10');
    t.f.subscribed(false);
    t.f.snapshot([3, 2, 1, TS, [bookChecksum(bids, asks), bids, asks]], 's1');
    expect(t.events).toMatchObject([{ type: 'book', seq: 1, snapshot: true, changes: null }]);
    expect(t.f.book?.bids).toEqual(bids);
    const bids2: BookLevel[] = [[100, 6, 2]];
    t.f.update([4, 2, 2, TS, bookChecksum(bids2, asks), [[100, 6, 2]], []]);
    expect(t.events[1]).toMatchObject({ seq: 2, snapshot: false, changes: { bids: bids2, asks: [] } });
    expect(t.events.map((e) => e.type === 'book' && e.book)).toEqual([t.f.book, t.f.book]);
    expect(t.f.book?.bids).toEqual(bids2);
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
