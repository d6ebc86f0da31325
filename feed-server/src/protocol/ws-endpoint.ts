/** The path of the feed's WebSocket (§1); a reverse proxy may put a prefix before it. */
export const WS_PATH = '/v1/ws';
