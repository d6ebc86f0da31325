/**
 * `npm run bench:bytes -- [--seconds N] [--rate N] [--keyframe-records N] [--json]`: what `tickwire serve` records per engine command
 * (by record kind and channel) and what compressing it, or recording only the input, would store. Records in
 * a temporary directory, deleted at the end. Figures, not assertions.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatRecordedBytes, measureRecordedBytes } from './recorded-bytes.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '600' },
    rate: { type: 'string', default: '200' },
    'keyframe-records': { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tickwire-bench-bytes-'));
try {
  const everyRecords = values['keyframe-records'];
  const f = await measureRecordedBytes(
    root,
    Number(values.rate),
    Number(values.seconds),
    everyRecords === undefined ? undefined : Number(everyRecords),
  );
  process.stdout.write(values.json ? `${JSON.stringify(f)}\n` : `${formatRecordedBytes(f)}\n`);
} finally {
  fs.rmSync(root, { recursive: true, force: true });
}
