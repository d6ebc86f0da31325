import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  CLOCK_SKEW_SECONDS,
  MAX_TOKEN_BYTES,
  mintToken,
  TOKEN_FAILURE_CLOSE,
  type TokenFailureCode,
  tokenFromRequest,
  verifyToken,
} from '../../src/server/auth-token.ts';
import { ServerConfigError } from '../../src/server/server-config-error.ts';

const SECRET = 'correct horse battery staple';
const NOW_MS = 1_767_225_600_000; // 2026-01-01T00:00:00Z
const NOW_S = NOW_MS / 1000;

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');
/** A token over any payload text, correctly signed: to reach the checks behind the signature. */
const signed = (payloadText: string, secret = SECRET): string => {
  const part = b64(payloadText);
  return `tw1.${part}.${createHmac('sha256', secret).update(`tw1.${part}`).digest('base64url')}`;
};
const claims = (c: Record<string, unknown>): string => signed(JSON.stringify(c));
const good = mintToken(SECRET, { subject: 'desk-7', ttlSeconds: 3600, nowMs: NOW_MS });
const [, goodPayload = '', goodSig = ''] = good.split('.');

/** Valid subjects: any Unicode text of 1 to `max` UTF-16 code units without control characters. */
const subjects = (max: number) =>
  fc
    .string({ unit: 'grapheme', minLength: 1, maxLength: max })
    .filter((s) => s.length <= max && !/\p{Cc}/u.test(s));

/** Replaces the character at `i` by another one of the base64url alphabet. */
const flip = (text: string, i: number): string =>
  text.slice(0, i) + (text[i] === 'A' ? 'B' : 'A') + text.slice(i + 1);

describe('mintToken → verifyToken', () => {
  test('has the documented layout and claims', () => {
    expect(good).toMatch(/^tw1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(JSON.parse(Buffer.from(goodPayload, 'base64url').toString())).toEqual({
      sub: 'desk-7',
      iat: NOW_S,
      exp: NOW_S + 3600,
    });
    expect(verifyToken(SECRET, good, NOW_MS)).toEqual({
      ok: true,
      claims: { sub: 'desk-7', iat: NOW_S, exp: NOW_S + 3600 },
    });
  });

  test('reproduces the example of PROTOCOL.md §15', () => {
    const protocol = readFileSync(new URL('../../PROTOCOL.md', import.meta.url), 'utf8');
    const section = protocol.slice(protocol.indexOf('## 15. Authentication'));
    const example = /`(tw1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43})`/.exec(section)?.[1];
    expect(example).toBe(
      mintToken('tickwire-example-secret', { subject: 'demo', ttlSeconds: 3600, nowMs: 1_767_225_600_000 }),
    );
    expect(verifyToken('tickwire-example-secret', example, 1_767_225_600_000)).toMatchObject({ ok: true });
  });

  test('a token made elsewhere with the documented recipe verifies (PROTOCOL.md §15)', () => {
    const t = claims({ sub: 'x', iat: NOW_S, exp: NOW_S + 1, extra: [1, { nested: true }] });
    expect(verifyToken(SECRET, t, NOW_MS)).toEqual({
      ok: true,
      claims: { sub: 'x', iat: NOW_S, exp: NOW_S + 1 },
    });
  });

  test('iat is the issue time floored to seconds; valid until exp exclusive', () => {
    const t = mintToken(SECRET, { subject: 's', ttlSeconds: 10, nowMs: NOW_MS + 999 });
    expect(verifyToken(SECRET, t, NOW_MS + 9_999)).toMatchObject({ ok: true, claims: { exp: NOW_S + 10 } });
    expect(verifyToken(SECRET, t, NOW_MS + 10_000)).toMatchObject({ ok: false, code: 'expired' });
  });

  test(`iat up to ${CLOCK_SKEW_SECONDS} s ahead of the verifier's clock is accepted`, () => {
    const t = mintToken(SECRET, { subject: 's', ttlSeconds: 60, nowMs: NOW_MS + CLOCK_SKEW_SECONDS * 1000 });
    expect(verifyToken(SECRET, t, NOW_MS).ok).toBe(true);
    expect(verifyToken(SECRET, t, NOW_MS - 1)).toMatchObject({ ok: false, code: 'invalid' });
  });

  test('unicode subjects survive', () => {
    const t = mintToken(SECRET, { subject: 'Zürich desk 🦊', ttlSeconds: 1, nowMs: NOW_MS });
    expect(verifyToken(SECRET, t, NOW_MS)).toMatchObject({ ok: true, claims: { sub: 'Zürich desk 🦊' } });
  });

  test('the longest subject of 4-byte characters still fits the size limit', () => {
    const t = mintToken(SECRET, { subject: '🦊'.repeat(64), ttlSeconds: 1, nowMs: NOW_MS });
    expect(t.length).toBeLessThanOrEqual(MAX_TOKEN_BYTES);
    expect(verifyToken(SECRET, t, NOW_MS).ok).toBe(true);
  });

  test('property: every minted token verifies with its claims until it expires', () => {
    fc.assert(
      fc.property(
        subjects(128),
        fc.integer({ min: 1, max: 10 * 365 * 86_400 }),
        fc.integer({ min: 0, max: 4_102_444_800_000 }),
        (subject, ttlSeconds, nowMs) => {
          const t = mintToken(SECRET, { subject, ttlSeconds, nowMs });
          const iat = Math.floor(nowMs / 1000);
          expect(verifyToken(SECRET, t, nowMs)).toEqual({
            ok: true,
            claims: { sub: subject, iat, exp: iat + ttlSeconds },
          });
          expect(verifyToken(SECRET, t, (iat + ttlSeconds) * 1000)).toMatchObject({ code: 'expired' });
        },
      ),
    );
  });

  test('property: any single-character change of a token is refused', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ';
    fc.assert(
      fc.property(subjects(40), fc.nat(), fc.constantFrom(...alphabet), (subject, at, ch) => {
        const t = mintToken(SECRET, { subject, ttlSeconds: 60, nowMs: NOW_MS });
        const i = at % t.length;
        fc.pre(t[i] !== ch);
        const mutated = t.slice(0, i) + ch + t.slice(i + 1);
        expect(verifyToken(SECRET, mutated, NOW_MS)).toMatchObject({ ok: false, code: 'invalid' });
      }),
    );
  });
});

