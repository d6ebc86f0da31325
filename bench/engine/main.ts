/**
 * `npm run bench:engine -- [--quick] [--json] [--count N] …`: our `MatchingEngine` against nodejs-order-book
 * on one pre-generated mix (throughput, per-command latency), then ours alone for heap flatness. Figures,
 * not assertions. Progress goes to stderr; the report (or the JSON) to stdout.
 */
import os from 'node:os';
import { readBenchArgs } from '../common/read-bench-args.ts';
import { type BookRunner, compareRuns } from './book-runner.ts';
import { type LatencySummary, measureTimerOverhead, newLatencyHistogram, summarize } from './latency.ts';
import { runLongMemory } from './memory.ts';
import { type BenchOptions, parseBenchArgs, USAGE } from './options.ts';
import { OursRunner } from './ours-adapter.ts';
import { PeerRunner } from './peer-adapter.ts';
import { type BenchResult, checkTargets, formatReport, type ThroughputFigures } from './report.ts';
import { DEFAULT_WORKLOAD, type WorkloadConfig, WorkloadGenerator } from './workload.ts';

function main(argv: readonly string[]): number {
  const options = readBenchArgs(argv, parseBenchArgs, USAGE);
  if (typeof options === 'number') return options;
  const gc = globalThis.gc;
  if (gc === undefined) {
    process.stderr.write(
      'bench:engine needs a callable GC: run it with node --expose-gc (npm run bench:engine does)\n',
    );
    return 2;
  }
  const log = options.json ? () => {} : (msg: string) => process.stderr.write(`· ${msg}\n`);
  const config: WorkloadConfig = { ...DEFAULT_WORKLOAD, seed: options.seed, resting: options.resting };
  const loadAtStart = os.loadavg()[0] ?? 0;

  const compared = compare(options, config, gc, log);
  gc();
  let memory = null;
  if (options.long > 0) {
    log(`memory: tickwire alone, ${options.long.toLocaleString('en-US')} commands`);
    memory = runLongMemory(config, options.long, gc);
  }
  const cpus = os.cpus();
  const result: BenchResult = {
    node: process.version,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cpus: cpus.length,
    platform: `${process.platform} ${process.arch}`,
    loadAverage: [loadAtStart, os.loadavg()[0] ?? 0],
    options,
    ...compared,
    memory,
    targets: checkTargets(compared),
  };
  process.stdout.write(options.json ? `${JSON.stringify(result)}\n` : `${formatReport(result)}\n`);
  return 0;
}

/** Everything that runs both books. The pre-generated commands die with this call, before the memory run. */
function compare(
  options: BenchOptions,
  config: WorkloadConfig,
  gc: () => void,
  log: (msg: string) => void,
): Pick<BenchResult, 'workload' | 'equivalence' | 'throughput' | 'latency'> {
  log(
    `generating ${options.count.toLocaleString('en-US')} commands (seed ${config.seed}, ${config.resting} resting)`,
  );
  const gen = new WorkloadGenerator(config);
  const prefill = gen.prefill();
  const measured = gen.next(options.count);
  const ours = prefill.ours.concat(measured.ours);
  const peer = prefill.peer.concat(measured.peer);
  const start = prefill.ours.length;
  const end = ours.length;
  const makeOurs = (): OursRunner => new OursRunner(ours);
  const makePeer = (): PeerRunner => new PeerRunner(peer);

  log('warming up both books');
  const warmEnd = start + Math.min(options.warmup, options.count);
  for (const make of [makeOurs, makePeer]) {
    const r = make();
    r.run(0, start);
    const half = start + ((warmEnd - start) >> 1);
    r.run(start, half);
    r.runRecorded(half, warmEnd, newLatencyHistogram());
  }

  const oursRuns: number[] = [];
  const peerRuns: number[] = [];
  let firstOurs: OursRunner | undefined;
  let firstPeer: PeerRunner | undefined;
  for (let rep = 0; rep < options.reps; rep++) {
    // Alternate which book goes first, so neither always inherits the other's garbage or a cooler CPU.
    const order = rep % 2 === 0 ? (['ours', 'peer'] as const) : (['peer', 'ours'] as const);
    for (const which of order) {
      log(
        `throughput run ${rep + 1}/${options.reps}: ${which === 'ours' ? 'tickwire' : 'nodejs-order-book'}`,
      );
      if (which === 'ours') {
        const { runner, opsPerSec } = timedRun(makeOurs, start, end, gc);
        oursRuns.push(opsPerSec);
        firstOurs ??= runner;
      } else {
        const { runner, opsPerSec } = timedRun(makePeer, start, end, gc);
        peerRuns.push(opsPerSec);
        firstPeer ??= runner;
      }
    }
  }
  if (firstOurs === undefined || firstPeer === undefined) throw new Error('no throughput run happened');
  const diffs = compareRuns(firstOurs, firstPeer);

  log('latency: timer overhead');
  const timerOverhead = measureTimerOverhead(Math.min(1_000_000, Math.max(100_000, options.count)));
  log('latency: tickwire');
  const oursLatency = recordedRun(makeOurs, start, end, gc);
  log('latency: nodejs-order-book');
  const peerLatency = recordedRun(makePeer, start, end, gc);

  const tickwire = figures(oursRuns);
  const peerFigures = figures(peerRuns);
  return {
    workload: { prefill: start, stats: measured.stats, eventsPerCommand: firstOurs.events / end },
    equivalence: {
      commands: end,
      tradedQty: firstOurs.tally.tradedQty,
      rejects: firstOurs.tally.rejects,
      diffs,
    },
    throughput: {
      method: `median of ${options.reps} runs per book, each on a fresh book, books alternating`,
      tickwire,
      peer: peerFigures,
      ratio: tickwire.medianOpsPerSec / peerFigures.medianOpsPerSec,
    },
    latency: {
      method: 'every command of one more run per book, wall time around submit (closed loop)',
      timerOverhead,
      tickwire: oursLatency,
      peer: peerLatency,
    },
  };
}

/** A fresh book, the prefill untimed, then `[start, end)` timed as one block. */
function timedRun<R extends BookRunner>(
  make: () => R,
  start: number,
  end: number,
  gc: () => void,
): { runner: R; opsPerSec: number } {
  const runner = make();
  runner.run(0, start);
  gc();
  const t0 = process.hrtime.bigint();
  runner.run(start, end);
  const ns = Number(process.hrtime.bigint() - t0);
  return { runner, opsPerSec: (end - start) / (ns / 1e9) };
}

/** A fresh book, the prefill untimed, then every command of `[start, end)` timed on its own. */
function recordedRun(make: () => BookRunner, start: number, end: number, gc: () => void): LatencySummary {
  const runner = make();
  runner.run(0, start);
  gc();
  const h = newLatencyHistogram();
  runner.runRecorded(start, end, h);
  return summarize(h);
}

function figures(runs: readonly number[]): ThroughputFigures {
  const sorted = [...runs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median =
    sorted.length % 2 === 1
      ? (sorted[mid] as number)
      : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { medianOpsPerSec: median, runsOpsPerSec: runs };
}

process.exitCode = main(process.argv.slice(2));
