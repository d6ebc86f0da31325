import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import type { Instrument, MarketDataState } from '../../../matching/src/index.ts';
import { SUBPROTOCOLS, WS_PATH } from '../protocol/index.ts';
import {
  assertTokenSecret,
  TOKEN_FAILURE_CLOSE,
  tokenFromRequest,
  verifyToken,
} from '../server/auth-token.ts';
import { type Bus, InProcessBus } from '../server/bus.ts';
import { CONNECTION_LIMIT_CLOSE, ConnectionLimiter } from '../server/connection-limiter.ts';
import { FeedMetrics } from '../server/feed-metrics.ts';
import { FeedPublisher } from '../server/feed-publisher.ts';
import { FeedSocket } from '../server/feed-socket.ts';
import type { FeedSource } from '../server/feed-source.ts';
import { Gateway, type GatewayOptions } from '../server/gateway.ts';
import type { MarketQuery } from '../server/market-query.ts';
import { ORIGIN_DENIED_STATUS, OriginPolicy, type OriginPolicyOptions } from '../server/origin-policy.ts';
import { RequestRateLimiter } from '../server/rate-limiter.ts';
import type { RecordingStatus } from '../server/recording-status.ts';
import { SimulationDriver } from '../server/simulation-driver.ts';
import { SHARED_DEFLATE } from '../server/ws-frame.ts';
import { landingPage } from './landing-page.ts';
import { metricsHandler } from './metrics-handler.ts';
import { listenMetrics, type MetricsListenAddress, type MetricsListener } from './metrics-listener.ts';
import { requestAuth } from './rest-auth.ts';
import { createRestHandler } from './rest-handler.ts';

export { WS_PATH };

/** The subprotocols the server accepts, in its order of preference (`tickwire.v1` first, PROTOCOL.md §1). */
const OFFERED: readonly string[] = [SUBPROTOCOLS.msgpack, SUBPROTOCOLS.json];

/** The network side of a feed server: where it listens and how it guards and serves connections. */
export interface FeedNetworkOptions {
  readonly host: string;
  /** 0 = any free port */
  readonly port: number;
  /** PEM certificate and key: serve https and wss */
  readonly tls?: { readonly cert: string | Buffer; readonly key: string | Buffer };
  readonly gateway?: Partial<GatewayOptions>;
  /** which browser pages may connect (PROTOCOL.md §1, HTTP 403); default: no Origin, same origin and localhost */
  readonly origins?: OriginPolicyOptions;
  /**
   * require an HMAC access token (PROTOCOL.md §15) on every WebSocket connection, REST request under `/api/`
   * and `/metrics` scrape; `/healthz` and the page stay open. At least 16 bytes.
   */
  readonly authSecret?: string;
  /** extra HTTP routes, tried before the 404 (REST, metrics, static files); true = handled */
  readonly routes?: readonly ((req: IncomingMessage, res: ServerResponse) => boolean)[];
  /** where to report errors that are not a client's fault (default stderr) */
  readonly log?: (line: string) => void;
  /**
   * also export Node's process metrics (CPU, memory, event loop, GC) on `/metrics`; they start observers that run
   * for the life of the process, so only the one server of a process should (default false)
   */
  readonly processMetrics?: boolean;
  /**
   * serve `/metrics` on this separate plain-HTTP address instead of the feed's port, without a token: the
   * address is the protection (loopback, or a network only the scraper reaches). Default: on the feed's port,
   * behind the token when `authSecret` is set.
   */
  readonly metricsListen?: MetricsListenAddress;
}

/** Options of {@link startFeedServer}: the network, and the live simulation behind it. */
export interface FeedServerOptions extends FeedNetworkOptions {
  readonly seed: number;
  readonly instruments: readonly Instrument[];
  readonly initialPrices?: Readonly<Record<string, number>>;
  /**
   * market data to start from: an earlier session's candle history and ticker windows, carried over to this
   * start (`continueFromDataDir` in replay/); default: none, the feed starts empty
   */
  readonly history?: MarketDataState;
  /** simulator commands per second */
  readonly rate: number;
  /**
   * Called with the live parts once the server listens, before the market starts, e.g. to record the session
   * (the recorder taps the driver and the bus); what it returns is closed after the market stops, before the
   * server resolves `close`. A recorder also gives its `status` for `/metrics` and `/healthz`.
   */
  readonly attach?: (live: LiveParts) => Promise<Attached>;
}

/** What {@link FeedServerOptions.attach} returns. */
export interface Attached {
  /** closed when the server closes (a rejection is reported by the server's `close`, after it closed all) */
  close(): Promise<void>;
  /** a recorder's progress */
  status?(): RecordingStatus;
}

/** The producing side of a live server, for {@link FeedServerOptions.attach}. */
export interface LiveParts {
  readonly publisher: FeedPublisher;
  readonly driver: SimulationDriver;
  readonly bus: Bus;
}

