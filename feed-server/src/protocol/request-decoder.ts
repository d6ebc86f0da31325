import { DEFAULT_LIMITS, type RequestLimits } from './limits.ts';
import type { PingRequest, ReplayAction, ReplayRequest, Request, ResumePoint } from './messages.ts';
import { unpackPlain } from './plain-msgpack.ts';
import { frameError, requestError } from './protocol-error.ts';

/** Request ids are 0 ≤ id < 2^31 (§11). */
export const MAX_REQUEST_ID = 2 ** 31 - 1;

const utf8 = new TextEncoder();

/**
 * Decodes one client frame into a validated `Request`: a `Uint8Array` is a `tickwire.v1` (MessagePack) frame,
 * a `string` a `tickwire.v1.json` frame. `limits`: the server's configured limits (default §8's). Throws
 * `ProtocolError`:
 * - `FRAME_TOO_LARGE` (close 1009) over `limits.clientFrameBytes` bytes (4096 by default);
 * - `UNDECODABLE` (close 4000) when it is not one plain MessagePack value / not JSON;
 * - `BAD_REQUEST`, `UNKNOWN_OP`, `TOO_MANY_CHANNELS` (no close; `requestId` set once `id` was read).
 * Channel names are not parsed here, so that one bad channel does not refuse the others: see `parseChannel`.
 * Unknown fields are ignored (forward compatible); `__proto__`, `constructor` and `prototype` keys are refused.
 */
export function decodeRequest(frame: Uint8Array | string, limits: RequestLimits = DEFAULT_LIMITS): Request {
  const size = typeof frame === 'string' ? utf8.encode(frame).length : frame.byteLength;
  if (size > limits.clientFrameBytes) {
    throw frameError('FRAME_TOO_LARGE', `client frame of ${size} bytes is over ${limits.clientFrameBytes}`);
  }
  let value: unknown;
  if (typeof frame === 'string') {
    try {
      value = JSON.parse(frame);
    } catch (cause) {
      throw frameError('UNDECODABLE', 'frame is not JSON', cause);
    }
  } else {
    value = unpackPlain(frame);
  }
  return validateRequest(value, limits);
}

const FORBIDDEN_KEYS = new Set(['__proto__', '__proto_', 'constructor', 'prototype']);

function isRecord(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Uint8Array) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function ownKeysAreSafe(v: Record<string, unknown>): boolean {
  return Object.keys(v).every((k) => !FORBIDDEN_KEYS.has(k));
}

/** An integer from either encoding: msgpack int64/uint64 arrive as bigint. */
function asInteger(v: unknown): number | null {
  if (typeof v === 'bigint')
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : null;
  return typeof v === 'number' && Number.isSafeInteger(v) ? v : null;
}

/**
 * Validates a decoded request value (either encoding) against `limits.channelsPerRequest` (50 by default); see
 * `decodeRequest` for the errors.
 */
export function validateRequest(value: unknown, limits: RequestLimits = DEFAULT_LIMITS): Request {
  if (!isRecord(value) || !ownKeysAreSafe(value)) throw requestError('BAD_REQUEST', 'request must be a map');
  const { op } = value;
  if (typeof op !== 'string') throw requestError('BAD_REQUEST', '`op` must be a string');
  const id = asInteger(value.id);
  const requestId = id !== null && id >= 0 && id <= MAX_REQUEST_ID ? id : null;
  if (op !== 'subscribe' && op !== 'unsubscribe' && op !== 'ping' && op !== 'replay') {
    throw requestError('UNKNOWN_OP', `unknown op ${JSON.stringify(op.slice(0, 50))}`, { requestId });
  }
  if (requestId === null) throw requestError('BAD_REQUEST', '`id` must be an integer 0 ≤ id < 2^31');
  const bad = (message: string) => requestError('BAD_REQUEST', message, { requestId });
  if (op === 'ping') return { op, id: requestId } satisfies PingRequest;
  if (op === 'replay') return validateReplay(value, requestId, bad);

  const { channels } = value;
  if (!Array.isArray(channels) || channels.length === 0 || !channels.every((c) => typeof c === 'string')) {
    throw bad('`channels` must be a non-empty array of strings');
  }
  if (channels.length > limits.channelsPerRequest) {
    throw requestError(
      'TOO_MANY_CHANNELS',
      `${channels.length} channels, at most ${limits.channelsPerRequest}`,
      {
        requestId,
      },
    );
  }
  const names: readonly string[] = Object.freeze([...(channels as string[])]);
  if (op === 'unsubscribe') return { op, id: requestId, channels: names };
  if (value.resume === undefined) return { op, id: requestId, channels: names };
  return { op, id: requestId, channels: names, resume: validateResume(value.resume, bad) };
}

const REPLAY_ACTIONS: readonly ReplayAction[] = ['play', 'pause', 'speed', 'seek', 'step'];
/** Replay speeds a `replay` request may set (§16). */
export const REPLAY_SPEED_RANGE = { min: 0.01, max: 10_000 } as const;

function validateReplay(
  v: Record<string, unknown>,
  id: number,
  bad: (message: string) => Error,
): ReplayRequest {
  const action = v.action as ReplayAction;
  if (!REPLAY_ACTIONS.includes(action)) throw bad(`\`action\` must be one of ${REPLAY_ACTIONS.join(', ')}`);
  if (action === 'speed') {
    const speed = v.speed;
    const ok =
      speed === 'max' ||
      (typeof speed === 'number' &&
        Number.isFinite(speed) &&
        speed >= REPLAY_SPEED_RANGE.min &&
        speed <= REPLAY_SPEED_RANGE.max);
    if (!ok)
      throw bad(
        `\`speed\` must be 'max' or a number from ${REPLAY_SPEED_RANGE.min} to ${REPLAY_SPEED_RANGE.max}`,
      );
    return { op: 'replay', id, action, speed: speed as number | 'max' };
  }
  if (action === 'seek') {
    const tsUs = asInteger(v.tsUs);
    if (tsUs === null || tsUs < 0) throw bad('`tsUs` must be a non-negative integer (µs since the epoch)');
    return { op: 'replay', id, action, tsUs };
  }
  if (action === 'step') {
    if (v.count === undefined) return { op: 'replay', id, action, count: 1 };
    const count = asInteger(v.count);
    if (count === null || count < 1 || count > 10_000)
      throw bad('`count` must be an integer from 1 to 10000');
    return { op: 'replay', id, action, count };
  }
  return { op: 'replay', id, action };
}

function validateResume(v: unknown, bad: (message: string) => Error): ResumePoint {
  if (!isRecord(v) || !ownKeysAreSafe(v) || typeof v.session !== 'string' || !isRecord(v.seqs)) {
    throw bad('`resume` must be {session: string, seqs: {channel: seq}}');
  }
  const seqs = new Map<string, number>();
  for (const [channel, raw] of Object.entries(v.seqs)) {
    const seq = asInteger(raw);
    if (FORBIDDEN_KEYS.has(channel) || seq === null || seq < 0) {
      throw bad('`resume.seqs` values must be non-negative safe integers');
    }
    seqs.set(channel, seq);
  }
  return { session: v.session, seqs };
}
