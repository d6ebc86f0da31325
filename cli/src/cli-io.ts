import type { Writable } from 'node:stream';

/** Where a CLI command reads its environment from and writes to: the process, or a test's streams. */
export interface CliIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** aborted on Ctrl-C (SIGINT) or SIGTERM: a running command stops, flushes and reports */
  readonly signal?: AbortSignal;
  /** environment variables (`process.env` for the process); absent = none */
  readonly env?: Readonly<Record<string, string | undefined>>;
}
