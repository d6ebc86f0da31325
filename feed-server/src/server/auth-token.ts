import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { CLOSE_CODES, type CloseCode } from '../protocol/index.ts';
import { ServerConfigError } from './server-config-error.ts';

/**
 * Access tokens of PROTOCOL.md §15: `tw1.<base64url(JSON claims)>.<base64url(HMAC-SHA256(secret, "tw1." +
 * claims part))>`. The version prefix fixes the algorithm — there is no header naming one, so a token cannot
 * choose its own verification (no JWT-style `alg: none` or HMAC/RSA confusion).
 */
export const TOKEN_PREFIX = 'tw1.';

/** Longest accepted token, in bytes (tokens are ASCII, so also in characters). */
export const MAX_TOKEN_BYTES = 1024;

/** Shortest accepted secret, in bytes of its UTF-8 encoding. */
export const MIN_SECRET_BYTES = 16;

/** How far `iat` may lie in the future of the verifier's clock, in seconds, before a token is refused. */
export const CLOCK_SKEW_SECONDS = 30;

/** Longest subject, in UTF-16 code units. */
export const MAX_SUBJECT_LENGTH = 128;

/** The claims of a verified token. Unknown claims are ignored by v1 verifiers and not returned. */
export interface TokenClaims {
  /** whom the token was issued to: 1–128 UTF-16 code units, no control characters or lone surrogates */
  readonly sub: string;
  /** issued at, integer seconds since the Unix epoch */
  readonly iat: number;
  /** expiry, integer seconds since the Unix epoch: the token is valid while now < exp */
  readonly exp: number;
}

/** Why a token was refused: none given, bad format or signature, or past its `exp`. */
export type TokenFailureCode = 'missing' | 'invalid' | 'expired';

/** The close code to send for each token failure (PROTOCOL.md §9). */
export const TOKEN_FAILURE_CLOSE = {
  missing: CLOSE_CODES.AUTH_REQUIRED.code,
  invalid: CLOSE_CODES.TOKEN_INVALID.code,
  expired: CLOSE_CODES.TOKEN_EXPIRED.code,
} as const satisfies Record<TokenFailureCode, CloseCode>;

/**
 * The outcome of {@link verifyToken}. A refusal's `message` is short ASCII (fits a close frame's 123-byte
 * reason) and never repeats any part of the token.
 */
export type TokenVerification =
  | { readonly ok: true; readonly claims: TokenClaims }
  | { readonly ok: false; readonly code: TokenFailureCode; readonly message: string };

/** What {@link mintToken} puts in a token. */
export interface MintTokenOptions {
  /** the `sub` claim: 1–128 UTF-16 code units, no control characters or lone surrogates */
  readonly subject: string;
  /** lifetime in whole seconds, at least 1: `exp = iat + ttlSeconds` */
  readonly ttlSeconds: number;
  /** the issue time in ms since the Unix epoch; `iat` is it floored to seconds. Default `Date.now()`. */
  readonly nowMs?: number;
}

const HMAC_BYTES = 32;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** C0/C1 control characters (kept out of logs) and lone surrogates (not text, and escaped 6× by JSON). */
const NOT_SUBJECT_TEXT = /[\p{Cc}\p{Cs}]/u;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Throws {@link ServerConfigError} `AUTH_SECRET_TOO_SHORT` unless `secret` has at least
 * {@link MIN_SECRET_BYTES} bytes. The secret's UTF-8 bytes are the HMAC key as they are (a base64 secret is
 * not decoded); generate one with e.g. `openssl rand -base64 32`.
 */
export function assertTokenSecret(secret: string): void {
  const bytes = Buffer.byteLength(secret, 'utf8');
  if (bytes < MIN_SECRET_BYTES) {
    throw new ServerConfigError(
      'AUTH_SECRET_TOO_SHORT',
      `the auth secret must be at least ${MIN_SECRET_BYTES} bytes, got ${bytes}`,
    );
  }
}

/**
 * Issues a token for `subject` valid for `ttlSeconds` from `nowMs`. Throws {@link ServerConfigError} for a
 * short secret and `RangeError` for a bad subject or TTL (callers validate user input first).
 *
 * @example
 * ```ts
 * const token = mintToken(process.env.TICKWIRE_AUTH_SECRET ?? '', { subject: 'desk-7', ttlSeconds: 3600 });
 * ```
 */
export function mintToken(secret: string, options: MintTokenOptions): string {
  assertTokenSecret(secret);
  const { subject, ttlSeconds, nowMs = Date.now() } = options;
  const problem = tokenSubjectProblem(subject);
  if (problem !== undefined) throw new RangeError(`mintToken: subject ${problem}`);
  if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds < 1) {
    throw new RangeError(`mintToken: ttlSeconds must be a positive integer, got ${ttlSeconds}`);
  }
  if (!Number.isFinite(nowMs) || nowMs < 0) {
    throw new RangeError(`mintToken: nowMs must be a non-negative finite number, got ${nowMs}`);
  }
  const iat = Math.floor(nowMs / 1000);
  const exp = iat + ttlSeconds;
  if (!Number.isSafeInteger(exp)) throw new RangeError(`mintToken: exp ${exp} is not a safe integer`);
  const claims: TokenClaims = { sub: subject, iat, exp };
  const payloadPart = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
  const token = `${TOKEN_PREFIX}${payloadPart}.${sign(secret, payloadPart).toString('base64url')}`;
  if (token.length > MAX_TOKEN_BYTES) {
    throw new Error(`assertion failed: a minted token is ${token.length} bytes`);
  }
  return token;
}

