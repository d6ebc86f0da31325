import type { ChannelRegistry } from '../channel-registry.ts';
import type { FeedMessage } from '../feed-message.ts';
import { dataFromTuple, dataToTuple } from '../shapes/data-shapes.ts';
import { MSGPACK_INTS, readInt } from '../wire-ints.ts';
import type { FrameCodec } from './frame-codec.ts';
import { portablePackr } from './portable-msgpack.ts';

/**
 * (g) (f) with frame-relative times: `[baseTsUs, [chId, seq, dtUs, ...payload], …]` where `baseTsUs` is the
 * first message's time and `dtUs = tsUs - baseTsUs`. One int64 per frame instead of one per message; the
 * deltas of a batch flushed every few ms fit msgpack's 1–5 byte ints. Each message still decodes alone
 * given its frame.
 */
export function msgpackDeltaCodec(registry: ChannelRegistry): FrameCodec {
  const packr = portablePackr();
  return {
    id: 'g',
    name: 'msgpack-tuple-id-dt',
    description: 'msgpack [baseTs,[chId,s,dt,…],…]',
    format: 'msgpack',
    encode(frame) {
      const baseUs = frame[0]?.tsUs ?? 0;
      const out: unknown[] = new Array(frame.length + 1);
      out[0] = MSGPACK_INTS.int(baseUs);
      for (let i = 0; i < frame.length; i++) {
        const m = frame[i] as FeedMessage;
        const ch = registry.byName(m.channel);
        const t: unknown[] = [ch.id, MSGPACK_INTS.int(m.seq), MSGPACK_INTS.int(m.tsUs - baseUs)];
        dataToTuple(ch, m.data, MSGPACK_INTS, t);
        out[i + 1] = t;
      }
      return packr.pack(out);
    },
    decode(bytes) {
      const wire = packr.unpack(bytes) as unknown[];
      const baseUs = readInt(wire[0]);
      const out: FeedMessage[] = new Array(wire.length - 1);
      for (let i = 1; i < wire.length; i++) {
        const t = wire[i] as unknown[];
        const ch = registry.byId(t[0] as number);
        out[i - 1] = {
          channel: ch.name,
          seq: readInt(t[1]),
          tsUs: baseUs + readInt(t[2]),
          data: dataFromTuple(ch, t, 3),
        };
      }
      return out;
    },
  };
}
