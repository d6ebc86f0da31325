import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { LogReader } from '../../replay/src/index.ts';
import { intFlag } from '../common/int-flag.ts';
import { readBenchArgs } from '../common/read-bench-args.ts';

/**
 * `npm run bench:soak`: the recording soak of issue 11 §1. Runs the real `tickwire serve` (default fsync batch)
 * for minutes, samples its RSS and the recording's durable frontier — read from the log directory itself, so it
 * also measures a build without the recording metrics (`--bin` of another checkout) — plus `/metrics`' lag when
 * the build has it, then stops it with SIGTERM and runs `tickwire log verify` on the session.
 */

const USAGE = `Usage: npm run bench:soak -- [flags]
  --minutes N      how long serve runs (default 5)
  --seconds N      … or in seconds (overrides --minutes)
  --rate N         simulator commands per second (default 2000)
  --sample-ms N    frontier sampling interval (default 500)
  --rows N         table rows printed (default 20)
  --bin FILE       the tickwire binary (default this checkout's cli/bin/tickwire.js)
  --json FILE      also write every sample and the summary as JSON
  --keep           keep the recorded session (default: deleted)
  --help`;

interface SoakOptions {
  readonly seconds: number;
  readonly rate: number;
  readonly sampleMs: number;
  readonly rows: number;
  readonly bin: string;
  readonly json: string | undefined;
  readonly keep: boolean;
}

function parseSoakArgs(argv: readonly string[]): SoakOptions | null {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      minutes: { type: 'string' },
      seconds: { type: 'string' },
      rate: { type: 'string' },
      'sample-ms': { type: 'string' },
      rows: { type: 'string' },
      bin: { type: 'string' },
      json: { type: 'string' },
      keep: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help === true) return null;
  const minutes = intFlag('minutes', values.minutes, 5, 1);
  return {
    seconds: intFlag('seconds', values.seconds, minutes * 60, 1),
    rate: intFlag('rate', values.rate, 2000, 1),
    sampleMs: intFlag('sample-ms', values['sample-ms'], 500, 50),
    rows: intFlag('rows', values.rows, 20, 1),
    bin: values.bin ?? fileURLToPath(new URL('../../cli/bin/tickwire.js', import.meta.url)),
    json: values.json,
    keep: values.keep === true,
  };
}

/** One sample of the running server. */
interface Sample {
  /** seconds since serve said where it records */
  readonly t: number;
  readonly rssMiB: number;
  /** the log's last whole record on disk (what a kill -9 now would keep) */
  readonly logSeq: number;
  /** wall clock minus that record's feed time, s */
  readonly logBehindS: number;
  /** from /metrics, when the build has them */
  readonly durableSeq: number | null;
  readonly lagRecords: number | null;
  readonly lagSeconds: number | null;
  readonly bufferedBytes: number | null;
  readonly dropped: number | null;
  readonly state: string | null;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m?.[1] === undefined ? Number.NaN : Number(m[1]) / 1024;
}

function metric(text: string, name: string): number | null {
  const m = new RegExp(`^${name} ([0-9.e+-]+)$`, 'm').exec(text);
  return m?.[1] === undefined ? null : Number(m[1]);
}

/** The log's last record: opened read-only, its tail checked, never repaired. */
function logFrontier(dir: string): { seq: number; tsUs: number } {
  const r = LogReader.open(dir, { repair: false, verify: 'tail', onWarning: () => {} });
  try {
    return { seq: r.lastSeq, tsUs: r.lastTsUs ?? 0 };
  } finally {
    r.close();
  }
}

