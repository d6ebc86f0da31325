import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { buildFrame, decodeFrame, parseChannel } from '../../feed-server/src/protocol/index.ts';
import { FeedPublisher, InProcessBus, SimulationDriver } from '../../feed-server/src/server/index.ts';
import type { Instrument } from '../../matching/src/index.ts';
import { type ChannelMeta, channelMeta, namedJson, type SymbolScales, wsHeaderBytes } from './named-json.ts';

/** Options of {@link startBaselineServer}: the input of the real server, nothing of its fan-out. */
export interface BaselineServerOptions {
  readonly seed: number;
  readonly instruments: readonly Instrument[];
  /** simulator commands per second */
  readonly rate: number;
}

/** Counters of the baseline's sends. */
export interface BaselineStats {
  /** `ws.send` calls: one message, one frame each */
  sends: number;
  /** payload bytes plus frame headers */
  wireBytes: number;
  connections: number;
}

/** A running baseline server. */
export interface RunningBaseline {
  readonly port: number;
  readonly wsUrl: string;
  readonly stats: BaselineStats;
  /** the simulation driver, once the market has started */
  readonly driver: SimulationDriver | undefined;
  /**
   * Starts the market. Separate from listening because a `ws.send` loop that cannot keep up starves the
   * handshakes: clients connect first, as they would to a feed that had been quiet.
   */
  startMarket(): void;
  close(): Promise<void>;
}

/** One channel's subscribers and how to write its messages. */
class Topic {
  readonly sockets = new Set<WebSocket>();

  constructor(readonly meta: ChannelMeta) {}
}

/**
 * The comparison point of `bench:feed`: a feed as tutorials build one. The same simulator, engine and publisher as
 * `tickwire serve` (the same input), then a plain `ws` server: every message is written as named-field JSON text
 * once, and `ws.send` to each subscriber — one WebSocket frame per message, no batching, no compression, no
 * snapshots or resume. Clients send `{"op":"subscribe","channels":[…]}` and get `{"type":"subscribed",…}`.
 */
export async function startBaselineServer(options: BaselineServerOptions): Promise<RunningBaseline> {
  const bus = new InProcessBus((error, channel) => process.stderr.write(`baseline: ${channel}: ${error}\n`));
  const publisher = new FeedPublisher({ instruments: options.instruments, bus });
  let driver: SimulationDriver | undefined;
  const scales = new Map<string, SymbolScales>(options.instruments.map((i) => [i.symbol, i]));
  const stats: BaselineStats = { sends: 0, wireBytes: 0, connections: 0 };
  const topics = new Map<string, Topic>();
  const one: Uint8Array[] = [];

  const publish = (topic: Topic, encoded: Uint8Array): void => {
    one[0] = encoded;
    const message = decodeFrame(buildFrame(one, 1))[0];
    if (message === undefined) return;
    const text = namedJson(message, topic.meta);
    const bytes = Buffer.byteLength(text);
    for (const ws of topic.sockets) {
      ws.send(text);
      stats.sends++;
      stats.wireBytes += bytes + wsHeaderBytes(bytes);
    }
  };

  const topicOf = (requested: string): Topic => {
    // As the gateway does: the canonical name, and a conflated channel's production started on first use.
    const name = publisher.open(parseChannel(requested, { knownSymbols: publisher.symbols })).name;
    let topic = topics.get(name);
    if (topic === undefined) {
      const t = new Topic(channelMeta(name, scales));
      bus.subscribe(name, (_channel, _seq, encoded) => publish(t, encoded));
      topics.set(name, t);
      topic = t;
    }
    return topic;
  };

  const http: Server = createServer((_req, res) => {
    res.writeHead(404).end();
  });
  const wss = new WebSocketServer({ server: http, path: '/v1/ws', perMessageDeflate: false });
  wss.on('connection', (ws) => {
    stats.connections++;
    const mine: Topic[] = [];
    ws.on('message', (data) => {
      const request = JSON.parse(String(data)) as { op?: string; channels?: string[] };
      if (request.op !== 'subscribe' || !Array.isArray(request.channels)) return;
      try {
        for (const name of request.channels) {
          const topic = topicOf(name);
          topic.sockets.add(ws);
          mine.push(topic);
        }
        ws.send(JSON.stringify({ type: 'subscribed', channels: request.channels }));
      } catch (error) {
        ws.send(JSON.stringify({ type: 'error', message: String(error) }));
      }
    });
    ws.on('close', () => {
      stats.connections--;
      for (const t of mine) t.sockets.delete(ws);
    });
    ws.on('error', () => {});
  });

  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    port,
    wsUrl: `ws://127.0.0.1:${port}/v1/ws`,
    stats,
    get driver() {
      return driver;
    },
    startMarket: () => {
      // The simulator's clock starts now: no backlog of commands from before.
      driver ??= new SimulationDriver({
        seed: options.seed,
        instruments: options.instruments,
        rate: options.rate,
        publisher,
      });
      driver.start();
    },
    close: async () => {
      driver?.stop();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