/** What serves a feed over the network: any producer behind a {@link Bus}. */
export interface FeedProducer {
  /** snapshots, resume buffers and REST answers */
  readonly source: FeedSource & MarketQuery;
  /** starts producing (after the listener is up; a failure closes the listener and rejects the start) */
  start(): void | Promise<void>;
  /**
   * stops producing (before the clients are closed); a rejection (a recording that failed) does not keep the
   * server from closing: its `close` closes everything, then rejects with it
   */
  stop(): void | Promise<void>;
  /** the recording of this feed, if any, for `/metrics` and `/healthz` */
  recording?(): RecordingStatus | undefined;
}

/** A running feed, whatever produces it. */
export interface RunningFeed {
  /** `http://host:port` (or https) */
  readonly url: string;
  /** `ws://host:port/v1/ws` (or wss) */
  readonly wsUrl: string;
  readonly port: number;
  readonly gateway: Gateway;
  readonly metrics: FeedMetrics;
  readonly http: Server;
  /** where `/metrics` is served: on the feed's port, or on `metricsListen` */
  readonly metricsUrl: string;
  /**
   * Stops the producer, closes clients with 1001, closes the listener(s) — all of it even when stopping the
   * producer fails (a recording's write failure), and then rejects with that failure.
   */
  close(): Promise<void>;
}

/** A running live feed server. */
export interface RunningFeedServer extends RunningFeed {
  readonly publisher: FeedPublisher;
  readonly driver: SimulationDriver;
}

/**
 * The composition root of `tickwire serve`: simulator → engine → publisher → in-process bus → gateway, and the
 * HTTP server that carries the WebSocket endpoint and the other routes.
 */
export async function startFeedServer(options: FeedServerOptions): Promise<RunningFeedServer> {
  const log = logOf(options);
  const bus = new InProcessBus((error, channel) => log(`bus handler failed on ${channel}: ${String(error)}`));
  const publisher = new FeedPublisher({ instruments: options.instruments, bus });
  if (options.history !== undefined) publisher.restoreHistory(options.history);
  const driver = new SimulationDriver({
    seed: options.seed,
    instruments: options.instruments,
    initialPrices: options.initialPrices,
    rate: options.rate,
    publisher,
  });
  const metrics = new FeedMetrics({ defaultMetrics: options.processMetrics ?? false });
  driver.onPump = (commands, events) => {
    metrics.engineCommands(commands);
    metrics.engineEvents(events);
  };
  let attached: Attached | undefined;
  const producer: FeedProducer = {
    source: publisher,
    start: async () => {
      attached = await options.attach?.({ publisher, driver, bus });
      driver.start();
    },
    stop: async () => {
      driver.stop();
      await attached?.close();
    },
    recording: () => attached?.status?.(),
  };
  const feed = await serveFeed(options, producer, bus, metrics);
  return { ...feed, publisher, driver };
}

function logOf(options: FeedNetworkOptions): (line: string) => void {
  return options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
}

/**
 * Serves a producer's feed: the gateway on the bus, the WebSocket endpoint with its handshake guards, REST,
 * `/metrics` and the extra routes, on one HTTP(S) listener. Starts the producer once listening.
 */
