import { CliError, USAGE_EXIT_CODE } from './cli-error.ts';
import type { CliIo } from './cli-io.ts';
import { importCommand } from './import-command.ts';
import { logCommand } from './log-command.ts';
import { parseCliArgs } from './parse-cli-args.ts';
import { replayCommand } from './replay-command.ts';
import { serveCommand } from './serve-command.ts';
import { simulateCommand } from './simulate-command.ts';
import { subscribeCommand } from './subscribe-command.ts';
import { tokenCommand } from './token-command.ts';

export const USAGE = `Usage: tickwire <command> [options]

Commands:
  import      turn real market data (LOBSTER, a trades CSV) into a replayable session
  log         check a recorded session log (log verify <dir>), describe it (log info <dir>) or compress it
              (log compress <dir>)
  replay      serve a recorded session over the same protocol, on a replay clock (or --resimulate it)
  serve       run the live feed: simulator, engine, WebSocket feed and REST API on one port; records it
  simulate    run the seeded market simulator through the matching engine and print its events
  subscribe   subscribe to channels of a running feed and print its messages
  token       issue an access token for a server that requires authentication

Options:
  -h, --help  show this help

Run 'tickwire <command> --help' for a command's options.
`;

type CommandFn = (argv: readonly string[], io: CliIo) => Promise<number>;

const COMMANDS: Readonly<Record<string, CommandFn>> = {
  import: importCommand,
  log: logCommand,
  replay: replayCommand,
  serve: serveCommand,
  simulate: simulateCommand,
  subscribe: subscribeCommand,
  token: tokenCommand,
};

/**
 * The `tickwire` command line: dispatches to a subcommand and returns the exit status (0 done, 1 failure,
 * 2 usage error). With no `io` it uses the process's streams and turns SIGINT/SIGTERM into a graceful stop.
 */
export async function main(argv: readonly string[], io?: CliIo): Promise<number> {
  if (io !== undefined) return run(argv, io);
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await run(argv, {
      stdout: process.stdout,
      stderr: process.stderr,
      signal: abort.signal,
      env: process.env,
    });
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name.startsWith('-')) {
      const { values } = parseCliArgs(argv, { help: { type: 'boolean', short: 'h' } });
      if (values.help === true) {
        io.stdout.write(USAGE);
        return 0;
      }
      io.stderr.write(USAGE);
      return USAGE_EXIT_CODE;
    }
    if (name === 'help') {
      const [topic] = rest;
      if (topic !== undefined) return await run([topic, '--help'], io);
      io.stdout.write(USAGE);
      return 0;
    }
    const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (command === undefined) throw new CliError('UNKNOWN_COMMAND', `unknown command "${name}"`);
    return await command(rest, io);
  } catch (err) {
    if (!(err instanceof CliError)) {
      io.stderr.write(
        `tickwire: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
      return 1;
    }
    const where = name !== undefined && Object.hasOwn(COMMANDS, name) ? ` ${name}` : '';
    io.stderr.write(`tickwire${where}: ${err.message}\nRun 'tickwire${where} --help' for usage.\n`);
    return err.exitCode;
  }
}
