import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/*
 * Request/response over the IPC channel of a forked bench process: the parent sends `{id, body}`, the child
 * answers `{id, reply}` or `{id, error}`. A child announces itself once with `{ready: …}`.
 */

interface Envelope {
  readonly id: number;
  readonly body: unknown;
}

interface Answer {
  readonly id: number;
  readonly reply?: unknown;
  readonly error?: string;
}

/** A forked bench process the parent talks to. */
export class BenchChild<Ready> {
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  #nextId = 1;
  readonly ready: Promise<Ready>;
  readonly exited: Promise<number | null>;

  /**
   * Forks `module` (a path relative to this folder) under tsx with `--expose-gc`.
   *
   * @param arg - passed as JSON in argv[2]
   */
  constructor(module: string, arg: unknown) {
    const path = fileURLToPath(new URL(module, import.meta.url));
    this.#child = fork(path, [JSON.stringify(arg)], {
      execArgv: ['--expose-gc', '--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    this.exited = new Promise((resolve) => this.#child.once('exit', (code) => resolve(code)));
    this.ready = new Promise<Ready>((resolve, reject) => {
      this.#child.once('exit', (code, signal) => {
        const error = new Error(`${module} exited (${code ?? signal}) before answering`);
        reject(error);
        for (const p of this.#pending.values()) p.reject(error);
        this.#pending.clear();
      });
      this.#child.on('message', (m: { ready?: Ready } & Answer) => {
        if (m.ready !== undefined) {
          resolve(m.ready);
          return;
        }
        const p = this.#pending.get(m.id);
        if (p === undefined) return;
        this.#pending.delete(m.id);
        if (m.error !== undefined) p.reject(new Error(`${module}: ${m.error}`));
        else p.resolve(m.reply);
      });
    });
  }

  /** The child's process id (for taskset). */
  get pid(): number {
    return this.#child.pid ?? -1;
  }

  /** Sends a request and waits for its answer. */
  request<T>(body: unknown): Promise<T> {
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.#child.send({ id, body } satisfies Envelope);
    });
  }

  /** Kills the child if it is still running. */
  kill(): void {
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGKILL');
  }
}

/** Child side: announces `ready`, then answers each request with `handle`'s result. */
export function serveRequests(ready: unknown, handle: (body: never) => unknown): void {
  const send = process.send?.bind(process);
  if (send === undefined) throw new Error('this module runs as a forked child of bench/feed/main.ts');
  process.on('message', (m: Envelope) => {
    Promise.resolve()
      .then(() => handle(m.body as never))
      .then(
        (reply) => send({ id: m.id, reply } satisfies Answer),
        (error: unknown) =>
          send({ id: m.id, error: String((error as Error)?.stack ?? error) } satisfies Answer),
      );
  });
  // The parent going away (Ctrl-C, a crash) must not leave a server running.
  process.on('disconnect', () => process.exit(0));
  send({ ready });
}
