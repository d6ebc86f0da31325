import type { CellResult, StreamKind } from './measure-cells.ts';
import type { EncodingBenchOptions } from './options.ts';

/** Everything one run measured; `--json` prints exactly this. */
export interface EncodingBenchResult {
  readonly node: string;
  readonly cpu: string;
  readonly cpus: number;
  readonly platform: string;
  /** 1-minute load average at the start and at the end: timings are only as good as the machine was idle */
  readonly loadAverage: readonly [number, number];
  readonly msgpackr: string;
  /** msgpackr's native string decoder loaded (browsers never have it) */
  readonly msgpackrNative: boolean;
  readonly msgpackOptions: Readonly<Record<string, unknown>>;
  readonly options: EncodingBenchOptions;
  readonly stream: {
    readonly commands: number;
    readonly spanSeconds: number;
    readonly channels: number;
    /** messages of each kind in the whole run (each kind is measured on a window of it) */
    readonly messagesByKind: Readonly<Record<StreamKind, number>>;
  };
  readonly cells: readonly CellResult[];
}

/** The deflate settings the tables show (all eight are in the JSON). */
const SHOWN = ['L6 w15 m8', 'L1 w15 m8', 'L1 w10 m3'] as const;

/** Product target: msgpack + deflate at most this share of (a) JSON's raw bytes. */
export const TARGET_RATIO = 0.25;

const pct = (r: number): string => `${(r * 100).toFixed(0)}%`;
const num = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** The human-readable report: one table per stream, then the best msgpack shape against the target. */
export function formatReport(r: EncodingBenchResult): string {
  const lines: string[] = [];
  lines.push(
    `Wire encodings — ${r.node}, ${r.cpu} ×${r.cpus}, load ${r.loadAverage.map((l) => l.toFixed(2)).join(' → ')}, ` +
      `msgpackr ${r.msgpackr}${r.msgpackrNative ? ' (native string decoding)' : ''}`,
  );
  lines.push(
    `Stream: seed ${r.options.seed}, ${num(r.stream.commands)} commands, ${num(r.stream.spanSeconds, 1)} s virtual, ` +
      `${r.stream.channels} channels; ${kindsLine(r.stream.messagesByKind)}`,
  );
  lines.push(
    `Each kind: a window of ${num(r.options.messages)} messages; deflate on the first ${num(r.options.deflateFrames)} frames ` +
      'of each cell, no context takeover (ws output minus the 00 00 ff ff tail); payload bytes, no WS header (+2–4 B/frame).',
  );
  lines.push(
    `ns/msg: best of ${r.options.reps} passes, codecs timed round-robin (medians in the JSON); ` +
      'encode = model → bytes, decode = bytes → model (incl. decimal parsing for a).',
  );
  const kinds = [...new Set(r.cells.map((c) => c.kind))];
  for (const kind of kinds) {
    lines.push('', `## ${kind}`);
    lines.push(
      `${'frame'.padEnd(5)} ${'encoding'.padEnd(28)} ${'raw B'.padStart(7)} ${'%a'.padStart(5)}  ` +
        SHOWN.map((s) => `${s.padStart(9)} ${'%a'.padStart(4)}`).join('  ') +
        `  ${'enc ns'.padStart(7)} ${'dec ns'.padStart(7)}`,
    );
    for (const c of r.cells.filter((x) => x.kind === kind)) {
      const shown = SHOWN.map((label) => {
        const d = c.deflate.find((x) => x.label === label);
        return d === undefined
          ? ' '.repeat(14)
          : `${num(d.bytesPerMsg, 1).padStart(9)} ${pct(d.ratioToJson).padStart(4)}`;
      });
      lines.push(
        `${String(c.batch).padEnd(5)} ${`(${c.codec}) ${c.name}`.padEnd(28)} ${num(c.rawBytesPerMsg, 1).padStart(7)} ` +
          `${pct(c.rawRatioToJson).padStart(5)}  ${shown.join('  ')}  ${num(c.encode.bestNs).padStart(7)} ${num(c.decode.bestNs).padStart(7)}`,
      );
    }
  }
  lines.push(
    '',
    `## Best msgpack shape + deflate (L1 w10 m3) against the target ≤ ${pct(TARGET_RATIO)} of (a)`,
  );
  for (const kind of kinds) {
    const batches = [...new Set(r.cells.filter((c) => c.kind === kind).map((c) => c.batch))];
    const parts = batches.map((batch) => {
      const best = bestMsgpack(r.cells, kind, batch, 'L1 w10 m3');
      if (best === null) return `${batch}: —`;
      const ok = best.ratio <= TARGET_RATIO ? 'ok' : 'over';
      return `${batch}: (${best.cell.codec}) ${pct(best.ratio)} ${ok}`;
    });
    lines.push(`${kind.padEnd(7)} ${parts.join('   ')}`);
  }
  return lines.join('\n');
}

/** The msgpack codec with the fewest deflated bytes for `kind` at `batch` with the `label` setting. */
export function bestMsgpack(
  cells: readonly CellResult[],
  kind: StreamKind,
  batch: number,
  label: string,
): { cell: CellResult; ratio: number } | null {
  let best: { cell: CellResult; ratio: number } | null = null;
  for (const cell of cells) {
    if (cell.kind !== kind || cell.batch !== batch || cell.codec === 'a' || cell.codec === 'b') continue;
    const d = cell.deflate.find((x) => x.label === label);
    if (d !== undefined && (best === null || d.ratioToJson < best.ratio))
      best = { cell, ratio: d.ratioToJson };
  }
  return best;
}

function kindsLine(m: Readonly<Record<StreamKind, number>>): string {
  return Object.entries(m)
    .map(([k, n]) => `${num(n)} ${k}`)
    .join(', ');
}
