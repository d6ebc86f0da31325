import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  LogError,
  type LogReaderOptions,
  ReplayError,
  resimulateChain,
  SessionReader,
} from '../../replay/src/index.ts';
import type { CliIo } from './cli-io.ts';

/**
 * `tickwire replay <dir> --resimulate`: re-runs the session and reports; returns the exit status. A session a
 * running `serve` rolled to is re-run with its chain (replay/README.md, "Rolling"): from the chain's first
 * session, found beside it by the `continues` of each, through `dir`; a chain with a session gone (deleted by
 * retention) is refused (`ROLLED_SESSION`).
 */
export function resimulate(dir: string, io: CliIo): number {
  let readers: SessionReader[] = [];
  try {
    readers = openChain(dir, { onWarning: (w) => io.stderr.write(`${w.message}\n`) });
    const r = resimulateChain(readers);
    const counts = `${r.commands.toLocaleString('en-US')} commands, ${r.messages.toLocaleString('en-US')} messages, ${r.keyframes} keyframes`;
    const rate = Math.round(r.commands / Math.max(r.elapsedMs / 1000, 1e-3)).toLocaleString('en-US');
    const chain =
      readers.length === 1
        ? ''
        : ` with the ${readers.length} sessions of its chain of rolls, from ${(readers[0] as SessionReader).log.dir}`;
    if (r.divergence === null) {
      io.stdout.write(
        `${dir}: re-simulated${chain} ${counts} in ${(r.elapsedMs / 1000).toFixed(1)} s (${rate} commands/s): identical to the recording\n`,
      );
      return 0;
    }
    const d = r.divergence;
    io.stdout.write(
      [
        `${dir}: DIVERGED${chain} at record ${d.seq} after ${counts}: ${d.what}`,
        `  recorded:     ${JSON.stringify(d.recorded)?.slice(0, 2000)}`,
        `  re-simulated: ${JSON.stringify(d.resimulated)?.slice(0, 2000)}`,
        '',
      ].join('\n'),
    );
    return 1;
  } catch (error) {
    if (error instanceof LogError || error instanceof ReplayError) {
      io.stderr.write(`tickwire replay --resimulate: ${error.message} [${error.code}]\n`);
      return 1;
    }
    throw error;
  } finally {
    for (const r of readers) r.close();
  }
}

/** `dir` and, when it was rolled, the sessions of its chain before it, first first. */
function openChain(dir: string, options: LogReaderOptions): SessionReader[] {
  const chain = [SessionReader.open(dir, options)];
  try {
    for (;;) {
      const c = (chain[0] as SessionReader).metadata.continues;
      if (c?.rolled !== true) return chain;
      const prev = join(dirname(dir), c.dir);
      if (!existsSync(prev)) {
        throw new ReplayError(
          'ROLLED_SESSION',
          `${basename(dir)} was rolled from ${c.dir} by the same serve and its engine state at the start is not recorded: re-simulation starts at its chain's first session, ${c.chainStart ?? c.dir}, and ${prev} is gone (retention deletes old sessions); the session replays, seeks and verifies on its own`,
        );
      }
      chain.unshift(SessionReader.open(prev, options));
    }
  } catch (error) {
    for (const r of chain) r.close();
    throw error;
  }
}
