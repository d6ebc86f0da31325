import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpHandler } from './rest-handler.ts';

const AUTH_NOTE = `
This server requires an access token (tickwire token) on the WebSocket, REST and /metrics:
send Authorization: Bearer TOKEN, or add ?token=TOKEN to the URL. /healthz is open.
`;

/**
 * `GET /`: a plain-text page that says where the feed and the API are, for whoever opens the server's address in a
 * browser before the web client is served there. With `authRequired` it says how to pass the token (§15); the
 * page itself is open either way.
 */
export function landingPage(symbols: readonly string[], authRequired = false): HttpHandler {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if ((req.url ?? '').split('?')[0] !== '/' || (req.method !== 'GET' && req.method !== 'HEAD'))
      return false;
    const host = req.headers.host ?? 'localhost';
    const first = symbols[0] ?? 'BTC-USD';
    const body = `Tickwire live feed

WebSocket   ws://${host}/v1/ws   (subprotocol tickwire.v1: MessagePack; tickwire.v1.json: JSON text)
            try: npx tickwire subscribe trades:${first} ticker:${first}
REST        http://${host}/api/v1/instruments
            http://${host}/api/v1/ticker/${first}
            http://${host}/api/v1/book/${first}?depth=10
            http://${host}/api/v1/trades/${first}?limit=20
            http://${host}/api/v1/candles/${first}?interval=1m
Health      http://${host}/healthz
Metrics     http://${host}/metrics

Symbols: ${symbols.join(', ')}. The protocol: feed-server/PROTOCOL.md.
${authRequired ? AUTH_NOTE : ''}`;
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  };
}
