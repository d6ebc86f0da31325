import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { RawFeedClient } from '../../feed-server/test/support/raw-feed-client.ts';

const BIN = fileURLToPath(new URL('../bin/tickwire.js', import.meta.url));

/**
 * Starts `tickwire serve` (or another serving command, `replay`) and resolves with the process and the URL from
 * its first stdout line. Sessions are recorded into a fresh temporary directory unless the test says where.
 */
function serve(args: readonly string[], env: Record<string, string> = {}, command = 'serve') {
  const child = spawn(process.execPath, [BIN, command, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TICKWIRE_DATA_DIR: mkdtempSync(join(tmpdir(), 'tickwire-data-')), ...env },
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
    child.on('close', () => reject(new Error(`serve exited early: ${stderr}`)));
  });
  return { child, url, exited, output: () => ({ stdout, stderr }) };
}

describe('tickwire serve', () => {
  test('logs where to connect, serves the feed, and on SIGTERM closes clients with 1001 and exits 0', async () => {
    const s = serve(['--port', '0', '--rate', '2000']);
    const url = await s.url;
    const c = await RawFeedClient.connect(`${url.replace('http', 'ws')}/v1/ws`);
    c.subscribe(1, ['trades:BTC-USD']);
    await c.until((ms) => ms.filter((m) => m[0] === 4).length >= 3);
    s.child.kill('SIGTERM');
    expect((await c.closed).code).toBe(1001);
    expect(await s.exited).toBe(0);
    expect(s.output().stdout).toMatch(
      /WebSocket ws:\/\/localhost:\d+\/v1\/ws; seed 1, BTC-USD, ETH-USD, AMZN/,
    );
  }, 20_000);

  test("a newcomer's first look: tickwire subscribe prints its trades as exact decimals", async () => {
    const s = serve(['--port', '0', '--rate', '2000']);
    const url = `${(await s.url).replace('http', 'ws')}/v1/ws`;
    const run = (args: string[]) =>
      new Promise<{ code: number | null; stdout: string }>((resolve) => {
        const child = spawn(process.execPath, [BIN, 'subscribe', ...args, '--url', url], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        child.stdout.on('data', (b: Buffer) => {
          stdout += b.toString();
        });
        child.on('close', (code) => resolve({ code, stdout }));
      });
    const json = await run(['trades:BTC-USD', '--json', '--count', '5']);
    expect(json.code).toBe(0);
    const lines = json.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThanOrEqual(5);
    const trade = lines.find((l) => l.type === 'trade');
    expect(trade?.channel).toBe('trades:BTC-USD');
    expect(trade?.price).toMatch(/^\d+\.\d{2}$/);
    const text = await run(['trades:BTC-USD', 'ticker:BTC-USD', '--count', '3']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/BTC-USD/);
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
  }, 30_000);

  test('takes its options from the environment, flags winning', async () => {
    const s = serve(['--seed', '9'], { TICKWIRE_PORT: '0', TICKWIRE_SEED: '5', TICKWIRE_SYMBOLS: 'AMZN' });
    await s.url;
    s.child.kill('SIGINT');
    expect(await s.exited).toBe(0);
    expect(s.output().stdout).toMatch(/seed 9, AMZN at 200 orders\/s/);
  }, 20_000);

  test.each([
    [['--port', '70000'], /--port/],
    [['--rate', '0'], /--rate/],
    [['--symbols', 'DOGE'], /unknown symbol "DOGE"/],
    [['--host', 'a b'], /--host/],
    [['--bogus'], /bogus/],
    [['--tls-cert', 'cert.pem'], /--tls-cert and --tls-key go together/],
    [['--tls-cert', '/no/cert.pem', '--tls-key', '/no/key.pem'], /\/no\/cert\.pem/],
    [['--auth-secret', 'short'], /16 bytes/],
    [['--allow-origin', 'not an origin'], /origin/i],
    [['--fsync', 'sometimes'], /--fsync: "sometimes" is not always, batch or none/],
  ])('usage error %j exits 2', async (args, message) => {
    const s = serve(args);
    s.url.catch(() => {});
    expect(await s.exited).toBe(2);
    expect(s.output().stderr).toMatch(message);
  });

  test('record, kill -9, then verify, replay and re-simulate the session (the README commands)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tickwire-data-'));
    const s = serve(['--port', '0', '--rate', '2000', '--data-dir', dataDir]);
    const url = await s.url;
    const c = await RawFeedClient.connect(`${url.replace('http', 'ws')}/v1/ws`);
    c.subscribe(1, ['trades:BTC-USD']);
    await c.until((ms) => ms.filter((m) => m[0] === 4).length >= 200, 15_000);
    expect(s.output().stdout).toMatch(
      /Recording to .+ \(fsync batch\); replay it with 'npx tickwire replay /,
    );
    s.child.kill('SIGKILL');
    await s.exited;
    c.ws.terminate();
    const [session] = readdirSync(dataDir);
    const dir = join(dataDir, session as string);
    const run = (args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (b: Buffer) => {
          stdout += b.toString();
        });
        child.stderr.on('data', (b: Buffer) => {
          stderr += b.toString();
        });
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
    const verified = await run(['log', 'verify', dir]);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/OK, every record checked/);
    // The replay serves what was recorded, trades included, as any live client expects.
    const r = serve([dir, '--port', '0', '--speed', 'max'], {}, 'replay');
    const replayUrl = await r.url;
    expect(r.output().stdout).toMatch(
      /Tickwire replay on http:\/\/localhost:\d+ .*simulator, BTC-USD, ETH-USD, AMZN/,
    );
    const rc = await RawFeedClient.connect(`${replayUrl.replace('http', 'ws')}/v1/ws`);
    rc.subscribe(1, ['trades:BTC-USD', 'replay']);
    await rc.until((ms) => ms.some((m) => m[0] === 3));
    rc.send({ op: 'replay', id: 2, action: 'seek', tsUs: 0 });
    await rc.until((ms) => ms.some((m) => m[0] === 2 && m[1] === 2));
    r.child.kill('SIGTERM');
    expect(await r.exited).toBe(0);
    const resimulated = await run(['replay', dir, '--resimulate']);
    expect(resimulated.code, resimulated.stdout + resimulated.stderr).toBe(0);
    expect(resimulated.stdout).toMatch(/identical to the recording/);
  }, 60_000);

  test.each([
    [[], 2, /missing the session directory/],
    [['/no/such/session'], 1, /NOT_A_LOG/],
    [['/tmp', '--speed', '0'], 2, /--speed must be max or a number/],
    [['/tmp', '--loop', 'extra'], 2, /unexpected argument "extra"/],
  ])('tickwire replay %j exits %i', async (args, code, message) => {
    const r = serve(args, {}, 'replay');
    r.url.catch(() => {});
    expect(await r.exited).toBe(code);
    expect(r.output().stderr).toMatch(message);
  });

  test('a port in use is a clear error, exit 2', async () => {
    const first = serve(['--port', '0']);
    const port = (await first.url).split(':').at(-1) as string;
    const second = serve(['--port', port]);
    second.url.catch(() => {});
    expect(await second.exited).toBe(2);
    expect(second.output().stderr).toMatch(/cannot listen on 127\.0\.0\.1:\d+/);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
  }, 20_000);
});