export async function serveFeed(
  options: FeedNetworkOptions,
  producer: FeedProducer,
  bus: Bus,
  metrics: FeedMetrics,
): Promise<RunningFeed> {
  const log = logOf(options);
  const source = producer.source;
  const gateway = new Gateway(source, bus, { ...options.gateway, metrics });
  const recording = () => producer.recording?.();
  metrics.watchRecording(recording);
  const limits = gateway.options.limits;
  const originPolicy = new OriginPolicy(options.origins);
  const connectionLimiter = new ConnectionLimiter(limits.connectionsPerIp);
  if (options.authSecret !== undefined) assertTokenSecret(options.authSecret);
  // One check for every HTTP door, so REST and /metrics refuse exactly the tokens the WebSocket refuses.
  const auth = options.authSecret === undefined ? undefined : requestAuth({ secret: options.authSecret });

  const wss = new WebSocketServer<typeof FeedSocket>({
    noServer: true,
    // Closes that ws starts itself (1002, 1007, 1009) carry a reason (PROTOCOL.md §9).
    WebSocket: FeedSocket,
    // ws applies maxPayload to a frame's compressed payload too, and deflate can grow incompressible bytes a
    // little: leave room for that, and let decodeRequest enforce the exact limit on the inflated message (1009).
    maxPayload: limits.clientFrameBytes + 1024,
    // Shared compression (ws-frame.ts) writes frames compressed once for every client, so the negotiated
    // parameters must let any client inflate them alone: no context takeover, a 2^10 window at most.
    perMessageDeflate: {
      serverNoContextTakeover: true,
      serverMaxWindowBits: SHARED_DEFLATE.windowBits,
      // Client→server requests are tiny; never inflate with a large window per connection.
      zlibInflateOptions: { chunkSize: 1024 },
      threshold: Number.MAX_SAFE_INTEGER,
    },
    handleProtocols: (protocols) => OFFERED.find((p) => protocols.has(p)) ?? false,
  });

  const routes = [
    createRestHandler(source, {
      onError: (error) =>
        log(`REST: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
      onErrorResponse: (code) => metrics.restError(code),
      recording,
      ...(auth === undefined ? {} : { auth }),
    }),
    ...(options.metricsListen === undefined
      ? [
          metricsHandler(metrics, {
            onError: (error) => log(`/metrics: ${String(error)}`),
            ...(auth === undefined ? {} : { auth }),
          }),
        ]
      : []),
    ...(options.routes ?? []),
    landingPage([...source.symbols], auth !== undefined),
  ];
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    for (const route of routes) if (route(req, res)) return;
    res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ error: { code: 'NOT_FOUND', message: `no route for ${req.url ?? ''}` } }));
  };
  const http =
    options.tls === undefined ? createHttpServer(onRequest) : createHttpsServer(options.tls, onRequest);

  http.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== WS_PATH) {
      refuseUpgrade(socket, 404, `the feed is at ${WS_PATH}`);
      return;
    }
    const offered = req.headers['sec-websocket-protocol'];
    if (offered !== undefined) {
      const list = offered.split(',').map((p) => p.trim());
      if (!list.some((p) => OFFERED.includes(p))) {
        metrics.connectionRejected('subprotocol');
        refuseUpgrade(socket, 400, `unknown subprotocol; use ${OFFERED.join(' or ')}`);
        return;
      }
    }
    // A foreign page is refused before the upgrade, as RFC 6455 §4.2.2 says and exchanges do: no WebSocket, no
    // 101, nothing of the feed reaches it. Its script learns nothing but that the connection failed, and a
    // client that sent the Origin gets the 403 (PROTOCOL.md §1).
    const origin = originPolicy.checkHeaders(req.headers);
    if (!origin.allowed) {
      metrics.connectionRejected('origin');
      refuseUpgrade(socket, ORIGIN_DENIED_STATUS, `Origin refused (${origin.reason}); see --allow-origin`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      // The other refusals complete the handshake and then close with the protocol's code, so that a browser,
      // which never sees a refused handshake's HTTP status, learns why (PROTOCOL.md §9).
      const address = socket.remoteAddress ?? '';
      const release = connectionLimiter.acquire(address);
      if (release === undefined) {
        metrics.connectionRejected('ip_limit');
        ws.close(CONNECTION_LIMIT_CLOSE, 'too many connections from this address');
        return;
      }
      ws.once('close', release);
      if (options.authSecret !== undefined) {
        const verdict = verifyToken(options.authSecret, tokenFromRequest(req), Date.now());
        if (!verdict.ok) {
          metrics.connectionRejected('auth');
          ws.close(TOKEN_FAILURE_CLOSE[verdict.code], verdict.message);
          return;
        }
      }
      const guard = new RequestRateLimiter(Date.now(), {
        ratePerSecond: limits.requestsPerSecond,
        burst: limits.requestBurst,
      });
      gateway.accept(ws, socket, guard, address);
    });
  });
  http.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, options.host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  let metricsListener: MetricsListener | undefined;
  try {
    if (options.metricsListen !== undefined) {
      metricsListener = await listenMetrics(metrics, options.metricsListen, (error) =>
        log(`/metrics: ${String(error)}`),
      );
    }
    await producer.start();
  } catch (error) {
    await metricsListener?.close();
    await new Promise<void>((resolve) => http.close(() => resolve()));
    await gateway.close();
    throw error;
  }

  const { port } = http.address() as AddressInfo;
  const hostPart = options.host.includes(':') ? `[${options.host}]` : options.host;
  const scheme = options.tls === undefined ? 'http' : 'https';
  const url = `${scheme}://${hostPart}:${port}`;
  const wsUrl = `${scheme === 'https' ? 'wss' : 'ws'}://${hostPart}:${port}${WS_PATH}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    wsUrl,
    port,
    gateway,
    metrics,
    http,
    metricsUrl: metricsListener?.url ?? `${url}/metrics`,
    close: () => {
      closing ??= (async () => {
        // Shutdown always finishes (issue 11): a producer that fails to stop (a recording whose write failed
        // rethrows it) is reported after the listener, the clients (1001) and the WebSocket server are closed.
        let stopFailure: { readonly error: unknown } | undefined;
        try {
          await producer.stop();
        } catch (error) {
          stopFailure = { error };
        }
        const stopped = new Promise<void>((resolve) => http.close(() => resolve()));
        http.closeIdleConnections();
        await gateway.close();
        wss.close();
        await stopped;
        await metricsListener?.close();
        if (stopFailure !== undefined) throw stopFailure.error;
      })();
      return closing;
    },
  };
}

const STATUS_TEXT = { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found' } as const;

function refuseUpgrade(socket: Socket, status: keyof typeof STATUS_TEXT, message: string): void {
  const reason = STATUS_TEXT[status];
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nconnection: close\r\ncontent-type: text/plain\r\ncontent-length: ${Buffer.byteLength(message)}\r\n\r\n${message}`,
  );
}
