/** One instrument count's figures in `bench:instruments`. */
export interface ScalingPoint {
  readonly instruments: number;
  /** RSS when the window starts (after warm-up), MiB */
  readonly rssStartMiB: number;
  /** RSS at the end of the window, MiB */
  readonly rssEndMiB: number;
  /** highest RSS sampled in the window, MiB */
  readonly rssMaxMiB: number;
  /** user + system CPU over the window, % of one core */
  readonly cpuPct: number;
  /** commands the simulator was asked for per second (the same for every count) */
  readonly rate: number;
}

/** What `bench:instruments --json` prints. */
export interface InstrumentScalingResult {
  readonly options: {
    readonly rate: number;
    readonly seconds: number;
    readonly warmup: number;
    readonly record: boolean;
  };
  readonly points: readonly ScalingPoint[];
  readonly targets: readonly {
    readonly name: string;
    readonly target: string;
    readonly measured: string;
    readonly pass: boolean | null;
  }[];
}

/** RSS per instrument added, KiB: end RSS of `p` over the first point's, per instrument more; null for the first. */
function kibPerInstrument(first: ScalingPoint, p: ScalingPoint): number | null {
  if (p.instruments === first.instruments) return null;
  return ((p.rssEndMiB - first.rssEndMiB) * 1024) / (p.instruments - first.instruments);
}

/** The issue 13 targets, checked between the smallest and the largest count. */
export function instrumentScalingTargets(
  points: readonly ScalingPoint[],
): InstrumentScalingResult['targets'] {
  const first = points[0];
  const last = points.at(-1);
  if (first === undefined || last === undefined || first === last) return [];
  const kib = kibPerInstrument(first, last) ?? 0;
  return [
    {
      name: `RSS per instrument (${first.instruments} → ${last.instruments})`,
      target: '≤ 200 KiB',
      measured: `${kib.toFixed(0)} KiB`,
      pass: kib <= 200,
    },
    {
      name: `CPU at a fixed order rate (${first.instruments} → ${last.instruments})`,
      target: 'flat',
      measured: `${first.cpuPct.toFixed(0)}% → ${last.cpuPct.toFixed(0)}% of a core`,
      pass: null,
    },
  ];
}

/** The table, as Markdown. */
export function instrumentScalingMarkdown(r: InstrumentScalingResult): string {
  const o = r.options;
  const first = r.points[0];
  const lines = [
    `Instruments scaling: \`tickwire serve\`, no client, ${o.rate} commands/s in total, ${o.record ? 'recording' : '--no-record'}, ${o.warmup} s warm-up + ${o.seconds} s window`,
    '',
    '| instruments | RSS start MiB | RSS end MiB | RSS max MiB | KiB / instrument over the first | CPU % of a core |',
    '|---:|---:|---:|---:|---:|---:|',
  ];
  for (const p of r.points) {
    const kib = first === undefined ? null : kibPerInstrument(first, p);
    lines.push(
      `| ${p.instruments.toLocaleString('en-US')} | ${p.rssStartMiB.toFixed(0)} | ${p.rssEndMiB.toFixed(0)} | ${p.rssMaxMiB.toFixed(0)} | ${kib === null ? '–' : kib.toFixed(0)} | ${p.cpuPct.toFixed(0)} |`,
    );
  }
  lines.push(
    '',
    'Targets (issue 13): ≤ 200 KiB of RSS per idle instrument; CPU flat from 3 to 1,000 instruments.',
  );
  return `${lines.join('\n')}\n`;
}
