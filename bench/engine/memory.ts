import { OursRunner } from './ours-adapter.ts';
import { type WorkloadConfig, WorkloadGenerator } from './workload.ts';

/** Heap before and after a long run of our engine alone. */
export interface MemoryResult {
  /** commands run between the two measurements */
  readonly commands: number;
  readonly chunkSize: number;
  /** `heapUsed` after a full GC, once warm, before the long run */
  readonly heapBeforeBytes: number;
  /** `heapUsed` after a full GC, after the long run */
  readonly heapAfterBytes: number;
  /** the largest of the after-each-chunk measurements */
  readonly heapMaxBytes: number;
  readonly openOrdersBefore: number;
  readonly openOrdersAfter: number;
  /** our throughput over the whole run (engine time only, generation excluded) */
  readonly opsPerSec: number;
}

const CHUNK = 500_000;

/**
 * Runs `commands` commands of the workload through one `MatchingEngine`, generated chunk by chunk so that
 * the pre-generated commands do not swamp the heap, and measures `heapUsed` after a forced GC before and
 * after (and after every chunk, with that chunk dropped). The workload generator's own model of the book
 * stays alive throughout, so it is in both figures; it is as flat as the book it mirrors.
 */
export function runLongMemory(config: WorkloadConfig, commands: number, gc: () => void): MemoryResult {
  const gen = new WorkloadGenerator({ ...config, withPeer: false });
  const runner = new OursRunner(gen.prefill().ours);
  runner.run(0, config.resting);
  // One chunk untimed and unmeasured: the JIT, the order pool and the maps reach their steady size.
  runChunk(runner, gen, Math.min(CHUNK, Math.max(commands, 1)));
  const heapBeforeBytes = heapAfterGc(gc);
  const openOrdersBefore = runner.openOrders;
  let heapMaxBytes = heapBeforeBytes;
  let heapAfterBytes = heapBeforeBytes;
  let engineNs = 0n;
  for (let done = 0; done < commands; ) {
    const n = Math.min(CHUNK, commands - done);
    engineNs += runChunk(runner, gen, n);
    done += n;
    heapAfterBytes = heapAfterGc(gc);
    if (heapAfterBytes > heapMaxBytes) heapMaxBytes = heapAfterBytes;
  }
  return {
    commands,
    chunkSize: CHUNK,
    heapBeforeBytes,
    heapAfterBytes,
    heapMaxBytes,
    openOrdersBefore,
    openOrdersAfter: runner.openOrders,
    opsPerSec: engineNs === 0n ? 0 : commands / (Number(engineNs) / 1e9),
  };
}

/** Generates and runs `n` commands, then lets go of them; returns the engine's time in ns. */
function runChunk(runner: OursRunner, gen: WorkloadGenerator, n: number): bigint {
  runner.load(gen.next(n).ours);
  const t0 = process.hrtime.bigint();
  runner.run(0, n);
  const ns = process.hrtime.bigint() - t0;
  runner.load([]);
  return ns;
}

function heapAfterGc(gc: () => void): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}
