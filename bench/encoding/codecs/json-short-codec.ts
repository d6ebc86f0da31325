import type { ChannelRegistry } from '../channel-registry.ts';
import type { FeedMessage } from '../feed-message.ts';
import { dataFromShort, dataToShort } from '../shapes/data-shapes.ts';
import type { WireObject } from '../shapes/wire-object.ts';
import { JSON_INTS, readInt } from '../wire-ints.ts';
import type { FrameCodec } from './frame-codec.ts';
import { jsonBytes, jsonParse } from './json-text.ts';

/** (b) JSON, short keys, scaled integers (bigints as decimal strings): `{c,s,t,d:{i,p,q,s}}`. */
export function jsonShortCodec(registry: ChannelRegistry): FrameCodec {
  return {
    id: 'b',
    name: 'json-short-int',
    description: 'JSON {c,s,t,d:{p:6500001,…}}',
    format: 'json',
    encode(frame) {
      const out: WireObject[] = new Array(frame.length);
      for (let i = 0; i < frame.length; i++) {
        const m = frame[i] as FeedMessage;
        out[i] = {
          c: m.channel,
          s: m.seq,
          t: m.tsUs,
          d: dataToShort(registry.byName(m.channel), m.data, JSON_INTS),
        };
      }
      return jsonBytes(out);
    },
    decode(bytes) {
      const wire = jsonParse(bytes) as WireObject[];
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
