import { isIPv4, isIPv6 } from 'node:net';
import { CLOSE_CODES } from '../protocol/index.ts';

/** PROTOCOL.md §8: open connections per client address. */
export const DEFAULT_CONNECTIONS_PER_IP = 100;

/** The close code for a connection over the per-address limit (PROTOCOL.md §9). */
export const CONNECTION_LIMIT_CLOSE = CLOSE_CODES.TRY_AGAIN_LATER.code;

/** Gives a connection's slot back; calling it again does nothing. */
export type ReleaseConnection = () => void;

/**
 * The key a remote address is counted under: IPv4 as is, IPv6 in its canonical text (RFC 5952: lower case,
 * zeros compressed) with an IPv4-mapped address (`::ffff:1.2.3.4`, how a dual-stack socket reports an IPv4
 * peer) turned into the IPv4 address, so one client cannot hold twice the limit through both spellings.
 * A zone (`fe80::1%eth0`) is kept; anything that is not an IP address comes back unchanged.
 */
export function normalizeIp(address: string): string {
  if (isIPv4(address)) return address;
  if (!isIPv6(address)) return address;
  const zoneAt = address.indexOf('%');
  const bare = zoneAt < 0 ? address : address.slice(0, zoneAt);
  const zone = zoneAt < 0 ? '' : address.slice(zoneAt);
  // WHATWG URL serializes an IPv6 host in RFC 5952 form, IPv4-mapped ones as ::ffff:hhhh:hhhh.
  const canonical = new URL(`http://[${bare}]/`).hostname.slice(1, -1);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (mapped?.[1] !== undefined && mapped[2] !== undefined && zone === '') {
    const hi = Number.parseInt(mapped[1], 16);
    const lo = Number.parseInt(mapped[2], 16);
    return `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  }
  return canonical + zone;
}

/**
 * Counts open connections per client address and refuses one over `maxPerIp` (close 1013, PROTOCOL.md §9).
 * Memory is one map entry per address with at least one open connection. Behind a reverse proxy every
 * client has the proxy's address: the caller must pass the real client address.
 */
export class ConnectionLimiter {
  readonly maxPerIp: number;
  readonly #open = new Map<string, number>();

  constructor(maxPerIp: number = DEFAULT_CONNECTIONS_PER_IP) {
    if (!(Number.isSafeInteger(maxPerIp) && maxPerIp >= 1)) {
      throw new RangeError(`ConnectionLimiter: maxPerIp must be an integer >= 1, got ${maxPerIp}`);
    }
    this.maxPerIp = maxPerIp;
  }

  /**
   * Counts a new connection from `address` (e.g. `socket.remoteAddress`). Returns the function that releases
   * it when the connection ends, or `undefined` when the address already has `maxPerIp` open: refuse it.
   */
  acquire(address: string): ReleaseConnection | undefined {
    const key = normalizeIp(address);
    const open = this.#open.get(key) ?? 0;
    if (open >= this.maxPerIp) return undefined;
    this.#open.set(key, open + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const n = this.#open.get(key) ?? 0;
      if (n <= 1) this.#open.delete(key);
      else this.#open.set(key, n - 1);
    };
  }

  /** Open connections counted for `address` (in any of its spellings). */
  count(address: string): number {
    return this.#open.get(normalizeIp(address)) ?? 0;
  }

  /** Addresses with at least one open connection. */
  get addressCount(): number {
    return this.#open.size;
  }
}
