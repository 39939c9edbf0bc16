/** Types of the `Flusher`: options, events and cycle results. */
import type { WindowStore } from '../storage/window-store.js';
import type { Clock } from './clock.js';
import type { LeaderMode } from './leader.js';

/** Events a flusher reports. */
export type FlusherEvent =
  | {
      /** A batch was accepted by the collector. */
      type: 'delivered';
      /** Windows in the batch. */
      count: number;
      /** The collector's HTTP status. */
      status: number;
    }
  | {
      /** Delivery failed and will be retried. */
      type: 'retry';
      /** Wait before the next attempt (backoff with jitter, or `Retry-After`). */
      delayMs: number;
      /** The HTTP status, when the collector answered. */
      status?: number;
      /** Consecutive failures so far. */
      attempt: number;
    }
  | {
      /** The collector refused a batch for good (a non-retryable 4xx). */
      type: 'dead_letter';
      /** Windows moved to dead letters. */
      count: number;
      /** The collector's HTTP status. */
      status: number;
      /** The collector's answer. */
      message: string;
    }
  | {
      /** Leadership changed (one flusher delivers across tabs). */
      type: 'leader';
      /** Whether this flusher now delivers. */
      isLeader: boolean;
    }
  | {
      /** A keepalive batch was sent as the page was hidden or closed. */
      type: 'keepalive';
      /** Windows in it. */
      count: number;
    };

/** Options of {@link Flusher}. */
export interface FlusherOptions {
  /** The outbox to deliver. */
  store: WindowStore;
  /** The collector's ingest URL, e.g. `http://127.0.0.1:9464/v1/windows`. */
  endpoint: string;
  /** Flush every this many ms. Default 10 000. */
  intervalMs?: number;
  /** Bearer token sent as `Authorization`. */
  token?: string;
  /** Extra request headers. */
  headers?: Record<string, string>;
  /**
   * `'gzip'`: compress each batch (`Content-Encoding: gzip`, through
   * `CompressionStream`; sent uncompressed where the platform lacks it). The
   * collector accepts gzip from this version on; an older one answers 400, so
   * enable it only against a collector that takes it. Default `'none'`.
   */
  compression?: 'gzip' | 'none';
  /** Body cap per request, before compression. Default 60 KiB (fits a keepalive send). */
  maxBatchBytes?: number;
  /** Backoff: first ceiling and cap, ms (default 1000 and 300 000), and the floor under every delay. */
  backoff?: {
    /** First ceiling of the random delay, ms. */
    baseMs?: number;
    /** Largest delay, ms. */
    maxMs?: number;
    /** Floor under every delay, `Retry-After: 0` included, ms (default 500). */
    minMs?: number;
  };
  /** Abort a request that has not answered after this many ms (default 30 000); it is retried. */
  timeoutMs?: number;
  /** Cross-tab election. Default `'auto'`. */
  leader?: LeaderMode;
  /** Lease term for the `'lease'` election, ms. Default 10 000. */
  leaseMs?: number;
  /** Send a keepalive batch on pagehide / hidden. Default true. */
  keepaliveOnHide?: boolean;
  /** Called first on pagehide / hidden, e.g. to seal the open window. */
  onHide?: () => void | Promise<void>;
  /** The `fetch` used to post (default `globalThis.fetch`); e.g. an IPC bridge in Electron. */
  fetch?: typeof fetch;
  /** Time source and timers (tests). */
  clock?: Clock;
  /** Random source of the backoff jitter, in [0, 1) (tests). */
  random?: () => number;
  /** Receives deliveries, retries, dead letters and leadership changes. */
  onEvent?: (e: FlusherEvent) => void;
  /** Background failures (network, storage). Default: ignored (they are retried). */
  onError?: (e: unknown) => void;
}

/** Result of one {@link Flusher.flush} cycle. */
export interface FlushResult {
  /** Windows delivered in this cycle. */
  delivered: number;
  /** Windows moved to dead letters in this cycle. */
  deadLettered: number;
  /** Set when the cycle stopped on a retryable failure. */
  retryInMs?: number;
  /** Set when the cycle did not run (not the leader, or backing off). */
  skipped?: 'not_leader' | 'backoff';
}
