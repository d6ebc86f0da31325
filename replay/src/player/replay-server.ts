import { type FeedNetworkOptions, type RunningFeed, serveFeed } from '../../../feed-server/src/http/index.ts';
import type { ReplaySpeed } from '../../../feed-server/src/protocol/index.ts';
import { FeedMetrics, InProcessBus } from '../../../feed-server/src/server/index.ts';
import type { LogWarningHandler } from '../log/index.ts';
import { SessionReader } from '../session/index.ts';
import { ReplayFeed } from './replay-feed.ts';

/** Options of {@link startReplayServer}. */
export interface ReplayServerOptions extends FeedNetworkOptions {
  /** the recorded session: its directory, or a reader already open on it (closed with the server) */
  readonly session: string | SessionReader;
  readonly speed?: ReplaySpeed;
  readonly fromUs?: number;
  readonly toUs?: number;
  readonly loop?: boolean;
  readonly paused?: boolean;
  /** the log's recovery warnings (a torn tail cut off…) */
  readonly onWarning?: LogWarningHandler;
  readonly onEnd?: () => void;
}

/** A running replay server. */
export interface RunningReplayServer extends RunningFeed {
  readonly feed: ReplayFeed;
  readonly reader: SessionReader;
}

/**
 * The composition root of `tickwire replay`: a recorded session, read and checked, played by a `ReplayFeed` on
 * the in-process bus and served by the same gateway, REST and web routes as the live server.
 */
export async function startReplayServer(options: ReplayServerOptions): Promise<RunningReplayServer> {
  const reader =
    typeof options.session === 'string'
      ? SessionReader.open(
          options.session,
          options.onWarning === undefined ? {} : { onWarning: options.onWarning },
        )
      : options.session;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  try {
    const bus = new InProcessBus((error, channel) =>
      log(`bus handler failed on ${channel}: ${String(error)}`),
    );
    const feed = new ReplayFeed({
      reader,
      bus,
      ...(options.speed === undefined ? {} : { speed: options.speed }),
      ...(options.fromUs === undefined ? {} : { fromUs: options.fromUs }),
      ...(options.toUs === undefined ? {} : { toUs: options.toUs }),
      loop: options.loop ?? false,
      paused: options.paused ?? false,
      ...(options.onEnd === undefined ? {} : { onEnd: options.onEnd }),
      onError: (error) => log(`replay stopped: ${error instanceof Error ? error.message : String(error)}`),
    });
    const metrics = new FeedMetrics({ defaultMetrics: options.processMetrics ?? false });
    const running = await serveFeed(
      options,
      {
        source: feed,
        start: () => feed.start(),
        stop: () => feed.stop(),
      },
      bus,
      metrics,
    );
    return {
      ...running,
      feed,
      reader,
      close: async () => {
        await running.close();
        reader.close();
      },
    };
  } catch (error) {
    reader.close();
    throw error;
  }
}
