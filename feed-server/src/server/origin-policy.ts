import type { IncomingHttpHeaders } from 'node:http';
import { ServerConfigError } from './server-config-error.ts';

/** The HTTP status of a WebSocket handshake whose Origin is refused (PROTOCOL.md §1): no upgrade happens. */
export const ORIGIN_DENIED_STATUS = 403;

/** Which origins may open a WebSocket. Every field is optional; the defaults suit a development server. */
export interface OriginPolicyOptions {
  /**
   * Origins allowed besides the rules below: exact origins as a browser sends them, `scheme://host[:port]`
   * (compared after normalization: case, default port, IDN), or `*` for any Origin at all. Default none.
   */
  readonly allowedOrigins?: readonly string[];
  /** allow requests without an Origin header: non-browser clients, which can send any Origin anyway (default true) */
  readonly allowNoOrigin?: boolean;
  /** allow an http(s) Origin whose host and port equal the request's Host header (default true) */
  readonly allowSameOrigin?: boolean;
  /** allow http(s) pages on localhost, 127.0.0.1 and [::1], any port (default true) */
  readonly allowLocalhost?: boolean;
}

/** Why an Origin was allowed. */
export type OriginAllowReason = 'no-origin' | 'any' | 'listed' | 'localhost' | 'same-origin';

/**
 * Why an Origin was refused: `missing` (no header and `allowNoOrigin` is off), `opaque` (`Origin: null`, sent
 * by sandboxed frames and `file:` pages), `malformed` (not `scheme://host[:port]`), `not-allowed` (no rule
 * matched).
 */
export type OriginDenyReason = 'missing' | 'opaque' | 'malformed' | 'not-allowed';

/** The outcome of {@link OriginPolicy.check}. A refusal answers the handshake with HTTP 403. */
export type OriginDecision =
  | { readonly allowed: true; readonly reason: OriginAllowReason }
  | { readonly allowed: false; readonly reason: OriginDenyReason };

const LOCALHOST_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);
/** An RFC 6454 serialized origin: scheme, `://`, and an authority without userinfo, path, query or fragment. */
const ORIGIN_SHAPE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#@\\\s]+$/;
const HOST_SHAPE = /^[^/?#@\\\s]+$/;

/**
 * The Origin check of the WebSocket handshake (RFC 6455 §10.2): a browser page from another site must not
 * open a connection on its visitor's behalf. Rules, in order: no Origin; `*` listed; `Origin: null` and
 * malformed values refused; a listed origin; localhost; same origin as the Host header; else refused.
 * Same-origin compares host and port only — the scheme is not known behind a TLS-terminating proxy — and it
 * trusts the Host header, which browsers set truthfully but which a DNS-rebinding page controls: on a server
 * reachable from browsers on other networks, turn `allowSameOrigin` and `allowLocalhost` off and list origins.
 * Throws {@link ServerConfigError} `BAD_ORIGIN` for an allowlist entry that is not `*` or an origin.
 */
export class OriginPolicy {
  readonly #any: boolean;
  readonly #listed: ReadonlySet<string>;
  readonly #allowNoOrigin: boolean;
  readonly #allowSameOrigin: boolean;
  readonly #allowLocalhost: boolean;

  constructor(options: OriginPolicyOptions = {}) {
    const listed = new Set<string>();
    let any = false;
    for (const entry of options.allowedOrigins ?? []) {
      if (entry === '*') {
        any = true;
        continue;
      }
      const origin = parseOrigin(entry);
      if (origin === undefined) {
        throw new ServerConfigError(
          'BAD_ORIGIN',
          `allowed origin "${entry}" is not * or scheme://host[:port] (no path, no trailing slash)`,
        );
      }
      listed.add(origin.key);
    }
    this.#any = any;
    this.#listed = listed;
    this.#allowNoOrigin = options.allowNoOrigin ?? true;
    this.#allowSameOrigin = options.allowSameOrigin ?? true;
    this.#allowLocalhost = options.allowLocalhost ?? true;
  }

  /** Decides on a handshake from its `Origin` and `Host` header values (`undefined` when absent). */
  check(origin: string | undefined, host: string | undefined): OriginDecision {
    if (origin === undefined) {
      return this.#allowNoOrigin ? allow('no-origin') : deny('missing');
    }
    if (this.#any) return allow('any');
    if (origin === 'null') return deny('opaque');
    const parsed = parseOrigin(origin);
    if (parsed === undefined) return deny('malformed');
    if (this.#listed.has(parsed.key)) return allow('listed');
    if (!parsed.web) return deny('not-allowed');
    if (this.#allowLocalhost && LOCALHOST_NAMES.has(parsed.url.hostname)) return allow('localhost');
    if (this.#allowSameOrigin && host !== undefined && sameHost(parsed.url, host))
      return allow('same-origin');
    return deny('not-allowed');
  }

  /** {@link OriginPolicy.check} on a request's headers. */
  checkHeaders(headers: Pick<IncomingHttpHeaders, 'origin' | 'host'>): OriginDecision {
    return this.check(headers.origin, headers.host);
  }
}

interface ParsedOrigin {
  /** `scheme://host[:port]`, normalized by WHATWG URL (lower-case scheme and host, no default port) */
  readonly key: string;
  readonly url: URL;
  /** http or https: the schemes whose pages the localhost and same-origin rules concern */
  readonly web: boolean;
}

function parseOrigin(text: string): ParsedOrigin | undefined {
  if (!ORIGIN_SHAPE.test(text)) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  // WHATWG URL takes `*` in a host; refused so `https://*.example.com` is not mistaken for a pattern.
  if (url.host === '' || url.host.includes('*')) return undefined;
  const web = url.protocol === 'http:' || url.protocol === 'https:';
  return { key: `${url.protocol}//${url.host}`, url, web };
}

/** Host header `example.com[:port]` read as the origin's scheme would, so `:443` on https is no port. */
function sameHost(origin: URL, host: string): boolean {
  if (!HOST_SHAPE.test(host)) return false;
  try {
    return new URL(`${origin.protocol}//${host}`).host === origin.host;
  } catch {
    return false;
  }
}

function allow(reason: OriginAllowReason): OriginDecision {
  return { allowed: true, reason };
}

function deny(reason: OriginDenyReason): OriginDecision {
  return { allowed: false, reason };
}
