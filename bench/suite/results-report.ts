import type { EncodingBenchResult } from '../encoding/report.ts';
import type { BenchResult as EngineResult } from '../engine/report.ts';
import type { IdleLatencyResult } from '../feed/idle-latency.ts';
import {
  type InstrumentScalingResult,
  instrumentScalingMarkdown,
} from '../feed/instrument-scaling-report.ts';
import type { FeedBenchResult } from '../feed/report.ts';
import { formatRecordedBytes, type RecordedBytesFigures } from '../log/recorded-bytes.ts';
import { compressionMarkdown, type LogBenchResult } from '../log/report.ts';
import { lineChart } from './svg-chart.ts';

/** Where and when the suite ran. */
export interface SuiteMeta {
  readonly commit: string;
  readonly dirty: boolean;
  readonly date: string;
  readonly node: string;
  readonly cpu: string;
  readonly cores: number;
  readonly platform: string;
  readonly quick: boolean;
  readonly loadAverage: readonly [start: number, end: number];
  readonly seconds: number;
}

/** bench/results.json: the machine, then every run's own JSON (see each bench's `--json`) and wall time. */
export interface SuiteResults {
  readonly meta: SuiteMeta;
  readonly runs: Readonly<
    Record<string, { readonly seconds: number; readonly result: unknown } | { readonly error: string }>
  >;
}

/** One target of one bench, as the benches report them. */
interface Target {
  readonly name: string;
  readonly target: string;
  readonly measured: string;
  readonly pass: boolean | null;
}

const n0 = (v: number): string => Math.round(v).toLocaleString('en-US');
const m2 = (v: number): string => (v >= 100_000 ? `${(v / 1e6).toFixed(2)} M` : `${(v / 1e3).toFixed(1)} k`);
const x1 = (v: number): string => `${v.toFixed(1)}×`;
const ms = (v: number): string => (v < 10 ? `${v.toFixed(2)} ms` : `${Math.round(v)} ms`);

function get<T>(r: SuiteResults, id: string): T | null {
  const run = r.runs[id];
  return run === undefined || 'error' in run ? null : (run.result as T);
}

/** The headline figures the README quotes: each ours-vs-baseline pair measured in the same run. */
export interface Headline {
  readonly what: string;
  readonly ours: string;
  readonly baseline: string;
  readonly ratio: string;
}

