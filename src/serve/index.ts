/**
 * `edgewatch/serve`: instrumentation of a model-serving endpoint in Node
 * (node:http, Express, Fastify, Hono). Node only: never part of the browser entry.
 */
export { ServeMetrics } from './serve-metrics.js';
export type {
  ServeMetricsOptions,
  RequestOutcome,
  WrapOptions,
  ObservationSink,
} from './serve-metrics.js';
export { httpListener, expressMiddleware, fastifyHooks, honoMiddleware } from './adapters.js';
export type {
  HttpListener,
  ExpressRequestLike,
  ExpressResponseLike,
  FastifyLike,
  FastifyRequestLike,
  FastifyReplyLike,
  HonoContextLike,
} from './adapters.js';
