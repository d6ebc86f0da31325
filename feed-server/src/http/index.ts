/**
 * The HTTP side of the feed server: the REST API of PROTOCOL.md §14 and the Prometheus `/metrics` endpoint, as
 * `node:http` handlers that answer the paths they own and return false for the rest, and the token check
 * (§15) both use when the server has an auth secret. The bodies' shapes (`RestCandle`…) are the protocol's.
 */

export {
  type Attached,
  type FeedNetworkOptions,
  type FeedProducer,
  type FeedServerOptions,
  type LiveParts,
  type RunningFeed,
  type RunningFeedServer,
  serveFeed,
  startFeedServer,
  WS_PATH,
} from './feed-server.ts';
export { landingPage } from './landing-page.ts';
export { type MetricsHandlerOptions, type MetricsSource, metricsHandler } from './metrics-handler.ts';
export { listenMetrics, type MetricsListenAddress, type MetricsListener } from './metrics-listener.ts';
export {
  AUTH_REALM,
  type AuthRefusal,
  type RequestAuth,
  type RequestAuthOptions,
  type RequestAuthVerdict,
  requestAuth,
  sendAuthRefusal,
  TOKEN_FAILURE_REST,
} from './rest-auth.ts';
export {
  REST_ERROR_CODES,
  RestError,
  type RestErrorBody,
  type RestErrorCode,
  restError,
} from './rest-error.ts';
export {
  createRestHandler,
  type HttpHandler,
  REST_LIMITS,
  type RestHandlerOptions,
} from './rest-handler.ts';
export { exactInteger, type RestHealth } from './rest-json.ts';
export {
  acceptsGzip,
  CONTENT_TYPES,
  PAGE_CSP,
  type StaticFilesOptions,
  staticFiles,
} from './static-files.ts';
