import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { staticFiles } from '../../feed-server/src/http/index.ts';
import type { ReplaySpeed } from '../../feed-server/src/protocol/index.ts';
import { ServerConfigError } from '../../feed-server/src/server/index.ts';
import {
  LogError,
  parseReplayTime,
  ReplayError,
  type RunningReplayServer,
  SessionReader,
  sessionTimeZone,
  startReplayServer,
} from '../../replay/src/index.ts';
import { CliError } from './cli-error.ts';
import type { CliIo } from './cli-io.ts';
import { isoUs } from './log-command.ts';
import { parseCliArgsWithPositionals, parseIntegerFlag, parseListenFlag } from './parse-cli-args.ts';
import { resimulate } from './resimulate-report.ts';
import { DEFAULT_WEB_DIR } from './serve-command.ts';
import { AUTH_SECRET_ENV } from './token-command.ts';

export const REPLAY_USAGE = `Usage: tickwire replay <session-dir> [options]

Serves a recorded session (tickwire serve, or tickwire import) over the same WebSocket protocol, REST API and
web client as the live server: the same channels, snapshots and sequence numbers, on a replay clock that every
client can pause, speed up, seek and step (PROTOCOL.md §16).

Options:
      --speed <x>           1, 10, 100, max or any multiple from 0.01 to 10000 (default 1); max plays as
                            fast as the clients read
      --from <time>         start here (default: the recording's start)
      --to <time>           end here (default: the recording's end)
                            <time>: 2012-06-21T14:00:00Z, a time of day such as 10:00 (the session's exchange
                            time for imported days, else UTC), +5m from the start, or µs since the epoch
      --loop                start over at --from after --to
      --paused              wait for a client's play request
  -p, --port <n>            TCP port, 0 = any free one (default 8080)
      --host <addr>         address to listen on (default 127.0.0.1)
      --web-dir <dir>       the built web client served at / (default web/dist of this package)
      --auth-secret <s>     require an access token on the WebSocket, REST (/api/) and /metrics, as
                            'tickwire serve' does; mint them with 'tickwire token' (TICKWIRE_AUTH_SECRET;
                            at least 16 bytes). Open the page as /?token=<token>
      --metrics-listen <a>  serve /metrics on this HOST:PORT instead, without a token, e.g. 127.0.0.1:9464
                            (bind it to loopback or a scrape-only network)
      --resimulate          do not serve: re-run the recorded input through the engine and check that every
                            output message and state hash equals the recording; prints the first divergence
                            (a session serve rolled to: with its chain of rolls, from the first session)
  -h, --help                show this help

Exit status: 0 served until Ctrl-C (or re-simulated without divergence), 1 the session is corrupt or diverged
(the message says where), 2 usage error.
`;

