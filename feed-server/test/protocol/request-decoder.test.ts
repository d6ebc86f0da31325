import fc from 'fast-check';
import { Packr } from 'msgpackr';
import { describe, expect, test } from 'vitest';
import { DEFAULT_LIMITS, decodeRequest, ProtocolError, type Request } from '../../src/protocol/index.ts';

const packr = new Packr({ useRecords: false, variableMapSize: true });
const mp = (v: unknown): Uint8Array => new Uint8Array(packr.pack(v));
const fromHex = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, 'hex'));

function thrown(f: () => unknown): ProtocolError {
  try {
    f();
  } catch (e) {
    if (e instanceof ProtocolError) return e;
    throw e;
  }
  throw new Error('did not throw');
}

/** Both encodings of the same request value. */
const both = (v: unknown): [string, Uint8Array | string][] => [
  ['msgpack', mp(v)],
  ['json', JSON.stringify(v)],
];

const validCases: readonly [string, unknown, Request][] = [
  ['ping', { op: 'ping', id: 0 }, { op: 'ping', id: 0 }],
  ['ping, max id', { op: 'ping', id: 2 ** 31 - 1 }, { op: 'ping', id: 2 ** 31 - 1 }],
  [
    'subscribe',
    { op: 'subscribe', id: 1, channels: ['trades:BTC-USD', 'book:BTC-USD'] },
    { op: 'subscribe', id: 1, channels: ['trades:BTC-USD', 'book:BTC-USD'] },
  ],
  [
    'subscribe, unknown field ignored',
    { op: 'subscribe', id: 1, channels: ['x'], extra: true },
    { op: 'subscribe', id: 1, channels: ['x'] },
  ],
  [
    'subscribe with resume',
    {
      op: 'subscribe',
      id: 2,
      channels: ['trades:BTC-USD'],
      resume: { session: 's1', seqs: { 'trades:BTC-USD': 41 } },
    },
    {
      op: 'subscribe',
      id: 2,
      channels: ['trades:BTC-USD'],
      resume: { session: 's1', seqs: new Map([['trades:BTC-USD', 41]]) },
    },
  ],
  [
    'unsubscribe',
    { op: 'unsubscribe', id: 3, channels: ['instruments'] },
    { op: 'unsubscribe', id: 3, channels: ['instruments'] },
  ],
  [
    '50 channels',
    { op: 'subscribe', id: 4, channels: Array(50).fill('trades:A') },
    { op: 'subscribe', id: 4, channels: Array(50).fill('trades:A') },
  ],
];

describe('decodeRequest: valid', () => {
  test.each(
    validCases.flatMap(([name, value, want]) =>
      both(value).map(([enc, frame]) => [`${name} (${enc})`, frame, want] as const),
    ),
  )('%s', (_name, frame, want) => {
    expect(decodeRequest(frame)).toEqual(want);
  });

  test('a resume seq above 2^32 sent as uint64 is read back as a number', () => {
    const frame = mp({
      op: 'subscribe',
      id: 1,
      channels: ['a'],
      resume: { session: 's', seqs: { a: 2n ** 40n } },
    });
    expect(decodeRequest(frame)).toMatchObject({ resume: { seqs: new Map([['a', 2 ** 40]]) } });
  });
});

