import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type IncomingHttpHeaders, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_INSTRUMENT_SPECS, defineInstrument } from '../../../matching/src/index.ts';
import { type RunningFeedServer, startFeedServer } from '../../src/http/feed-server.ts';
import { REST_ERROR_CODES, type RestErrorCode, staticFiles } from '../../src/http/index.ts';
import { mintToken } from '../../src/server/auth-token.ts';

/*
 * Every HTTP door of a real feed server (PROTOCOL.md §14, §15) with and without an auth secret: each REST
 * endpoint, a path under /api/ that is no endpoint, and /metrics need the WebSocket's token when a secret is
 * set; /healthz and the page stay open. Real requests over node:http, so every header is seen as sent.
 */

const SECRET = 'rest-auth-test-secret-0123456789';
const instruments = DEFAULT_INSTRUMENT_SPECS.map(defineInstrument);
const valid = mintToken(SECRET, { subject: 'rest-test', ttlSeconds: 3600 });
const expired = mintToken(SECRET, { subject: 'rest-test', ttlSeconds: 60, nowMs: Date.now() - 3_600_000 });
/** Well formed, signed with another secret. */
const forged = mintToken('another-secret-of-enough-bytes', { subject: 'rest-test', ttlSeconds: 3600 });
/** Not tokens at all, or tokens cut short: each is refused before its signature could match. */
const MALFORMED = ['not-a-token', 'tw1.e30', 'tw1.!!!.???', valid.slice(0, -4), `${valid}x`] as const;

/** Every guarded door and the status it answers a valid token (as a server without secret answers anyone). */
const DOORS = [
  ['/api/v1/instruments', 200],
  ['/api/v1/ticker/BTC-USD', 200],
  ['/api/v1/trades/BTC-USD?limit=5', 200],
  ['/api/v1/book/BTC-USD?depth=10', 200],
  ['/api/v1/candles/BTC-USD?interval=1s', 200],
  ['/api/v1/ticker/NOPE', 404],
  ['/api/v2/anything', 404],
  ['/metrics', 200],
] as const;

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

let secured: RunningFeedServer;
let open: RunningFeedServer;
let webRoot: string;

