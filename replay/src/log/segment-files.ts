import path from 'node:path';

/** Extension of segment files: `<20-digit first seq>.twlog`. */
export const SEGMENT_EXTENSION = '.twlog';
/** Extension of a sealed segment stored compressed: `<20-digit first seq>.twlogz` (`compressed-segment-file.ts`). */
export const COMPRESSED_SEGMENT_EXTENSION = '.twlogz';
/** Extension of a sealed segment's index sidecar: `<20-digit first seq>.twidx`. */
export const INDEX_EXTENSION = '.twidx';
/** Suffix of a file being written before its atomic rename. */
export const TEMP_SUFFIX = '.tmp';
/** The writer's lock file in the log directory. */
export const LOCK_FILE = 'LOCK';

const SEGMENT_NAME = /^(\d{20})\.twlogz?$/;

/** `00000000000000000001.twlog` for first seq 1. */
export function segmentFileName(firstSeq: number): string {
  return `${String(firstSeq).padStart(20, '0')}${SEGMENT_EXTENSION}`;
}

/** `00000000000000000001.twlogz` for first seq 1. */
export function compressedSegmentFileName(firstSeq: number): string {
  return `${segmentFileName(firstSeq)}z`;
}

/** The first seq a segment file name (`.twlog` or `.twlogz`) states, or undefined when `name` is not a segment file name. */
export function parseSegmentFileName(name: string): number | undefined {
  const m = SEGMENT_NAME.exec(name);
  if (m?.[1] === undefined) return undefined;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) && n >= 1 ? n : undefined;
}

/** The index sidecar path of a segment path. */
export function indexPathOf(segmentPath: string): string {
  return segmentPath.replace(/\.twlogz?$/, INDEX_EXTENSION);
}

/** The path a sealed segment `path` (`.twlog`) gets once compressed (`.twlogz`). */
export function compressedPathOf(segmentPath: string): string {
  return segmentPath.replace(/\.twlog$/, COMPRESSED_SEGMENT_EXTENSION);
}

/** One segment of a directory listing. */
export interface SegmentName {
  /** the file to read: the `.twlog` when both it and a `.twlogz` are there */
  readonly name: string;
  readonly firstSeq: number;
  /** `name` is a `.twlogz` */
  readonly compressed: boolean;
  /**
   * a `.twlogz` of the same segment beside the `.twlog` (a crash between writing it and deleting the
   * `.twlog`): a leftover, to delete when the log may be repaired; undefined when there is none
   */
  readonly leftover: string | undefined;
}

/**
 * Segment files of `names` (a directory listing), sorted by first seq, one per segment: a segment there both
 * whole and compressed is read from the `.twlog`, which is only deleted once the `.twlogz` is whole.
 */
export function segmentNames(names: readonly string[]): SegmentName[] {
  const bySeq = new Map<number, { raw?: string; compressed?: string }>();
  for (const name of names) {
    const firstSeq = parseSegmentFileName(name);
    if (firstSeq === undefined) continue;
    const e = bySeq.get(firstSeq) ?? {};
    if (name.endsWith(COMPRESSED_SEGMENT_EXTENSION)) e.compressed = name;
    else e.raw = name;
    bySeq.set(firstSeq, e);
  }
  const out: SegmentName[] = [];
  for (const [firstSeq, e] of bySeq) {
    if (e.raw !== undefined) out.push({ name: e.raw, firstSeq, compressed: false, leftover: e.compressed });
    else out.push({ name: e.compressed as string, firstSeq, compressed: true, leftover: undefined });
  }
  return out.sort((a, b) => a.firstSeq - b.firstSeq);
}

/** `dir/name`. */
export function inDir(dir: string, name: string): string {
  return path.join(dir, name);
}
