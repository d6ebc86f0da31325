import { buildFrame, buildJsonFrame, decodeMessage, encodeMessageJson } from '../protocol/index.ts';
import type { MessageList } from './fanout.ts';
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
  readonly frame: Buffer;
  /** messages in the frame */
  readonly count: number;
  readonly rawBytes: number;
}

/**
 * Turns message lists into WebSocket frames and writes them. A list shared by several connections (the same
 * channels, nothing of their own queued) is built once per flush and encoding: MessagePack array framing,
 * compression and the WebSocket header included, and the very same Buffer goes to every such socket
 * (profiled with `npm run bench:feed`, bench/README.md: the socket write is the cost; compressing once per distinct frame instead of once per client
 * removes zlib from the per-client path).
 */
export class FrameWriter {
  readonly #built = new Map<string, BuiltFrame>();
  readonly #json = new WeakMap<Uint8Array, string>();

  /** Starts a flush: frames of the previous flush are no longer shared. */
  begin(): void {
    this.#built.clear();
  }

  /**
   * Writes the frame already built in this flush for `shareKey` and the connection's encoding, if there is one.
   *
   * @returns false when none was built yet: merge the list and call {@link FrameWriter.write}
   */
  writeBuilt(c: FeedConnection, shareKey: string, stats: FrameStats): boolean {
    const built = this.#built.get(frameKey(c, shareKey));
    if (built === undefined) return false;
    this.#send(c, built, stats);
    return true;
  }

  /**
   * Writes `list` to the connection as one frame.
   *
   * @param shareKey - names the list's content within this flush when other connections get the same list; null
   * for a list of this connection alone
   */
  write(c: FeedConnection, list: MessageList, shareKey: string | null, stats: FrameStats): void {
    const n = list.count;
    if (n === 0) return;
    const built = this.#build(c, list);
    stats.built++;
    if (shareKey !== null) this.#built.set(frameKey(c, shareKey), built);
    this.#send(c, built, stats);
  }

  #send(c: FeedConnection, built: BuiltFrame, stats: FrameStats): void {
    c.socket.write(built.frame);
    stats.frames++;
    stats.messages += built.count;
    stats.rawBytes += built.rawBytes;
    stats.wireBytes += built.frame.length;
  }

  #build(c: FeedConnection, list: MessageList): BuiltFrame {
    const payload = c.json
      ? Buffer.from(this.#jsonFrame(list), 'utf8')
      : msgpackFrame(list.messages, list.count);
    const body = c.deflate ? deflateMessage(payload) : payload;
    return {
      frame: wsFrame(body, c.json ? OPCODE_TEXT : OPCODE_BINARY, c.deflate),
      count: list.count,
      rawBytes: payload.length,
    };
  }

  // JSON is made once per message for every JSON subscriber, keyed by the shared encoded bytes. It is made from
  // those bytes because they are all the bus carries (a replay publishes recorded bytes, with no message object).
  #jsonFrame(list: MessageList): string {
    const parts: string[] = [];
    for (let i = 0; i < list.count; i++) {
      const m = list.messages[i] as Uint8Array;
      let text = this.#json.get(m);
      if (text === undefined) {
        text = encodeMessageJson(decodeMessage(m));
        this.#json.set(m, text);
      }
      parts.push(text);
    }
    return buildJsonFrame(parts);
  }
}

function frameKey(c: FeedConnection, shareKey: string): string {
  return `${c.json ? 'j' : 'b'}${c.deflate ? 'z' : ''}${shareKey}`;
}

/** PROTOCOL.md §2: a MessagePack array of the first `n` encoded messages, as a Buffer over the same bytes. */
function msgpackFrame(messages: readonly Uint8Array[], n: number): Buffer {
  const frame = buildFrame(messages, n);
  return Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
}
