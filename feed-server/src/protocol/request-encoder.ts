import type { Request } from './messages.ts';
import { packPlain } from './plain-msgpack.ts';

/** A request as its wire map (§11): `resume.seqs` becomes an object of channel name → seq. */
function toWireRequest(request: Request): Record<string, unknown> {
  if (request.op === 'ping') return { op: request.op, id: request.id };
  if (request.op === 'replay') {
    const { op, id, action, speed, tsUs, count } = request;
    return {
      op,
      id,
      action,
      ...(speed === undefined ? {} : { speed }),
      ...(tsUs === undefined ? {} : { tsUs }),
      ...(count === undefined ? {} : { count }),
    };
  }
  if (request.op === 'unsubscribe' || request.resume === undefined) {
    return { op: request.op, id: request.id, channels: request.channels };
  }
  const seqs: Record<string, number> = {};
  for (const [channel, seq] of request.resume.seqs) seqs[channel] = seq;
  return {
    op: request.op,
    id: request.id,
    channels: request.channels,
    resume: { session: request.resume.session, seqs },
  };
}

/**
 * Client side: encodes a request as a `tickwire.v1` frame (one MessagePack map, §2), with the same plain
 * MessagePack writer as the server's messages. `decodeRequest` reads it back to an equal `Request`.
 */
export function encodeRequest(request: Request): Uint8Array<ArrayBuffer> {
  return packPlain(toWireRequest(request));
}

/** Client side: encodes a request as a `tickwire.v1.json` frame (JSON text of the same map). */
export function encodeRequestJson(request: Request): string {
  return JSON.stringify(toWireRequest(request));
}
