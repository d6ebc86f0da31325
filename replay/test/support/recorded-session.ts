import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type BookAtDepth,
  FeedPublisher,
  InProcessBus,
  SimulationDriver,
} from '../../../feed-server/src/server/index.ts';
import { DEFAULT_INSTRUMENT_SPECS, defineInstrument } from '../../../matching/src/index.ts';
import { recordLiveSession, type SessionMetadata } from '../../src/index.ts';

/** What the live producer showed at one point of a recording. */
export interface Checkpoint {
  /** records written when it was taken */
  readonly position: number;
  /** every recorded channel's encoded snapshot */
  readonly snapshots: ReadonlyMap<string, Uint8Array>;
  readonly rest: unknown;
}

/** The REST view of a market query, for comparison. */
export function restView(q: {
  ticker(s: string): unknown;
  book(s: string, d: 10 | 50 | 'full'): BookAtDepth | undefined;
  trades(s: string, n: number): unknown;
  candles(s: string, i: '1s' | '1m' | '1h', n: number): unknown;
  nowUs(): number;
}): unknown {
  return ['BTC-USD', 'ETH-USD', 'AMZN'].map((s) => ({
    ticker: q.ticker(s),
    book: q.book(s, 50),
    full: q.book(s, 'full'),
    trades: q.trades(s, 1000),
    candles: (['1s', '1m', '1h'] as const).map((i) => q.candles(s, i, 1000)),
    nowUs: q.nowUs(),
  }));
}

/**
 * Runs the live pipeline (simulator → engine → publisher) on a simulated clock with the recorder attached, as
 * `tickwire serve` does, and takes `checkpoints` snapshots of the live state between pumps.
 */
export async function recordSimulatedSession(options: {
  seed: number;
  rate: number;
  seconds: number;
  checkpoints: number;
  keyframes?: SessionMetadata['keyframes'];
}): Promise<{ dir: string; checkpoints: Checkpoint[]; messages: Uint8Array[]; publisher: FeedPublisher }> {
  const instruments = DEFAULT_INSTRUMENT_SPECS.map(defineInstrument);
  let nowMs = Date.UTC(2026, 0, 1);
  const clockMs = (): number => nowMs;
  const bus = new InProcessBus((e) => {
    throw e;
  });
  const publisher = new FeedPublisher({ instruments, bus, clockMs });
  const driver = new SimulationDriver({
    seed: options.seed,
    instruments,
    rate: options.rate,
    publisher,
    clockMs,
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'tickwire-session-'));
  const messages: Uint8Array[] = [];
  for (const c of publisher.channels()) bus.subscribe(c.name, (_n, _s, encoded) => messages.push(encoded));
  const rec = await recordLiveSession(
    { publisher, driver, bus },
    {
      dataDir,
      fsync: 'none',
      seed: options.seed,
      rate: options.rate,
      keyframes: options.keyframes,
      clockMs,
      // pumped without yielding: nothing is written until close
      maxBufferedBytes: Number.POSITIVE_INFINITY,
    },
  );
  const pumps = (options.seconds * 1000) / 5;
  const every = Math.max(1, Math.floor(pumps / options.checkpoints));
  const checkpoints: Checkpoint[] = [];
  for (let i = 1; i <= pumps; i++) {
    nowMs += 5;
    driver.pump();
    if (i % every === 0) {
      const snapshots = new Map<string, Uint8Array>();
      for (const c of publisher.channels()) snapshots.set(c.name, publisher.snapshot(c).encoded);
      checkpoints.push({ position: rec.recorder.records, snapshots, rest: restView(publisher) });
    }
  }
  await rec.close();
  return { dir: rec.recorder.dir, checkpoints, messages, publisher };
}
