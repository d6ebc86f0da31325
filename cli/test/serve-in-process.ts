import { PassThrough } from 'node:stream';
import { serveCommand } from '../src/serve-command.ts';

/** A `tickwire serve` run in this process (the real command: recording, continuation, web client). */
export interface ServeRun {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly port: number;
  /** the session directory it records into */
  readonly dir: string;
  /** what it printed so far */
  stdout(): string;
  stderr(): string;
  /** stops it as Ctrl-C does; resolves with the exit status */
  stop(): Promise<number>;
}

/** Runs `tickwire serve <args>` (give `--data-dir`); resolves once it listens and says where it records. */
export async function serveInProcess(args: readonly string[]): Promise<ServeRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (b: Buffer) => {
    out += b.toString();
  });
  stderr.on('data', (b: Buffer) => {
    err += b.toString();
  });
  const abort = new AbortController();
  const exit = serveCommand(args, { stdout, stderr, signal: abort.signal, env: {} });
  const ready = await new Promise<{ port: number; dir: string }>((resolve, reject) => {
    const check = (): void => {
      const port = /live feed on http:\/\/localhost:(\d+)/.exec(out)?.[1];
      const dir = /Recording to (\S+)/.exec(out)?.[1];
      if (port !== undefined && dir !== undefined) resolve({ port: Number(port), dir });
    };
    stdout.on('data', () => setImmediate(check));
    exit.then(
      (code) => reject(new Error(`serve exited (${code}) before it listened: ${err}`)),
      (error: unknown) => reject(error),
    );
  });
  return {
    url: `http://127.0.0.1:${ready.port}`,
    port: ready.port,
    dir: ready.dir,
    stdout: () => out,
    stderr: () => err,
    stop: async () => {
      abort.abort();
      return exit;
    },
  };
}
