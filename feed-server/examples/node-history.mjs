import { FeedClient } from 'tickwire/client/node';

const client = new FeedClient({ url: process.env.TICKWIRE_URL ?? 'ws://localhost:8080/v1/ws' });
// history from the same server's REST API, in the stream's types: the newest ten 1 s bars, oldest first
for (const b of await client.rest.candles('BTC-USD', '1s', { limit: 10 })) {
  console.log(b.startUs, b.openDecimal, b.highDecimal, b.lowDecimal, b.closeDecimal, b.volumeDecimal);
}
for (const t of await client.rest.trades('BTC-USD', { limit: 5 })) {
  console.log(t.tradeId, t.side, t.qtyDecimal, '@', t.priceDecimal);
}
client.close();