/** A request with exactly these headers (fetch would add its own). */
function send(
  base: string,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<Answer> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** `path` with `token` added as a query parameter. */
const withToken = (path: string, token: string): string =>
  `${path}${path.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`;

const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

/** Expects a 401 with `code`, its JSON body and the RFC 6750 challenge. */
function expectRefused(answer: Answer, code: RestErrorCode): void {
  expect({
    status: answer.status,
    code: (JSON.parse(answer.body) as { error: { code: string } }).error.code,
  }).toEqual({ status: 401, code });
  expect(REST_ERROR_CODES[code].status).toBe(401);
  expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(answer.headers['cache-control']).toBe('no-store');
  expect((JSON.parse(answer.body) as { error: { message: unknown } }).error.message).toEqual(
    expect.any(String),
  );
  const challenge = answer.headers['www-authenticate'];
  if (code === 'AUTH_REQUIRED') {
    // RFC 6750 §3.1: no error code when the request carried no credentials.
    expect(challenge).toBe('Bearer realm="tickwire"');
  } else {
    expect(challenge).toMatch(/^Bearer realm="tickwire", error="invalid_token", error_description="[ -~]+"$/);
  }
  // Nothing of any token is echoed.
  for (const t of [valid, forged, expired])
    expect(answer.body + String(challenge)).not.toContain(t.slice(4, 20));
}

/** Expects what a server without secret answers: the door's own status and content. */
function expectServed(answer: Answer, path: string, status: number): void {
  expect(answer.status).toBe(status);
  expect(answer.headers['www-authenticate']).toBeUndefined();
  if (path === '/metrics') expect(answer.body).toContain('tickwire_');
  else expect(JSON.parse(answer.body)).toEqual(expect.any(Object));
}

async function start(authSecret?: string, web = true): Promise<RunningFeedServer> {
  return startFeedServer({
    host: '127.0.0.1',
    port: 0,
    seed: 5,
    instruments,
    rate: 200,
    log: () => {},
    routes: web ? [staticFiles({ root: webRoot })] : [],
    ...(authSecret === undefined ? {} : { authSecret }),
  });
}

beforeAll(async () => {
  webRoot = mkdtempSync(join(tmpdir(), 'tickwire-rest-auth-'));
  writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>page</title>');
  writeFileSync(join(webRoot, 'app.js'), 'console.log(1);');
  [secured, open] = await Promise.all([start(SECRET), start()]);
});

afterAll(async () => {
  await Promise.all([secured?.close(), open?.close()]);
  rmSync(webRoot, { recursive: true, force: true });
});

describe('with --auth-secret, every REST path under /api/ and /metrics need the token', () => {
  test.each(DOORS)('%s without a token: 401 AUTH_REQUIRED', async (path) => {
    expectRefused(await send(secured.url, path), 'AUTH_REQUIRED');
  });

  test.each(DOORS)('%s with a forged token: 401 TOKEN_INVALID (header and query)', async (path) => {
    expectRefused(await send(secured.url, path, bearer(forged)), 'TOKEN_INVALID');
    expectRefused(await send(secured.url, withToken(path, forged)), 'TOKEN_INVALID');
  });

  test.each(DOORS)('%s with an expired token: 401 TOKEN_EXPIRED (header and query)', async (path) => {
    expectRefused(await send(secured.url, path, bearer(expired)), 'TOKEN_EXPIRED');
    expectRefused(await send(secured.url, withToken(path, expired)), 'TOKEN_EXPIRED');
  });

  test.each(DOORS)('%s with malformed tokens: 401 TOKEN_INVALID (header and query)', async (path) => {
    for (const token of MALFORMED) {
      expectRefused(await send(secured.url, path, bearer(token)), 'TOKEN_INVALID');
      expectRefused(await send(secured.url, withToken(path, token)), 'TOKEN_INVALID');
    }
  });

  test.each(DOORS)('%s with a valid token: served (Authorization: Bearer header)', async (path, status) => {
    expectServed(await send(secured.url, path, bearer(valid)), path, status);
    // The scheme is case-insensitive (RFC 9110 §11.1).
    expectServed(await send(secured.url, path, { authorization: `bearer ${valid}` }), path, status);
  });

  test.each(DOORS)('%s with a valid token: served (token query parameter)', async (path, status) => {
    expectServed(await send(secured.url, withToken(path, valid)), path, status);
  });

  test('HEAD is refused alike, without a body', async () => {
    const answer = await send(secured.url, '/api/v1/instruments', {}, 'HEAD');
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toBe('Bearer realm="tickwire"');
    expect(answer.body).toBe('');
  });

  test('another scheme than Bearer is no token; the header wins over the query parameter (§15)', async () => {
    expectRefused(
      await send(secured.url, '/api/v1/instruments', { authorization: `Basic ${btoa('a:b')}` }),
      'AUTH_REQUIRED',
    );
    expectRefused(
      await send(secured.url, withToken('/api/v1/instruments', valid), bearer(forged)),
      'TOKEN_INVALID',
    );
  });

  test('a method other than GET/HEAD is refused for want of a token before its 405', async () => {
    expectRefused(await send(secured.url, '/api/v1/instruments', {}, 'POST'), 'AUTH_REQUIRED');
    expect((await send(secured.url, '/api/v1/instruments', bearer(valid), 'POST')).status).toBe(405);
  });

  test('refusals are counted in tickwire_request_errors_total by code', async () => {
    await send(secured.url, '/api/v1/instruments');
    const text = (await send(secured.url, '/metrics', bearer(valid))).body;
    for (const code of ['AUTH_REQUIRED', 'TOKEN_INVALID', 'TOKEN_EXPIRED']) {
      expect(text).toMatch(
        new RegExp(`tickwire_request_errors_total\\{transport="rest",code="${code}"\\} [1-9]`),
      );
    }
  });
});

describe('with --auth-secret, /healthz and the page stay open', () => {
  test.each([
    ['/healthz', 'application/json; charset=utf-8'],
    ['/', 'text/html; charset=utf-8'],
    ['/app.js', 'text/javascript; charset=utf-8'],
  ])('%s answers 200 without a token, and ignores a bad one', async (path, type) => {
    for (const headers of [{}, bearer(forged), bearer('not-a-token')]) {
      const answer = await send(secured.url, path, headers);
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toBe(type);
      expect(answer.headers['www-authenticate']).toBeUndefined();
    }
  });
});

test('without a web build, the plain-text page at / is open and says how to pass the token', async () => {
  const [bare, bareOpen] = await Promise.all([start(SECRET, false), start(undefined, false)]);
  try {
    const answer = await send(bare.url, '/');
    expect([answer.status, answer.headers['content-type']]).toEqual([200, 'text/plain; charset=utf-8']);
    expect(answer.body).toMatch(
      /requires an access token .*\n.*Authorization: Bearer TOKEN, or add \?token=TOKEN/,
    );
    expect((await send(bareOpen.url, '/')).body).not.toMatch(/token/i);
  } finally {
    await Promise.all([bare.close(), bareOpen.close()]);
  }
});

describe('CORS with a bearer token', () => {
  const preflight = {
    origin: 'https://dashboard.example.com',
    'access-control-request-method': 'GET',
    'access-control-request-headers': 'authorization',
  };

  test.each([
    ['with a secret', () => secured],
    ['without a secret', () => open],
  ])('%s: a preflight under /api/ is answered 204 without a token and allows Authorization', async (_, s) => {
    const answer = await send(s().url, '/api/v1/ticker/BTC-USD', preflight, 'OPTIONS');
    expect(answer.status).toBe(204);
    expect(answer.headers['access-control-allow-origin']).toBe('*');
    expect(answer.headers['access-control-allow-methods']).toBe('GET, HEAD');
    expect(answer.headers['access-control-allow-headers']).toBe('Authorization');
    expect(Number(answer.headers['access-control-max-age'])).toBeGreaterThan(0);
    expect(answer.body).toBe('');
  });

  test('the actual request then: served with the token, refused without, both readable cross-origin', async () => {
    const origin = { origin: 'https://dashboard.example.com' };
    const ok = await send(secured.url, '/api/v1/ticker/BTC-USD', { ...origin, ...bearer(valid) });
    expect(ok.status).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe('*');
    const refused = await send(secured.url, '/api/v1/ticker/BTC-USD', origin);
    expect(refused.status).toBe(401);
    expect(refused.headers['access-control-allow-origin']).toBe('*');
    expect(refused.headers['access-control-expose-headers']).toBe('WWW-Authenticate');
  });

  test('an OPTIONS that is no preflight is still 405', async () => {
    const answer = await send(open.url, '/api/v1/instruments', {}, 'OPTIONS');
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe('GET, HEAD');
  });
});

describe('without a secret, every door is open as before', () => {
  test.each(DOORS)('%s is served without a token, and any token is ignored', async (path, status) => {
    for (const headers of [{}, bearer(forged), bearer(expired), bearer('not-a-token')]) {
      expectServed(await send(open.url, path, headers), path, status);
    }
    expectServed(await send(open.url, withToken(path, 'not-a-token')), path, status);
  });

  test.each(['/healthz', '/', '/app.js'])('%s is served', async (path) => {
    expect((await send(open.url, path)).status).toBe(200);
  });
});
