import {
  type ChannelEvent,
  FeedClient,
  FeedClientError,
  type StatusEvent,
} from '../../feed-server/src/client/node.ts';
import { normalizeChannel, ProtocolError } from '../../feed-server/src/protocol/index.ts';
import { CliError } from './cli-error.ts';
import type { CliIo } from './cli-io.ts';
import { FeedNdjsonFormat } from './feed-ndjson-format.ts';
import { FeedTextFormat } from './feed-text-format.ts';
import { LineWriter } from './line-writer.ts';
import { parseCliArgsWithPositionals, parseIntegerFlag } from './parse-cli-args.ts';

/** Where `tickwire subscribe` connects unless told otherwise. */
export const DEFAULT_FEED_URL = 'ws://localhost:8080/v1/ws';

export const SUBSCRIBE_USAGE = `Usage: tickwire subscribe <channel...> [options]

Subscribes to channels of a Tickwire feed and prints each message as it arrives, prices and sizes as exact
decimals at the instrument's scales (read from the feed's instruments channel).

Channels (PROTOCOL.md §4):
  instruments  trades:SYMBOL  ticker:SYMBOL[@MSms]  book:SYMBOL[:10|50|full][@MSms]
  candles:SYMBOL:1s|1m|5m|15m|1h|1d         conflation MS: 100, 250, 500 or 1000

Options:
      --url <url>       the feed's WebSocket URL (default ${DEFAULT_FEED_URL})
      --json            NDJSON: one object per message, prices and sizes as exact decimal strings
                        (a book message holds the whole local book)
  -n, --count <n>       exit after n messages (default: until Ctrl-C)
      --token <token>   an auth token, sent as the token query parameter
  -h, --help            show this help

Status (reconnects, resyncs) goes to stderr, with a summary at the end. The connection is kept up once it
has worked: reconnecting, resuming each channel where it left off.
Exit status: 0 done or interrupted, 1 failure (cannot connect, closed by the server for good), 2 usage
error or a channel the feed refused.
`;

