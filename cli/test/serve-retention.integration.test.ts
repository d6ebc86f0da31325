import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { FeedPublisher, InProcessBus, SimulationDriver } from '../../feed-server/src/server/index.ts';
import { DEFAULT_INSTRUMENT_SPECS, defineInstrument } from '../../matching/src/index.ts';
import { listSessions, recordLiveSession } from '../../replay/src/index.ts';

// Issue 12, "After the first day", against the real thing: `tickwire serve --retain` in a child process on a
// data directory that already holds three recorded sessions. TICKWIRE_TEST_BIN runs it against another build.

const BIN = process.env.TICKWIRE_TEST_BIN ?? fileURLToPath(new URL('../bin/tickwire.js', import.meta.url));
const HOUR = 3_600_000;

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

/** Records 2 s of the simulator into a new session under `dataDir`, as `serve` records; its files dated `ageMs` ago. */
async function recordOld(dataDir: string, ageMs: number): Promise<string> {
  const instruments = DEFAULT_INSTRUMENT_SPECS.map(defineInstrument);
  let nowMs = Date.now() - ageMs;
  const clockMs = (): number => nowMs;
  const bus = new InProcessBus((e) => {
    throw e;
  });
  const publisher = new FeedPublisher({ instruments, bus, clockMs });
  const driver = new SimulationDriver({ seed: 3, instruments, rate: 2000, publisher, clockMs });
  const rec = await recordLiveSession(
    { publisher, driver, bus },
    { dataDir, fsync: 'none', seed: 3, rate: 2000, clockMs, maxBufferedBytes: Number.POSITIVE_INFINITY },
  );
  for (let i = 0; i < 400; i++) {
    nowMs += 5;
    driver.pump();
  }
  await rec.close();
  const when = (Date.now() - ageMs) / 1000;
  for (const name of readdirSync(rec.recorder.dir)) utimesSync(join(rec.recorder.dir, name), when, when);
  return rec.recorder.dir;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Prometheus text → value by series. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined) out.set(m[1], Number(m[2]));
  }
  return out;
}

describe('tickwire serve --retain', () => {
  test('at start the oldest sessions go until the rest fit, the new one is kept, /metrics shows it, and what remains verifies', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tickwire-serve-retain-'));
    roots.push(dataDir);
    const oldest = await recordOld(dataDir, 72 * HOUR);
    const older = await recordOld(dataDir, 48 * HOUR);
    const newer = await recordOld(dataDir, 24 * HOUR);
    const before = listSessions(dataDir);
    const bytesOf = (dir: string) => before.find((s) => s.dir === dir)?.bytes ?? 0;
    // Room for the newest old session and the new one's first keyframe (a few KB), not for one more.
    const bound = bytesOf(newer) + Math.floor(bytesOf(older) / 2);
    const child = spawn(
      process.execPath,
      [BIN, 'serve', '--port', '0', '--data-dir', dataDir, '--retain', `${bound}B`],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => {
      stderr += b.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const { url, dir } = await new Promise<{ url: string; dir: string }>((resolve, reject) => {
      child.stdout.on('data', (b: Buffer) => {
        stdout += b.toString();
        const u = /on (http:\/\/localhost:\d+)/.exec(stdout)?.[1];
        const d = /Recording to (\S+)/.exec(stdout)?.[1];
        if (u !== undefined && d !== undefined && stdout.includes('Retention:')) resolve({ url: u, dir: d });
      });
      child.on('close', () => reject(new Error(`serve exited early: ${stderr}`)));
    });
    try {
      expect(stdout).toMatch(
        /^Retention: sessions kept up to \d+\.\d [KM]B, whichever first; the oldest deleted first/m,
      );
      // stderr is its own pipe: the deletion lines, written before the "Recording to" line, may come after it.
      for (let i = 0; i < 200 && !stderr.includes(`retention: deleted ${older}`); i++) await sleep(25);
      expect(stderr).toContain(`retention: deleted ${oldest}`);
      expect(stderr).toContain(`retention: deleted ${older}`);
      expect(listSessions(dataDir).map((s) => basename(s.dir))).toEqual([basename(newer), basename(dir)]);
      const metrics = samples(await (await fetch(`${url}/metrics`)).text());
      expect(metrics.get('tickwire_recording_sessions')).toBe(2);
      expect(metrics.get('tickwire_recording_retention_deleted_sessions_total')).toBe(2);
      expect(metrics.get('tickwire_recording_retention_deleted_bytes_total')).toBe(
        bytesOf(oldest) + bytesOf(older),
      );
      const session = metrics.get('tickwire_recording_session_bytes') ?? 0;
      expect(session).toBeGreaterThan(0);
      expect(metrics.get('tickwire_recording_disk_bytes')).toBe(bytesOf(newer) + session);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    for (const kept of [newer, dir]) {
      const verify = spawnSync(process.execPath, [BIN, 'log', 'verify', kept], { encoding: 'utf8' });
      expect(verify.status, `${verify.stdout}${verify.stderr}`).toBe(0);
    }
  }, 120_000);

  test('a bad --retain exits 2 with a specific message', () => {
    const r = spawnSync(process.execPath, [BIN, 'serve', '--port', '0', '--retain', '10M'], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      '--retain: "10M" has the unit "M": ages are lower case (m), sizes end in B (MB)',
    );
  });
});