const errorCases: readonly [string, unknown, string, number | null][] = [
  ['not a map: array', [1, 2], 'BAD_REQUEST', null],
  ['not a map: string', 'ping', 'BAD_REQUEST', null],
  ['not a map: null', null, 'BAD_REQUEST', null],
  ['op missing', { id: 1 }, 'BAD_REQUEST', null],
  ['op not a string', { op: 1, id: 1 }, 'BAD_REQUEST', null],
  ['unknown op', { op: 'login', id: 5 }, 'UNKNOWN_OP', 5],
  ['id missing', { op: 'ping' }, 'BAD_REQUEST', null],
  ['id negative', { op: 'ping', id: -1 }, 'BAD_REQUEST', null],
  ['id 2^31', { op: 'ping', id: 2 ** 31 }, 'BAD_REQUEST', null],
  ['id fractional', { op: 'ping', id: 1.5 }, 'BAD_REQUEST', null],
  ['id a string', { op: 'ping', id: '1' }, 'BAD_REQUEST', null],
  ['channels missing', { op: 'subscribe', id: 6 }, 'BAD_REQUEST', 6],
  ['channels empty', { op: 'subscribe', id: 6, channels: [] }, 'BAD_REQUEST', 6],
  ['channels not strings', { op: 'unsubscribe', id: 6, channels: [1] }, 'BAD_REQUEST', 6],
  ['51 channels', { op: 'subscribe', id: 7, channels: Array(51).fill('trades:A') }, 'TOO_MANY_CHANNELS', 7],
  ['resume not a map', { op: 'subscribe', id: 8, channels: ['a'], resume: 1 }, 'BAD_REQUEST', 8],
  [
    'resume without session',
    { op: 'subscribe', id: 8, channels: ['a'], resume: { seqs: {} } },
    'BAD_REQUEST',
    8,
  ],
  [
    'resume seq negative',
    { op: 'subscribe', id: 8, channels: ['a'], resume: { session: 's', seqs: { a: -1 } } },
    'BAD_REQUEST',
    8,
  ],
  [
    'resume seq fractional',
    { op: 'subscribe', id: 8, channels: ['a'], resume: { session: 's', seqs: { a: 0.5 } } },
    'BAD_REQUEST',
    8,
  ],
  [
    'resume seq unsafe',
    { op: 'subscribe', id: 8, channels: ['a'], resume: { session: 's', seqs: { a: 2 ** 53 } } },
    'BAD_REQUEST',
    8,
  ],
];

describe('decodeRequest: refused requests keep the connection (closeCode null)', () => {
  test.each(
    errorCases.flatMap(([name, value, code, id]) =>
      both(value).map(([enc, frame]) => [`${name} (${enc})`, frame, code, id] as const),
    ),
  )('%s → %s', (_name, frame, code, requestId) => {
    expect(thrown(() => decodeRequest(frame))).toMatchObject({ code, closeCode: null, requestId });
  });
});

