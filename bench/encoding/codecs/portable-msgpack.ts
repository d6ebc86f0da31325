import { Packr } from 'msgpackr';
import { PLAIN_MSGPACK_OPTIONS } from '../../../feed-server/src/protocol/index.ts';

/**
 * msgpackr options that keep every frame *standard* MessagePack: the wire's own, pinned once in the protocol
 * (see `PLAIN_MSGPACK_OPTIONS` there for what each option is for).
 */
export const PORTABLE_MSGPACK_OPTIONS = PLAIN_MSGPACK_OPTIONS;

/** A `Packr` (which also unpacks) with `PORTABLE_MSGPACK_OPTIONS`. `pack` and `encode` are the same method. */
export function portablePackr(): Packr {
  return new Packr(PORTABLE_MSGPACK_OPTIONS);
}
