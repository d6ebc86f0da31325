import { mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, describe, expect, test } from 'vitest';
import {
  listRecordedSessions,
  listSessions,
  type MessageHead,
  RECORD_TYPES,
  ReplayError,
  readMessageHead,
  resimulate,
  SessionReader,
  startReplayServer,
} from '../../replay/src/index.ts';
import { logCommand } from '../src/log-command.ts';
import { resimulate as resimulateCommand } from '../src/resimulate-report.ts';
import { type ServeRun, serveInProcess } from './serve-in-process.ts';

// Rolling (replay/README.md, "Rolling"): one long `tickwire serve` closes its session at the --roll bound and goes
// on in a new session directory, with the same producer and channel seqs, so --retain can delete the old ones.
// A tiny bound (100KB at 1,000 orders/s) rolls every few hundred milliseconds; no time threshold is asserted:
// the tests wait for rolls to happen, bounded by the test timeout.

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tickwire-roll-'));
  roots.push(dir);
  return dir;
}

const common = (dataDir: string) => [
  '--port',
  '0',
  '--data-dir',
  dataDir,
  '--rate',
  '1000',
  '--web-dir',
  join(dataDir, 'no-web'),
];

/** Polls until `check` holds; the test's own timeout bounds it. */
async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 50));
}

const rolledTo = (run: ServeRun): string[] =>
  [...run.stderr().matchAll(/recording: rolled to (\S+) /g)].map((m) => m[1] as string);

/** `tickwire log verify <dir>`, in process: its exit status and output. */
async function logVerify(dir: string): Promise<{ code: number; out: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  stdout.on('data', (b: Buffer) => {
    out += b.toString();
  });
  stderr.on('data', (b: Buffer) => {
    out += b.toString();
  });
  const code = await logCommand(['verify', dir], { stdout, stderr, env: {} });
  return { code, out };
}

/** `tickwire replay <dir> --resimulate`, in process: its exit status, stdout and stderr. */
function resimulateCli(dir: string): { code: number; out: string; err: string } {
  const text = { out: '', err: '' };
  const sink = (key: 'out' | 'err') =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        text[key] += chunk.toString();
        done();
      },
    });
  const code = resimulateCommand(dir, { stdout: sink('out'), stderr: sink('err'), env: {} });
  return { code, ...text };
}

/** Every recorded message of a session, in log order: channel name and seq. */
function recordedSeqs(reader: SessionReader): { channel: string; seq: number }[] {
  const names = new Map(reader.metadata.channels.map(([id, name]) => [id, name]));
  const head: MessageHead = { channelId: 0, seq: 0 };
  const out: { channel: string; seq: number }[] = [];
  const c = reader.log.cursor();
  while (c.next()) {
    if (c.type !== RECORD_TYPES.MESSAGE) continue;
    readMessageHead(c.payload, head);
    out.push({ channel: names.get(head.channelId) as string, seq: head.seq });
  }
  return out;
}

/** The payload of the keyframe record at `seq` (the producer state and engine hash, deflated). */
function keyframeBytes(reader: SessionReader, seq: number): Buffer {
  const c = reader.log.cursor(seq);
  expect(c.next()).toBe(true);
  expect(c.type).toBe(RECORD_TYPES.KEYFRAME);
  return Buffer.from(c.payload);
}

/** `recording` of `/healthz`, the fields these tests read. */
interface RecordingHealth {
  readonly state: string;
  readonly dir?: string;
  readonly dirName?: string;
  readonly rolls: number;
  readonly rollFailures: number;
}

