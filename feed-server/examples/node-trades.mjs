import { FeedClient, formatPrice, formatQty } from 'tickwire/client/node';

const client = new FeedClient({ url: process.env.TICKWIRE_URL ?? 'ws://localhost:8080/v1/ws' });
const btc = (await client.instruments()).find((i) => i.symbol === 'BTC-USD');
let count = 0;
for await (const t of client.trades('BTC-USD')) {
  if (t.snapshot) continue; // the recent trades from before we subscribed
  console.log(t.seq, t.side === 'b' ? 'buy ' : 'sell', formatQty(t.qty, btc), '@', formatPrice(t.price, btc));
  if (++count === 20) break; // leaving the loop unsubscribes
}
client.close();
