import path from 'node:path';

/** Extension of segment files: `<20-digit first seq>.twlog`. */
export const SEGMENT_EXTENSION = '.twlog';
/** Extension of a sealed segment's index sidecar: `<20-digit first seq>.twidx`. */
export const INDEX_EXTENSION = '.twidx';
/** Suffix of a file being written before its atomic rename. */
export const TEMP_SUFFIX = '.tmp';
/** The writer's lock file in the log directory. */
export const LOCK_FILE = 'LOCK';

const SEGMENT_NAME = /^(\d{20})\.twlog$/;

/** `00000000000000000001.twlog` for first seq 1. */
export function segmentFileName(firstSeq: number): string {
  return `${String(firstSeq).padStart(20, '0')}${SEGMENT_EXTENSION}`;
}

/** The first seq a segment file name states, or undefined when `name` is not a segment file name. */
export function parseSegmentFileName(name: string): number | undefined {
  const m = SEGMENT_NAME.exec(name);
  if (m?.[1] === undefined) return undefined;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) && n >= 1 ? n : undefined;
}

/** The index sidecar path of a segment path. */
export function indexPathOf(segmentPath: string): string {
  return segmentPath.slice(0, -SEGMENT_EXTENSION.length) + INDEX_EXTENSION;
}

/** Segment files of `names` (a directory listing), sorted by first seq. */
export function segmentNames(names: readonly string[]): { name: string; firstSeq: number }[] {
  const out: { name: string; firstSeq: number }[] = [];
  for (const name of names) {
    const firstSeq = parseSegmentFileName(name);
    if (firstSeq !== undefined) out.push({ name, firstSeq });
  }
  return out.sort((a, b) => a.firstSeq - b.firstSeq);
}

/** `dir/name`. */
export function inDir(dir: string, name: string): string {
  return path.join(dir, name);
}
