import { FeedClient, formatPrice, formatQty } from 'tickwire/client';

// the page's own server, e.g. `npx tickwire serve --web-dir dist` after `npx vite build`
const client = new FeedClient({ url: `${location.origin.replace(/^http/, 'ws')}/v1/ws` });
const btc = (await client.instruments()).find((i) => i.symbol === 'BTC-USD');
const list = document.querySelector('#trades');
for await (const t of client.trades('BTC-USD')) {
  const item = document.createElement('li');
  item.textContent = `${t.side === 'b' ? 'buy' : 'sell'} ${formatQty(t.qty, btc)} @ ${formatPrice(t.price, btc)}`;
  list.prepend(item);
}