describe('tickwire serve --roll', () => {
  test('rolled sessions: each verifies and replays, the messages go on across them without a gap or a duplicate, resimulate refuses a rolled one, a restart continues the newest', async () => {
    const dataDir = tempDataDir();
    // Small segments: every session has sealed segments, compressed while it records, and its last one
    // compressed when it closes (at a roll, or at the stop).
    const run = await serveInProcess([
      ...common(dataDir),
      '--roll',
      '100KB',
      '--retain',
      'none',
      '--segment-size',
      '64KiB',
    ]);
    await until(() => rolledTo(run).length >= 4);
    const metrics = await (await fetch(`${run.url}/metrics`)).text();
    expect(Number(/^tickwire_recording_rolls_total (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(4);
    // /healthz shows the rolls and the session being written, by path and by name.
    const health = (await (await fetch(`${run.url}/healthz`)).json()) as { recording: RecordingHealth };
    expect(health.recording.rolls).toBeGreaterThanOrEqual(4);
    expect(health.recording.rollFailures).toBe(0);
    expect(rolledTo(run)).toContain(health.recording.dir);
    expect(health.recording.dirName).toBe(basename(health.recording.dir as string));
    expect(await run.stop()).toBe(0);

    const dirs = listRecordedSessions(dataDir).map((s) => s.dir);
    expect(dirs.length).toBeGreaterThanOrEqual(5);
    expect(dirs[0]).toBe(run.dir);
    expect(dirs.slice(1, 5)).toEqual(rolledTo(run).slice(0, 4));

    const readers = dirs.map((dir) => SessionReader.open(dir));
    try {
      // Metadata: every session after the first is rolled from the one before it, in the same chain.
      const first = basename(dirs[0] as string);
      expect(readers[0]?.metadata.continues).toBeUndefined();
      for (let i = 1; i < readers.length; i++) {
        const meta = (readers[i] as SessionReader).metadata;
        expect(meta.continues).toEqual({
          dir: basename(dirs[i - 1] as string),
          session: readers[0]?.metadata.session,
          endUs: readers[i - 1]?.endUs,
          rolled: true,
          chainStart: first,
        });
        expect(meta.session).toBe(readers[0]?.metadata.session);
        expect(meta.startUs).toBe(readers[i - 1]?.endUs);
      }

      // Each session verifies, and replays from its own first keyframe: to its end and back to its middle.
      for (const [i, dir] of dirs.entries()) {
        const segments = readers[i]?.log.segments ?? [];
        // A rolled session holds 100KB: two segments or more (the last one, stopped at any point, may hold one).
        if (i < dirs.length - 1) expect(segments.length).toBeGreaterThanOrEqual(2);
        expect(segments.map((s) => [basename(s.file).slice(-7), s.compressed])).toEqual(
          segments.map(() => ['.twlogz', true]),
        );
        expect(readdirSync(dir).filter((n) => n.endsWith('.twlog'))).toEqual([]);
        const verified = await logVerify(dir);
        expect(verified.out).toContain('OK, every record checked');
        expect(verified.out).toMatch(/on disk +[\d,]+ bytes \((\d+) of \1 segments? compressed/);
        expect(verified.code).toBe(0);
        const reader = readers[i] as SessionReader;
        expect(reader.keyframes[0]?.seq).toBe(1);
        const end = reader.stateAt(reader.lastSeq);
        expect(end.position).toBe(reader.lastSeq);
        expect(reader.stateAt(Math.ceil(reader.lastSeq / 2)).position).toBe(Math.ceil(reader.lastSeq / 2));
      }

      // The switch happened between two engine inputs: the old session's last keyframe and the new one's first
      // are the same state (feed state and engine hash), byte for byte.
      for (let i = 1; i < readers.length; i++) {
        const before = readers[i - 1] as SessionReader;
        const last = before.keyframes.at(-1)?.seq as number;
        expect(last).toBe(before.lastSeq);
        expect(keyframeBytes(readers[i] as SessionReader, 1).equals(keyframeBytes(before, last))).toBe(true);
      }

      // Concatenated, the recorded messages go on per channel seq with no gap and no duplicate.
      const lastSeq = new Map<string, number>();
      let messages = 0;
      for (const [i, reader] of readers.entries()) {
        let inThisSession = 0;
        for (const { channel, seq } of recordedSeqs(reader)) {
          expect({ session: i, channel, seq }).toEqual({
            session: i,
            channel,
            seq: (lastSeq.get(channel) ?? 0) + 1,
          });
          lastSeq.set(channel, seq);
          inThisSession++;
        }
        if (i < readers.length - 1) expect(inThisSession).toBeGreaterThan(0);
        messages += inThisSession;
      }
      expect(messages).toBeGreaterThan(1000);

      // Re-simulation: the chain's first session re-simulates; a rolled one is refused, naming the first.
      expect(resimulate(readers[0] as SessionReader).divergence).toBeNull();
      let refused: unknown;
      try {
        resimulate(readers[2] as SessionReader);
      } catch (error) {
        refused = error;
      }
      expect(refused).toBeInstanceOf(ReplayError);
      expect((refused as ReplayError).code).toBe('ROLLED_SESSION');
      expect((refused as ReplayError).message).toContain(first);
    } finally {
      for (const r of readers) r.close();
    }

    // `tickwire replay <rolled> --resimulate` re-runs its whole chain, from the first session.
    const chain = resimulateCli(dirs.at(-1) as string);
    expect(chain.err).toBe('');
    expect(chain.out).toContain(`with the ${dirs.length} sessions of its chain of rolls, from ${dirs[0]}`);
    expect(chain.out).toContain('identical to the recording');
    expect(chain.code).toBe(0);

    // A replay of a rolled session answers REST candles from its first keyframe on: paused at its start, the
    // bars recorded before the roll, carried in that keyframe.
    const rolled = dirs[2] as string;
    const reader = SessionReader.open(rolled);
    const atStart = (reader.stateAt(1).candles('BTC-USD', '1s', 1000) ?? []).map((c) => [
      c.startUs,
      c.tradeCount,
    ]);
    const startUs = reader.metadata.startUs;
    reader.close();
    const replay = await startReplayServer({
      host: '127.0.0.1',
      port: 0,
      session: rolled,
      paused: true,
      log: () => {},
    });
    try {
      const res = await fetch(`${replay.url}/api/v1/candles/BTC-USD?interval=1s&limit=1000`);
      expect(res.status).toBe(200);
      const { candles } = (await res.json()) as { candles: { startUs: number; trades: number }[] };
      expect(candles.map((c) => [c.startUs, c.trades])).toEqual(atStart);
      expect(candles.reduce((n, c) => n + c.trades, 0)).toBeGreaterThan(0);
      expect((candles[0] as { startUs: number }).startUs).toBeLessThan(startUs);
    } finally {
      await replay.close();
    }

    // A restart after rolls continues from the newest session, as from any other.
    const again = await serveInProcess([...common(dataDir), '--roll', 'none', '--retain', 'none']);
    try {
      expect(again.stdout()).toContain(`Continuing ${dirs.at(-1)}`);
    } finally {
      expect(await again.stop()).toBe(0);
    }
  }, 120_000);

  test('a roll that cannot create its directory: one line on stderr and on /metrics and /healthz, rolling stops, the recording goes on in its session, exit 0', async () => {
    const dataDir = tempDataDir();
    const run = await serveInProcess([...common(dataDir), '--roll', '100KB', '--retain', 'none']);
    // The data directory moved away and a file in its place: no directory can be made there, even as root
    // (which permissions would not stop). The session being written goes on through its open files.
    const aside = `${dataDir}.aside`;
    renameSync(dataDir, aside);
    writeFileSync(dataDir, '');
    try {
      await until(() => run.stderr().includes('cannot roll'));
    } finally {
      rmSync(dataDir);
      renameSync(aside, dataDir);
    }
    const rolled = rolledTo(run);
    const current = rolled.at(-1) ?? run.dir;
    const health = async () =>
      ((await (await fetch(`${run.url}/healthz`)).json()) as { recording: RecordingHealth }).recording;
    expect(await health()).toMatchObject({
      state: 'recording',
      dir: current,
      rolls: rolled.length,
      rollFailures: 1,
    });
    // Three more roll bounds' worth of records: no roll, nothing more said.
    const sessionBytes = async () =>
      Number(
        /^tickwire_recording_session_bytes (\d+)$/m.exec(
          await (await fetch(`${run.url}/metrics`)).text(),
        )?.[1],
      );
    await until(async () => (await sessionBytes()) > 400_000);
    const metrics = await (await fetch(`${run.url}/metrics`)).text();
    expect(metrics).toMatch(/^tickwire_recording_roll_failures_total 1$/m);
    expect(metrics).toMatch(new RegExp(`^tickwire_recording_rolls_total ${rolled.length}$`, 'm'));
    expect(metrics).toMatch(/^tickwire_recording_state\{state="recording"\} 1$/m);
    expect((await health()).dir).toBe(current);
    expect(await run.stop()).toBe(0);
    expect(rolledTo(run)).toEqual(rolled);
    const lines = run.stderr().match(/^.*cannot roll.*$/gm) ?? [];
    expect(lines).toEqual([
      expect.stringMatching(
        new RegExp(
          `^recording: cannot roll to a new session, rolling stops and the recording goes on in ${current}: `,
        ),
      ),
    ]);
    expect(run.stderr()).not.toContain('recording stopped');
    expect((await logVerify(current)).code).toBe(0);
  }, 120_000);

  test('with a small --retain, the oldest rolled sessions are deleted while the one being written is kept', async () => {
    const dataDir = tempDataDir();
    const bound = 400_000;
    const run = await serveInProcess([...common(dataDir), '--roll', '100KB', '--retain', `${bound}B`]);
    await until(() => (run.stderr().match(/retention: deleted /g)?.length ?? 0) >= 3);
    const metrics = await (await fetch(`${run.url}/metrics`)).text();
    expect(await run.stop()).toBe(0);
    // Read once stopped: no roll and no retention pass runs any more.
    const rolled = rolledTo(run);
    const current = rolled.at(-1) as string;
    const left = listRecordedSessions(dataDir).map((s) => s.dir);

    const deleted = [...run.stderr().matchAll(/retention: deleted (\S+) /g)].map((m) => m[1] as string);
    const chain = [run.dir, ...rolled];
    // The oldest went first: what was deleted is a prefix of the chain, what is left the rest of it.
    expect(deleted).toEqual(chain.slice(0, deleted.length));
    expect(left).toEqual(chain.slice(deleted.length, deleted.length + left.length));
    expect(left).toContain(current);
    expect(/^tickwire_recording_retention_over_bound 0$/m.test(metrics)).toBe(true);
    // Within the bound at each pass; since the last one only the session being written grew (≤ one roll).
    const total = listSessions(dataDir).reduce((sum, s) => sum + s.bytes, 0);
    expect(total).toBeLessThanOrEqual(bound + 200_000);
    for (const dir of left) expect((await logVerify(dir)).code).toBe(0);
    // The chain's first sessions are gone: re-simulating what is left is refused, naming where it started.
    const refused = resimulateCli(left[0] as string);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('[ROLLED_SESSION]');
    expect(refused.err).toContain(basename(run.dir));
  }, 120_000);
});
