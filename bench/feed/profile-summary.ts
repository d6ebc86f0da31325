import { readFileSync } from 'node:fs';

/** Where the server's sampled time went, by part of the pipeline. */
export interface ProfileSummary {
  readonly path: string;
  /** sampled time, ms */
  readonly totalMs: number;
  /** share of the sampled time per bucket, largest first */
  readonly buckets: readonly { readonly name: string; readonly share: number }[];
  /** the functions with the most self time */
  readonly top: readonly { readonly fn: string; readonly share: number }[];
}

interface CpuProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly CpuProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/**
 * Buckets, tried on each frame of a sample from the leaf up; the first that matches takes the sample. Leaf first,
 * so a socket write made by the frame writer counts as a socket write, and the frame writer's own code as frame
 * building.
 */
const BUCKETS: readonly { readonly name: string; readonly match: (fn: string, url: string) => boolean }[] = [
  { name: 'idle (event loop waiting)', match: (fn) => fn === '(idle)' },
  { name: 'garbage collection', match: (fn) => fn === '(garbage collector)' },
  {
    name: 'zlib (server deflate; client inflate)',
    match: (_fn, url) => url === 'node:zlib' || url.includes('internal/zlib'),
  },
  {
    name: 'socket writes',
    match: (fn, url) =>
      url === 'node:net' ||
      url.includes('internal/stream_base_commons') ||
      url.includes('internal/streams/writable') ||
      fn === 'writeBuffer' ||
      fn === 'writev' ||
      fn === 'writeUtf8String' ||
      fn === 'writeLatin1String',
  },
  {
    name: 'socket reads, timers, other node internals',
    match: (_fn, url) => url.startsWith('node:'),
  },
  {
    name: 'ws library (handshakes, receiving, pings, ws.send)',
    match: (_fn, url) => url.includes('/ws/lib/'),
  },
  {
    name: 'frame building (frame writer, msgpack array, WS header)',
    match: (_fn, url) =>
      url.endsWith('/frame-writer.ts') || url.endsWith('/ws-frame.ts') || url.endsWith('/frame-encoder.ts'),
  },
  {
    name: 'gateway fan-out (deliver, enqueue, flush loop)',
    match: (_fn, url) => url.endsWith('/gateway.ts') || url.endsWith('/feed-connection.ts'),
  },
  { name: 'bus delivery', match: (_fn, url) => url.endsWith('/bus.ts') },
  { name: 'msgpackr (publisher encode; client decode)', match: (_fn, url) => url.includes('/msgpackr/') },
  {
    name: 'publisher (book views, checksums, channel logs)',
    match: (_fn, url) => url.includes('/feed-server/src/server/') && !url.endsWith('/simulation-driver.ts'),
  },
  {
    name: 'simulator',
    match: (_fn, url) => url.includes('/matching/src/simulator') || url.endsWith('/simulation-driver.ts'),
  },
  { name: 'engine and market data', match: (_fn, url) => url.includes('/matching/src/') },
  { name: 'bench code (baseline server; load clients)', match: (_fn, url) => url.includes('/bench/feed/') },
  { name: 'protocol module', match: (_fn, url) => url.includes('/feed-server/src/protocol/') },
];

/** Reads a `.cpuprofile` and attributes its samples to {@link BUCKETS}. */
export function summarizeProfile(path: string, topN = 12): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map<number, CpuProfileNode>();
  const parent = new Map<number, number>();
  for (const n of profile.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const selfUs = new Map<number, number>();
  let totalUs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i] as number;
    const dt = profile.timeDeltas[i] ?? 0;
    selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
    totalUs += dt;
  }
  const buckets = new Map<string, number>();
  const fns = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const leaf = byId.get(id);
    if (leaf === undefined) continue;
    const fn = `${leaf.callFrame.functionName || '(anonymous)'} ${shortUrl(leaf.callFrame.url)}`;
    fns.set(fn, (fns.get(fn) ?? 0) + us);
    let bucket = 'other';
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)?.callFrame;
      if (frame === undefined) break;
      const found = BUCKETS.find((b) => b.match(frame.functionName, frame.url));
      if (found !== undefined) {
        bucket = found.name;
        break;
      }
    }
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + us);
  }
  const shares = (m: Map<string, number>) =>
    [...m].sort((a, b) => b[1] - a[1]).map(([name, us]) => ({ name, share: us / totalUs }));
  return {
    path,
    totalMs: totalUs / 1000,
    buckets: shares(buckets),
    top: shares(fns)
      .slice(0, topN)
      .map(({ name, share }) => ({ fn: name, share })),
  };
}

function shortUrl(url: string): string {
  if (url === '') return '(native)';
  const at = url.search(/\/(feed-server|matching|bench|node_modules)\//);
  return at >= 0 ? url.slice(at + 1) : url;
}
