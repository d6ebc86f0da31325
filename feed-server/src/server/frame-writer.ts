import { buildFrame, decodeFrame, encodeMessageJson } from '../protocol/index.ts';
import type { FeedConnection } from './feed-connection.ts';
import { deflateMessage, OPCODE_BINARY, OPCODE_TEXT, wsFrame } from './ws-frame.ts';

/** Bytes of one flush, for metrics. */
export interface FrameStats {
  frames: number;
  messages: number;
  /** payload bytes before compression */
  rawBytes: number;
  /** bytes written to sockets (frame headers included) */
  wireBytes: number;
  /** distinct frames built (encoded and compressed once each) */
  built: number;
}

interface BuiltFrame {
  readonly numbers: number[];
  readonly frame: Buffer;
  readonly rawBytes: number;
}

/**
 * Turns connections' queues into WebSocket frames, building each distinct frame once per flush: clients with the
 * same subscriptions queue the same messages, so they get the very same Buffer — MessagePack array framing,
 * compression and the WebSocket header included (PERF-NOTES: the socket write is the cost; compressing once per
 * distinct frame instead of once per client removes zlib from the per-client path).
 */
export class FrameWriter {
  readonly #built = new Map<string, BuiltFrame>();
  readonly #json = new WeakMap<Uint8Array, string>();

  /** Starts a flush: frames of the previous flush are no longer shared. */
  begin(): void {
    this.#built.clear();
  }

  /** Writes the connection's queued messages as one frame and clears its queue. */
  write(c: FeedConnection, stats: FrameStats): void {
    const n = c.count;
    if (n === 0) return;
    const key = `${c.json ? 'j' : 'b'}${c.deflate ? 'z' : ''}${n}:${c.numbers[0]}:${c.numbers[n - 1]}`;
    let built = this.#built.get(key);
    if (built === undefined || !sameNumbers(built.numbers, c.numbers, n)) {
      built = this.#build(c);
      this.#built.set(key, built);
      stats.built++;
    }
    c.socket.write(built.frame);
    c.clearQueue();
    stats.frames++;
    stats.messages += n;
    stats.rawBytes += built.rawBytes;
    stats.wireBytes += built.frame.length;
  }

  #build(c: FeedConnection): BuiltFrame {
    const n = c.count;
    const numbers = c.numbers.slice(0, n);
    const payload = c.json ? Buffer.from(this.#jsonFrame(c), 'utf8') : msgpackFrame(c.messages, n);
    const body = c.deflate ? deflateMessage(payload) : payload;
    return {
      numbers,
      frame: wsFrame(body, c.json ? OPCODE_TEXT : OPCODE_BINARY, c.deflate),
      rawBytes: payload.length,
    };
  }

  #jsonFrame(c: FeedConnection): string {
    const parts: string[] = [];
    for (let i = 0; i < c.count; i++) {
      const m = c.messages[i] as Uint8Array;
      let text = this.#json.get(m);
      if (text === undefined) {
        text = encodeMessageJson(decodeFrame(msgpackFrame([m], 1))[0] as never);
        this.#json.set(m, text);
      }
      parts.push(text);
    }
    return `[${parts.join(',')}]`;
  }
}

function sameNumbers(a: readonly number[], b: readonly number[], n: number): boolean {
  if (a.length !== n) return false;
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** PROTOCOL.md §2: a MessagePack array of the first `n` encoded messages, as a Buffer over the same bytes. */
function msgpackFrame(messages: readonly Uint8Array[], n: number): Buffer {
  const frame = buildFrame(messages, n);
  return Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
}
