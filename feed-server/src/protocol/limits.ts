/** Largest client frame by default, bytes (§8); a larger frame closes the connection with 1009. */
export const MAX_CLIENT_FRAME_BYTES = 4096;
/** Most channels in one subscribe/unsubscribe request by default (§8). */
export const MAX_CHANNELS_PER_REQUEST = 50;

/** Server limits announced in `welcome` (§8). Field names are this module's; §8 names only the limits. */
export interface Limits {
  /** largest client frame, bytes */
  readonly clientFrameBytes: number;
  /** channels per subscribe request */
  readonly channelsPerRequest: number;
  /** subscriptions per connection */
  readonly subscriptionsPerConnection: number;
  /** subscribe/unsubscribe requests per second (sustained) */
  readonly requestsPerSecond: number;
  /** subscribe/unsubscribe request burst */
  readonly requestBurst: number;
  /** connections per IP address */
  readonly connectionsPerIp: number;
  /** bytes queued per connection before it is a slow consumer */
  readonly queuedBytesPerConnection: number;
}

/** The limits a request is decoded against (`decodeRequest`): the server's configured ones. */
export type RequestLimits = Pick<Limits, 'clientFrameBytes' | 'channelsPerRequest'>;

/** The default limits of §8: what a server announces and enforces unless configured otherwise. */
export const DEFAULT_LIMITS: Limits = {
  clientFrameBytes: MAX_CLIENT_FRAME_BYTES,
  channelsPerRequest: MAX_CHANNELS_PER_REQUEST,
  subscriptionsPerConnection: 100,
  requestsPerSecond: 10,
  requestBurst: 20,
  connectionsPerIp: 100,
  queuedBytesPerConnection: 4 * 1024 * 1024,
};
