import { FeedClient } from 'tickwire/client';

// the page's own server, e.g. `npx tickwire serve --web-dir dist` after `npx vite build`
const client = new FeedClient({ url: `${location.origin.replace(/^http/, 'ws')}/v1/ws` });
const list = document.querySelector('#trades');
for await (const t of client.trades('BTC-USD')) {
  const item = document.createElement('li');
  item.textContent = `${t.side} ${t.qtyDecimal} @ ${t.priceDecimal}`;
  list.prepend(item);
}
