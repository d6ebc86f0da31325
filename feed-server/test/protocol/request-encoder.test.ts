import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  decodeRequest,
  encodeRequest,
  encodeRequestJson,
  MAX_REQUEST_ID,
  type Request,
} from '../../src/protocol/index.ts';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
// decodeRequest refuses these keys in `resume.seqs` (prototype pollution); they are not channel names anyway.
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

const subscribe: Request = {
  op: 'subscribe',
  id: 7,
  channels: ['trades:BTC-USD'],
  resume: { session: 's1', seqs: new Map([['trades:BTC-USD', 2 ** 32]]) },
};

describe('encodeRequest', () => {
  // Golden bytes: a change here is a wire format change.
  test.each<[string, Request, string]>([
    ['ping', { op: 'ping', id: 1 }, '82a26f70a470696e67a26964 01'],
    [
      'unsubscribe',
      { op: 'unsubscribe', id: 2, channels: ['instruments'] },
      '83a26f70ab756e737562736372696265a2696402a86368616e6e656c7391ab696e737472756d656e7473',
    ],
    [
      'subscribe with resume, seq ≥ 2^32 as int64',
      subscribe,
      '84a26f70a9737562736372696265a2696407a86368616e6e656c7391ae7472616465733a4254432d555344a6726573756d6582a773657373696f6ea27331a47365717381ae7472616465733a4254432d555344d30000000100000000',
    ],
  ])('%s', (_name, request, golden) => {
    expect(hex(encodeRequest(request))).toBe(golden.replaceAll(' ', ''));
  });

  test('JSON: the same map as text', () => {
    expect(encodeRequestJson(subscribe)).toBe(
      '{"op":"subscribe","id":7,"channels":["trades:BTC-USD"],"resume":{"session":"s1","seqs":{"trades:BTC-USD":4294967296}}}',
    );
  });

  const requests: fc.Arbitrary<Request> = fc.oneof(
    fc.record({ op: fc.constant('ping' as const), id: fc.integer({ min: 0, max: MAX_REQUEST_ID }) }),
    fc.record({
      op: fc.constantFrom('subscribe' as const, 'unsubscribe' as const),
      id: fc.integer({ min: 0, max: MAX_REQUEST_ID }),
      channels: fc.array(fc.string(), { minLength: 1, maxLength: 5 }),
    }),
    fc.record({
      op: fc.constant('subscribe' as const),
      id: fc.integer({ min: 0, max: MAX_REQUEST_ID }),
      channels: fc.array(fc.string(), { minLength: 1, maxLength: 5 }),
      resume: fc.record({
        session: fc.string(),
        seqs: fc
          .array(
            fc.tuple(
              fc.stringMatching(/^[a-z:A-Z-]{1,20}$/).filter((k) => !FORBIDDEN.has(k)),
              fc.maxSafeNat(),
            ),
            { maxLength: 5 },
          )
          .map((entries) => new Map(entries)),
      }),
    }),
  );

  test('decodeRequest reads both encodings back to an equal request', () => {
    fc.assert(
      fc.property(requests, (r) => {
        expect(decodeRequest(encodeRequest(r))).toEqual(r);
        expect(decodeRequest(encodeRequestJson(r))).toEqual(r);
      }),
    );
  });
});
