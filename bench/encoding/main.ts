/**
 * `node --import tsx bench/encoding/main.ts [--json] [--quick] …`: which wire shape for the feed. Records the
 * simulator's stream (trades, L2 deltas, tickers, candles), then for each kind — and all of them interleaved —
 * and each batch size compares seven encodings of `{channel, seq, tsUs, data}`: bytes raw and after
 * permessage-deflate, encode and decode time. Figures, not assertions. Progress to stderr, report to stdout.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { isNativeAccelerationEnabled } from 'msgpackr';
import { readBenchArgs } from '../common/read-bench-args.ts';
import { createCodecs, PORTABLE_MSGPACK_OPTIONS } from './codecs/index.ts';
import { collectFeedStream } from './collect-stream.ts';
import type { FeedMessage } from './feed-message.ts';
import { type CellResult, measureCells, type StreamKind } from './measure-cells.ts';
import { parseEncodingArgs, USAGE } from './options.ts';
import { type EncodingBenchResult, formatReport } from './report.ts';
import { timingChecksum } from './timing.ts';

function main(argv: readonly string[]): number {
  const options = readBenchArgs(argv, parseEncodingArgs, USAGE);
  if (typeof options === 'number') return options;
  const log = (msg: string): void => {
    process.stderr.write(`· ${msg}\n`);
  };

  const loadAtStart = os.loadavg()[0] ?? 0;
  log(`recording seed ${options.seed}, ${options.count.toLocaleString('en-US')} commands`);
  const stream = collectFeedStream({ seed: options.seed, count: options.count });
  const codecs = createCodecs(stream.registry);
  const streams: [StreamKind, readonly FeedMessage[]][] = [
    ['trade', stream.byKind.trade],
    ['l2', stream.byKind.l2],
    ['ticker', stream.byKind.ticker],
    ['candle', stream.byKind.candle],
    ['mixed', stream.all],
  ];
  const cells: CellResult[] = [];
  for (const [kind, all] of streams) {
    const window = middleWindow(all, options.messages);
    for (const batch of options.batches) {
      log(`${kind}: ${window.length.toLocaleString('en-US')} messages in frames of ${batch}`);
      cells.push(...measureCells(kind, window, batch, codecs, options));
    }
  }

  const cpus = os.cpus();
  const result: EncodingBenchResult = {
    node: process.version,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cpus: cpus.length,
    platform: `${process.platform} ${process.arch}`,
    loadAverage: [loadAtStart, os.loadavg()[0] ?? 0],
    msgpackr: msgpackrVersion(),
    msgpackrNative: isNativeAccelerationEnabled,
    msgpackOptions: PORTABLE_MSGPACK_OPTIONS,
    options,
    stream: {
      commands: stream.commands,
      spanSeconds: stream.spanUs / 1e6,
      channels: stream.registry.size,
      messagesByKind: Object.fromEntries(streams.map(([k, l]) => [k, l.length])) as Record<
        StreamKind,
        number
      >,
    },
    cells,
  };
  log(`done (checksum ${timingChecksum()})`);
  process.stdout.write(options.json ? `${JSON.stringify(result)}\n` : `${formatReport(result)}\n`);
  return 0;
}

/** `n` consecutive messages from the middle of `all` (past the start-up, where the book is still filling). */
function middleWindow(all: readonly FeedMessage[], n: number): readonly FeedMessage[] {
  if (all.length <= n) return all;
  const start = (all.length - n) >> 1;
  return all.slice(start, start + n);
}

function msgpackrVersion(): string {
  const url = new URL('../../node_modules/msgpackr/package.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}

process.exitCode = main(process.argv.slice(2));
