import type { ChannelRegistry } from '../channel-registry.ts';
import type { FrameCodec } from './frame-codec.ts';
import { jsonLongCodec } from './json-long-codec.ts';
import { jsonShortCodec } from './json-short-codec.ts';
import { msgpackDeltaCodec } from './msgpack-delta-codec.ts';
import { msgpackEnvelopeCodec } from './msgpack-envelope-codec.ts';
import { msgpackMapCodec } from './msgpack-map-codec.ts';
import { msgpackTupleCodec } from './msgpack-tuple-codec.ts';

export type { CodecId, FrameCodec } from './frame-codec.ts';
export { PORTABLE_MSGPACK_OPTIONS, portablePackr } from './portable-msgpack.ts';

/** The encodings under test, (a) to (g), for the channels of `registry`; (a) first, the baseline. */
export function createCodecs(registry: ChannelRegistry): FrameCodec[] {
  return [
    jsonLongCodec(registry),
    jsonShortCodec(registry),
    msgpackMapCodec(registry),
    msgpackEnvelopeCodec(registry),
    msgpackTupleCodec(registry, false),
    msgpackTupleCodec(registry, true),
    msgpackDeltaCodec(registry),
  ];
}
