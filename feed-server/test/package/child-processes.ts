/**
 * Processes of the installed-package tests: run to completion, or started and stopped (`tickwire serve`),
 * always in the consumer project, with an environment that cannot lead back into the repository.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { delimiter, dirname } from 'node:path';

/** A process's outcome. */
export interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * This process's environment without what `npm test` adds (`npm_config_local_prefix`, `npm_package_json`…,
 * which would point `npx` at the repository instead of the project), with `node` as the first `node` on PATH
 * (so `npx` and the bin's `#!/usr/bin/env node` use it).
 */
export function consumerEnv(node: string, extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^npm_/i.test(k) && k !== 'NODE_OPTIONS' && k !== 'NODE_ENV') env[k] = v;
  }
  env.PATH = `${dirname(node)}${delimiter}${process.env.PATH ?? ''}`;
  return { ...env, ...extra };
}

/** Runs `command` to its end (at most `timeoutMs`) and gives its exit code and output; never rejects on exit. */
export function run(
  command: string,
  args: readonly string[],
  options: { readonly cwd: string; readonly env: NodeJS.ProcessEnv; readonly timeoutMs?: number },
): Promise<Finished> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { cwd: options.cwd, env: options.env, timeout: options.timeoutMs ?? 60_000, maxBuffer: 16 << 20 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        if (error !== null && code === null && error.killed !== true) reject(error);
        else resolve({ code, stdout, stderr });
      },
    );
  });
}

/** A long-running process (a server) and the text it printed so far. */
export interface Started {
  readonly child: ChildProcess;
  /** everything on stdout so far */
  stdout(): string;
  /** everything on stderr so far */
  stderr(): string;
  /**
   * SIGTERM to its process group, as a terminal's Ctrl-C signals the foreground group (`npx` does not pass a
   * signal on to the command it started, and ends by that signal, so its exit code says nothing of the
   * command's: read the output); resolves when the output is closed, by it and by what it started
   */
  stop(): Promise<void>;
}

/**
 * Starts `command` and resolves once its stdout matches `ready` (the match), rejecting if it exits first or
 * after `timeoutMs`.
 */
export async function start(
  command: string,
  args: readonly string[],
  options: {
    readonly cwd: string;
    readonly env: NodeJS.ProcessEnv;
    readonly ready: RegExp;
    readonly timeoutMs?: number;
  },
): Promise<{ readonly started: Started; readonly match: RegExpExecArray }> {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, which stop() signals
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (b: Buffer) => {
    out += b.toString();
  });
  child.stderr.on('data', (b: Buffer) => {
    err += b.toString();
  });
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const started: Started = {
    child,
    stdout: () => out,
    stderr: () => err,
    stop: () => {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        process.kill(-child.pid, 'SIGTERM');
      }
      return closed;
    },
  };
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(
      () => fail(`no ${options.ready} within ${options.timeoutMs ?? 30_000} ms`),
      options.timeoutMs ?? 30_000,
    );
    const check = () => {
      const m = options.ready.exec(out);
      if (m === null) return;
      cleanup();
      resolve(m);
    };
    const onExit = (code: number | null) => fail(`exited with ${code} before ${options.ready}`);
    function fail(why: string) {
      cleanup();
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      reject(new Error(`${command} ${args.join(' ')}: ${why}\nstdout: ${out}\nstderr: ${err}`));
    }
    function cleanup() {
      clearTimeout(timer);
      child.stdout.off('data', check);
      child.off('exit', onExit);
    }
    child.stdout.on('data', check);
    child.once('exit', onExit);
  });
  return { started, match };
}
