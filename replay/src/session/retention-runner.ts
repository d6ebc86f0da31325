import type { RecordingDiskUsage } from '../../../feed-server/src/server/index.ts';
import { sessionUsage } from './data-dir-listing.ts';
import { applyRetention, type RetentionPolicy } from './retention.ts';

/** Options of {@link RetentionRunner.start}. */
export interface RetentionRunnerOptions {
  readonly dataDir: string;
  /** null: keep everything (`--retain none`); disk usage is still reported */
  readonly policy: RetentionPolicy | null;
  /** the session being written: never deleted, its bytes reported on their own */
  readonly currentDir: string;
  /** other sessions never to delete (e.g. the one a restarted `serve` continues from and still reads) */
  readonly keep?: readonly string[];
  /** between two passes, ms (default {@link DEFAULT_RETENTION_INTERVAL_MS}) */
  readonly intervalMs?: number;
  /** the wall clock, ms (default `Date.now`) */
  readonly clockMs?: () => number;
  /** a line for the operator: what a pass deleted, or why it could not keep to the bound */
  readonly log?: (line: string) => void;
}

/** Retention runs once a minute: at the default rate a minute records about 5.5 MB. */
export const DEFAULT_RETENTION_INTERVAL_MS = 60_000;

/**
 * Applies a retention policy to a data directory at start and then periodically, off nothing but a timer
 * (unref'd: it never keeps the process alive), and reports the disk usage for `/metrics`. A pass that fails
 * (a file that cannot be deleted) is reported on `log` and tried again at the next one: retention must never
 * take the feed or the recording down.
 */
export class RetentionRunner {
  readonly #options: RetentionRunnerOptions;
  #currentDir: string;
  #keep: readonly string[];
  readonly #clockMs: () => number;
  readonly #log: (line: string) => void;
  #timer: NodeJS.Timeout | undefined;
  #otherBytes = 0;
  #otherSessions = 0;
  #deletedBytes = 0;
  #deletedSessions = 0;
  #overBound = false;

  private constructor(options: RetentionRunnerOptions) {
    this.#options = options;
    this.#currentDir = options.currentDir;
    this.#keep = options.keep ?? [];
    this.#clockMs = options.clockMs ?? Date.now;
    this.#log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  }

  /** Runs a first pass now, then one every `intervalMs` until `stop`. */
  static start(options: RetentionRunnerOptions): RetentionRunner {
    const runner = new RetentionRunner(options);
    runner.runOnce();
    const every = options.intervalMs ?? DEFAULT_RETENTION_INTERVAL_MS;
    runner.#timer = setInterval(() => runner.runOnce(), every);
    runner.#timer.unref();
    return runner;
  }

  /** One pass: deletes what the policy says (nothing under `none`) and refreshes the usage figures. */
  runOnce(): void {
    const { dataDir } = this.#options;
    const currentDir = this.#currentDir;
    const policy = this.#options.policy ?? { maxAgeMs: null, maxBytes: null };
    try {
      const pass = applyRetention(dataDir, policy, {
        nowMs: this.#clockMs(),
        keep: [currentDir, ...this.#keep],
      });
      for (const s of pass.deleted) {
        this.#deletedBytes += s.bytes;
        this.#deletedSessions++;
        this.#log(`retention: deleted ${s.dir} (${formatBytes(s.bytes)})`);
      }
      const current = sessionUsage(currentDir)?.bytes ?? 0;
      this.#otherBytes = pass.keptBytes - current;
      this.#otherSessions = pass.kept.filter((s) => s.dir !== currentDir).length;
      if (pass.overBound && !this.#overBound) {
        this.#log(
          `retention: the data directory (${formatBytes(pass.keptBytes)}) exceeds the bound of ${formatBytes(policy.maxBytes ?? 0)} and only sessions being written are left; they are never deleted (restart serve to start a new session)`,
        );
      }
      this.#overBound = pass.overBound;
    } catch (error) {
      this.#log(`retention: a pass failed (tried again in a minute): ${(error as Error).message}`);
    }
  }

  /** The disk usage now: the session being written is measured at each call, the others at the last pass. */
  usage(): RecordingDiskUsage {
    const sessionBytes = sessionUsage(this.#currentDir)?.bytes ?? 0;
    return {
      dataDirBytes: this.#otherBytes + sessionBytes,
      sessionBytes,
      sessions: this.#otherSessions + 1,
      deletedBytes: this.#deletedBytes,
      deletedSessions: this.#deletedSessions,
      overBound: this.#overBound,
    };
  }

  /**
   * The recording rolled to a new session (`serve --roll`): `currentDir` is now the session being written, and
   * `keep` replaces the sessions kept besides it (the one rolled from, until the new one's first keyframe is
   * surely on disk: the next restart may continue it). A pass follows on the next turn of the event loop, not
   * inside the roll, which runs between two engine commands: the session rolled from may be deleted now.
   */
  rolledTo(currentDir: string, keep: readonly string[] = []): void {
    this.#currentDir = currentDir;
    this.#keep = keep;
    setImmediate(() => {
      if (this.#timer !== undefined) this.runOnce();
    });
  }

  /** Stops the timer; a pass in progress (synchronous) has finished. */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

/** `1.8 MB`, `2.0 GB`: decimal units, as `--retain` takes them. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(1)} ${units[u]}`;
}
