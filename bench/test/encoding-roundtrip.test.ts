import { constants, inflateRawSync } from 'node:zlib';
import { Packr, pack } from 'msgpackr';
import { describe, expect, test } from 'vitest';
import { formatScaled } from '../../matching/src/index.ts';
import { createCodecs, PORTABLE_MSGPACK_OPTIONS } from '../encoding/codecs/index.ts';
import { collectFeedStream } from '../encoding/collect-stream.ts';
import { formatFixed, parseFixed, parseFixedBig } from '../encoding/decimal-text.ts';
import { DEFLATE_SETTINGS, deflateFrame } from '../encoding/deflate-size.ts';
import type { CandleData, FeedMessage, TickerData } from '../encoding/feed-message.ts';
import { scanMsgpack } from '../encoding/msgpack-scan.ts';

// The start of a run: tickers with unknown (null) fields before the first trades, forming and closed candles.
const stream = collectFeedStream({ seed: 7, count: 20_000 });
const codecs = createCodecs(stream.registry);
const SAMPLE = 1000;
const samples: [string, readonly FeedMessage[]][] = [
  ['trade', stream.byKind.trade.slice(0, SAMPLE)],
  ['l2', stream.byKind.l2.slice(0, SAMPLE)],
  ['ticker', stream.byKind.ticker.slice(0, SAMPLE)],
  ['candle', stream.byKind.candle.slice(0, SAMPLE)],
  ['mixed', stream.all.slice(0, SAMPLE)],
];

function framesOf(messages: readonly FeedMessage[], batch: number): FeedMessage[][] {
  const frames: FeedMessage[][] = [];
  for (let i = 0; i < messages.length; i += batch) frames.push(messages.slice(i, i + batch));
  return frames;
}

/**
 * What breaks "integers stay integers" in decoded messages: a number that is not a safe integer, or a volume /
 * notional that is not a bigint. Empty when all is well.
 */
function nonIntegers(messages: readonly FeedMessage[]): string[] {
  const bad: string[] = [];
  for (const m of messages) {
    if (!Number.isSafeInteger(m.seq) || !Number.isSafeInteger(m.tsUs)) bad.push(`${m.channel} seq/tsUs`);
    for (const [key, v] of Object.entries(m.data)) {
      if (typeof v === 'number' && !Number.isSafeInteger(v)) bad.push(`${m.channel} ${key} = ${v}`);
      if (/^(volume|notional)/.test(key) && typeof v !== 'bigint')
        bad.push(`${m.channel} ${key} is ${typeof v}`);
    }
  }
  return bad;
}

/** A hand-made message at the edges: beyond 32 bits, negative, beyond 2^53 as bigint, zeros. */
const ETH_TICKER = stream.registry.byName('ticker.ETH-USD');
const EDGE_TICKER: FeedMessage = {
  channel: ETH_TICKER.name,
  seq: 2 ** 32 + 5,
  tsUs: Number.MAX_SAFE_INTEGER,
  data: {
    bestBid: 4_294_967_296,
    bestBidQty: 1,
    bestAsk: null,
    bestAskQty: null,
    last: 7,
    lastQty: 0,
    open24h: 3_000_000_007,
    high24h: 3_000_000_007,
    low24h: 7,
    volume24h: 0n,
    notional24h: 2n ** 62n + 1n,
    change24h: -3_000_000_000,
    tradeCount24h: 0,
  } satisfies TickerData,
};
const EDGE_CANDLE: FeedMessage = {
  channel: stream.registry.byName('candles.1s.AMZN').name,
  seq: 1,
  tsUs: 0,
  data: {
    startUs: -1_000_000,
    open: 1,
    high: 2 ** 40,
    low: 0,
    close: 1,
    volume: 2n ** 53n + 1n,
    notional: 5n,
    tradeCount: 1,
    closed: true,
  } satisfies CandleData,
};

