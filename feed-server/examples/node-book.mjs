import { FeedClient } from 'tickwire/client/node';

const client = new FeedClient({ url: process.env.TICKWIRE_URL ?? 'ws://localhost:8080/v1/ws' });
let count = 0;
// the SDK keeps the book: snapshot + updates, each checked against the server's checksum, resynced on a gap
for await (const { seq, book } of client.book('ETH-USD', 10)) {
  const [bid, ask] = [book.bidsDecimal[0], book.asksDecimal[0]]; // [price, qty, orders] as decimals, best first
  if (bid && ask) console.log(seq, bid[0], '/', ask[0], book.checksum()); // book.bids: the scaled integers
  if (++count === 20) break;
}
client.close();
