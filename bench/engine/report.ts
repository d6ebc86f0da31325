import type { LatencySummary } from './latency.ts';
import type { MemoryResult } from './memory.ts';
import type { BenchOptions } from './options.ts';
import type { MixStats } from './workload.ts';

/** Orders per second of each timed run, and their median (the figure compared). */
export interface ThroughputFigures {
  readonly medianOpsPerSec: number;
  readonly runsOpsPerSec: readonly number[];
}

/** One target the engine is held to, with what was measured. */
export interface TargetCheck {
  readonly name: string;
  readonly target: string;
  readonly measured: string;
  readonly pass: boolean;
}

/** Everything one `bench:engine` run measured; `--json` prints exactly this. */
export interface BenchResult {
  readonly node: string;
  readonly cpu: string;
  readonly cpus: number;
  readonly platform: string;
  /** 1-minute load average at the start and at the end (which counts this run too): high means shared CPUs */
  readonly loadAverage: readonly [start: number, end: number];
  readonly options: BenchOptions;
  readonly workload: {
    /** untimed passive orders that fill the book before each run */
    readonly prefill: number;
    readonly stats: MixStats;
    /** events our engine emitted per command */
    readonly eventsPerCommand: number;
  };
  readonly equivalence: {
    /** commands both books ran before being compared */
    readonly commands: number;
    readonly tradedQty: number;
    readonly rejects: Readonly<Record<string, number>>;
    /** empty when both agree on traded quantity, rejects and final depth */
    readonly diffs: readonly string[];
  };
  readonly throughput: {
    readonly method: string;
    readonly tickwire: ThroughputFigures;
    readonly peer: ThroughputFigures;
    /** tickwire median / peer median */
    readonly ratio: number;
  };
  readonly latency: {
    readonly method: string;
    readonly timerOverhead: LatencySummary;
    readonly tickwire: LatencySummary;
    readonly peer: LatencySummary;
  };
  readonly memory: MemoryResult | null;
  readonly targets: readonly TargetCheck[];
}

/** The targets: ≥ 3× the peer's throughput, our p99 ≤ 5 µs, ≥ 1.5M orders/s on the mix. */
export function checkTargets(r: Pick<BenchResult, 'throughput' | 'latency'>): TargetCheck[] {
  const ours = r.throughput.tickwire.medianOpsPerSec;
  return [
    {
      name: 'throughput vs nodejs-order-book',
      target: '≥ 3×',
      measured: `${r.throughput.ratio.toFixed(1)}×`,
      pass: r.throughput.ratio >= 3,
    },
    {
      name: 'tickwire p99 latency',
      target: '≤ 5 µs',
      measured: us(r.latency.tickwire.p99Ns),
      pass: r.latency.tickwire.p99Ns <= 5000,
    },
    {
      name: 'tickwire throughput on the mix',
      target: '≥ 1.5M orders/s',
      measured: `${(ours / 1e6).toFixed(2)}M orders/s`,
      pass: ours >= 1.5e6,
    },
  ];
}