describe('the recorded stream', () => {
  test('has every kind, null ticker fields, both candle states and negative changes', () => {
    for (const [name, messages] of samples) expect(messages.length, name).toBe(SAMPLE);
    const tickers = stream.byKind.ticker.map((m) => m.data as TickerData);
    expect(tickers.some((t) => t.last === null)).toBe(true);
    expect(tickers.some((t) => t.change24h !== null && t.change24h < 0)).toBe(true);
    const candles = stream.byKind.candle.map((m) => m.data as CandleData);
    expect(candles.some((c) => c.closed) && candles.some((c) => !c.closed)).toBe(true);
    expect(stream.all.every((m, i) => i === 0 || m.tsUs >= (stream.all[i - 1] as FeedMessage).tsUs)).toBe(
      true,
    );
  });
});

describe.each(codecs.map((c) => [`(${c.id}) ${c.name}`, c] as const))('%s', (_, codec) => {
  test.each(samples)('round-trips %s exactly in frames of 1, 7 and 100', (_kind, messages) => {
    for (const batch of [1, 7, 100]) {
      for (const frame of framesOf(messages, batch)) {
        const decoded = codec.decode(codec.encode(frame));
        expect(decoded).toEqual(frame);
        expect(nonIntegers(decoded)).toEqual([]);
      }
    }
  });

  test('round-trips values beyond 32 bits, beyond 2^53 (bigint) and negative', () => {
    const frame = [EDGE_TICKER, EDGE_CANDLE];
    const decoded = codec.decode(codec.encode(frame));
    expect(decoded).toEqual(frame);
    expect(nonIntegers(decoded)).toEqual([]);
  });

  if (codec.format === 'msgpack') {
    test('writes plain MessagePack: no extension types, no floats', () => {
      for (const frame of [...framesOf(stream.all.slice(0, 2000), 50), [EDGE_TICKER, EDGE_CANDLE]]) {
        const scan = scanMsgpack(codec.encode(frame));
        expect(scan.extensions).toBe(0);
        expect(scan.floats).toBe(0);
      }
    });
  } else {
    test('writes valid UTF-8 JSON text', () => {
      const bytes = codec.encode(stream.all.slice(0, 100));
      expect(() => JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))).not.toThrow();
    });
  }
});

describe('golden bytes of one trade', () => {
  const trade: FeedMessage = {
    channel: 'trades.BTC-USD',
    seq: 42,
    tsUs: 1_767_225_600_123_456,
    data: { tradeId: 7, price: 6_500_001, qty: 1234, takerSide: 'buy' },
  };
  const hex = (id: string): string => {
    const codec = codecs.find((c) => c.id === id);
    if (codec === undefined) throw new Error(`no codec ${id}`);
    return Buffer.from(codec.encode([trade])).toString('hex');
  };
  const ts = 'd30006474846222240'; // int64 1767225600123456
  const channel = `ae${Buffer.from('trades.BTC-USD').toString('hex')}`;
  const payload = '07ce00632ea1cd04d2a162'; // 7, uint32 6500001, uint16 1234, "b"

  test('(a) and (b) JSON', () => {
    expect(Buffer.from(hex('a'), 'hex').toString()).toBe(
      '[{"channel":"trades.BTC-USD","seq":42,"tsUs":1767225600123456,' +
        '"data":{"tradeId":7,"price":"65000.01","qty":"0.01234","takerSide":"buy"}}]',
    );
    expect(Buffer.from(hex('b'), 'hex').toString()).toBe(
      '[{"c":"trades.BTC-USD","s":42,"t":1767225600123456,"d":{"i":7,"p":6500001,"q":1234,"s":"b"}}]',
    );
  });

  test('(c) map, (d) envelope, (e) tuple, (f) channel id, (g) frame-relative time', () => {
    const c = (k: string): string => `a1${Buffer.from(k).toString('hex')}`;
    expect(hex('c')).toBe(
      `9184${c('c')}${channel}${c('s')}2a${c('t')}${ts}${c('d')}84${c('i')}07${c('p')}ce00632ea1${c('q')}cd04d2${c('s')}a162`,
    );
    expect(hex('d')).toBe(`9184${c('c')}${channel}${c('s')}2a${c('t')}${ts}${c('d')}94${payload}`);
    expect(hex('e')).toBe(`9197${channel}2a${ts}${payload}`);
    const id = stream.registry.byName('trades.BTC-USD').id.toString(16).padStart(2, '0');
    expect(hex('f')).toBe(`9197${id}2a${ts}${payload}`);
    expect(hex('g')).toBe(`92${ts}97${id}2a00${payload}`);
  });
});