const OPTIONS = {
  url: { type: 'string' },
  json: { type: 'boolean' },
  count: { type: 'string', short: 'n' },
  token: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The parsed arguments of `tickwire subscribe`. */
export interface SubscribeOptions {
  /** canonical channel names, in the order given */
  readonly channels: readonly string[];
  readonly url: string;
  readonly json: boolean;
  /** messages to print before exiting; `Infinity` = until interrupted */
  readonly count: number;
  readonly token: string | undefined;
}

/** Parses the arguments after `subscribe`; `'help'` when help was asked for. Throws `CliError`. */
export function parseSubscribeArgs(argv: readonly string[]): SubscribeOptions | 'help' {
  const { values, positionals } = parseCliArgsWithPositionals(argv, OPTIONS);
  if (values.help === true) return 'help';
  if (positionals.length === 0) throw new CliError('BAD_FLAG', 'no channel given, e.g. trades:BTC-USD');
  const channels: string[] = [];
  for (const name of positionals) {
    let canonical: string;
    try {
      canonical = normalizeChannel(name);
    } catch (cause) {
      if (!(cause instanceof ProtocolError)) throw cause;
      throw new CliError('BAD_CHANNEL', `${cause.code}: ${cause.message}`, { cause });
    }
    if (channels.includes(canonical)) {
      throw new CliError('BAD_CHANNEL', `channel ${canonical} is listed twice`);
    }
    channels.push(canonical);
  }
  const url = values.url ?? DEFAULT_FEED_URL;
  if (!/^wss?:\/\/[^/\s]/.test(url) || !URL.canParse(url)) {
    throw new CliError('BAD_FLAG_VALUE', `--url must be a ws:// or wss:// URL, got "${url}"`);
  }
  const count =
    values.count === undefined
      ? Number.POSITIVE_INFINITY
      : parseIntegerFlag('--count', values.count, 1, Number.MAX_SAFE_INTEGER);
  if (values.token === '') throw new CliError('BAD_FLAG_VALUE', '--token is empty');
  return { channels, url, json: values.json === true, count, token: values.token };
}

/** Lines formatted but not yet handed to stdout beyond which stdout is deemed unable to keep up. */
const MAX_PENDING_LINES = 100_000;
const DATA_EVENTS = ['trade', 'ticker', 'book', 'candle', 'instruments'] as const;

/** `tickwire subscribe`: returns the exit status. */
export async function subscribeCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const opts = parseSubscribeArgs(argv);
  if (opts === 'help') {
    io.stdout.write(SUBSCRIBE_USAGE);
    return 0;
  }
  const client = new FeedClient({
    url: opts.url,
    ...(opts.token === undefined ? {} : { token: opts.token }),
  });
  const say = (line: string) => io.stderr.write(`tickwire subscribe: ${line}\n`);
  const out = new LineWriter(io.stdout);
  const lookup = (symbol: string) => client.instrument(symbol);
  const format = opts.json ? new FeedNdjsonFormat() : new FeedTextFormat(lookup);
  // The names are canonical already, so events can be matched from the first snapshot on.
  const wanted = new Set(opts.channels);
  let everLive = false;
  let failure: string | undefined;
  let printed = 0;
  let finish = (): void => {};
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });

  // Lines are formatted in the listener, while the event is current: a book event carries the live book,
  // which later messages of the same frame change. Writing happens apart, one write per burst.
  let pendingLines = 0;
  let pumping: Promise<void> | undefined;
  const pump = async () => {
    while (pendingLines > 0 && !out.closed) {
      pendingLines = 0;
      await out.flush();
    }
    pumping = undefined;
    if (out.closed) finish();
  };
  const onData = (e: ChannelEvent) => {
    if (printed >= opts.count || !wanted.has(e.channel)) return;
    try {
      out.push(format.format(e));
    } catch (err) {
      failure = (err as Error).message;
      finish();
      return;
    }
    printed++;
    if (++pendingLines > MAX_PENDING_LINES) {
      failure = `stdout is not keeping up with the feed (${MAX_PENDING_LINES} lines behind)`;
      finish();
    }
    if (printed >= opts.count) finish();
    pumping ??= pump();
  };
  for (const type of DATA_EVENTS) client.on(type, onData);
  client.on('error', (e) => say(`error: ${e.error.message}`));
  client.on('status', (s: StatusEvent) => {
    switch (s.status) {
      case 'live':
        if (s.resumed) say(`reconnected (session ${s.session}), resuming`);
        else if (s.previousSession !== null) {
          say(`reconnected to a new server session ${s.session} (was ${s.previousSession}): starting over`);
        }
        everLive = true;
        return;
      case 'reconnecting':
        if (!everLive) {
          failure = `cannot connect to ${opts.url}: ${s.closeReason || `closed with ${s.closeCode}`}`;
          client.close();
          return;
        }
        say(`connection lost (${s.closeCode} ${s.closeReason}); reconnecting in ${s.delayMs} ms`);
        return;
      case 'resyncing':
        say(`${s.channel}: resyncing, ${s.message}`);
        return;
      case 'closed':
        if (s.fatal) failure = `the feed closed the connection for good: ${s.closeCode} ${s.closeReason}`;
        finish();
        return;
      case 'connecting':
      case 'synced':
        return;
    }
  });

  const stop = () => client.close();
  io.signal?.addEventListener('abort', stop, { once: true });
  try {
    if (io.signal?.aborted === true) return 0;
    await client.instruments();
    await client.subscribe(opts.channels);
    await finished;
  } catch (err) {
    if (!(err instanceof FeedClientError)) throw err;
    if (err.code === 'REFUSED') {
      const why = err.refusals.map((r) => `${r.channel}: ${r.code} ${r.message}`).join('; ');
      throw new CliError('BAD_CHANNEL', `the feed refused ${why || err.message}`, { cause: err });
    }
    // CLOSED by Ctrl-C is a normal end; anything else is reported below.
    if (failure === undefined && err.code !== 'CLOSED') failure = err.message;
  } finally {
    io.signal?.removeEventListener('abort', stop);
    client.close();
    await pumping;
    await out.close();
  }
  const s = client.stats;
  if (everLive) {
    say(
      `${printed} messages; received ${s.messages} messages in ${s.frames} frames, ${s.bytes} bytes; ` +
        `${s.reconnects} reconnects, ${s.gaps} gaps, ${s.resyncs} resyncs` +
        (s.latencyUs.avg === null ? '' : `; latency avg ${Math.round(s.latencyUs.avg / 1000)} ms`),
    );
  }
  if (failure !== undefined) {
    say(failure);
    return 1;
  }
  if (out.error !== undefined) {
    say(`writing stdout failed: ${out.error.message}`);
    return 1;
  }
  return 0;
}
