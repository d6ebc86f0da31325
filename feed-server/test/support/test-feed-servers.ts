import { afterEach } from 'vitest';
import { DEFAULT_INSTRUMENT_SPECS, defineInstrument } from '../../../matching/src/index.ts';
import {
  type FeedServerOptions,
  type RunningFeedServer,
  startFeedServer,
} from '../../src/http/feed-server.ts';
import { type RawClientOptions, RawFeedClient } from './raw-feed-client.ts';

/** The default instruments, as every feed-server test serves them. */
export const TEST_INSTRUMENTS = DEFAULT_INSTRUMENT_SPECS.map(defineInstrument);

/** Starts real feed servers on 127.0.0.1:0 and raw clients to them; `afterEach` closes everything started. */
export interface TestFeedServers {
  /** a server with the file's defaults, then `options` */
  server(options?: Partial<FeedServerOptions>): Promise<RunningFeedServer>;
  /** a raw client of `s`'s WebSocket endpoint */
  client(s: RunningFeedServer, options?: RawClientOptions): Promise<RawFeedClient>;
}

/**
 * Call at the top of a test file: the servers and clients it starts are closed after each test (clients
 * terminated, servers closed), so no test leaks a port or a timer into the next.
 */
export function useFeedServers(defaults: Partial<FeedServerOptions> = {}): TestFeedServers {
  const running: RunningFeedServer[] = [];
  const clients: RawFeedClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.ws.terminate();
    await Promise.all(running.splice(0).map((s) => s.close()));
  });
  return {
    async server(options = {}) {
      const s = await startFeedServer({
        host: '127.0.0.1',
        port: 0,
        seed: 1,
        instruments: TEST_INSTRUMENTS,
        rate: 300,
        log: () => {},
        ...defaults,
        ...options,
      });
      running.push(s);
      return s;
    },
    async client(s, options) {
      const c = await RawFeedClient.connect(s.wsUrl, options);
      clients.push(c);
      return c;
    },
  };
}
