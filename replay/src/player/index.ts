/** The public surface of replay/src/player: serving a recorded session over the live protocol. */
export { ReplayClock } from './replay-clock.ts';
export { ReplayFeed, type ReplayFeedOptions } from './replay-feed.ts';
export { type ReplayServerOptions, type RunningReplayServer, startReplayServer } from './replay-server.ts';
export { parseReplayTime, type SessionSpan, zonedMidnightUs, zonedTimeUs } from './replay-time.ts';
