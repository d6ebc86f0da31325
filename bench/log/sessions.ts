import path from 'node:path';
import { createHistogram } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { FeedPublisher, InProcessBus, SimulationDriver } from '../../feed-server/src/server/index.ts';
import { DEFAULT_INSTRUMENT_SPECS, defineInstrument } from '../../matching/src/index.ts';
import {
  importLobster,
  ReplayFeed,
  recordLiveSession,
  type SegmentCompression,
  SessionReader,
  startReplayServer,
} from '../../replay/src/index.ts';
import { BenchChild } from '../feed/ipc.ts';
import type { ReplayClientResult } from './replay-client.ts';
import { uniform } from './workload.ts';

/** Recording, replaying and seeking a whole session, and importing the LOBSTER day. */
export interface SessionFigures {
  /** recording a simulated session through the live pipeline in virtual time (simulator, engine, publisher, recorder) */
  readonly generate: {
    readonly messages: number;
    readonly records: number;
    readonly seconds: number;
    readonly bytes: number;
  };
  /** SessionReader.open: every record read and checked, keyframes listed */
  readonly openMs: number;
  /** the session replayed at max to one real client in another process, with and without permessage-deflate */
  readonly replay: readonly (ReplayClientResult & {
    readonly deflate: boolean;
    readonly messagesPerSec: number;
  })[];
  /** the same session played at max with no client (the bus only): the server side's own ceiling */
  readonly playAlone: {
    readonly messages: number;
    readonly seconds: number;
    readonly messagesPerSec: number;
  };
  /** seeks of a ReplayFeed to random times: the state rebuilt there from the keyframe before it */
  readonly seek: {
    readonly seeks: number;
    readonly p50Ms: number;
    readonly p99Ms: number;
    readonly maxMs: number;
  };
  /** the AMZN LOBSTER day (57,515 events, with its orderbook file; gzipped, gunzip included) imported in this process */
  readonly lobster: { readonly rows: number; readonly records: number; readonly seconds: number } | null;
}

/** The AMZN day committed in the repository, gzipped (replay/samples/lobster-amzn-2012-06-21/README.md). */
const DATA = fileURLToPath(new URL('../../replay/samples/lobster-amzn-2012-06-21/', import.meta.url));
const STEP_MS = 5;

/** Records a simulated session of at least `messages` messages into `dir`'s parent (a new session directory). */
export async function generate(
  root: string,
  messages: number,
  log: (m: string) => void,
  compression: SegmentCompression = 'brotli',
) {
  const instruments = DEFAULT_INSTRUMENT_SPECS.map(defineInstrument);
  let nowMs = Date.UTC(2026, 0, 1);
  const clockMs = (): number => nowMs;
  const bus = new InProcessBus((e) => {
    throw e;
  });
  const publisher = new FeedPublisher({ instruments, bus, clockMs });
  const driver = new SimulationDriver({ seed: 1, instruments, rate: 20_000, publisher, clockMs });
  const rec = await recordLiveSession(
    { publisher, driver, bus },
    // The loop below never yields, so nothing is written until close: unbounded, or the recorder would degrade.
    {
      dataDir: root,
      fsync: 'none',
      seed: 1,
      rate: 20_000,
      clockMs,
      compression,
      maxBufferedBytes: Number.POSITIVE_INFINITY,
    },
  );
  let published = 0;
  for (const c of publisher.channels()) bus.subscribe(c.name, () => published++);
  const t0 = performance.now();
  let nextLog = messages / 10;
  while (published < messages) {
    nowMs += STEP_MS;
    driver.pump();
    if (published >= nextLog) {
      log(`  ${Math.round((100 * published) / messages)}% recorded`);
      nextLog += messages / 10;
    }
  }
  await rec.close();
  const seconds = (performance.now() - t0) / 1000;
  return { dir: rec.recorder.dir, messages: published, records: rec.recorder.records, seconds };
}

