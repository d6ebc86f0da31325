/**
 * `npm run bench [-- --quick] [--only engine,feed,…]`: every benchmark, each in its own process with `--json`, then
 * bench/RESULTS.md (tables and SVG charts beside it) and bench/results.json (every run's JSON, with the commit,
 * Node version, CPU model and core count), and a summary on stdout. `--quick` is a smoke run of about two
 * minutes; the full run stays under fifteen on two cores.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { headlines, resultsMarkdown, type SuiteResults } from './results-report.ts';
import { runBench, suitePlan } from './runs.ts';

const BENCH_DIR = fileURLToPath(new URL('..', import.meta.url));

const USAGE = `Usage: npm run bench -- [flags]
  --quick        a smoke run (about 2 minutes) instead of the full one (under 15 minutes on 2 cores)
  --only LIST    only the runs whose id starts with one of LIST (comma-separated: engine, encoding, feed, log)
  --out DIR      where RESULTS.md, results.json and the charts go (default bench/)
  --render       only write RESULTS.md and the charts again from DIR/results.json (no benchmark runs)
  --help`;

function git(args: string[]): string {
  try {
    return execFileSync('git', args, {
      cwd: BENCH_DIR,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return '';
  }
}

async function main(): Promise<number> {
  let values: { quick?: boolean; only?: string; out?: string; render?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      strict: true,
      options: {
        quick: { type: 'boolean' },
        only: { type: 'string' },
        out: { type: 'string' },
        render: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (values.render === true) {
    const dir = values.out ?? BENCH_DIR;
    const saved = JSON.parse(fs.readFileSync(path.join(dir, 'results.json'), 'utf8')) as SuiteResults;
    writeReport(saved, dir);
    return 0;
  }
  const quick = values.quick === true;
  const only = values.only?.split(',').map((s) => s.trim());
  const plan = suitePlan(quick).filter((r) => only === undefined || only.some((o) => r.id.startsWith(o)));
  const out = values.out ?? BENCH_DIR;
  const t0 = performance.now();
  const load0 = os.loadavg()[0] ?? 0;
  const runs: Record<string, SuiteResults['runs'][string]> = {};
  for (const [i, run] of plan.entries()) {
    process.stderr.write(`[${i + 1}/${plan.length}] ${run.id}: ${run.script} ${run.args.join(' ')}\n`);
    try {
      const r = await runBench(run, (line) => process.stderr.write(`    ${line}\n`));
      runs[run.id] = r;
      process.stderr.write(`    done in ${r.seconds.toFixed(0)} s\n`);
    } catch (error) {
      runs[run.id] = { error: String((error as Error).message) };
      process.stderr.write(`    FAILED: ${String((error as Error).message)}\n`);
    }
  }
  const cpus = os.cpus();
  const results: SuiteResults = {
    meta: {
      commit: git(['rev-parse', '--short=12', 'HEAD']) || 'unknown',
      dirty: git(['status', '--porcelain']) !== '',
      date: new Date().toISOString(),
      node: process.version,
      cpu: cpus[0]?.model.trim() ?? 'unknown',
      cores: cpus.length,
      platform: `${process.platform} ${process.arch}`,
      quick,
      loadAverage: [load0, os.loadavg()[0] ?? 0],
      seconds: (performance.now() - t0) / 1000,
    },
    runs,
  };
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'results.json'), `${JSON.stringify(results, null, 1)}\n`);
  const charts = writeReport(results, out);
  const summary = [
    `Tickwire benchmarks (${quick ? 'quick' : 'full'}) at ${results.meta.commit} in ${Math.round(results.meta.seconds)} s — ${results.meta.cpu} × ${results.meta.cores}, Node ${results.meta.node}`,
    ...headlines(results).map(
      (h) => `  ${h.what.padEnd(62)} ${h.ours.padStart(16)} vs ${h.baseline.padStart(16)}  ${h.ratio}`,
    ),
    `failed runs: ${
      Object.entries(runs)
        .filter(([, r]) => 'error' in r)
        .map(([id]) => id)
        .join(', ') || 'none'
    }`,
    `wrote ${path.join(out, 'RESULTS.md')}, results.json and ${charts} charts`,
  ];
  process.stdout.write(`${summary.join('\n')}\n`);
  return Object.values(runs).some((r) => 'error' in r) ? 1 : 0;
}

/**
 * Hand-written sections appended to RESULTS.md: runs too long for the suite's budget (the 10-minute recording
 * soak of `npm run bench:soak`), kept in bench/log/SOAK.md with their date, commit and load.
 */
const HAND_WRITTEN = [path.join(BENCH_DIR, 'log', 'SOAK.md')];

/** Writes RESULTS.md and the charts for `results` into `dir`; returns how many charts. */
function writeReport(results: SuiteResults, dir: string): number {
  const { markdown, charts } = resultsMarkdown(results);
  const extra = HAND_WRITTEN.filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f, 'utf8'));
  fs.writeFileSync(
    path.join(dir, 'RESULTS.md'),
    `${[markdown, ...extra].map((text) => text.trimEnd()).join('\n\n')}\n`,
  );
  for (const [name, svg] of charts) fs.writeFileSync(path.join(dir, name), svg);
  return charts.size;
}

process.exitCode = await main();
