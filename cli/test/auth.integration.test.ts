import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { mintToken } from '../../feed-server/src/server/index.ts';
import { RawFeedClient } from '../../feed-server/test/support/raw-feed-client.ts';
import { recordSimulatedSession } from '../../replay/test/support/recorded-session.ts';

/*
 * `--auth-secret` through the real CLI: `tickwire serve` and `tickwire replay` processes lock every door of
 * PROTOCOL.md §15 (WebSocket, REST, /metrics) and leave /healthz open. The per-door cases (forged, expired,
 * malformed…) are in test/http/rest-auth.integration.test.ts; this checks the flags reach the server.
 */

const BIN = fileURLToPath(new URL('../bin/tickwire.js', import.meta.url));
const SECRET = 'cli-auth-test-secret-0123456789';
const token = mintToken(SECRET, { subject: 'cli-test', ttlSeconds: 3600 });
let sessionDir: string;

/** Starts a serving command; resolves its URL from the first stdout line. */
function start(command: 'serve' | 'replay', args: readonly string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [BIN, command, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TICKWIRE_AUTH_SECRET: '', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => {
    stderr += b.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const url = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (b: Buffer) => {
      stdout += b.toString();
      const m = /on (http:\/\/localhost:\d+)/.exec(stdout);
      if (m?.[1] !== undefined) resolve(m[1]);
    });
    child.on('close', () => reject(new Error(`${command} exited early: ${stderr}`)));
  });
  return { child, url, exited, output: () => ({ stdout, stderr }) };
}

/** Status and error code of a GET. */
async function door(url: string, authorization?: string): Promise<[number, string]> {
  const res = await fetch(url, authorization === undefined ? {} : { headers: { authorization } });
  const text = await res.text();
  const code = res.headers.get('content-type')?.startsWith('application/json')
    ? ((JSON.parse(text) as { error?: { code: string } }).error?.code ?? 'ok')
    : 'ok';
  return [res.status, code];
}

/** Every door of a server started with the secret: refused without the token, served with it. */
async function expectLocked(url: string): Promise<void> {
  for (const path of ['/api/v1/instruments', '/api/v1/ticker/BTC-USD', '/metrics']) {
    expect(await door(url + path), path).toEqual([401, 'AUTH_REQUIRED']);
    expect(await door(url + path, `Bearer ${token}`), path).toEqual([200, 'ok']);
  }
  expect(await door(`${url}/healthz`)).toEqual([200, 'ok']);
  const ws = `${url.replace('http', 'ws')}/v1/ws`;
  const refused = await RawFeedClient.connect(ws);
  expect((await refused.closed).code).toBe(4001);
  const admitted = await RawFeedClient.connect(`${ws}?token=${token}`);
  await admitted.until((ms) => ms.some((m) => m[0] === 0));
  admitted.ws.terminate();
}

beforeAll(async () => {
  sessionDir = (await recordSimulatedSession({ seed: 4, rate: 500, seconds: 2, checkpoints: 1 })).dir;
}, 60_000);

describe('--auth-secret locks every door of the process', () => {
  test('tickwire serve', async () => {
    const s = start('serve', ['--port', '0', '--no-record', '--auth-secret', SECRET]);
    try {
      await expectLocked(await s.url);
      expect(s.output().stdout).toMatch(/tokens required/);
    } finally {
      s.child.kill('SIGTERM');
    }
    expect(await s.exited).toBe(0);
  }, 30_000);

  test('tickwire replay, the secret from --auth-secret or TICKWIRE_AUTH_SECRET', async () => {
    for (const [args, env] of [
      [['--auth-secret', SECRET], {}],
      [[], { TICKWIRE_AUTH_SECRET: SECRET }],
    ] as const) {
      const r = start('replay', [sessionDir, '--port', '0', '--paused', ...args], env);
      try {
        await expectLocked(await r.url);
        expect(r.output().stdout).toMatch(/tokens required/);
      } finally {
        r.child.kill('SIGTERM');
      }
      expect(await r.exited).toBe(0);
    }
  }, 30_000);

  test('tickwire replay without a secret stays open', async () => {
    const r = start('replay', [sessionDir, '--port', '0', '--paused']);
    try {
      const url = await r.url;
      expect(await door(`${url}/api/v1/instruments`)).toEqual([200, 'ok']);
      expect(await door(`${url}/metrics`)).toEqual([200, 'ok']);
    } finally {
      r.child.kill('SIGTERM');
    }
    expect(await r.exited).toBe(0);
  }, 30_000);

  test('tickwire replay with a short secret is a usage error, exit 2', async () => {
    const real = start('replay', [sessionDir, '--port', '0', '--auth-secret', 'short']);
    real.url.catch(() => {});
    expect(await real.exited).toBe(2);
    expect(real.output().stderr).toMatch(/16 bytes/);
  }, 30_000);

  test('--metrics-listen moves /metrics to its own address, without a token', async () => {
    const s = start('serve', [
      '--port',
      '0',
      '--no-record',
      '--auth-secret',
      SECRET,
      '--metrics-listen',
      '127.0.0.1:0',
    ]);
    try {
      const url = await s.url;
      let metricsUrl: string | undefined;
      while (metricsUrl === undefined) {
        metricsUrl = /Metrics on (http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(s.output().stdout)?.[1];
        if (metricsUrl === undefined) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(await door(metricsUrl)).toEqual([200, 'ok']);
      expect((await door(`${url}/metrics`, `Bearer ${token}`))[0]).toBe(404);
      expect(await door(`${url}/api/v1/instruments`)).toEqual([401, 'AUTH_REQUIRED']);
    } finally {
      s.child.kill('SIGTERM');
    }
    expect(await s.exited).toBe(0);
  }, 30_000);

  test.each([
    ['serve', ['--metrics-listen', 'nope']],
    ['replay', ['--metrics-listen', '127.0.0.1:99999']],
  ] as const)(
    'tickwire %s %j is a usage error, exit 2',
    async (command, args) => {
      const r = start(command, command === 'replay' ? [sessionDir, ...args] : args);
      r.url.catch(() => {});
      expect(await r.exited).toBe(2);
      expect(r.output().stderr).toMatch(/--metrics-listen/);
    },
    30_000,
  );
});
