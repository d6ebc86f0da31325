/**
 * The client of bench:log's replay run, forked by sessions.ts so it does not share the server's event loop: one
 * real `ws` WebSocket (permessage-deflate offered) on a replay server, subscribed to every recorded channel; it
 * asks the replay to play at max and decodes every frame until the replay reports `ended`.
 */
import WebSocket from 'ws';
import { decodeFrame, encodeRequest, type ServerMessage } from '../../feed-server/src/protocol/index.ts';
import { serveRequests } from '../feed/ipc.ts';

interface Run {
  readonly url: string;
  readonly channels: readonly string[];
  /** offer permessage-deflate */
  readonly deflate: boolean;
}

/** What the client received between its play request and the replay's end. */
export interface ReplayClientResult {
  readonly messages: number;
  readonly frames: number;
  readonly bytes: number;
  readonly seconds: number;
}

async function run({ url, channels, deflate }: Run): Promise<ReplayClientResult> {
  const ws = new WebSocket(url, 'tickwire.v1', { perMessageDeflate: deflate });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let replayId = -1;
  let acks = 0;
  let messages = 0;
  let frames = 0;
  let bytes = 0;
  let t0 = 0;
  const requests = Math.ceil((channels.length + 1) / 50);
  return new Promise<ReplayClientResult>((resolve) => {
    ws.on('message', (data: Buffer) => {
      const ms: ServerMessage[] = decodeFrame(data);
      if (t0 > 0) {
        frames++;
        bytes += data.length;
      }
      for (const m of ms) {
        if (m[0] === 1) {
          const ids = m[2] as Record<string, number>;
          if (ids.replay !== undefined) replayId = ids.replay;
          if (m[1] < 100 && ++acks === requests) {
            t0 = performance.now();
            ws.send(encodeRequest({ op: 'replay', id: 100, action: 'play' }));
          }
          continue;
        }
        if (m[0] !== 4 || t0 === 0) continue;
        if (m[1] !== replayId) {
          messages++;
          continue;
        }
        if ((m[4] as unknown as { state: string }).state === 'ended') {
          const seconds = (performance.now() - t0) / 1000;
          ws.close();
          resolve({ messages, frames, bytes, seconds });
        }
      }
    });
    const all = [...channels, 'replay'];
    for (let i = 0; i < all.length; i += 50) {
      ws.send(encodeRequest({ op: 'subscribe', id: i / 50 + 1, channels: all.slice(i, i + 50) }));
    }
  });
}

serveRequests({}, (body: Run) => run(body));
