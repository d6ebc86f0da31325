import type { ClientWindow, ConnectResult } from './client-process.ts';
import type { FeedBenchOptions } from './options.ts';
import type { ProfileSummary } from './profile-summary.ts';
import type { RestLoadResult } from './rest-load.ts';
import type { ServerWindow } from './server-process.ts';

/** One load phase (tickwire or the baseline): what both sides measured, and the figures derived from it. */
export interface PhaseResult {
  readonly server: 'tickwire' | 'baseline';
  readonly connect: ConnectResult;
  readonly serverWindow: ServerWindow;
  readonly clientWindow: ClientWindow;
  /** one probe client per symbol in a process of their own: clients that keep up */
  readonly probeWindow: ClientWindow;
  readonly figures: PhaseFigures;
  /** the server's CPU profile of the window (--profile) */
  readonly profile: ProfileSummary | null;
  /** the load generator's CPU profile of the window (--profile) */
  readonly clientProfile: ProfileSummary | null;
}

/** Rates over the measured window. "Delivered": summed over clients, as the clients received it. */
export interface PhaseFigures {
  readonly seconds: number;
  /** simulator commands the server ran per second (the input actually achieved) */
  readonly commandsPerSec: number;
  readonly messagesPerSec: number;
  /** messages the server wrote to sockets per second (more than delivered while a backlog builds) */
  readonly serverMessagesPerSec: number;
  /** frames the server wrote per second */
  readonly serverFramesPerSec: number;
  readonly updatesPerSec: number;
  readonly framesPerSec: number;
  readonly messagesPerFrame: number;
  /** WebSocket bytes read by the clients' sockets per second */
  readonly wireBytesPerSec: number;
  readonly wireBytesPerMessage: number;
  /** user + system CPU time of the server process over the window, % of one core */
  readonly serverCpuPct: number;
  readonly serverRssBytes: number;
  readonly clientCpuPct: number;
  /** messages written per second per core of server CPU: what one saturated server core would deliver */
  readonly messagesPerServerCoreSec: number;
  /** named-field JSON for the same messages, one per frame (meter clients' stream, weighted per symbol) */
  readonly namedJsonBytesPerMessage: number | null;
  /** `tickwire.v1.json` frames without compression for the same frames */
  readonly v1JsonBytesPerMessage: number | null;
}

/** RSS of the server with no clients and with N idle subscribed ones. */
export interface MemoryResult {
  readonly clients: number;
  readonly connected: number;
  readonly rate: number;
  readonly rss0Bytes: number;
  readonly rssNBytes: number;
  readonly heap0Bytes: number;
  readonly heapNBytes: number;
  readonly rssPerConnectionKiB: number;
  readonly heapPerConnectionKiB: number;
}

/** One target of the issue, with what was measured. */
export interface TargetCheck {
  readonly name: string;
  readonly target: string;
  readonly measured: string;
  readonly pass: boolean | null;
  /** why the check is not at the target's conditions, when it is not */
  readonly note: string;
}

/** Everything one `bench:feed` run measured; `--json` prints exactly this. */
export interface FeedBenchResult {
  readonly node: string;
  readonly cpu: string;
  readonly cpus: number;
  readonly platform: string;
  readonly loadAverage: readonly [start: number, end: number];
  readonly options: FeedBenchOptions;
  readonly pinned: boolean;
  readonly memory: MemoryResult | null;
  readonly tickwire: PhaseResult;
  readonly baseline: PhaseResult | null;
  readonly rest: RestLoadResult;
  readonly targets: readonly TargetCheck[];
}

