import type { CodecId, FrameCodec } from './codecs/index.ts';
import { DEFLATE_SETTINGS, type DeflateSettings, deflateFrame } from './deflate-size.ts';
import type { FeedMessage, MessageKind } from './feed-message.ts';
import { type PassTimes, type TimedJob, timeRoundRobin } from './timing.ts';

/** A stream measured on its own: one kind of message, or every kind interleaved as published. */
export type StreamKind = MessageKind | 'mixed';

/** ws compresses only messages of at least this many bytes unless told otherwise (`threshold`). */
export const WS_DEFAULT_THRESHOLD = 1024;

/** Sizes after permessage-deflate with one setting, over the cell's deflate sample. */
export interface DeflateFigure extends DeflateSettings {
  readonly bytesPerMsg: number;
  /** compressed bytes over the raw bytes of (a) JSON on the same frames */
  readonly ratioToJson: number;
  /** `deflateRawSync` time per message, fresh zlib stream per frame (an upper bound: ws resets one) */
  readonly deflateNsPerMsg: number;
}

/** One codec on one stream at one batch size. */
export interface CellResult {
  readonly kind: StreamKind;
  readonly batch: number;
  readonly codec: CodecId;
  readonly name: string;
  readonly messages: number;
  readonly frames: number;
  readonly rawBytesPerMsg: number;
  /** raw bytes over the raw bytes of (a) JSON */
  readonly rawRatioToJson: number;
  /** frames of at least `WS_DEFAULT_THRESHOLD` bytes: the share ws would compress with its default threshold */
  readonly shareAtWsThreshold: number;
  /** messages in the frames the deflate figures cover */
  readonly deflateMessages: number;
  readonly deflate: readonly DeflateFigure[];
  /** model → bytes, ns per message (median and best of the timed passes) */
  readonly encode: PassTimes;
  /** bytes → model, ns per message */
  readonly decode: PassTimes;
}

/** How hard to measure. */
export interface CellOptions {
  readonly reps: number;
  readonly deflateFrames: number;
  readonly deflateSettings?: readonly DeflateSettings[];
}

/**
 * Every codec on `messages` cut into frames of `batch`: bytes raw and deflated, and encode / decode time per
 * message. `codecs[0]` must be (a), the baseline of the ratios.
 */
export function measureCells(
  kind: StreamKind,
  messages: readonly FeedMessage[],
  batch: number,
  codecs: readonly FrameCodec[],
  options: CellOptions,
): CellResult[] {
  if (codecs[0]?.id !== 'a') throw new Error('the first codec must be (a), the JSON baseline');
  const frames: FeedMessage[][] = [];
  for (let i = 0; i + batch <= messages.length; i += batch) frames.push(messages.slice(i, i + batch));
  const count = frames.length * batch;
  const sample = frames.slice(0, options.deflateFrames);
  const sampleCount = sample.length * batch;
  let jsonBytes = 0;
  let jsonSampleBytes = 0;
  const sized = codecs.map((codec) => {
    const encoded = frames.map((f) => codec.encode(f));
    const raw = encoded.reduce((n, b) => n + b.length, 0);
    const sampleRaw = encoded.slice(0, sample.length).reduce((n, b) => n + b.length, 0);
    if (codec.id === 'a') {
      jsonBytes = raw;
      jsonSampleBytes = sampleRaw;
    }
    return { codec, encoded, raw };
  });
  const jobs: TimedJob[] = sized.flatMap(({ codec, encoded }): TimedJob[] => [
    {
      items: count,
      pass: () => {
        let n = 0;
        for (const f of frames) n += codec.encode(f).length;
        return n;
      },
    },
    {
      items: count,
      pass: () => {
        let n = 0;
        for (const b of encoded) n += codec.decode(b).length;
        return n;
      },
    },
  ]);
  const times = timeRoundRobin(jobs, options.reps);
  const out: CellResult[] = [];
  sized.forEach(({ codec, encoded, raw }, i) => {
    const deflate = (options.deflateSettings ?? DEFLATE_SETTINGS).map((s): DeflateFigure => {
      let bytes = 0;
      const t0 = process.hrtime.bigint();
      for (let f = 0; f < sample.length; f++) bytes += deflateFrame(encoded[f] as Uint8Array, s).length;
      const ns = Number(process.hrtime.bigint() - t0);
      return {
        ...s,
        bytesPerMsg: bytes / sampleCount,
        ratioToJson: bytes / jsonSampleBytes,
        deflateNsPerMsg: ns / sampleCount,
      };
    });
    const encode = times[2 * i];
    const decode = times[2 * i + 1];
    if (encode === undefined || decode === undefined) throw new Error('missing timing');
    out.push({
      kind,
      batch,
      codec: codec.id,
      name: codec.name,
      messages: count,
      frames: frames.length,
      rawBytesPerMsg: raw / count,
      rawRatioToJson: raw / jsonBytes,
      shareAtWsThreshold: encoded.filter((b) => b.length >= WS_DEFAULT_THRESHOLD).length / encoded.length,
      deflateMessages: sampleCount,
      deflate,
      encode,
      decode,
    });
  });
  return out;
}