async function startServe(o: SoakOptions, dataDir: string) {
  const child = spawn(
    process.execPath,
    [o.bin, 'serve', '--port', '0', '--rate', String(o.rate), '--data-dir', dataDir],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => {
    stderr += b.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const ready = await new Promise<{ url: string; dir: string }>((resolve, reject) => {
    child.stdout?.on('data', (b: Buffer) => {
      stdout += b.toString();
      const url = /on (http:\/\/localhost:\d+)/.exec(stdout)?.[1];
      const dir = /Recording to (\S+)/.exec(stdout)?.[1];
      if (url !== undefined && dir !== undefined) resolve({ url, dir });
    });
    child.on('close', () => reject(new Error(`serve exited early: ${stderr}`)));
  });
  return { child, exited, ...ready, stderr: () => stderr };
}

async function sample(child: ChildProcess, url: string, dir: string, t: number): Promise<Sample> {
  const f = logFrontier(dir);
  let text = '';
  try {
    text = await (await fetch(`${url}/metrics`)).text();
  } catch {
    text = ''; // a scrape that fails is a gap in the /metrics columns, not in the soak
  }
  const recording = /^tickwire_recording_state\{state="(\w+)"\} 1$/m.exec(text)?.[1] ?? null;
  return {
    t,
    rssMiB: rssMiB(child.pid as number),
    logSeq: f.seq,
    logBehindS: f.tsUs === 0 ? Number.NaN : Date.now() / 1000 - f.tsUs / 1e6,
    durableSeq: metric(text, 'tickwire_recording_durable_seq'),
    lagRecords: metric(text, 'tickwire_recording_lag_records'),
    lagSeconds: metric(text, 'tickwire_recording_lag_seconds'),
    bufferedBytes: metric(text, 'tickwire_recording_buffered_bytes'),
    dropped: metric(text, 'tickwire_recording_dropped_records_total'),
    state: recording,
  };
}

const fmt = (n: number | null, digits = 0) =>
  n === null || Number.isNaN(n)
    ? '—'
    : n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

async function main(argv: readonly string[]): Promise<number> {
  const o = readBenchArgs(argv, parseSoakArgs, USAGE);
  if (typeof o === 'number') return o;
  const dataDir = mkdtempSync(join(tmpdir(), 'tickwire-soak-'));
  const serve = await startServe(o, dataDir);
  process.stderr.write(
    `soak: ${o.bin} serve --rate ${o.rate} for ${o.seconds} s, recording to ${serve.dir}\n`,
  );
  const samples: Sample[] = [];
  const t0 = performance.now();
  let lastProgressT = 0;
  let lastSeq = -1;
  let longestStallS = 0;
  for (let k = 0; ; k++) {
    const due = t0 + k * o.sampleMs;
    await sleep(Math.max(0, due - performance.now()));
    const t = (performance.now() - t0) / 1000;
    if (t > o.seconds) break;
    const s = await sample(serve.child, serve.url, serve.dir, t);
    samples.push(s);
    if (s.logSeq > lastSeq) {
      lastSeq = s.logSeq;
      lastProgressT = t;
    }
    longestStallS = Math.max(longestStallS, t - lastProgressT);
    if (k % Math.max(1, Math.round(60_000 / o.sampleMs)) === 0) {
      process.stderr.write(`soak: t=${t.toFixed(0)} s, rss ${fmt(s.rssMiB, 1)} MiB, log seq ${s.logSeq}\n`);
    }
  }
  const stopAt = Date.now();
  serve.child.kill('SIGTERM');
  const code = await serve.exited;
  const stopS = (Date.now() - stopAt) / 1000;
  const verify = spawnSync(process.execPath, [o.bin, 'log', 'verify', serve.dir], { encoding: 'utf8' });
  const final = logFrontier(serve.dir);

  const rows: Sample[] = [];
  const step = Math.max(1, Math.floor(samples.length / o.rows));
  for (let i = 0; i < samples.length; i += step) rows.push(samples[i] as Sample);
  if (rows.at(-1) !== samples.at(-1) && samples.length > 0) rows.push(samples.at(-1) as Sample);
  const out: string[] = [];
  out.push(`Recording soak: ${o.bin} serve --rate ${o.rate}, fsync batch, ${o.seconds} s`);
  out.push('');
  out.push(
    '| t (s) | RSS (MiB) | log seq on disk | disk behind wall (s) | durable seq (/metrics) | lag (records) | lag (s) | buffered (KiB) | dropped | state |',
  );
  out.push('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const s of rows) {
    out.push(
      `| ${fmt(s.t, 1)} | ${fmt(s.rssMiB, 1)} | ${fmt(s.logSeq)} | ${fmt(s.logBehindS, 2)} | ${fmt(s.durableSeq)} | ${fmt(s.lagRecords)} | ${fmt(s.lagSeconds, 3)} | ${s.bufferedBytes === null ? '—' : fmt(s.bufferedBytes / 1024, 1)} | ${fmt(s.dropped)} | ${s.state ?? '—'} |`,
    );
  }
  const rss = samples.map((s) => s.rssMiB);
  const lags = samples.map((s) => s.lagSeconds).filter((x): x is number => x !== null);
  const summary = {
    bin: o.bin,
    rate: o.rate,
    seconds: o.seconds,
    samples: samples.length,
    rssStartMiB: rss[0] ?? null,
    rssEndMiB: rss.at(-1) ?? null,
    rssMaxMiB: rss.length === 0 ? null : Math.max(...rss),
    longestFrontierStallS: longestStallS,
    logSeqAtLastSample: samples.at(-1)?.logSeq ?? null,
    logSeqAfterStop: final.seq,
    maxLagSeconds: lags.length === 0 ? null : Math.max(...lags),
    stopSeconds: stopS,
    exitCode: code,
    verifyExitCode: verify.status,
  };
  out.push('');
  out.push(
    `RSS start ${fmt(summary.rssStartMiB, 1)} MiB, end ${fmt(summary.rssEndMiB, 1)} MiB, max ${fmt(summary.rssMaxMiB, 1)} MiB; ` +
      `longest time without frontier progress ${fmt(longestStallS, 1)} s (sampled every ${o.sampleMs} ms); ` +
      `max lag ${fmt(summary.maxLagSeconds, 3)} s`,
  );
  out.push(
    `log seq at the last sample ${fmt(summary.logSeqAtLastSample)}, after SIGTERM ${fmt(final.seq)} ` +
      `(stopped in ${fmt(stopS, 2)} s, exit ${String(code)}); log verify exit ${String(verify.status)}: ${verify.stdout.split('\n')[0] ?? ''}`,
  );
  process.stdout.write(`${out.join('\n')}\n`);
  if (o.json !== undefined) writeFileSync(o.json, `${JSON.stringify({ summary, samples }, null, 2)}\n`);
  if (!o.keep) rmSync(dataDir, { recursive: true, force: true });
  else process.stderr.write(`soak: kept ${serve.dir}\n`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