describe('portable msgpackr options', () => {
  test('a bare Packr writes the record extension and msgpackr writes big numbers as float64: both avoided', () => {
    // d4 72 40 (record definition) 91 a1 70 (its keys) 01 (the value): three values to a standard decoder
    const record = new Packr().pack({ p: 1 });
    expect(record.subarray(0, 2)).toEqual(Buffer.from([0xd4, 0x72]));
    expect(() => scanMsgpack(record)).toThrow(/after the msgpack value/);
    expect(scanMsgpack(new Packr(PORTABLE_MSGPACK_OPTIONS).pack({ p: 1 })).extensions).toBe(0);
    expect(scanMsgpack(pack(2 ** 40)).floats).toBe(1);
    expect(scanMsgpack(pack(2n ** 40n)).ints).toBe(1);
    expect(scanMsgpack(pack(undefined)).extensions).toBe(1);
    expect(scanMsgpack(new Packr(PORTABLE_MSGPACK_OPTIONS).pack(undefined)).nils).toBe(1);
  });

  test('scanMsgpack rejects truncated values and trailing bytes', () => {
    const bytes = pack([1, 'abc', { a: null }]);
    expect(scanMsgpack(bytes).values).toBe(6);
    expect(() => scanMsgpack(bytes.subarray(0, bytes.length - 1))).toThrow(RangeError);
    expect(() => scanMsgpack(Buffer.concat([bytes, Buffer.from([0])]))).toThrow(RangeError);
    expect(() => scanMsgpack(Buffer.from([0xc1]))).toThrow(RangeError);
  });
});

describe('permessage-deflate emulation', () => {
  test.each(
    DEFLATE_SETTINGS.map((s) => [s.label, s] as const),
  )('%s inflates back as RFC 7692 §7.2.2 says', (_, s) => {
    const codec = codecs[0];
    if (codec === undefined) throw new Error('no codecs');
    const frame = codec.encode(stream.all.slice(0, 100));
    const sent = deflateFrame(frame, s);
    expect(sent.length).toBeLessThan(frame.length);
    const tail = Buffer.from([0x00, 0x00, 0xff, 0xff]);
    const back = inflateRawSync(Buffer.concat([sent, tail]), { finishFlush: constants.Z_SYNC_FLUSH });
    expect(Buffer.compare(back, frame)).toBe(0);
  });
});

describe('decimal text', () => {
  test.each([
    [6_500_001, 2, '65000.01'],
    [5, 3, '0.005'],
    [-5, 3, '-0.005'],
    [0, 2, '0.00'],
    [1234, 0, '1234'],
  ])('%d at scale %d is %s and back', (value, scale, text) => {
    expect(formatFixed(value, scale)).toBe(text);
    expect(parseFixed(text, scale)).toBe(value);
  });

  test('writes what matching/ formatScaled writes, for numbers and bigints', () => {
    for (let i = 0; i < 2000; i++) {
      const v = Math.round((Math.random() - 0.3) * 10 ** (i % 16)) + 0; // + 0: no -0
      const scale = i % 9;
      expect(formatFixed(v, scale)).toBe(formatScaled(v, scale));
      expect(parseFixed(formatFixed(v, scale), scale)).toBe(v);
      const b = BigInt(v) * 10n ** 7n + 3n;
      expect(formatFixed(b, scale)).toBe(formatScaled(b, scale));
      expect(parseFixedBig(formatFixed(b, scale), scale)).toBe(b);
    }
  });

  test('refuses text with too many decimals or that is not a decimal', () => {
    expect(() => parseFixed('1.234', 2)).toThrow(RangeError);
    expect(() => parseFixed('1e5', 2)).toThrow(RangeError);
    expect(() => parseFixed('', 2)).toThrow(RangeError);
    expect(parseFixed('12.3', 2)).toBe(1230);
  });
});