/** The rates of a phase from the two windows. */
export function phaseFigures(server: ServerWindow, client: ClientWindow): PhaseFigures {
  const seconds = client.windowMs / 1000;
  const serverSeconds = (server.end.atMs - server.start.atMs) / 1000;
  const serverCpuUs =
    server.end.cpuUserUs - server.start.cpuUserUs + (server.end.cpuSystemUs - server.start.cpuSystemUs);
  const serverCpuPct = (100 * serverCpuUs) / 1e6 / serverSeconds;
  const messagesPerSec = client.messages / seconds;
  const serverMessages = server.end.messages - server.start.messages;
  let namedJson = 0;
  let v1Json = 0;
  let metered = 0;
  for (const s of client.bySymbol) {
    const m = s.meter;
    if (m === null || m.messages === 0) continue;
    namedJson += (s.messages * m.namedJsonBytes) / m.messages;
    v1Json += (s.messages * m.v1JsonBytes) / m.messages;
    metered += s.messages;
  }
  return {
    seconds,
    commandsPerSec: (server.end.commands - server.start.commands) / serverSeconds,
    messagesPerSec,
    serverMessagesPerSec: serverMessages / serverSeconds,
    serverFramesPerSec: (server.end.frames - server.start.frames) / serverSeconds,
    updatesPerSec: client.updates / seconds,
    framesPerSec: client.frames / seconds,
    messagesPerFrame: client.frames === 0 ? 0 : client.messages / client.frames,
    wireBytesPerSec: client.wireBytes / seconds,
    wireBytesPerMessage: client.messages === 0 ? 0 : client.wireBytes / client.messages,
    serverCpuPct,
    serverRssBytes: server.end.rssBytes,
    clientCpuPct: (100 * (client.cpuUserUs + client.cpuSystemUs)) / 1e6 / seconds,
    messagesPerServerCoreSec: serverCpuPct > 0 ? serverMessages / serverSeconds / (serverCpuPct / 100) : 0,
    namedJsonBytesPerMessage: metered > 0 ? namedJson / metered : null,
    v1JsonBytesPerMessage: metered > 0 ? v1Json / metered : null,
  };
}

/** The issue's targets, on a 2-core machine: 1000 clients, compression on. */
export function checkTargets(
  options: FeedBenchOptions,
  tickwire: PhaseResult,
  memory: MemoryResult | null,
): TargetCheck[] {
  const f = tickwire.figures;
  const atConditions = options.clients >= 1000 && options.deflate;
  const conditions = atConditions ? '' : 'target is for 1000 clients with --deflate on';
  const throughputPass = f.messagesPerSec >= 2_000_000;
  const lat = tickwire.probeWindow.latency;
  const ratio =
    f.namedJsonBytesPerMessage === null ? null : f.wireBytesPerMessage / f.namedJsonBytesPerMessage;
  return [
    {
      name: 'messages/s delivered',
      target: '≥ 2,000,000',
      measured: int(Math.round(f.messagesPerSec)),
      pass: throughputPass,
      note: conditions,
    },
    {
      name: 'end-to-end p99 at that load (probes)',
      target: '≤ 25 ms',
      measured: ms(lat.p99Us),
      pass: lat.p99Us <= 25_000,
      note:
        f.serverMessagesPerSec >= 2_000_000
          ? `server writing ${(f.serverMessagesPerSec / 1e6).toFixed(2)}M msgs/s; ${conditions || 'clients that keep up'}`
          : 'below the target load',
    },
    {
      name: 'wire bytes vs named-field JSON',
      target: '≤ 25%',
      measured: ratio === null ? 'n/a' : pct(ratio),
      pass: ratio === null ? null : ratio <= 0.25,
      note: options.deflate ? '' : 'measured without compression (--deflate off)',
    },
    {
      name: 'server RSS per idle subscribed conn.',
      target: '≤ 64 KiB',
      measured: memory === null ? 'skipped' : `${memory.rssPerConnectionKiB.toFixed(1)} KiB`,
      pass: memory === null ? null : memory.rssPerConnectionKiB <= 64,
      note: memory === null ? '--memory off' : '',
    },
  ];
}

