import { FeedClient, formatPrice } from 'tickwire/client/node';

const client = new FeedClient({ url: process.env.TICKWIRE_URL ?? 'ws://localhost:8080/v1/ws' });
const eth = (await client.instruments()).find((i) => i.symbol === 'ETH-USD');
let count = 0;
// the SDK keeps the book: snapshot + updates, each checked against the server's checksum, resynced on a gap
for await (const { seq, book } of client.book('ETH-USD', 10)) {
  const [bid, ask] = [book.bids[0], book.asks[0]]; // levels are [price, qty, orders], best first
  if (bid && ask) console.log(seq, formatPrice(bid[0], eth), '/', formatPrice(ask[0], eth), book.checksum());
  if (++count === 20) break;
}
client.close();
