import type { ChannelRegistry } from '../channel-registry.ts';
import type { FeedMessage } from '../feed-message.ts';
import { dataFromLong, dataToLong } from '../shapes/data-shapes.ts';
import type { WireObject } from '../shapes/wire-object.ts';
import type { FrameCodec } from './frame-codec.ts';
import { jsonBytes, jsonParse } from './json-text.ts';

/** (a) JSON, long keys, decimal-string prices and quantities: the baseline a JSON feed would send. */
export function jsonLongCodec(registry: ChannelRegistry): FrameCodec {
  return {
    id: 'a',
    name: 'json-long-decimal',
    description: 'JSON {channel,seq,tsUs,data:{price:"65000.01",…}}',
    format: 'json',
    encode(frame) {
      const out: WireObject[] = new Array(frame.length);
      for (let i = 0; i < frame.length; i++) {
        const m = frame[i] as FeedMessage;
        out[i] = {
          channel: m.channel,
          seq: m.seq,
          tsUs: m.tsUs,
          data: dataToLong(registry.byName(m.channel), m.data),
        };
      }
      return jsonBytes(out);
    },
    decode(bytes) {
      const wire = jsonParse(bytes) as WireObject[];
      const out: FeedMessage[] = new Array(wire.length);
      for (let i = 0; i < wire.length; i++) {
        const o = wire[i] as WireObject;
        const channel = o.channel as string;
        out[i] = {
          channel,
          seq: o.seq as number,
          tsUs: o.tsUs as number,
          data: dataFromLong(registry.byName(channel), o.data as WireObject),
        };
      }
      return out;
    },
  };
}