/** The human-readable report. */
export function formatReport(r: FeedBenchResult): string {
  const o = r.options;
  const t = r.tickwire;
  const b = r.baseline;
  const lines: string[] = [
    `Tickwire feed server under load — node ${r.node}, ${r.cpu} × ${r.cpus}, ${r.platform}`,
    `load average ${r.loadAverage[0].toFixed(2)} at the start, ${r.loadAverage[1].toFixed(2)} at the end; ` +
      (r.pinned ? 'server pinned to CPU 0, clients to CPU 1' : 'processes not pinned'),
    '',
    `input     ${int(o.rate)} simulator commands/s (seed ${o.seed}), ${o.flushMs === 0 ? "flush when each turn's work is done" : `minimum flush window ${o.flushMs} ms`}; ` +
      `${int(o.clients)} clients in one process, each on ${o.channels.join(' + ')} of one symbol ` +
      `(${t.clientWindow.bySymbol.map((s) => `${s.symbol} ${s.clients}`).join(', ')}), ` +
      `permessage-deflate ${o.deflate ? `offered (${t.connect.deflated} negotiated)` : 'off'}`,
    `window    ${o.warmup} s warm-up, then ${o.seconds} s measured; every frame decoded (decodeFrame / JSON.parse), ` +
      "latency = wall clock at decode − the update's engine time tsUs",
    '',
    row('', 'tickwire', b === null ? '' : 'baseline ws JSON', b === null ? '' : 'ratio'),
  ];
  const cmp = (
    label: string,
    pick: (p: PhaseResult) => number,
    fmt: (n: number) => string,
    invert = false,
  ) => {
    const a = pick(t);
    const c = b === null ? null : pick(b);
    const ratio = c === null || c === 0 || a === 0 ? '' : `${(invert ? c / a : a / c).toFixed(1)}×`;
    lines.push(row(label, fmt(a), c === null ? '' : fmt(c), ratio));
  };
  cmp('clients subscribed', (p) => p.connect.connected, int);
  cmp(
    'commands/s run',
    (p) => p.figures.commandsPerSec,
    (n) => int(Math.round(n)),
  );
  cmp(
    'messages/s',
    (p) => p.figures.messagesPerSec,
    (n) => int(Math.round(n)),
  );
  cmp(
    '  server wrote',
    (p) => p.figures.serverMessagesPerSec,
    (n) => int(Math.round(n)),
  );
  cmp(
    'frames/s',
    (p) => p.figures.framesPerSec,
    (n) => int(Math.round(n)),
  );
  cmp(
    '  server wrote',
    (p) => p.figures.serverFramesPerSec,
    (n) => int(Math.round(n)),
  );
  cmp(
    'messages/frame',
    (p) => p.figures.messagesPerFrame,
    (n) => n.toFixed(1),
  );
  cmp(
    'wire MB/s',
    (p) => p.figures.wireBytesPerSec / 1e6,
    (n) => n.toFixed(1),
  );
  cmp(
    'wire B/message',
    (p) => p.figures.wireBytesPerMessage,
    (n) => n.toFixed(1),
    true,
  );
  cmp('latency p50', (p) => p.clientWindow.latency.p50Us, ms, true);
  cmp('latency p99', (p) => p.clientWindow.latency.p99Us, ms, true);
  cmp('latency p99.9', (p) => p.clientWindow.latency.p999Us, ms, true);
  cmp('latency max', (p) => p.clientWindow.latency.maxUs, ms, true);
  cmp('probes p50', (p) => p.probeWindow.latency.p50Us, ms, true);
  cmp('probes p99', (p) => p.probeWindow.latency.p99Us, ms, true);
  cmp('probes p99.9', (p) => p.probeWindow.latency.p999Us, ms, true);
  cmp('probes max', (p) => p.probeWindow.latency.maxUs, ms, true);
  cmp(
    'probes msgs/s each',
    (p) => p.probeWindow.messages / (p.probeWindow.windowMs / 1000) / Math.max(1, p.probeWindow.clientsOpen),
    (n) => int(Math.round(n)),
  );
  cmp(
    'server CPU',
    (p) => p.figures.serverCpuPct,
    (n) => `${n.toFixed(0)}%`,
  );
  cmp(
    'server loop busy',
    (p) => 100 * p.serverWindow.elu,
    (n) => `${n.toFixed(0)}%`,
  );
  cmp('server RSS', (p) => p.figures.serverRssBytes, mib);
  cmp(
    'msgs/s per core',
    (p) => p.figures.messagesPerServerCoreSec,
    (n) => int(Math.round(n)),
  );
  cmp(
    'client CPU',
    (p) => p.figures.clientCpuPct,
    (n) => `${n.toFixed(0)}%`,
  );
  cmp(
    'client loop busy',
    (p) => 100 * p.clientWindow.elu,
    (n) => `${n.toFixed(0)}%`,
  );
  lines.push(
    '  Delivered = decoded by the clients inside the window; "server wrote" = written to sockets (the difference',
    "  is backlog). Latency: wall clock at decode − the update's engine time, over every update the clients",
    '  decoded; "probes": one more client per symbol in a process of its own that keeps up (what a real',
    '  subscriber sees while the server carries the load). CPU: user + system, % of one core. "msgs/s per core":',
    '  messages written ÷ server CPU.',
  );
  for (const p of [t, b]) {
    if (p === null) continue;
    const c = p.clientWindow;
    const s = p.serverWindow;
    const closes = Object.entries(c.closes)
      .map(([code, n]) => `${code} × ${n}`)
      .join(', ');
    const errors = Object.entries(c.socketErrors)
      .map(([code, n]) => `${code} × ${n}`)
      .join(', ');
    const clean = c.gaps === 0 && c.resets === 0 && c.errors === 0 && closes === '' && errors === '';
    lines.push(
      `  ${p.server.padEnd(9)} ${clean ? 'no seq gaps, resets, errors or closes' : `seq gaps ${int(c.gaps)}, resets ${int(c.resets)}, error messages ${int(c.errors)}, closed: ${closes || 'none'}, socket errors: ${errors || 'none'}`}; ` +
        `driver lag max ${ms(s.driverLagMaxUs)}, event-loop delay p99 ${s.loopDelayMs.p99.toFixed(1)} ms` +
        (p.server === 'tickwire'
          ? `; frames built ${int(s.end.built - s.start.built)} for ${int(s.end.frames - s.start.frames)} written`
          : ''),
    );
    if (s.elu - p.figures.serverCpuPct / 100 > 0.2) {
      lines.push(
        `  ${p.server.padEnd(9)} the server's event loop was busy ${(100 * s.elu).toFixed(0)}% of the time but used ` +
          `${p.figures.serverCpuPct.toFixed(0)}% of a core: it was waiting for its CPU — other processes on it? Figures are low`,
      );
    }
    if (p.figures.clientCpuPct >= 90 || c.elu >= 0.9) {
      lines.push(
        `  ${p.server.padEnd(9)} the load generator was saturated (${p.figures.clientCpuPct.toFixed(0)}% CPU): ` +
          'deliveries and latency are bounded by the clients, not only by the server',
      );
    }
  }
  const f = t.figures;
  lines.push('', 'bytes per message, as the clients received them (tickwire window)');
  lines.push(
    `  on the wire, msgpack${o.deflate ? ' + deflate' : ''}   ${f.wireBytesPerMessage.toFixed(1)} B`,
  );
  if (f.namedJsonBytesPerMessage !== null && f.v1JsonBytesPerMessage !== null) {
    lines.push(
      `  named-field JSON, 1 msg/frame   ${f.namedJsonBytesPerMessage.toFixed(1)} B   → ours ${pct(f.wireBytesPerMessage / f.namedJsonBytesPerMessage)} of it`,
      `  tickwire.v1.json, uncompressed  ${f.v1JsonBytesPerMessage.toFixed(1)} B   → ours ${pct(f.wireBytesPerMessage / f.v1JsonBytesPerMessage)} of it`,
      `  payload after inflate           ${(t.clientWindow.payloadBytes / Math.max(1, t.clientWindow.messages)).toFixed(1)} B`,
      "  JSON sizes from one meter client per symbol (each symbol's clients get identical frames), weighted by",
      '  the messages each symbol delivered; frame headers included, TCP/IP headers not.',
    );
  }
  const m = r.memory;
  lines.push('');
  if (m === null) lines.push('memory    skipped (--memory off)');
  else {
    lines.push(
      `memory    server RSS ${mib(m.rss0Bytes)} with no clients → ${mib(m.rssNBytes)} with ${int(m.connected)} idle ` +
        `subscribed connections (${m.rate} commands/s, after GC): ${m.rssPerConnectionKiB.toFixed(1)} KiB RSS, ` +
        `${m.heapPerConnectionKiB.toFixed(1)} KiB heap per connection`,
    );
  }
  for (const [p, prof, who] of [
    [t, t.profile, 'server'],
    [t, t.clientProfile, 'clients'],
    [b, b?.profile, 'server'],
    [b, b?.clientProfile, 'clients'],
  ] as const) {
    if (prof === null || prof === undefined) continue;
    lines.push(
      '',
      `${who} profile (${p?.server}), ${int(Math.round(prof.totalMs))} ms sampled: ${prof.path}`,
    );
    for (const bucket of prof.buckets) {
      if (bucket.share < 0.005) continue;
      lines.push(`  ${pct(bucket.share).padStart(6)}  ${bucket.name}`);
    }
    lines.push('  top self time:');
    for (const fn of prof.top) lines.push(`  ${pct(fn.share).padStart(6)}  ${fn.fn}`);
  }
  lines.push('', `REST      ${r.rest.status === 'skipped' ? `skipped: ${r.rest.reason}` : 'see --json'}`);
  lines.push('', 'targets');
  for (const c of r.targets) {
    const mark = c.pass === null ? 'n/a' : c.pass ? 'PASS' : 'FALL SHORT';
    lines.push(
      `  ${c.name.padEnd(38)}${c.target.padEnd(14)}${c.measured.padEnd(14)}${mark}${c.note === '' ? '' : ` (${c.note})`}`,
    );
  }
  return lines.join('\n');
}

function row(label: string, a: string, b: string, c: string): string {
  return `${label.padEnd(20)}${a.padStart(14)}${b.padStart(20)}${c.padStart(10)}`;
}

function int(n: number): string {
  return n.toLocaleString('en-US');
}

function ms(us: number): string {
  const v = us / 1000;
  return `${v < 10 ? v.toFixed(2) : v < 1000 ? v.toFixed(1) : int(Math.round(v))} ms`;
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}
