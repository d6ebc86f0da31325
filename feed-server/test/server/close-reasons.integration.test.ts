import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_INSTRUMENT_SPECS, defineInstrument } from '../../../matching/src/index.ts';
import { type RunningFeedServer, startFeedServer } from '../../src/http/feed-server.ts';
import { CLOSE_CODES } from '../../src/protocol/index.ts';
import { type RawClientOptions, RawFeedClient } from '../support/raw-feed-client.ts';

/*
 * PROTOCOL.md §9: every close the server starts carries a reason, including those `ws` starts itself when a client
 * frame breaks RFC 6455 or the size limit (it would send the bare code).
 */

let server: RunningFeedServer;

beforeAll(async () => {
  server = await startFeedServer({
    host: '127.0.0.1',
    port: 0,
    seed: 5,
    instruments: DEFAULT_INSTRUMENT_SPECS.map(defineInstrument),
    rate: 100,
    log: () => {},
  });
});

afterAll(async () => {
  await server.close();
});

async function closeAfter(
  send: (c: RawFeedClient) => void,
  options?: RawClientOptions,
): Promise<{ code: number; reason: string }> {
  const c = await RawFeedClient.connect(server.wsUrl, options);
  await c.until((ms) => ms.some((m) => m[0] === 0));
  send(c);
  return c.closed;
}

describe('closes ws starts itself carry the reason of their code', () => {
  test('a frame over the payload limit: 1009 with a reason', async () => {
    const closed = await closeAfter((c) => c.ws.send(Buffer.alloc(64 * 1024, 0x90)), {
      perMessageDeflate: false,
    });
    expect(closed).toEqual({ code: 1009, reason: CLOSE_CODES.MESSAGE_TOO_BIG.meaning });
  });

  test('a compressed frame that inflates past the limit: 1009 with a reason', async () => {
    // 1 MiB of zeros deflates to about a kilobyte: under the limit on the wire, far over it inflated.
    const closed = await closeAfter((c) => c.ws.send(Buffer.alloc(1024 * 1024, 0)));
    expect(closed).toEqual({ code: 1009, reason: CLOSE_CODES.MESSAGE_TOO_BIG.meaning });
  });

  test.each([
    ['tickwire.v1.json', 'tickwire.v1.json'],
    ['tickwire.v1 (checked before the frame type, so not 1003)', 'tickwire.v1'],
  ])('a text frame of invalid UTF-8 on %s: 1007 with a reason', async (_name, protocol) => {
    const closed = await closeAfter(
      (c) => c.ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false }),
      {
        protocol,
      },
    );
    expect(closed).toEqual({ code: 1007, reason: CLOSE_CODES.INVALID_UTF8.meaning });
  });

  test('a frame with a reserved bit set: 1002 with a reason', async () => {
    expect(await rawFrameClose(server.port, Buffer.from([0xa2, 0x80, 0, 0, 0, 0]))).toEqual({
      code: 1002,
      reason: CLOSE_CODES.PROTOCOL_ERROR.meaning,
    });
  });

  test('a close the gateway starts keeps its own reason', async () => {
    const closed = await closeAfter((c) => c.ws.send('{"op":"ping","id":1}'));
    expect(closed).toEqual({ code: 1003, reason: 'text frame on tickwire.v1' });
  });
});

/**
 * Opens a WebSocket by hand (a client library will not send a broken frame), writes `frame` after the 101 and
 * returns the code and reason of the server's close frame.
 */
function rawFrameClose(port: number, frame: Buffer): Promise<{ code: number; reason: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let buffered = Buffer.alloc(0);
    let upgraded = false;
    socket.on('error', reject);
    socket.on('connect', () => {
      socket.write(
        'GET /v1/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      );
    });
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (!upgraded) {
        const end = buffered.indexOf('\r\n\r\n');
        if (end < 0) return;
        if (!buffered.subarray(0, end).toString().startsWith('HTTP/1.1 101')) {
          reject(new Error(buffered.subarray(0, end).toString()));
          return;
        }
        upgraded = true;
        buffered = buffered.subarray(end + 4);
        socket.write(frame);
      }
      // Server frames: skip the data frames (welcome), stop at the close frame (opcode 8, payload < 126 bytes).
      while (buffered.length >= 2) {
        const opcode = (buffered[0] as number) & 0x0f;
        let length = (buffered[1] as number) & 0x7f;
        let header = 2;
        if (length === 126) {
          if (buffered.length < 4) return;
          length = buffered.readUInt16BE(2);
          header = 4;
        }
        if (buffered.length < header + length) return;
        const payload = buffered.subarray(header, header + length);
        buffered = buffered.subarray(header + length);
        if (opcode === 8) {
          resolve({ code: payload.readUInt16BE(0), reason: payload.subarray(2).toString() });
          socket.destroy();
          return;
        }
      }
    });
  });
}
