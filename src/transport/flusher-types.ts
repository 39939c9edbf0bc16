/** Types of the `Flusher`: options, events and cycle results. */
import type { WindowStore } from '../storage/window-store.js';
import type { Clock } from './clock.js';
import type { LeaderMode } from './leader.js';

/** Events a flusher reports. */
export type FlusherEvent =
  | { type: 'delivered'; count: number; status: number }
  | { type: 'retry'; delayMs: number; status?: number; attempt: number }
  | { type: 'dead_letter'; count: number; status: number; message: string }
  | { type: 'leader'; isLeader: boolean }
  | { type: 'keepalive'; count: number };

/** Options of {@link Flusher}. */
export interface FlusherOptions {
  store: WindowStore;
  /** The collector's ingest URL, e.g. `http://127.0.0.1:9464/v1/windows`. */
  endpoint: string;
  /** Flush every this many ms. Default 10 000. */
  intervalMs?: number;
  /** Bearer token sent as `Authorization`. */
  token?: string;
  /** Extra request headers. */
  headers?: Record<string, string>;
  /** Body cap per request. Default 60 KiB (fits a keepalive send). */
  maxBatchBytes?: number;
  /**
   * Backoff: first ceiling and cap, ms (default 1000 and 300 000), and the
   * floor under every delay, `Retry-After: 0` included (default 500).
   */
  backoff?: { baseMs?: number; maxMs?: number; minMs?: number };
  /** Abort a request that has not answered after this many ms (default 30 000); it is retried. */
  timeoutMs?: number;
  /** Cross-tab election. Default `'auto'`. */
  leader?: LeaderMode;
  leaseMs?: number;
  /** Send a keepalive batch on pagehide / hidden. Default true. */
  keepaliveOnHide?: boolean;
  /** Called first on pagehide / hidden, e.g. to seal the open window. */
  onHide?: () => void | Promise<void>;
  fetch?: typeof fetch;
  clock?: Clock;
  random?: () => number;
  onEvent?: (e: FlusherEvent) => void;
  /** Background failures (network, storage). Default: ignored (they are retried). */
  onError?: (e: unknown) => void;
}

/** Result of one {@link Flusher.flush} cycle. */
export interface FlushResult {
  delivered: number;
  deadLettered: number;
  /** Set when the cycle stopped on a retryable failure. */
  retryInMs?: number;
  /** Set when the cycle did not run (not the leader, or backing off). */
  skipped?: 'not_leader' | 'backoff';
}
