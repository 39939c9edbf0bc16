/** Types of `WindowStore`: options, events, results and stats. */
import type { StoreBackend, StoreStats } from './backend.js';
import type { IdbBackendOptions } from './idb-backend.js';
import type { PredictionLogOptions } from './prediction-log.js';

/** Why a window (or log row) was dropped. */
export type DropReason =
  | 'cap_bytes'
  | 'max_age'
  | 'quota'
  | 'oversize'
  | 'dead_letter_cap'
  | 'log_evicted'
  | (string & {});

/** Events a store reports (background work never throws at the caller). */
export type StoreEvent =
  | {
      /** A window entered the outbox. */
      type: 'sealed';
      /** Its id. */
      windowId: string;
    }
  | {
      /** Windows or log rows were dropped (and counted). */
      type: 'drop';
      /** Why. */
      reason: DropReason;
      /** How many. */
      count: number;
    }
  | {
      /** The requested backend failed; the store runs in memory. */
      type: 'storage_degraded';
      /** The failure's message. */
      reason: string;
      /** The failure. */
      error?: unknown;
    }
  | {
      /** Storage is over 90 % of its quota. */
      type: 'pressure';
      /** Bytes used (`navigator.storage.estimate()`). */
      usage: number;
      /** Bytes allowed. */
      quota: number;
    }
  | {
      /** Background work failed. */
      type: 'error';
      /** The failure. */
      error: unknown;
    };

/** Options of {@link WindowStore.open}. */
export interface WindowStoreOptions {
  /** Database name (also the cross-tab channel name). Default `'edgewatch'`. */
  name?: string;
  /** `'auto'` (IndexedDB, else memory), `'indexeddb'`, `'memory'`, or a backend instance. */
  backend?: 'auto' | 'indexeddb' | 'memory' | StoreBackend;
  /** Node/Electron: a file path makes a file-backed store. */
  path?: string;
  /** Outbox cap in bytes (oldest evicted first). Default 5 MiB. */
  maxBytes?: number;
  /** Outbox age cap in ms (older windows evicted at the next seal). Default 7 days. */
  maxAgeMs?: number;
  /** Largest window accepted, bytes of JSON. Default 512 KiB. */
  maxRecordBytes?: number;
  /** Dead letters kept (oldest dropped beyond). Default 100. */
  deadLetterCap?: number;
  /** Prediction log bounds. */
  predictionLog?: PredictionLogOptions;
  /** Ask for persistent storage (`navigator.storage.persist()`) once. Default true. */
  persist?: boolean;
  /** Options passed to the IndexedDB backend. */
  idb?: IdbBackendOptions;
  /** Receives events (drops, degradation, pressure, errors). */
  onEvent?: (event: StoreEvent) => void;
  /** Injectable clock (epoch ms). */
  now?: () => number;
}

/** What {@link WindowStore.append} did. */
export interface AppendResult {
  /** Whether the window is now in the outbox. */
  stored: boolean;
  /** Older windows evicted to make room (counted as drops). */
  evicted: number;
  /** Set when not stored. */
  reason?: DropReason;
}

/** Everything a store holds, summarized. */
export interface WindowStoreStats {
  /** Which backend holds the data. */
  kind: StoreBackend['kind'];
  /** True when the requested backend failed and memory stands in. */
  degraded: boolean;
  /** Windows waiting for delivery. */
  outbox: StoreStats;
  /** Windows the collector refused for good. */
  dead: StoreStats;
  /** The prediction log. */
  log: StoreStats;
  /** Drops so far, by reason (persistent). */
  drops: Record<string, number>;
  /** Last `navigator.storage.estimate()`, when available. */
  estimate?: {
    /** Bytes used. */
    usage: number;
    /** Bytes allowed. */
    quota: number;
  };
}
