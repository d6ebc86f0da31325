/** The page's link to the feed, through the SDK: subscriptions, REST history, and the writes into the model. */

export { FeedReplayControl } from './feed-replay-control.ts';
export { MarketFeed, type MarketFeedOptions } from './market-feed.ts';
export { PAGE_RECONNECT } from './page-reconnect.ts';
