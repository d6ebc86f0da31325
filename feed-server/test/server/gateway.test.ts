import { pack } from 'msgpackr';
import { describe, expect, test } from 'vitest';
import type { RawData, WebSocket } from 'ws';
import { DEFAULT_INSTRUMENT_SPECS, defineInstrument } from '../../../matching/src/index.ts';
import { decodeFrame, type ServerMessage } from '../../src/protocol/index.ts';
import { InProcessBus } from '../../src/server/bus.ts';
import { FeedPublisher } from '../../src/server/feed-publisher.ts';
import { Gateway } from '../../src/server/gateway.ts';
import { SimulationDriver } from '../../src/server/simulation-driver.ts';

type Listener = (...args: unknown[]) => void;

/** Just enough of a ws WebSocket for `Gateway.accept`: no permessage-deflate, so frames are plain. */
class StubWs {
  readonly protocol = 'tickwire.v1';
  readonly extensions = '';
  readonly listeners = new Map<string, Listener>();
  on(event: string, listener: Listener): this {
    this.listeners.set(event, listener);
    return this;
  }
  once(event: string, listener: Listener): this {
    return this.on(event, listener);
  }
  ping(): void {}
  close(): void {}
  terminate(): void {}
}

/** Just enough of a net.Socket: keeps every WebSocket frame written, decoded. */
class StubSocket {
  readonly writableLength = 0;
  readonly frames: ServerMessage[][] = [];
  on(): this {
    return this;
  }
  write(chunk: Uint8Array): boolean {
    const len = (chunk[1] as number) & 0x7f;
    const start = len === 126 ? 4 : len === 127 ? 10 : 2;
    this.frames.push(decodeFrame(chunk.subarray(start)) as ServerMessage[]);
    return true;
  }
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('Gateway batching', () => {
  test('what one turn of work produced goes out as one frame per connection, when that turn is done', async () => {
    const instruments = DEFAULT_INSTRUMENT_SPECS.map(defineInstrument);
    let nowMs = Date.UTC(2026, 0, 1);
    const clockMs = (): number => nowMs;
    const bus = new InProcessBus((e) => {
      throw e;
    });
    const publisher = new FeedPublisher({ instruments, bus, clockMs });
    const driver = new SimulationDriver({ seed: 3, instruments, rate: 2000, publisher, clockMs });
    const gateway = new Gateway(publisher, bus, {}, clockMs);
    const ws = new StubWs();
    const socket = new StubSocket();
    gateway.accept(ws as unknown as WebSocket, socket as never, { check: () => 'ok' }, '127.0.0.1');
    const onMessage = ws.listeners.get('message') as (data: RawData, isBinary: boolean) => void;
    onMessage(pack({ op: 'subscribe', id: 1, channels: ['trades:BTC-USD', 'book:BTC-USD:10'] }), true);
    expect(socket.frames).toEqual([]); // nothing is written while the turn's work goes on
    await turn();
    // welcome, then the ack and the snapshots the request produced: one frame each turn
    expect(socket.frames.map((f) => f.map((m) => m[0]))).toEqual([[0, 1, 3, 3]]);

    nowMs += 500;
    driver.pump(); // half a second of market in one turn
    expect(socket.frames).toHaveLength(1);
    await turn();
    expect(socket.frames).toHaveLength(2);
    const updates = socket.frames[1] as ServerMessage[];
    expect(updates.length).toBeGreaterThan(10);
    expect(updates.every((m) => m[0] === 4)).toBe(true);
  });
});
