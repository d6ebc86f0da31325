import type { ChannelRegistry } from '../channel-registry.ts';
import type { ChannelInfo, FeedMessage } from '../feed-message.ts';
import { dataFromTuple, dataToTuple } from '../shapes/data-shapes.ts';
import { MSGPACK_INTS, readInt } from '../wire-ints.ts';
import type { FrameCodec } from './frame-codec.ts';
import { portablePackr } from './portable-msgpack.ts';

/**
 * (e) a flat msgpack array per message, `[channel, seq, tsUs, ...payload]`, or with `numericChannel` (f)
 * `[channelId, seq, tsUs, ...payload]` where the id is the one the subscription assigned.
 */
export function msgpackTupleCodec(registry: ChannelRegistry, numericChannel: boolean): FrameCodec {
  const packr = portablePackr();
  const channelOf = (key: unknown): ChannelInfo =>
    numericChannel ? registry.byId(key as number) : registry.byName(key as string);
  return {
    id: numericChannel ? 'f' : 'e',
    name: numericChannel ? 'msgpack-tuple-channel-id' : 'msgpack-tuple',
    description: numericChannel ? 'msgpack [chId,s,t,…]' : 'msgpack [c,s,t,…]',
    format: 'msgpack',
    encode(frame) {
      const out: unknown[][] = new Array(frame.length);
      for (let i = 0; i < frame.length; i++) {
        const m = frame[i] as FeedMessage;
        const ch = registry.byName(m.channel);
        const t: unknown[] = [
          numericChannel ? ch.id : m.channel,
          MSGPACK_INTS.int(m.seq),
          MSGPACK_INTS.int(m.tsUs),
        ];
        dataToTuple(ch, m.data, MSGPACK_INTS, t);
        out[i] = t;
      }
      return packr.pack(out);
    },
    decode(bytes) {
      const wire = packr.unpack(bytes) as unknown[][];
      const out: FeedMessage[] = new Array(wire.length);
      for (let i = 0; i < wire.length; i++) {
        const t = wire[i] as unknown[];
        const ch = channelOf(t[0]);
        out[i] = { channel: ch.name, seq: readInt(t[1]), tsUs: readInt(t[2]), data: dataFromTuple(ch, t, 3) };
      }
      return out;
    },
  };
}
