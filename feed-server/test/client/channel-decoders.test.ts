import { describe, expect, test } from 'vitest';
import { channelDecoder } from '../../src/client/channel-decoders.ts';
import type { ChannelEvent } from '../../src/client/index.ts';
import {
  type BookLevel,
  bookChecksum,
  parseChannel,
  type SnapshotMessage,
  type UpdateMessage,
} from '../../src/protocol/index.ts';

const TS = 1_763_791_200_000_000;
const SCALES = { priceScale: 2, qtyScale: 5 };

function decoder(name: string) {
  const events: ChannelEvent[] = [];
  return { events, d: channelDecoder(name, parseChannel(name), { emit: (e) => events.push(e) }) };
}

describe('channel decoders', () => {
  test("a book whose checksum is not the server's is a mismatch, and no event", () => {
    const { d, events } = decoder('book:X:10');
    const bids: BookLevel[] = [[100, 5, 1]];
    const good: SnapshotMessage = [3, 1, 7, TS, [bookChecksum(bids, []), bids, []]];
    expect(d.snapshot(good, 1, false, SCALES)).toBeUndefined();
    expect(events.map((e) => e.type)).toEqual(['book']);
    const bad: UpdateMessage = [4, 1, 8, TS, 12345, [[99, 1, 1]], []];
    const expected = bookChecksum(
      [
        [100, 5, 1],
        [99, 1, 1],
      ],
      [],
    );
    expect(d.update(bad, 8, TS, 1)).toEqual({ actual: expected, expected: 12345 });
    expect(events).toHaveLength(1);
    expect(d.book?.bids).toHaveLength(2);
    d.lost();
    expect(d.book?.bids).toHaveLength(0);
  });

  test('a trades snapshot of the same session skips the trades delivered already; discard forgets them', () => {
    const { d, events } = decoder('trades:X');
    const snap = (...ids: number[]): SnapshotMessage => [
      3,
      1,
      9,
      TS,
      ids.map((id) => [TS, id, 100, 1, 'b'] as const),
    ];
    d.snapshot(snap(1, 2), 1, false, SCALES);
    d.update([4, 1, 10, TS, 3, 100, 1, 's'], 10, TS, 1);
    d.snapshot(snap(2, 3, 4), 1, true, SCALES);
    d.discard();
    d.snapshot(snap(4), 2, true, SCALES);
    expect(events.map((e) => (e.type === 'trade' ? [e.tradeId, e.side, e.priceDecimal] : e.type))).toEqual([
      [1, 'buy', '1.00'],
      [2, 'buy', '1.00'],
      [3, 'sell', '1.00'],
      [4, 'buy', '1.00'],
      [4, 'buy', '1.00'],
    ]);
  });

  test('instruments updates make no event; replay status snapshots and updates do', () => {
    const inst = decoder('instruments');
    inst.d.update([4, 1, 2, TS, 0, 0, 0, 'b'], 2, TS, 1);
    expect(inst.events).toEqual([]);
    const replay = decoder('replay');
    const status = { state: 'paused' } as never;
    replay.d.snapshot([3, 1, 1, TS, status], 1, false, undefined);
    replay.d.update([4, 1, 2, TS, status], 2, TS, 1);
    expect(replay.events.map((e) => [e.type, e.snapshot, e.seq])).toEqual([
      ['replay', true, 1],
      ['replay', false, 2],
    ]);
  });
});
