/** The path of the feed's WebSocket (§1); a reverse proxy may put a prefix before it. */
export const WS_PATH = '/v1/ws';

/** The `Sec-WebSocket-Protocol` of MessagePack binary frames (§1); the default. */
export const SUBPROTOCOL_MSGPACK = 'tickwire.v1';
/** The `Sec-WebSocket-Protocol` of JSON text frames of the same messages (§1). */
export const SUBPROTOCOL_JSON = 'tickwire.v1.json';

/** The feed's WebSocket subprotocols (§1), in the server's order of preference. */
export const SUBPROTOCOLS = [SUBPROTOCOL_MSGPACK, SUBPROTOCOL_JSON] as const;
/** One of `SUBPROTOCOLS`. */
export type Subprotocol = (typeof SUBPROTOCOLS)[number];