export function headlines(r: SuiteResults): Headline[] {
  const out: Headline[] = [];
  const engine = get<EngineResult>(r, 'engine.resting-1000');
  if (engine !== null) {
    out.push({
      what: `engine orders/s, ~1,000 resting (vs nodejs-order-book)`,
      ours: m2(engine.throughput.tickwire.medianOpsPerSec),
      baseline: m2(engine.throughput.peer.medianOpsPerSec),
      ratio: x1(engine.throughput.ratio),
    });
    out.push({
      what: 'engine latency p99 (µs)',
      ours: (engine.latency.tickwire.p99Ns / 1000).toFixed(2),
      baseline: (engine.latency.peer.p99Ns / 1000).toFixed(2),
      ratio: x1(engine.latency.peer.p99Ns / engine.latency.tickwire.p99Ns),
    });
  }
  const feedId = Object.keys(r.runs).find(
    (id) => id.startsWith('feed.') && get<FeedBenchResult>(r, id)?.baseline,
  );
  const feed = feedId === undefined ? null : get<FeedBenchResult>(r, feedId);
  if (feed?.baseline) {
    const t = feed.tickwire.figures;
    const b = feed.baseline.figures;
    out.push({
      what: `feed messages/s written, ${feed.options.clients} clients (vs plain ws JSON)`,
      ours: m2(t.serverMessagesPerSec),
      baseline: m2(b.serverMessagesPerSec),
      ratio: x1(t.serverMessagesPerSec / b.serverMessagesPerSec),
    });
    const tp = feed.tickwire.probeWindow.latency.p99Us / 1000;
    const bp = feed.baseline.probeWindow.latency.p99Us / 1000;
    out.push({
      what: 'feed latency p99, a client that keeps up',
      ours: ms(tp),
      baseline: ms(bp),
      ratio: x1(bp / tp),
    });
    out.push({
      what: 'feed bytes on the wire per message',
      ours: `${t.wireBytesPerMessage.toFixed(1)} B`,
      baseline: `${b.wireBytesPerMessage.toFixed(1)} B`,
      ratio: x1(b.wireBytesPerMessage / t.wireBytesPerMessage),
    });
  }
  const enc = get<EncodingBenchResult>(r, 'encoding');
  if (enc !== null) {
    const cell = (codec: string) =>
      enc.cells.find((c) => c.kind === 'mixed' && c.batch === 100 && c.codec === codec);
    const ours = cell('f');
    const json = cell('a');
    if (ours !== undefined && json !== undefined) {
      const deflated = (c: typeof ours) =>
        c.deflate.find((d) => d.level === 1 && d.windowBits === 10 && d.memLevel === 8)?.bytesPerMsg ??
        Number.NaN;
      out.push({
        what: 'encode ns/message (msgpack tuples vs JSON named fields)',
        ours: ours.encode.bestNs.toFixed(0),
        baseline: json.encode.bestNs.toFixed(0),
        ratio: x1(json.encode.bestNs / ours.encode.bestNs),
      });
      out.push({
        what: 'decode ns/message',
        ours: ours.decode.bestNs.toFixed(0),
        baseline: json.decode.bestNs.toFixed(0),
        ratio: x1(json.decode.bestNs / ours.decode.bestNs),
      });
      out.push({
        what: 'bytes/message, raw → after deflate (100 per frame)',
        ours: `${ours.rawBytesPerMsg.toFixed(1)} → ${deflated(ours).toFixed(1)}`,
        baseline: `${json.rawBytesPerMsg.toFixed(1)} → ${deflated(json).toFixed(1)}`,
        ratio: x1(deflated(json) / deflated(ours)),
      });
    }
  }
  const rest = feed?.rest;
  if (rest?.status === 'ran') {
    const ceiling = rest.paths.find((p) => p.path.startsWith('/bench/'));
    for (const p of rest.paths.filter((x) => x !== ceiling).slice(0, 2)) {
      if (ceiling === undefined) break;
      out.push({
        what: `REST ${p.path} requests/s (vs a static JSON answer)`,
        ours: n0(p.requestsPerSec),
        baseline: n0(ceiling.requestsPerSec),
        ratio: `${((100 * p.requestsPerSec) / ceiling.requestsPerSec).toFixed(0)}% of it`,
      });
    }
  }
  return out;
}

