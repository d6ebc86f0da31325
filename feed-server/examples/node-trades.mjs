import { FeedClient } from 'tickwire/client/node';

const client = new FeedClient({ url: process.env.TICKWIRE_URL ?? 'ws://localhost:8080/v1/ws' });
let count = 0;
for await (const t of client.trades('BTC-USD')) {
  if (t.snapshot) continue; // the recent trades from before we subscribed
  console.log(t.seq, t.side, t.qtyDecimal, '@', t.priceDecimal); // 4711 buy 0.01500 @ 65001.25
  if (++count === 20) break; // leaving the loop unsubscribes
}
client.close();