const OPTIONS = {
  speed: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  loop: { type: 'boolean' },
  paused: { type: 'boolean' },
  port: { type: 'string', short: 'p' },
  host: { type: 'string' },
  'web-dir': { type: 'string' },
  'auth-secret': { type: 'string' },
  'metrics-listen': { type: 'string' },
  resimulate: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Parses `--speed`: a multiple of real time or `max`. */
export function parseSpeed(text: string): ReplaySpeed {
  if (text === 'max') return 'max';
  const n = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
  if (!(n >= 0.01 && n <= 10_000)) {
    throw new CliError('BAD_FLAG_VALUE', `--speed must be max or a number from 0.01 to 10000, got "${text}"`);
  }
  return n;
}

/** `tickwire replay`: returns the exit status. */
export async function replayCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCliArgsWithPositionals(argv, OPTIONS);
  if (values.help === true) {
    io.stdout.write(REPLAY_USAGE);
    return 0;
  }
  const [dir, ...extra] = positionals;
  if (dir === undefined) throw new CliError('BAD_FLAG', 'missing the session directory');
  if (extra.length > 0) throw new CliError('BAD_FLAG', `unexpected argument "${extra[0]}"`);
  const speed = values.speed === undefined ? 1 : parseSpeed(values.speed);
  const port = values.port === undefined ? 8080 : parseIntegerFlag('--port', values.port, 0, 65_535);
  const host = values.host ?? '127.0.0.1';
  if (!/^[A-Za-z0-9.:_-]+$/.test(host)) {
    throw new CliError('BAD_FLAG_VALUE', `--host: "${host}" is not a host name or address`);
  }
  if (values.resimulate === true) return resimulate(dir, io);
  const envSecret = io.env?.[AUTH_SECRET_ENV];
  const authSecret = values['auth-secret'] ?? (envSecret === '' ? undefined : envSecret);
  const metricsListen =
    values['metrics-listen'] === undefined
      ? undefined
      : parseListenFlag('--metrics-listen', values['metrics-listen']);

  let server: RunningReplayServer;
  let reader: SessionReader | undefined;
  try {
    reader = SessionReader.open(dir, { onWarning: (w) => io.stderr.write(`${w.message}\n`) });
    const tz = sessionTimeZone(reader.metadata);
    const span = {
      startUs: reader.startUs,
      endUs: reader.endUs,
      ...(tz === undefined ? {} : { timeZone: tz }),
    };
    const time = (flag: '--from' | '--to', text: string | undefined): number | undefined => {
      if (text === undefined) return undefined;
      try {
        return parseReplayTime(text, span);
      } catch (cause) {
        if (cause instanceof ReplayError)
          throw new CliError('BAD_FLAG_VALUE', `${flag}: ${cause.message}`, { cause });
        throw cause;
      }
    };
    const fromUs = time('--from', values.from);
    const toUs = time('--to', values.to);
    for (const [flag, t] of [
      ['--from', fromUs],
      ['--to', toUs],
    ] as const) {
      if (t !== undefined && (t < span.startUs || t > span.endUs)) {
        throw new CliError(
          'BAD_FLAG_VALUE',
          `${flag}: ${isoUs(t)} is outside the recording (${isoUs(span.startUs)} … ${isoUs(span.endUs)})`,
        );
      }
    }
    if (fromUs !== undefined && toUs !== undefined && toUs < fromUs) {
      throw new CliError('BAD_FLAG_VALUE', '--to is before --from');
    }
    const webDir = values['web-dir'] ?? DEFAULT_WEB_DIR;
    server = await startReplayServer({
      host,
      port,
      session: reader,
      speed,
      ...(fromUs === undefined ? {} : { fromUs }),
      ...(toUs === undefined ? {} : { toUs }),
      loop: values.loop === true,
      paused: values.paused === true,
      processMetrics: true,
      ...(authSecret === undefined ? {} : { authSecret }),
      ...(metricsListen === undefined ? {} : { metricsListen }),
      routes: [staticFiles({ root: webDir })],
      log: (line) => io.stderr.write(`${line}\n`),
      onEnd: () =>
        io.stderr.write('replay reached its end; clients may seek or play again (Ctrl-C to stop)\n'),
    });
    const shown = server.url.replace(/\/\/(127\.0\.0\.1|\[::1\]|0\.0\.0\.0|\[::\])(?=:)/, '//localhost');
    const meta = server.reader.metadata;
    const s = server.feed.status();
    io.stdout.write(
      `Tickwire replay on ${shown}  (WebSocket ${shown.replace(/^http/, 'ws')}/v1/ws; ${dir}: ${meta.source}, ` +
        `${meta.instruments.map((i) => i.symbol).join(', ')}, ${isoUs(s.fromUs)} … ${isoUs(s.toUs)}, ` +
        `speed ${speed}${values.paused === true ? ', paused' : ''}${values.loop === true ? ', looping' : ''}` +
        `${authSecret === undefined ? '' : '; tokens required'})\n`,
    );
    if (metricsListen !== undefined) {
      io.stdout.write(`Metrics on ${server.metricsUrl} (no token asked there: keep the address private)\n`);
    }
    if (existsSync(join(webDir, 'index.html')))
      io.stdout.write(
        `Open ${shown}${authSecret === undefined ? '' : "/?token=<a token from 'tickwire token'>"} in a browser for the web client\n`,
      );
  } catch (cause) {
    reader?.close();
    if (cause instanceof ServerConfigError) throw new CliError('BAD_CONFIG', cause.message, { cause });
    if (cause instanceof LogError || cause instanceof ReplayError) {
      io.stderr.write(`tickwire replay: ${cause.message} [${cause.code}]\n`);
      return 1;
    }
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
      // The feed's port or --metrics-listen's: listen errors name the address that failed.
      const { address = host, port: failed = port } = cause as { address?: string; port?: number };
      throw new CliError(
        'BAD_FLAG_VALUE',
        `cannot listen on ${address}:${failed}: ${(cause as Error).message}`,
        {
          cause,
        },
      );
    }
    throw cause;
  }
  await new Promise<void>((resolve) => {
    if (io.signal === undefined) return;
    if (io.signal.aborted) resolve();
    else io.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await server.close();
  io.stdout.write('Tickwire replay stopped\n');
  return 0;
}
