import { LogError, ReplayError, resimulate as run, SessionReader } from '../../../replay/src/index.ts';
import type { CliIo } from './cli-io.ts';

/** `tickwire replay <dir> --resimulate`: re-runs the session and reports; returns the exit status. */
export function resimulate(dir: string, io: CliIo): number {
  let reader: SessionReader | undefined;
  try {
    reader = SessionReader.open(dir, { onWarning: (w) => io.stderr.write(`${w.message}\n`) });
    const r = run(reader);
    const counts = `${r.commands.toLocaleString('en-US')} commands, ${r.messages.toLocaleString('en-US')} messages, ${r.keyframes} keyframes`;
    const rate = Math.round(r.commands / Math.max(r.elapsedMs / 1000, 1e-3)).toLocaleString('en-US');
    if (r.divergence === null) {
      io.stdout.write(
        `${dir}: re-simulated ${counts} in ${(r.elapsedMs / 1000).toFixed(1)} s (${rate} commands/s): identical to the recording\n`,
      );
      return 0;
    }
    const d = r.divergence;
    io.stdout.write(
      [
        `${dir}: DIVERGED at record ${d.seq} after ${counts}: ${d.what}`,
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
    reader?.close();
  }
}
