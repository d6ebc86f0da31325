import type { ChannelRegistry } from '../channel-registry.ts';
import type { FeedMessage } from '../feed-message.ts';
import { dataFromTuple, dataToTuple } from '../shapes/data-shapes.ts';
import type { WireObject } from '../shapes/wire-object.ts';
import { MSGPACK_INTS, readInt } from '../wire-ints.ts';
import type { FrameCodec } from './frame-codec.ts';
import { portablePackr } from './portable-msgpack.ts';

/** (d) a small msgpack map envelope around a positional payload: `{c,s,t,d:[tradeId,price,qty,side]}`. */
export function msgpackEnvelopeCodec(registry: ChannelRegistry): FrameCodec {
  const packr = portablePackr();
  return {
    id: 'd',
    name: 'msgpack-envelope-tuple',
    description: 'msgpack {c,s,t,d:[…]}',
    format: 'msgpack',
    encode(frame) {
      const out: WireObject[] = new Array(frame.length);
      for (let i = 0; i < frame.length; i++) {
        const m = frame[i] as FeedMessage;
        const d: unknown[] = [];
        dataToTuple(registry.byName(m.channel), m.data, MSGPACK_INTS, d);
        out[i] = { c: m.channel, s: MSGPACK_INTS.int(m.seq), t: MSGPACK_INTS.int(m.tsUs), d };
      }
      return packr.pack(out);
    },
    decode(bytes) {
      const wire = packr.unpack(bytes) as WireObject[];
      const out: FeedMessage[] = new Array(wire.length);
      for (let i = 0; i < wire.length; i++) {
        const o = wire[i] as WireObject;
        const channel = o.c as string;
        out[i] = {
          channel,
          seq: readInt(o.s),
          tsUs: readInt(o.t),
          data: dataFromTuple(registry.byName(channel), o.d as unknown[], 0),
        };
      }
      return out;
    },
  };
}