/** The human-readable report. */
export function formatReport(r: BenchResult): string {
  const s = r.workload.stats;
  const pct = (n: number): string => `${((100 * n) / s.commands).toFixed(1)}%`;
  const marketable = s.marketableGtc + s.marketableIoc + s.marketableFok;
  const eq = r.equivalence;
  const rejects = Object.entries(eq.rejects)
    .map(([code, n]) => `${code} ${int(n)}`)
    .join(', ');
  const lines: string[] = [
    `Tickwire matching engine vs nodejs-order-book — node ${r.node}, ${r.cpu} × ${r.cpus}, ${r.platform}`,
    `load average ${r.loadAverage[0].toFixed(2)} at the start, ${r.loadAverage[1].toFixed(2)} at the end` +
      (Math.max(...r.loadAverage) > 0.5
        ? ' — other processes were running: expect noise, tails most of all'
        : ''),
    '',
    `workload  seed ${r.options.seed}; ${int(s.commands)} commands per run after an untimed prefill of ${int(r.workload.prefill)} resting orders`,
    `  mix     passive ${pct(s.passive)} · cancel ${pct(s.cancel)} · marketable limit ${pct(marketable)} ` +
      `(GTC ${pct(s.marketableGtc)}, IOC ${pct(s.marketableIoc)}, FOK ${pct(s.marketableFok)} of which ` +
      `${int(s.fokNotFillable)} not fillable) · market ${pct(s.market)}` +
      (s.fallbacks > 0 ? ` · ${int(s.fallbacks)} fallbacks to passive` : ''),
    `  book    ${int(Math.round(s.restingMean))} resting on average (${int(s.restingMin)}–${int(s.restingMax)}), ` +
      `${s.bidLevelsMean.toFixed(1)} bid / ${s.askLevelsMean.toFixed(1)} ask levels; ` +
      `${r.workload.eventsPerCommand.toFixed(2)} tickwire events per command`,
    eq.diffs.length === 0
      ? `  same    after ${int(eq.commands)} commands both books traded ${int(eq.tradedQty)} lots, refused the same ` +
        `(${rejects || 'none'}) and hold the same depth`
      : `  DIVERGED after ${int(eq.commands)} commands: ${eq.diffs.join('; ')}`,
    '',
    row('', 'tickwire', 'nodejs-order-book', 'ratio'),
    row(
      'orders/s',
      int(Math.round(r.throughput.tickwire.medianOpsPerSec)),
      int(Math.round(r.throughput.peer.medianOpsPerSec)),
      `${r.throughput.ratio.toFixed(1)}×`,
    ),
    `  ${r.throughput.method}; runs: tickwire ${runs(r.throughput.tickwire)}, nodejs-order-book ${runs(r.throughput.peer)}`,
  ];
  for (const [label, key] of [
    ['latency p50', 'p50Ns'],
    ['latency p99', 'p99Ns'],
    ['latency p99.9', 'p999Ns'],
    ['latency max', 'maxNs'],
  ] as const) {
    const a = r.latency.tickwire[key];
    const b = r.latency.peer[key];
    lines.push(row(label, us(a), us(b), `${(b / a).toFixed(1)}×`));
  }
  const t = r.latency.timerOverhead;
  lines.push(
    `  ${r.latency.method}; timer overhead p50 ${int(t.p50Ns)} ns, p99 ${int(t.p99Ns)} ns (in the figures)`,
  );
  const m = r.memory;
  lines.push('');
  if (m === null) lines.push('memory    skipped (--long 0)');
  else {
    const delta = m.heapAfterBytes - m.heapBeforeBytes;
    lines.push(
      `memory    tickwire alone, ${int(m.commands)} commands: heap used ${mb(m.heapBeforeBytes)} → ${mb(m.heapAfterBytes)} ` +
        `(${delta >= 0 ? '+' : ''}${mb(delta)}; largest after a chunk ${mb(m.heapMaxBytes)}), ` +
        `open orders ${int(m.openOrdersBefore)} → ${int(m.openOrdersAfter)}, ${int(Math.round(m.opsPerSec))} orders/s`,
      `  after a forced GC, once warm; commands generated ${int(m.chunkSize)} at a time and dropped before each measurement`,
    );
  }
  lines.push('', 'targets');
  for (const c of r.targets) {
    lines.push(
      `  ${c.name.padEnd(34)}${c.target.padEnd(18)}${c.measured.padEnd(20)}${c.pass ? 'PASS' : 'FALL SHORT'}`,
    );
  }
  return lines.join('\n');
}

function row(label: string, a: string, b: string, c: string): string {
  return `${label.padEnd(16)}${a.padStart(14)}${b.padStart(20)}${c.padStart(10)}`;
}

function runs(f: ThroughputFigures): string {
  return f.runsOpsPerSec.map((x) => int(Math.round(x))).join(' / ');
}

function int(n: number): string {
  return n.toLocaleString('en-US');
}

function us(ns: number): string {
  const v = ns / 1000;
  return `${v < 10 ? v.toFixed(2) : v < 1000 ? v.toFixed(1) : int(Math.round(v))} µs`;
}

function mb(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}