/** Plays a session at max onto the bus with nobody subscribed to the gateway: the replay side's own speed. */
async function playWithoutClients(dir: string): Promise<SessionFigures['playAlone']> {
  const reader = SessionReader.open(dir);
  const bus = new InProcessBus(() => {});
  let messages = 0;
  for (const [, name] of reader.metadata.channels) bus.subscribe(name, () => messages++);
  const t0 = performance.now();
  await new Promise<void>((resolve) => {
    const feed: ReplayFeed = new ReplayFeed({
      reader,
      bus,
      speed: 'max',
      onEnd: () => {
        feed.stop();
        resolve();
      },
    });
    feed.start();
  });
  const seconds = (performance.now() - t0) / 1000;
  reader.close();
  return { messages, seconds, messagesPerSec: messages / seconds };
}

/** Runs the session measurements in `root`. */
export async function sessionRuns(
  root: string,
  messages: number,
  seeks: number,
  seed: number,
  log: (m: string) => void,
): Promise<SessionFigures> {
  log(`recording a simulated session of ${messages.toLocaleString('en-US')} messages (virtual time)`);
  const g = await generate(path.join(root, 'sessions'), messages, log);
  let t0 = performance.now();
  const reader = SessionReader.open(g.dir);
  const openMs = performance.now() - t0;
  const bytes = reader.log.segments.reduce((n, s) => n + s.bytes, 0);
  const channels = reader.metadata.channels.map(([, name]) => name);

  log('playing it at max with no client');
  const playAlone = await playWithoutClients(g.dir);
  const replay: SessionFigures['replay'][number][] = [];
  for (const deflate of [true, false]) {
    log(`replaying it at max to one client in another process${deflate ? ', permessage-deflate' : ''}`);
    const server = await startReplayServer({
      host: '127.0.0.1',
      port: 0,
      session: SessionReader.open(g.dir),
      speed: 'max',
      paused: true,
      log: () => {},
    });
    const client = new BenchChild<object>('../log/replay-client.ts', null);
    try {
      await client.ready;
      const r = await client.request<ReplayClientResult>({ url: server.wsUrl, channels, deflate });
      replay.push({ ...r, deflate, messagesPerSec: r.messages / r.seconds });
    } finally {
      client.kill();
      await server.close();
    }
  }
  reader.close();

  log(`${seeks} random seeks`);
  const seekReader = SessionReader.open(g.dir);
  const feed = new ReplayFeed({ reader: seekReader, bus: new InProcessBus(() => {}), paused: true });
  const random = uniform(seed);
  const h = createHistogram({ lowest: 1, highest: 1e12, figures: 3 });
  for (let k = 0; k < seeks; k++) {
    const tsUs = feed.fromUs + Math.floor(random() * (feed.toUs - feed.fromUs));
    const s0 = process.hrtime.bigint();
    const result = feed.control({ op: 'replay', id: k, action: 'seek', tsUs });
    h.record(Math.max(1, Number(process.hrtime.bigint() - s0)));
    if (!result.ok) throw new Error(`seek refused: ${result.message}`);
  }
  seekReader.close();

  let lobster: SessionFigures['lobster'] = null;
  try {
    log('importing the AMZN LOBSTER day');
    t0 = performance.now();
    const r = await importLobster({
      messageFile: path.join(DATA, 'AMZN_2012-06-21_34200000_57600000_message_1.csv.gz'),
      orderbookFile: path.join(DATA, 'AMZN_2012-06-21_34200000_57600000_orderbook_1.csv.gz'),
      symbol: 'AMZN',
      date: '2012-06-21',
      out: path.join(root, 'amzn'),
    });
    lobster = { rows: r.imported, records: r.records, seconds: (performance.now() - t0) / 1000 };
  } catch (error) {
    log(`  LOBSTER import skipped: ${String(error)}`);
  }
  return {
    generate: { messages: g.messages, records: g.records, seconds: g.seconds, bytes },
    openMs,
    replay,
    playAlone,
    seek: { seeks, p50Ms: h.percentile(50) / 1e6, p99Ms: h.percentile(99) / 1e6, maxMs: h.max / 1e6 },
    lobster,
  };
}