describe('decodeRequest: hardening', () => {
  test.each(
    both({ op: 'ping', id: 1, pad: 'x'.repeat(4100) }),
  )('oversized frame (%s) → close 1009', (_enc, frame) => {
    expect(thrown(() => decodeRequest(frame))).toMatchObject({ code: 'FRAME_TOO_LARGE', closeCode: 1009 });
  });

  test('the 4096-byte limit counts UTF-8 bytes of a JSON frame', () => {
    const frame = JSON.stringify({ op: 'ping', id: 1, pad: 'é'.repeat(2100) });
    expect(frame.length).toBeLessThan(4096);
    expect(thrown(() => decodeRequest(frame)).code).toBe('FRAME_TOO_LARGE');
  });

  test('the limits given are the ones enforced: frame bytes and channels per request', () => {
    const frame = JSON.stringify({ op: 'ping', id: 1, pad: 'x'.repeat(5000) });
    expect(thrown(() => decodeRequest(frame)).code).toBe('FRAME_TOO_LARGE');
    expect(decodeRequest(frame, { ...DEFAULT_LIMITS, clientFrameBytes: 8192 })).toEqual({
      op: 'ping',
      id: 1,
    });
    const small = JSON.stringify({ op: 'ping', id: 1, pad: 'x'.repeat(600) });
    expect(thrown(() => decodeRequest(small, { ...DEFAULT_LIMITS, clientFrameBytes: 512 }))).toMatchObject({
      code: 'FRAME_TOO_LARGE',
      closeCode: 1009,
    });
    const three = JSON.stringify({ op: 'subscribe', id: 2, channels: ['a', 'b', 'c'] });
    expect(thrown(() => decodeRequest(three, { ...DEFAULT_LIMITS, channelsPerRequest: 2 }))).toMatchObject({
      code: 'TOO_MANY_CHANNELS',
      requestId: 2,
    });
  });

  test('a frame of exactly 4096 bytes is read', () => {
    const base = JSON.stringify({ op: 'ping', id: 1, pad: '' });
    const frame = JSON.stringify({ op: 'ping', id: 1, pad: 'x'.repeat(4096 - base.length) });
    expect(frame.length).toBe(4096);
    expect(decodeRequest(frame)).toEqual({ op: 'ping', id: 1 });
  });

  test.each([
    ['empty', ''],
    ['never-used byte 0xc1', 'c1'],
    ['truncated map', '82a26f70'],
    ['truncated str8', 'd9ff61'],
    ['trailing bytes', '80c0'],
    ['huge array32 header', 'dd7fffffff'],
    ['fixext1 type 0 (msgpackr: undefined)', 'd40000'],
    ['fixext bigint 0x42', 'd54200ff'],
    ['ext8 Set 0x73', 'c70173c0'],
    ['fixext record 0x72', 'd47200'],
    ['timestamp -1', 'd6ff00000000'],
    ['extension nested in a map', '81a26f70d40000'],
  ])('msgpack %s → close 4000', (_name, h) => {
    expect(thrown(() => decodeRequest(fromHex(h)))).toMatchObject({ code: 'UNDECODABLE', closeCode: 4000 });
  });

  test.each(['', '{', 'ping', '{"op":"ping","id":1}x', '\u0000'])('JSON %j → close 4000', (frame) => {
    expect(thrown(() => decodeRequest(frame))).toMatchObject({ code: 'UNDECODABLE', closeCode: 4000 });
  });

  test.each([
    ['JSON __proto__ at top', '{"op":"ping","id":1,"__proto__":{"polluted":1}}'],
    ['JSON constructor at top', '{"op":"ping","id":1,"constructor":{"prototype":{"polluted":1}}}'],
    [
      'JSON __proto__ in resume',
      '{"op":"subscribe","id":1,"channels":["a"],"resume":{"session":"s","seqs":{"__proto__":1}}}',
    ],
    [
      'msgpack __proto__ at top',
      mp(
        Object.fromEntries([
          ['op', 'ping'],
          ['id', 1],
          ['__proto__', { polluted: 1 }],
        ]),
      ),
    ],
    [
      'msgpack __proto__ in seqs',
      mp({
        op: 'subscribe',
        id: 1,
        channels: ['a'],
        resume: { session: 's', seqs: Object.fromEntries([['__proto__', 1]]) },
      }),
    ],
  ] as const)('%s → BAD_REQUEST, no pollution', (_name, frame) => {
    expect(thrown(() => decodeRequest(frame)).code).toBe('BAD_REQUEST');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('random bytes never throw anything but ProtocolError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), (bytes) => {
        try {
          decodeRequest(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(ProtocolError);
        }
      }),
      { numRuns: 3000 },
    );
  });

  test('random msgpack values never throw anything but ProtocolError', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (value, asJson) => {
        try {
          decodeRequest(asJson ? JSON.stringify(value) : mp(value));
        } catch (e) {
          expect(e).toBeInstanceOf(ProtocolError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  test('random request-like maps never throw anything but ProtocolError', () => {
    const field = fc.oneof(
      fc.constant('subscribe'),
      fc.constant('ping'),
      fc.integer(),
      fc.string(),
      fc.array(fc.string()),
    );
    fc.assert(
      fc.property(
        fc.record({ op: field, id: field, channels: field, resume: fc.anything() }, { requiredKeys: [] }),
        (v) => {
          try {
            decodeRequest(mp(v));
          } catch (e) {
            expect(e).toBeInstanceOf(ProtocolError);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