describe('verifyToken refuses', () => {
  const rows: [string, string | undefined, TokenFailureCode, RegExp][] = [
    ['no token', undefined, 'missing', /no token/],
    ['an empty token', '', 'missing', /no token/],
    ['a tampered payload', `tw1.${flip(goodPayload, 3)}.${goodSig}`, 'invalid', /signature/],
    [
      'a payload swapped for other claims',
      `tw1.${b64(JSON.stringify({ sub: 'admin', iat: NOW_S, exp: NOW_S + 3600 }))}.${goodSig}`,
      'invalid',
      /signature/,
    ],
    ['a tampered signature', `tw1.${goodPayload}.${flip(goodSig, 10)}`, 'invalid', /signature/],
    ['a truncated signature', `tw1.${goodPayload}.${goodSig.slice(0, 42)}`, 'invalid', /not base64url/],
    ['a short signature', `tw1.${goodPayload}.${goodSig.slice(0, 40)}`, 'invalid', /signature/],
    ['no signature', `tw1.${goodPayload}`, 'invalid', /3 dot-separated parts/],
    ['an empty signature', `tw1.${goodPayload}.`, 'invalid', /not base64url/],
    ['a fourth part', `${good}.x`, 'invalid', /3 dot-separated parts/],
    [
      'another secret',
      mintToken('another secret, 16+ bytes', { subject: 'x', ttlSeconds: 60, nowMs: NOW_MS }),
      'invalid',
      /signature/,
    ],
    [
      'an expired token',
      mintToken(SECRET, { subject: 'x', ttlSeconds: 60, nowMs: NOW_MS - 60_000 }),
      'expired',
      /expired/,
    ],
    [
      'a token issued beyond the clock skew',
      mintToken(SECRET, { subject: 'x', ttlSeconds: 60, nowMs: NOW_MS + 31_000 }),
      'invalid',
      /future/,
    ],
    ['garbage', 'hello world', 'invalid', /not a tw1 token/],
    ['a JWT', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', 'invalid', /not a tw1 token/],
    ['another version', good.replace(/^tw1/, 'tw2'), 'invalid', /not a tw1 token/],
    ['an upper-case prefix', good.replace(/^tw1/, 'TW1'), 'invalid', /not a tw1 token/],
    ['an oversize token', `tw1.${'A'.repeat(MAX_TOKEN_BYTES)}.${goodSig}`, 'invalid', /longer than 1024/],
    ['base64 padding', `tw1.${goodPayload}.${goodSig}=`, 'invalid', /not base64url/],
    ['standard base64 characters', `tw1.${goodPayload}.${goodSig.slice(0, 42)}+`, 'invalid', /base64url/],
    [
      'a non-canonical last character',
      // 43 characters carry 258 bits for 256: the last character's 2 low bits must be zero.
      `tw1.${goodPayload}.${goodSig.slice(0, 42)}${String.fromCharCode(goodSig.charCodeAt(42) + 1)}`,
      'invalid',
      /not base64url/,
    ],
    ['whitespace', ` ${good}`, 'invalid', /not a tw1 token/],
    ['a signed non-JSON payload', signed('{"sub":'), 'invalid', /not JSON/],
    ['signed invalid UTF-8', signedBytes(Buffer.from([0x7b, 0xff, 0x7d])), 'invalid', /not JSON/],
    ['a signed array payload', signed('[1,2]'), 'invalid', /not an object/],
    ['a signed null payload', signed('null'), 'invalid', /not an object/],
    ['a signed string payload', signed('"sub"'), 'invalid', /not an object/],
    ['a missing exp', claims({ sub: 'x', iat: NOW_S }), 'invalid', /exp claim/],
    ['a string exp', claims({ sub: 'x', iat: NOW_S, exp: String(NOW_S + 60) }), 'invalid', /exp claim/],
    ['a fractional exp', claims({ sub: 'x', iat: NOW_S, exp: NOW_S + 60.5 }), 'invalid', /exp claim/],
    ['an unsafe exp', claims({ sub: 'x', iat: NOW_S, exp: 2 ** 53 }), 'invalid', /exp claim/],
    ['a missing iat', claims({ sub: 'x', exp: NOW_S + 60 }), 'invalid', /iat claim/],
    ['a negative iat', claims({ sub: 'x', iat: -1, exp: NOW_S + 60 }), 'invalid', /iat claim/],
    ['exp not after iat', claims({ sub: 'x', iat: NOW_S, exp: NOW_S }), 'invalid', /not after iat/],
    ['a missing sub', claims({ iat: NOW_S, exp: NOW_S + 60 }), 'invalid', /sub claim/],
    ['an empty sub', claims({ sub: '', iat: NOW_S, exp: NOW_S + 60 }), 'invalid', /sub claim/],
    ['a sub with a newline', claims({ sub: 'a\nb', iat: NOW_S, exp: NOW_S + 60 }), 'invalid', /sub claim/],
    [
      'a sub with a lone surrogate',
      claims({ sub: '\udc00', iat: NOW_S, exp: NOW_S + 60 }),
      'invalid',
      /sub claim/,
    ],
    ['a number sub', claims({ sub: 7, iat: NOW_S, exp: NOW_S + 60 }), 'invalid', /sub claim/],
  ];

  test.each(rows)('%s', (_, token, code, message) => {
    const r = verifyToken(SECRET, token, NOW_MS);
    expect(r).toMatchObject({ ok: false, code });
    if (r.ok) return;
    expect(r.message).toMatch(message);
    // Safe as a WebSocket close reason (RFC 6455 §5.5: control frame payload ≤ 125 bytes, 2 for the code).
    expect(Buffer.byteLength(r.message)).toBeLessThanOrEqual(123);
    expect(r.message).toMatch(/^[\x20-\x7e]+$/);
  });

  test('maps to the close codes of PROTOCOL.md §9', () => {
    expect(TOKEN_FAILURE_CLOSE).toEqual({ missing: 4001, invalid: 4003, expired: 4002 });
  });
});

function signedBytes(bytes: Buffer): string {
  const part = bytes.toString('base64url');
  return `tw1.${part}.${createHmac('sha256', SECRET).update(`tw1.${part}`).digest('base64url')}`;
}

describe('secrets, subjects, TTLs', () => {
  test('a secret under 16 bytes is a config error, for minting and verifying', () => {
    const short = '15 bytes secret';
    expect(Buffer.byteLength(short)).toBe(15);
    for (const f of [
      () => mintToken(short, { subject: 'x', ttlSeconds: 1 }),
      () => verifyToken(short, good, NOW_MS),
    ]) {
      expect(f).toThrow(ServerConfigError);
      expect(f).toThrow(/at least 16 bytes, got 15/);
    }
    // Bytes, not characters: 8 two-byte characters are enough.
    expect(() => mintToken('é'.repeat(8), { subject: 'x', ttlSeconds: 1 })).not.toThrow();
  });

  test.each([
    [{ subject: '', ttlSeconds: 1 }, /subject must have 1 to 128 characters, got 0/],
    [{ subject: 'x'.repeat(129), ttlSeconds: 1 }, /subject must have 1 to 128/],
    [{ subject: 'a\tb', ttlSeconds: 1 }, /control characters/],
    [{ subject: 'a\u0085b', ttlSeconds: 1 }, /control characters/],
    [{ subject: 'a\ud800b', ttlSeconds: 1 }, /lone surrogates/],
    [{ subject: 'x', ttlSeconds: 0 }, /ttlSeconds must be a positive integer, got 0/],
    [{ subject: 'x', ttlSeconds: 1.5 }, /ttlSeconds/],
    [{ subject: 'x', ttlSeconds: 1, nowMs: Number.NaN }, /nowMs/],
  ])('mintToken(%j) throws', (options, message) => {
    expect(() => mintToken(SECRET, options)).toThrow(message);
  });
});

describe('tokenFromRequest', () => {
  const req = (url: string | undefined, authorization?: string) => ({
    url,
    headers: authorization === undefined ? {} : { authorization },
  });
  test.each([
    ['query parameter', req('/v1/ws?token=tw1.a.b'), 'tw1.a.b'],
    ['among other parameters', req('/v1/ws?x=1&token=tw1.a.b&y=2'), 'tw1.a.b'],
    ['the first of two', req('/v1/ws?token=tw1.a.b&token=tw1.c.d'), 'tw1.a.b'],
    ['percent-encoded', req('/v1/ws?token=tw1.a%2Eb'), 'tw1.a.b'],
    ['before a fragment', req('/v1/ws?token=tw1.a.b#frag'), 'tw1.a.b'],
    ['an empty parameter', req('/v1/ws?token='), ''],
    ['no query', req('/v1/ws'), undefined],
    ['no url', req(undefined), undefined],
    ['other parameters only', req('/v1/ws?tok=1'), undefined],
    ['Bearer header', req('/v1/ws', 'Bearer tw1.h.h'), 'tw1.h.h'],
    ['bearer, any case', req('/v1/ws', 'bEaReR tw1.h.h'), 'tw1.h.h'],
    ['the header before the query', req('/v1/ws?token=tw1.q.q', 'Bearer tw1.h.h'), 'tw1.h.h'],
    ['another scheme falls back to the query', req('/v1/ws?token=tw1.q.q', 'Basic dXNlcjpwdw=='), 'tw1.q.q'],
    ['a Bearer header without a token', req('/v1/ws', 'Bearer '), undefined],
    ['a Bearer header with two words', req('/v1/ws', 'Bearer a b'), undefined],
  ])('%s', (_, request, expected) => {
    expect(tokenFromRequest(request)).toBe(expected);
  });
});
