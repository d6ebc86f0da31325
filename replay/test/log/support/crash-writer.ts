/**
 * The child of the crash test: `node crash-writer.mjs <dir> <segmentBytes> always|batch` opens (and so
 * recovers) the log, prints `open <lastSeq>`, then appends derived records until it is killed, printing seqs
 * once they are durable. Writes to a pipe are synchronous on Linux, so a printed seq was durable before the
 * parent could read it.
 * - always: one record at a time; `append` returned, so the record is written and fdatasynced.
 * - batch: bursts of records while earlier ones are written in the background (large writes, which a SIGKILL
 *   can cut at a page boundary); a seq is printed when `whenDurable` resolves.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { LogWriter } from '../../../src/log/index.ts';
import { payloadFor, tsFor, typeFor } from './derived-records.ts';

const [dir, segmentBytes, fsync] = process.argv.slice(2);
const w = await LogWriter.open(dir as string, {
  fsync: fsync === 'batch' ? 'batch' : 'always',
  segmentBytes: Number(segmentBytes),
  metadata: { test: 'crash' },
  onWarning: (x) => process.stderr.write(`warning ${x.code}: ${x.message}\n`),
});
process.stdout.write(`open ${w.lastSeq}\n`);
let seq = w.lastSeq;
if (fsync === 'batch') {
  const report = (n: number) => () => process.stdout.write(`${n}\n`);
  for (;;) {
    for (let i = 0; i < 1000; i++) {
      seq++;
      w.append(typeFor(seq), tsFor(seq), payloadFor(seq));
    }
    w.whenDurable(seq).then(report(seq), (err: unknown) => {
      process.stderr.write(`${String(err)}\n`);
      process.exit(3);
    });
    if (w.bufferedBytes > 1024 * 1024) await w.whenDurable(seq);
    else await yieldToLoop();
  }
}
for (;;) {
  seq++;
  w.append(typeFor(seq), tsFor(seq), payloadFor(seq));
  process.stdout.write(`${seq}\n`);
}