/** bench/RESULTS.md, and the SVG charts it links (file name → content). */
export function resultsMarkdown(r: SuiteResults): { markdown: string; charts: Map<string, string> } {
  const charts = new Map<string, string>();
  const m = r.meta;
  const lines: string[] = [
    '# Tickwire benchmark results',
    '',
    `Commit \`${m.commit}\`${m.dirty ? ' (with uncommitted changes)' : ''}, ${m.date}; Node ${m.node}, ${m.cpu} × ${m.cores}, ${m.platform}; ` +
      `${m.quick ? '`npm run bench -- --quick`' : '`npm run bench`'} in ${Math.round(m.seconds)} s; load average ` +
      `${m.loadAverage[0].toFixed(2)} → ${m.loadAverage[1].toFixed(2)}. Every figure comes from a run of its benchmark in this ` +
      'suite; each baseline ran in the same run, on the same workload. Percentiles come from HDR histograms ' +
      '(`perf_hooks.createHistogram`) after warm-up. A shared 2-core machine moves figures by ±20–30%: compare ratios.',
    '',
    '## Headlines: ours and the baseline, same run',
    '',
    '| | Tickwire | baseline | ratio |',
    '|---|---:|---:|---:|',
    ...headlines(r).map((h) => `| ${h.what} | ${h.ours} | ${h.baseline} | ${h.ratio} |`),
    '',
  ];

  const engines = [10, 1000, 100_000]
    .map((n) => [n, get<EngineResult>(r, `engine.resting-${n}`)] as const)
    .filter((x): x is readonly [number, EngineResult] => x[1] !== null);
  if (engines.length > 0) {
    lines.push(
      '## Matching engine: throughput by book depth',
      '',
      'A realistic mix (55% passive limits, 30% cancels, 10% marketable limits, 5% market orders) on both books, the same commands (`bench:engine`).',
      '',
      '| resting orders | Tickwire orders/s | p50 / p99 / p99.9 µs | nodejs-order-book orders/s | p50 / p99 / p99.9 µs | ratio |',
      '|---:|---:|---:|---:|---:|---:|',
      ...engines.map(([n, e]) => {
        const t = e.latency.tickwire;
        const p = e.latency.peer;
        const us = (x: { p50Ns: number; p99Ns: number; p999Ns: number }) =>
          `${(x.p50Ns / 1000).toFixed(2)} / ${(x.p99Ns / 1000).toFixed(2)} / ${(x.p999Ns / 1000).toFixed(1)}`;
        return `| ${n0(n)} | ${m2(e.throughput.tickwire.medianOpsPerSec)} | ${us(t)} | ${m2(e.throughput.peer.medianOpsPerSec)} | ${us(p)} | ${x1(e.throughput.ratio)} |`;
      }),
      '',
      '![engine throughput](engine-throughput.svg)',
      '',
    );
    charts.set(
      'engine-throughput.svg',
      lineChart({
        title: 'Orders/s by resting orders',
        xLabel: 'resting orders (log)',
        yLabel: 'orders/s (log)',
        format: (v) => (v >= 1e6 ? `${(v / 1e6).toFixed(1)}M` : `${Math.round(v / 1e3)}k`),
        series: [
          { label: 'Tickwire', points: engines.map(([n, e]) => [n, e.throughput.tickwire.medianOpsPerSec]) },
          {
            label: 'nodejs-order-book',
            points: engines.map(([n, e]) => [n, e.throughput.peer.medianOpsPerSec]),
          },
        ],
      }),
    );
  }

  const feeds = Object.keys(r.runs)
    .filter((id) => id.startsWith('feed.'))
    .map((id) => get<FeedBenchResult>(r, id))
    .filter((f): f is FeedBenchResult => f !== null)
    .sort((a, b) => a.options.clients - b.options.clients);
  if (feeds.length > 0) {
    lines.push(
      '## Feed: fan-out by connections',
      '',
      `Real server, N real WebSocket clients in another process (each on trades + ticker + book:SYM:10 of one symbol, permessage-deflate), ${n0(feeds[0]?.options.rate ?? 0)} simulator commands/s, every frame decoded (\`bench:feed\`). "Written": messages the server wrote to sockets; "delivered": decoded by the clients (one core for all of them); p99: a client that keeps up (probes).`,
      '',
      '| connections | written msgs/s | delivered msgs/s | msgs/frame | server CPU | p50 / p99 / max ms | B/msg |',
      '|---:|---:|---:|---:|---:|---:|---:|',
      ...feeds.map((f) => {
        const t = f.tickwire.figures;
        const l = f.tickwire.probeWindow.latency;
        return `| ${n0(f.options.clients)} | ${m2(t.serverMessagesPerSec)} | ${m2(t.messagesPerSec)} | ${t.messagesPerFrame.toFixed(1)} | ${t.serverCpuPct.toFixed(0)}% | ${(l.p50Us / 1000).toFixed(1)} / ${(l.p99Us / 1000).toFixed(1)} / ${(l.maxUs / 1000).toFixed(1)} | ${t.wireBytesPerMessage.toFixed(1)} |`;
      }),
      '',
      '![feed throughput and latency](feed-scaling.svg)',
      '',
    );
    const base = feeds.find((f) => f.baseline !== null);
    if (base?.baseline) {
      const b = base.baseline.figures;
      const l = base.baseline.probeWindow.latency;
      lines.push(
        `Baseline at ${n0(base.options.clients)} connections (each message as named-field JSON text, \`ws.send\` to every subscriber, one frame per message, no compression): ${m2(b.serverMessagesPerSec)} msgs/s written, ${m2(b.messagesPerSec)} delivered, server CPU ${b.serverCpuPct.toFixed(0)}%, p99 ${(l.p99Us / 1000).toFixed(0)} ms, ${b.wireBytesPerMessage.toFixed(0)} B/msg.`,
        '',
      );
    }
    const mem = feeds.find((f) => f.memory !== null)?.memory;
    if (mem) {
      lines.push(
        `Memory: server RSS ${(mem.rss0Bytes / 2 ** 20).toFixed(1)} MiB with no clients → ${(mem.rssNBytes / 2 ** 20).toFixed(1)} MiB with ${n0(mem.clients)} idle subscribed connections: ${mem.rssPerConnectionKiB.toFixed(1)} KiB per connection (heap ${mem.heapPerConnectionKiB.toFixed(1)} KiB).`,
        '',
      );
    }
    charts.set(
      'feed-scaling.svg',
      lineChart({
        title: 'Feed: messages/s written and probe p99 by connections',
        xLabel: 'connections (log)',
        yLabel: 'log scale',
        format: (v) =>
          v >= 1e6 ? `${(v / 1e6).toFixed(1)}M` : v >= 1e3 ? `${Math.round(v / 1e3)}k` : `${v.toFixed(0)}`,
        series: [
          {
            label: 'messages/s written',
            points: feeds.map((f) => [f.options.clients, f.tickwire.figures.serverMessagesPerSec]),
          },
          {
            label: 'messages/s delivered',
            points: feeds.map((f) => [f.options.clients, f.tickwire.figures.messagesPerSec]),
          },
          {
            label: 'probe p99, ms',
            points: feeds.map((f) => [f.options.clients, f.tickwire.probeWindow.latency.p99Us / 1000]),
          },
        ],
      }),
    );
    const idle = get<IdleLatencyResult>(r, 'feed-idle');
    if (idle !== null) lines.push(...idleMarkdown(idle));
    const rest = feeds.find((f) => f.rest.status === 'ran')?.rest;
    if (rest?.status === 'ran') {
      lines.push(
        '## REST under autocannon',
        '',
        '100 connections, one path at a time, on the live server at the bench input rate; `/bench/static.json` is a fixed answer through the same server and route chain: the ceiling.',
        '',
        '| path | requests/s | p50 ms | p99 ms |',
        '|---|---:|---:|---:|',
        ...rest.paths.map(
          (p) => `| \`${p.path}\` | ${n0(p.requestsPerSec)} | ${p.latencyP50Ms} | ${p.latencyP99Ms} |`,
        ),
        '',
      );
    }
  }

  const enc = get<EncodingBenchResult>(r, 'encoding');
  if (enc !== null) {
    lines.push(
      '## Encoding: msgpackr tuples against JSON',
      '',
      `The simulator's mixed stream, 100 messages per frame (\`bench:encoding\`); deflate at level 1, 1 KiB window, as the feed sends.`,
      '',
      '| codec | raw B/msg | after deflate | encode ns/msg | decode ns/msg |',
      '|---|---:|---:|---:|---:|',
      ...enc.cells
        .filter((c) => c.kind === 'mixed' && c.batch === 100)
        .map((c) => {
          const d = c.deflate.find((x) => x.level === 1 && x.windowBits === 10 && x.memLevel === 8);
          return `| ${c.name}${c.codec === 'f' ? ' (the wire format)' : ''} | ${c.rawBytesPerMsg.toFixed(1)} | ${d?.bytesPerMsg.toFixed(1) ?? '—'} | ${c.encode.bestNs.toFixed(0)} | ${c.decode.bestNs.toFixed(0)} |`;
        }),
      '',
    );
  }

  const logs = ['log.small', 'log.large']
    .map((id) => get<LogBenchResult>(r, id))
    .filter((l): l is LogBenchResult => l !== null);
  const sessions = logs.filter((l) => l.sessions !== null);
  if (sessions.length > 0) {
    lines.push(
      '## Replay: by session size',
      '',
      'A simulated session recorded through the live pipeline, then opened (every record checked), played at max with no client, replayed at max to one real client in another process, and seeked to random times (`bench:log`).',
      '',
      '| session | messages | open | played alone msgs/s | to a client msgs/s (deflate / raw) | seek p50 / p99 / max |',
      '|---:|---:|---:|---:|---:|---:|',
      ...sessions.map((l) => {
        const s = l.sessions as NonNullable<LogBenchResult['sessions']>;
        const dz = s.replay.find((x) => x.deflate)?.messagesPerSec ?? 0;
        const raw = s.replay.find((x) => !x.deflate)?.messagesPerSec ?? 0;
        return `| ${(s.generate.bytes / 2 ** 20).toFixed(1)} MiB | ${n0(s.generate.messages)} | ${ms(s.openMs)} | ${n0(s.playAlone.messagesPerSec)} | ${n0(dz)} / ${n0(raw)} | ${ms(s.seek.p50Ms)} / ${ms(s.seek.p99Ms)} / ${ms(s.seek.maxMs)} |`;
      }),
      '',
    );
    const lob = sessions.map((l) => l.sessions?.lobster).find((x) => x !== null && x !== undefined);
    if (lob)
      lines.push(
        `The AMZN LOBSTER day (${n0(lob.rows)} events, with its orderbook file) imports in ${lob.seconds.toFixed(2)} s (${n0(lob.records)} records).`,
        '',
      );
  }
  const big = logs.at(-1);
  if (big !== undefined) {
    lines.push(
      '## Session log',
      '',
      `${n0(big.options.records)} records of 40–120-byte payloads.`,
      '',
      '| | records/s | MiB/s |',
      '|---|---:|---:|',
      ...big.appends.map(
        (a) => `| append, fsync ${a.fsync} | ${n0(a.recordsPerSec)} | ${a.mbPerSec.toFixed(1)} |`,
      ),
      ...big.reads.map((x) => `| read, ${x.method} | ${n0(x.recordsPerSec)} | ${x.mbPerSec.toFixed(1)} |`),
      '',
      `Seek (time index): p50 ${ms(big.seek.p50Ms)}, p99 ${ms(big.seek.p99Ms)}, max ${ms(big.seek.maxMs)}. Open: clean ${ms(big.recovery.cleanOpenMs)}, with a torn tail ${ms(big.recovery.tornTailWriterOpenMs)}, verifying every record ${ms(big.recovery.verifyAllMs)}.`,
      '',
    );
    if (big.compression)
      lines.push('## Compressed segments', '', ...compressionMarkdown(big.compression), '');
  }

  const instruments = get<InstrumentScalingResult>(r, 'instruments');
  if (instruments !== null) {
    lines.push(
      '## Instruments scaling',
      '',
      'What the number of instruments costs at a fixed order rate (`bench:instruments`): the real server, no client.',
      '',
      instrumentScalingMarkdown(instruments),
    );
  }

  const weighed = logs
    .map((l) => l.recordedBytes)
    .filter((x): x is RecordedBytesFigures => x !== null && x !== undefined)
    .at(-1);
  if (weighed !== undefined) {
    lines.push(
      '## Recorded bytes per engine command',
      '',
      'What `tickwire serve` records (input, every published message, keyframes) in a session of the default simulator, recorded through the live pipeline in virtual time and weighed by record kind; then what compressing it, or recording only the input and keyframes, would store (`bench:log`, `bench:bytes`).',
      '',
      formatRecordedBytes(weighed),
      '',
    );
  }
  lines.push(
    '## Targets',
    '',
    "Each benchmark's targets, checked on the run at the load they are set for (engine at ~1,000 resting orders, the feed at its default load, the log and session at full size).",
    '',
    '| benchmark | target | measured | |',
    '|---|---|---|---|',
  );
  for (const [id, run] of Object.entries(r.runs)) {
    if ('error' in run) {
      lines.push(`| ${id} | — | failed: ${run.error.slice(0, 200)} | |`);
      continue;
    }
    if (!isTargetRun(id, run.result)) continue;
    for (const t of (run.result as { targets?: readonly Target[] }).targets ?? []) {
      lines.push(
        `| ${id}: ${t.name} | ${t.target} | ${t.measured} | ${t.pass === null ? '—' : t.pass ? 'PASS' : 'FAIL'} |`,
      );
    }
  }
  lines.push(
    '',
    'Raw figures: [results.json](results.json). Reproduce with `npm run bench` (or `--quick`).',
    '',
  );
  return { markdown: lines.join('\n'), charts };
}

