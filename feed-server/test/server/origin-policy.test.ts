import { describe, expect, test } from 'vitest';
import {
  ORIGIN_DENIED_STATUS,
  type OriginDecision,
  OriginPolicy,
  type OriginPolicyOptions,
} from '../../src/server/origin-policy.ts';
import { ServerConfigError } from '../../src/server/server-config-error.ts';

const HOST = 'feed.example.com';

type Row = [origin: string | undefined, host: string | undefined, expected: OriginDecision];
const ok = (reason: Extract<OriginDecision, { allowed: true }>['reason']): OriginDecision => ({
  allowed: true,
  reason,
});
const no = (reason: Extract<OriginDecision, { allowed: false }>['reason']): OriginDecision => ({
  allowed: false,
  reason,
});

describe('the default policy', () => {
  const policy = new OriginPolicy();
  const rows: Row[] = [
    [undefined, HOST, ok('no-origin')],
    [undefined, undefined, ok('no-origin')],
    // same origin: host and port equal the Host header; default ports and case normalized
    ['https://feed.example.com', HOST, ok('same-origin')],
    ['https://FEED.example.com', HOST, ok('same-origin')],
    ['https://feed.example.com', 'feed.example.com:443', ok('same-origin')],
    ['https://feed.example.com:443', HOST, ok('same-origin')],
    ['http://feed.example.com:8080', 'feed.example.com:8080', ok('same-origin')],
    ['http://feed.example.com', 'feed.example.com:80', ok('same-origin')],
    ['http://[2001:db8::1]:8080', '[2001:DB8:0::1]:8080', ok('same-origin')],
    // not the same origin
    ['http://feed.example.com', 'feed.example.com:8080', no('not-allowed')],
    ['https://feed.example.com:8443', HOST, no('not-allowed')],
    ['https://evil.example', HOST, no('not-allowed')],
    ['https://feed.example.com.evil.example', HOST, no('not-allowed')],
    ['https://evil.example', 'evil.example/path', no('not-allowed')],
    ['https://evil.example', 'user@evil.example', no('not-allowed')],
    ['https://evil.example', undefined, no('not-allowed')],
    ['https://feed.example.com', '', no('not-allowed')],
    // localhost on any port, http or https
    ['http://localhost:5173', HOST, ok('localhost')],
    ['http://localhost', undefined, ok('localhost')],
    ['https://127.0.0.1:3000', HOST, ok('localhost')],
    ['http://[::1]:8080', HOST, ok('localhost')],
    ['http://LOCALHOST:5173', HOST, ok('localhost')],
    ['http://localhost.evil.example', HOST, no('not-allowed')],
    ['http://127.0.0.2', HOST, no('not-allowed')],
    ['ws://localhost:8080', HOST, no('not-allowed')],
    // refused outright
    ['null', HOST, no('opaque')],
    ['', HOST, no('malformed')],
    ['feed.example.com', HOST, no('malformed')],
    ['https://feed.example.com/', HOST, no('malformed')],
    ['https://feed.example.com/path', HOST, no('malformed')],
    ['https://feed.example.com?x', HOST, no('malformed')],
    ['https://user@feed.example.com', HOST, no('malformed')],
    ['https://feed.example.com, https://evil.example', HOST, no('malformed')],
    ['https://', HOST, no('malformed')],
    ['https://exa mple.com', HOST, no('malformed')],
    ['https://[::1', HOST, no('malformed')],
    ['file://', HOST, no('malformed')],
    ['https://*.example.com', HOST, no('malformed')],
    ['https://feed.example.com:99999', HOST, no('malformed')],
  ];
  test.each(rows)('Origin %j, Host %j → %j', (origin, host, expected) => {
    expect(policy.check(origin, host)).toEqual(expected);
  });

  test('checkHeaders reads the request headers', () => {
    expect(policy.checkHeaders({ origin: 'https://feed.example.com', host: HOST })).toEqual(
      ok('same-origin'),
    );
    expect(policy.checkHeaders({ host: HOST })).toEqual(ok('no-origin'));
  });

  test('a refusal is HTTP 403 at the handshake (PROTOCOL.md §1)', () => {
    expect(ORIGIN_DENIED_STATUS).toBe(403);
  });
});

describe('configured policies', () => {
  const cases: [string, OriginPolicyOptions, Row[]][] = [
    [
      'an allowlist (normalized like the Origin header)',
      {
        allowedOrigins: [
          'https://app.example.com',
          'HTTP://Dash.Example.com:80',
          'chrome-extension://abcdef',
        ],
      },
      [
        ['https://app.example.com', HOST, ok('listed')],
        ['http://dash.example.com', HOST, ok('listed')],
        ['chrome-extension://abcdef', HOST, ok('listed')],
        ['chrome-extension://other', HOST, no('not-allowed')],
        ['http://app.example.com', HOST, no('not-allowed')],
        ['https://app.example.com:8443', HOST, no('not-allowed')],
        ['https://feed.example.com', HOST, ok('same-origin')],
      ],
    ],
    [
      '* allows any Origin, even null',
      { allowedOrigins: ['*'] },
      [
        ['https://anything.example', HOST, ok('any')],
        ['null', HOST, ok('any')],
        [undefined, HOST, ok('no-origin')],
      ],
    ],
    [
      'production: listed origins only',
      {
        allowedOrigins: ['https://app.example.com'],
        allowNoOrigin: false,
        allowSameOrigin: false,
        allowLocalhost: false,
      },
      [
        ['https://app.example.com', HOST, ok('listed')],
        [undefined, HOST, no('missing')],
        ['https://feed.example.com', HOST, no('not-allowed')],
        ['http://localhost:5173', HOST, no('not-allowed')],
      ],
    ],
    [
      'a listed localhost origin still counts as listed with localhost off',
      { allowedOrigins: ['http://localhost:5173'], allowLocalhost: false },
      [
        ['http://localhost:5173', HOST, ok('listed')],
        ['http://localhost:5174', HOST, no('not-allowed')],
      ],
    ],
  ];
  describe.each(cases)('%s', (_, options, rows) => {
    const policy = new OriginPolicy(options);
    test.each(rows)('Origin %j, Host %j → %j', (origin, host, expected) => {
      expect(policy.check(origin, host)).toEqual(expected);
    });
  });

  test.each([
    'app.example.com',
    'https://app.example.com/',
    'https://app.example.com/path',
    'null',
    '',
    '**',
    'https://*.example.com',
  ])('allowlist entry %j is a config error', (entry) => {
    const make = () => new OriginPolicy({ allowedOrigins: ['https://ok.example', entry] });
    expect(make).toThrow(ServerConfigError);
    expect(make).toThrow(`allowed origin "${entry}" is not * or scheme://host[:port]`);
  });
});
