import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  assertTokenSecret,
  type TokenClaims,
  type TokenFailureCode,
  tokenFromRequest,
  verifyToken,
} from '../server/auth-token.ts';
import { type RestError, type RestErrorBody, type RestErrorCode, restError } from './rest-error.ts';

/**
 * The REST error code of each token failure. The names are those of the WebSocket close codes for the same
 * failure (PROTOCOL.md §9: 4001 `AUTH_REQUIRED`, 4002 `TOKEN_EXPIRED`, 4003 `TOKEN_INVALID`), so a client
 * handles a refused token the same way on either door.
 */
export const TOKEN_FAILURE_REST = {
  missing: 'AUTH_REQUIRED',
  expired: 'TOKEN_EXPIRED',
  invalid: 'TOKEN_INVALID',
} as const satisfies Record<TokenFailureCode, RestErrorCode>;

/** The `realm` of the `WWW-Authenticate` challenge (RFC 9110 §11.5). */
export const AUTH_REALM = 'tickwire';

/** Options of {@link requestAuth}. */
export interface RequestAuthOptions {
  /** the server's auth secret (PROTOCOL.md §15), at least 16 bytes */
  readonly secret: string;
  /** the verifier's clock, ms since the Unix epoch (default `Date.now`) */
  readonly nowMs?: () => number;
}

/** A request {@link RequestAuth} refused: the error to answer with and the challenge that goes with it. */
export interface AuthRefusal {
  /** `AUTH_REQUIRED`, `TOKEN_EXPIRED` or `TOKEN_INVALID`, status 401 */
  readonly error: RestError;
  /** the `WWW-Authenticate` header value (RFC 6750 §3) */
  readonly challenge: string;
}

/** The outcome of {@link RequestAuth}: the verified claims, or why the request is refused. */
export type RequestAuthVerdict =
  | { readonly ok: true; readonly claims: TokenClaims }
  | { readonly ok: false; readonly refusal: AuthRefusal };

/** Checks the token of an HTTP request; see {@link requestAuth}. */
export type RequestAuth = (req: Pick<IncomingMessage, 'headers' | 'url'>) => RequestAuthVerdict;

/**
 * The token check of the HTTP doors (REST, `/metrics`): the same token, taken from the same places and checked
 * the same way as on the WebSocket (PROTOCOL.md §15) — `Authorization: Bearer` header first, else the `token`
 * query parameter. Throws `ServerConfigError` for a secret shorter than 16 bytes, when built, not per request.
 *
 * @example
 * const auth = requestAuth({ secret: process.env.TICKWIRE_AUTH_SECRET ?? '' });
 * const rest = createRestHandler(query, { auth });
 */
export function requestAuth(options: RequestAuthOptions): RequestAuth {
  const { secret, nowMs = Date.now } = options;
  assertTokenSecret(secret);
  return (req) => {
    const verdict = verifyToken(secret, tokenFromRequest(req), nowMs());
    if (verdict.ok) return verdict;
    const code = TOKEN_FAILURE_REST[verdict.code];
    return { ok: false, refusal: { error: restError(code, verdict.message), challenge: challenge(verdict) } };
  };
}

/**
 * Answers a refused request: 401, the `WWW-Authenticate` challenge, and the JSON error body of every REST error
 * (no body on HEAD). Readable cross-origin like any REST answer, the challenge header included.
 */
export function sendAuthRefusal(req: IncomingMessage, res: ServerResponse, refusal: AuthRefusal): void {
  const body: RestErrorBody = { error: { code: refusal.error.code, message: refusal.error.message } };
  const json = JSON.stringify(body);
  res.writeHead(refusal.error.status, {
    'www-authenticate': refusal.challenge,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'access-control-allow-origin': '*',
    'access-control-expose-headers': 'WWW-Authenticate',
  });
  res.end(req.method === 'HEAD' ? undefined : json);
}

/**
 * RFC 6750 §3: a request without credentials gets the bare challenge (no `error`, §3.1); a token that is
 * expired, malformed or badly signed gets `error="invalid_token"`. The description is one of
 * `verifyToken`'s fixed ASCII messages, which never quote the token and contain no `"` or `\`.
 */
function challenge(verdict: { readonly code: TokenFailureCode; readonly message: string }): string {
  if (verdict.code === 'missing') return `Bearer realm="${AUTH_REALM}"`;
  return `Bearer realm="${AUTH_REALM}", error="invalid_token", error_description="${verdict.message}"`;
}
