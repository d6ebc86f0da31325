import type { ChannelRegistry } from '../channel-registry.ts';
import type { FeedMessage } from '../feed-message.ts';
import { dataFromShort, dataToShort } from '../shapes/data-shapes.ts';
import type { WireObject } from '../shapes/wire-object.ts';
import { MSGPACK_INTS, readInt } from '../wire-ints.ts';
import type { FrameCodec } from './frame-codec.ts';
import { portablePackr } from './portable-msgpack.ts';

/** (c) msgpack maps with the short keys of (b): `{c,s,t,d:{i,p,q,s}}`. */
export function msgpackMapCodec(registry: ChannelRegistry): FrameCodec {
  const packr = portablePackr();
  return {
    id: 'c',
    name: 'msgpack-map',
    description: 'msgpack {c,s,t,d:{p,…}}',
    format: 'msgpack',
    encode(frame) {
      const out: WireObject[] = new Array(frame.length);
      for (let i = 0; i < frame.length; i++) {
        const m = frame[i] as FeedMessage;
        out[i] = {
          c: m.channel,
          s: MSGPACK_INTS.int(m.seq),
          t: MSGPACK_INTS.int(m.tsUs),
          d: dataToShort(registry.byName(m.channel), m.data, MSGPACK_INTS),
        };
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
          data: dataFromShort(registry.byName(channel), o.d as WireObject),
        };
      }
      return out;
    },
  };
}
