import fs from 'node:fs';
import path from 'node:path';
import { compressSegment } from '../../../src/log/compress-segment.ts';
import { indexPathOf, segmentNames } from '../../../src/log/segment-files.ts';
import { decodeIndexSidecar } from '../../../src/log/sparse-index.ts';

/**
 * Compresses every sealed segment of the log `dir` but the last, as a writer with compression does while it
 * writes: the state a crash leaves (sealed segments `.twlogz`, the last one `.twlog`), for the recovery and
 * bit-flip suites to run over compressed segments too.
 */
export async function compressSealed(dir: string): Promise<void> {
  const names = segmentNames(fs.readdirSync(dir));
  for (const { name, compressed } of names.slice(0, -1)) {
    if (compressed) continue;
    const file = path.join(dir, name);
    const sidecar = decodeIndexSidecar(fs.readFileSync(indexPathOf(file)));
    if (typeof sidecar === 'string') throw new Error(`${file}: ${sidecar}`);
    await compressSegment(dir, file, sidecar.index, sidecar.segmentBytes, false);
  }
}