/**
 * Checks a token's format, signature and lifetime at `nowMs` (ms since the Unix epoch). `undefined` and the
 * empty string are `missing`; a token whose `iat` is more than {@link CLOCK_SKEW_SECONDS} ahead of `nowMs`
 * is `invalid`; one with `nowMs >= exp * 1000` is `expired`. The signature is checked (in constant time)
 * before the claims are parsed, so a forged token learns nothing but `invalid`. Throws only for a short
 * secret ({@link ServerConfigError}).
 */
export function verifyToken(secret: string, token: string | undefined, nowMs: number): TokenVerification {
  assertTokenSecret(secret);
  if (token === undefined || token === '') return fail('missing', 'authentication required: no token');
  if (token.length > MAX_TOKEN_BYTES) return fail('invalid', `token longer than ${MAX_TOKEN_BYTES} bytes`);
  if (!token.startsWith(TOKEN_PREFIX)) return fail('invalid', 'not a tw1 token');
  const parts = token.slice(TOKEN_PREFIX.length).split('.');
  if (parts.length !== 2) return fail('invalid', 'token must have 3 dot-separated parts');
  const [payloadPart = '', sigPart = ''] = parts;
  const payloadBytes = decodeBase64url(payloadPart);
  const sigBytes = decodeBase64url(sigPart);
  if (payloadBytes === undefined || sigBytes === undefined) return fail('invalid', 'token is not base64url');
  if (sigBytes.length !== HMAC_BYTES || !timingSafeEqual(sigBytes, sign(secret, payloadPart))) {
    return fail('invalid', 'bad token signature');
  }

  let payload: unknown;
  try {
    payload = JSON.parse(utf8.decode(payloadBytes));
  } catch {
    // Signed by our secret yet not JSON: only a minting bug or a leaked secret gets here.
    return fail('invalid', 'token claims are not JSON');
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    return fail('invalid', 'token claims are not an object');
  }
  const { sub, iat, exp } = payload as Record<string, unknown>;
  if (typeof sub !== 'string' || tokenSubjectProblem(sub) !== undefined)
    return fail('invalid', 'bad sub claim');
  if (!isEpochSeconds(iat)) return fail('invalid', 'missing or non-integer iat claim');
  if (!isEpochSeconds(exp)) return fail('invalid', 'missing or non-integer exp claim');
  if (exp <= iat) return fail('invalid', 'exp is not after iat');
  if (iat * 1000 > nowMs + CLOCK_SKEW_SECONDS * 1000) return fail('invalid', 'token issued in the future');
  if (nowMs >= exp * 1000) return fail('expired', 'token expired');
  return { ok: true, claims: { sub, iat, exp } };
}

/**
 * The token a WebSocket upgrade request carries: the `Authorization: Bearer <token>` header if there is one
 * (the scheme is case-insensitive, RFC 9110 §11.1), else the first `token` query parameter of the request
 * URL (browsers cannot set headers on a WebSocket). `undefined` when neither is present.
 */
export function tokenFromRequest(req: Pick<IncomingMessage, 'headers' | 'url'>): string | undefined {
  const auth = req.headers.authorization;
  if (auth !== undefined) {
    const m = /^Bearer +(\S+) *$/i.exec(auth);
    if (m?.[1] !== undefined) return m[1];
  }
  const url = req.url ?? '';
  const q = url.indexOf('?');
  if (q < 0) return undefined;
  const hash = url.indexOf('#', q);
  return new URLSearchParams(url.slice(q + 1, hash < 0 ? undefined : hash)).get('token') ?? undefined;
}

function sign(secret: string, payloadPart: string): Buffer {
  return createHmac('sha256', secret).update(`${TOKEN_PREFIX}${payloadPart}`).digest();
}

/**
 * Strict base64url: the alphabet only, no padding, and the canonical encoding of its bytes. Buffer's decoder
 * skips bad characters and ignores the unused low bits of the last character; accepting those would let
 * several spellings of one signature verify.
 */
function decodeBase64url(text: string): Buffer | undefined {
  if (!BASE64URL.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}

/**
 * What is wrong with `subject` as a `sub` claim (see {@link TokenClaims.sub}), as a phrase to follow the
 * subject's name ("must have 1 to 128 characters, got 0"); `undefined` when it is fine.
 */
export function tokenSubjectProblem(subject: string): string | undefined {
  if (subject.length === 0 || subject.length > MAX_SUBJECT_LENGTH) {
    return `must have 1 to ${MAX_SUBJECT_LENGTH} characters, got ${subject.length}`;
  }
  if (NOT_SUBJECT_TEXT.test(subject)) return 'must not contain control characters or lone surrogates';
  return undefined;
}

function isEpochSeconds(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function fail(code: TokenFailureCode, message: string): TokenVerification {
  return { ok: false, code, message };
}
