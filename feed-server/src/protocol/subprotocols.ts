/**
 * The WebSocket subprotocols of the feed (PROTOCOL.md §1, `Sec-WebSocket-Protocol`): `msgpack`, binary frames
 * of MessagePack; `json`, text frames of JSON carrying the same messages.
 */
export const SUBPROTOCOLS = { msgpack: 'tickwire.v1', json: 'tickwire.v1.json' } as const;

/** A subprotocol name of the feed. */
export type Subprotocol = (typeof SUBPROTOCOLS)[keyof typeof SUBPROTOCOLS];
