import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { intFlag } from '../common/int-flag.ts';
import { readBenchArgs } from '../common/read-bench-args.ts';
import {
  instrumentScalingMarkdown,
  instrumentScalingTargets,
  type ScalingPoint,
} from './instrument-scaling-report.ts';

/**
 * `npm run bench:instruments`: what the number of instruments costs at a fixed order rate (issue 13, "cost
 * follows the events"). For each count, runs the real `tickwire serve` with that many generated instruments, no
 * client, the simulator at `--rate` commands/s in total, and samples the process's RSS and CPU time from /proc;
 * prints RSS (after startup and at the end), RSS per instrument over the smallest count, and CPU as % of one core
 * over the measured window (after `--warmup`).
 */

const USAGE = `Usage: npm run bench:instruments -- [flags]
  --counts LIST    instrument counts (default 3,30,300,1000)
  --rate N         simulator commands per second in total (default 3000)
  --seconds N      measured window per count (default 20)
  --warmup N       seconds before the window (default 5)
  --record         record the session (to a temp dir, deleted); default --no-record
  --bin FILE       the tickwire binary (default this checkout's cli/bin/tickwire.js)
  --quick          counts 3,300, 5 s window, 2 s warm-up
  --json           print one JSON object instead of the table
  --help`;

interface ScalingOptions {
  readonly counts: readonly number[];
  readonly rate: number;
  readonly seconds: number;
  readonly warmup: number;
  readonly record: boolean;
  readonly bin: string;
  readonly json: boolean;
}

function parseScalingArgs(argv: readonly string[]): ScalingOptions | null {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      counts: { type: 'string' },
      rate: { type: 'string' },
      seconds: { type: 'string' },
      warmup: { type: 'string' },
      record: { type: 'boolean' },
      bin: { type: 'string' },
      quick: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help === true) return null;
  const quick = values.quick === true;
  const counts = (values.counts ?? (quick ? '3,300' : '3,30,300,1000'))
    .split(',')
    .map((c) => intFlag('counts', c, 0, 1));
  return {
    counts,
    rate: intFlag('rate', values.rate, 3000, 1),
    seconds: intFlag('seconds', values.seconds, quick ? 5 : 20, 1),
    warmup: intFlag('warmup', values.warmup, quick ? 2 : 5, 0),
    record: values.record === true,
    bin: values.bin ?? fileURLToPath(new URL('../../cli/bin/tickwire.js', import.meta.url)),
    json: values.json === true,
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m?.[1] === undefined ? Number.NaN : Number(m[1]) / 1024;
}

/** utime + stime of the process, in clock ticks (100 per second on Linux). */
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may contain spaces: fields count from after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}
const CLOCK_TICKS_PER_S = 100;

/** `n` instruments in the config format `serve --instruments` reads, prices spread so books differ. */
function instrumentConfig(n: number): unknown {
  return {
    instruments: Array.from({ length: n }, (_, k) => ({
      symbol: `SYM${String(k).padStart(4, '0')}`,
      tickSize: '0.01',
      lotSize: '0.001',
      initialPrice: `${50 + (k % 200)}.00`,
    })),
  };
}

async function measure(o: ScalingOptions, n: number): Promise<ScalingPoint> {
  const dir = mkdtempSync(join(tmpdir(), 'tickwire-instruments-'));
  const config = join(dir, 'instruments.json');
  writeFileSync(config, JSON.stringify(instrumentConfig(n)));
  const record = o.record ? ['--data-dir', join(dir, 'data'), '--fsync', 'none'] : ['--no-record'];
  const child = spawn(
    process.execPath,
    [o.bin, 'serve', '--port', '0', '--rate', String(o.rate), '--instruments', config, ...record],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => {
    stderr += b.toString();
  });
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (b: Buffer) => {
        stdout += b.toString();
        if (/on http:\/\/localhost:\d+/.test(stdout)) resolve();
      });
      child.on('close', () => reject(new Error(`serve exited early: ${stderr}`)));
    });
    const pid = child.pid as number;
    await sleep(o.warmup * 1000);
    const rssStartMiB = rssMiB(pid);
    const t0 = performance.now();
    const c0 = cpuTicks(pid);
    let rssMaxMiB = rssStartMiB;
    const end = t0 + o.seconds * 1000;
    while (performance.now() < end) {
      await sleep(Math.min(500, end - performance.now()));
      rssMaxMiB = Math.max(rssMaxMiB, rssMiB(pid));
    }
    const cpuS = (cpuTicks(pid) - c0) / CLOCK_TICKS_PER_S;
    const wallS = (performance.now() - t0) / 1000;
    return {
      instruments: n,
      rssStartMiB,
      rssEndMiB: rssMiB(pid),
      rssMaxMiB,
      cpuPct: (100 * cpuS) / wallS,
      rate: o.rate,
    };
  } finally {
    child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const parsed = readBenchArgs(process.argv.slice(2), parseScalingArgs, USAGE);
  if (typeof parsed === 'number') return parsed;
  const points: ScalingPoint[] = [];
  for (const n of parsed.counts) {
    process.stderr.write(`instruments ${n}: ${parsed.warmup + parsed.seconds} s…\n`);
    points.push(await measure(parsed, n));
  }
  const result = { options: parsed, points, targets: instrumentScalingTargets(points) };
  if (parsed.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else process.stdout.write(instrumentScalingMarkdown(result));
  return 0;
}

process.exitCode = await main();
