import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test, vi } from 'vitest';
import { DEFAULT_INSTRUMENT_SPECS, defineInstrument } from '../../../matching/src/index.ts';
import { LogError, LogReader, recordLiveSession } from '../../../replay/src/index.ts';
import { type FeedServerOptions, startFeedServer } from '../../src/http/feed-server.ts';
import { RawFeedClient } from '../support/raw-feed-client.ts';

// Issue 11 §1: close() awaited the producer's stop first, and a recording whose write had failed rethrew its
// failure there, so the listener, the gateway and the WebSocket server were never closed (SIGTERM left the
// process serving). Shutdown must always finish, then report the failure.

const instruments = DEFAULT_INSTRUMENT_SPECS.map(defineInstrument);
const dataDirs: string[] = [];
afterAll(() => {
  for (const d of dataDirs) rmSync(d, { recursive: true, force: true });
});

function options(attach: FeedServerOptions['attach']): FeedServerOptions {
  return { host: '127.0.0.1', port: 0, seed: 3, instruments, rate: 2000, log: () => {}, attach };
}

async function expectRefused(url: string): Promise<void> {
  await expect(fetch(`${url}/healthz`)).rejects.toThrow();
}

describe('close() always finishes', () => {
  test('a recorder whose close rejects: clients still get 1001, the listener closes, then close() rejects with it', async () => {
    const failure = new LogError('IO_FAILED', 'write or sync failed: ENOSPC (injected)');
    const s = await startFeedServer(
      options(async () => ({
        close: () => Promise.reject(failure),
      })),
    );
    const c = await RawFeedClient.connect(s.wsUrl);
    c.subscribe(1, ['trades:BTC-USD']);
    await c.until((ms) => ms.some((m) => m[0] === 1));
    await expect(s.close()).rejects.toBe(failure);
    expect((await c.closed).code).toBe(1001);
    expect(s.http.listening).toBe(false);
    await expectRefused(s.url);
    await expect(s.close()).rejects.toBe(failure); // the same outcome when asked again
  });

  test('a real recording whose writes fail (its directory moved away): the feed goes on, /healthz and /metrics say so, close() closes everything and rejects', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tickwire-shutdown-'));
    dataDirs.push(dataDir);
    const errors: unknown[] = [];
    const s = await startFeedServer(
      options((live) =>
        recordLiveSession(live, {
          dataDir,
          fsync: 'batch',
          seed: 3,
          rate: 2000,
          segmentBytes: 64 * 1024, // a new segment soon: its creation fails in the moved-away directory
          onError: (e) => errors.push(e),
        }),
      ),
    );
    const health = async () =>
      (await (await fetch(`${s.url}/healthz`)).json()) as {
        recording: { state: string; dir: string; durableSeq: number; writeErrors: number };
      };
    const { dir } = (await health()).recording;
    await vi.waitFor(async () => expect((await health()).recording.durableSeq).toBeGreaterThan(0));
    const moved = `${dir}-moved`;
    renameSync(dir, moved);
    await vi.waitFor(async () => expect((await health()).recording.state).toBe('failed'), {
      timeout: 20_000,
      interval: 100,
    });
    const metrics = await (await fetch(`${s.url}/metrics`)).text();
    expect(metrics).toMatch(/^tickwire_recording_state\{state="failed"\} 1$/m);
    expect(metrics).toMatch(/^tickwire_recording_write_errors_total 1$/m);
    expect(errors).toHaveLength(1);

    // The feed goes on: a client connecting now gets trades.
    const c = await RawFeedClient.connect(s.wsUrl);
    c.subscribe(1, ['trades:BTC-USD']);
    await c.until((ms) => ms.filter((m) => m[0] === 4).length >= 3, 10_000);

    await expect(s.close()).rejects.toBeInstanceOf(LogError);
    expect((await c.closed).code).toBe(1001);
    expect(s.http.listening).toBe(false);
    await expectRefused(s.url);
    expect(errors).toHaveLength(1); // one report, not one per record

    const log = LogReader.open(moved, { repair: false, verify: 'all' });
    expect(log.lastSeq).toBeGreaterThan(0);
    log.close();
  }, 40_000);
});