/** The latency floor: one client on an idle server (`bench:idle`). */
function idleMarkdown(idle: IdleLatencyResult): string[] {
  const l = idle.latency;
  const f = (us: number): string => (us / 1000).toFixed(2);
  return [
    '## Feed: latency on an idle server',
    '',
    `One real WebSocket client (trades + ticker + book:SYM:10 of one symbol, permessage-deflate) on the real server at ${n0(idle.options.rate)} commands/s (\`tickwire serve\`'s default), ${idle.options.seconds} s; latency = the client's wall clock at decode − the update's engine time (\`bench:idle\`). What the design costs, not what load costs.`,
    '',
    '| updates | min | median | p90 | p99 | max (ms) |',
    '|---:|---:|---:|---:|---:|---:|',
    `| ${n0(l.count)} | ${f(l.minUs)} | ${f(l.p50Us)} | ${f(l.p90Us)} | ${f(l.p99Us)} | ${f(l.maxUs)} |`,
    '',
  ];
}

/** The run of each benchmark its targets are meant for: the others vary a parameter for the scaling tables. */
function isTargetRun(id: string, result: unknown): boolean {
  if (id.startsWith('engine.')) return id === 'engine.resting-1000';
  if (id.startsWith('feed.')) return (result as FeedBenchResult).baseline !== null;
  if (id.startsWith('log.')) return id === 'log.large';
  return true;
}
