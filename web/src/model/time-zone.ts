import type { TimeZoneMode } from './view-state.ts';

/**
 * A zone to show times in: an IANA name (`"America/New_York"`, `"UTC"`), or undefined for the browser's own
 * zone. What the time formatters take (`time-format.ts`).
 */
export type DisplayZone = string | undefined;

/** The zone an exchange without one of its own runs on: the simulator's clock is UTC. */
export const DEFAULT_EXCHANGE_ZONE = 'UTC';

/**
 * The zone the chosen mode shows times in. `exchangeZone` is what the feed says about its exchange (a replayed
 * import's `timeZone` in the replay status, PROTOCOL.md §16), undefined when it says nothing: a live simulator,
 * whose exchange time is UTC.
 *
 * @example
 * ```ts
 * resolveTimeZone('exchange', 'America/New_York'); // "America/New_York"
 * resolveTimeZone('local', 'America/New_York'); // undefined: the browser's zone
 * ```
 */
export function resolveTimeZone(mode: TimeZoneMode, exchangeZone: string | undefined): DisplayZone {
  switch (mode) {
    case 'utc':
      return 'UTC';
    case 'local':
      return undefined;
    case 'exchange':
      return exchangeZone ?? DEFAULT_EXCHANGE_ZONE;
  }
}

/**
 * The label of the "exchange time" choice, naming the zone: `"Exchange (New York)"`, `"Exchange (UTC)"` — the
 * city of an IANA name, as the zone picker of an operating system shows it.
 */
export function exchangeZoneLabel(exchangeZone: string | undefined): string {
  const zone = exchangeZone ?? DEFAULT_EXCHANGE_ZONE;
  const city = zone.slice(zone.lastIndexOf('/') + 1).replaceAll('_', ' ');
  return `Exchange (${city})`;
}

/**
 * `zone` when it is an IANA name this browser knows, else undefined: a feed's word is checked before a
 * formatter is built with it (`Intl.DateTimeFormat` throws on an unknown zone).
 */
export function knownZone(zone: unknown): string | undefined {
  if (typeof zone !== 'string' || zone === '') return undefined;
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return zone;
  } catch {
    return undefined; // RangeError: not a zone this browser knows; the page shows UTC as exchange time
  }
}
