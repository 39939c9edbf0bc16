/** The transport layer: delivery of sealed windows to the collector. */
export { Flusher } from './flusher.js';
export type { FlusherOptions, FlusherEvent, FlushResult } from './flusher.js';
export { LeaderElector } from './leader.js';
export type { LeaderMode, LeaderOptions } from './leader.js';
export { backoffDelay, parseRetryAfter } from '../util/backoff.js';
export type { BackoffOptions } from '../util/backoff.js';
export { takeBatch, batchBody, batchKey, DEFAULT_MAX_BATCH_BYTES } from './batch.js';
export { systemClock } from './clock.js';
export type { Clock } from './clock.js';
