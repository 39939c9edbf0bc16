/**
 * The collector's options: their documented defaults and validation. Every
 * bad value is a `ConfigError` naming the option, thrown before anything opens.
 */
import { ConfigError, describeValue } from '../errors.js';
import { numberOption, oneOfOption, optionalNumber } from '../util/options.js';
import type { FleetLimits } from './fleet-aggregator.js';
import type { RateLimitOptions } from './rate-limit.js';
import type { RemoteWriteOptions } from './remote-write.js';
import { isPostgresUrl } from './store.js';

/** The default retention of window bodies with SQLite: 30 days, ms. */
export const RETENTION_DEFAULT_MS = 30 * 86_400_000;
/** The default retention of hourly aggregates (with a window retention): 400 days, ms. */
export const HOURLY_RETENTION_DEFAULT_MS = 400 * 86_400_000;

/** Options of {@link startCollector}. */
export interface CollectorOptions extends FleetLimits {
  /** Port; 0 picks a free one. Default 9464. */
  port?: number;
  /** Interface. Default `127.0.0.1`. */
  host?: string;
  /**
   * Where windows are stored: a SQLite file (`':memory:'` for none), or a
   * `postgres://user:password@host:port/database` URL for a PostgreSQL store
   * shared by several collectors (needs the `pg` package). Default `./edgewatch.db`.
   */
  dbPath?: string;
  /**
   * When set, every route that reads or writes stored data (`/v1/windows`,
   * `/v1/fleet`, `/metrics`) requires `Authorization: Bearer <token>`. An empty
   * string is refused.
   */
  token?: string;
  /** A separate bearer token that opens `/metrics` only (for Prometheus). */
  scrapeToken?: string;
  /** Largest request body, bytes. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Most windows per request. Default 1000. */
  maxWindowsPerRequest?: number;
  /** Browser origins answered with CORS headers (`'*'` for any). Default none: CORS off. */
  corsOrigin?: string | readonly string[];
  /**
   * SQLite only. `synchronous`: `'full'` (default: a 2xx means the window is on disk)
   * or `'normal'` (acknowledges before the WAL is fsynced; not power-safe).
   */
  synchronous?: 'full' | 'normal';
  /**
   * SQLite only. Where ingest transactions run: `'main'` (default) on the
   * event loop, the lowest latency up to about 2,000 windows/s on 2 cores;
   * `'worker'` in a `worker_threads` worker with its own connection, so
   * requests are parsed and answered while a commit and its fsync are under
   * way: about twice the windows/s at saturation, for more CPU per window and
   * a longer tail at moderate rates (docs/scaling.md). A 2xx means committed
   * either way. An in-memory database (`':memory:'`) always uses `'main'`.
   */
  sqliteWriter?: 'worker' | 'main';
  /**
   * SQLite only. How often the fleet aggregates are saved to the database, ms
   * (also after every 20,000 windows, and on `close()`), so that a restart
   * replays only the windows stored since. 0 turns snapshots off (a restart
   * replays every stored window). Default 30 000.
   */
  snapshotIntervalMs?: number;
  /**
   * SQLite only. Windows ending longer ago than this (ms) are moved into hourly
   * aggregates per model, version and device (sketches and profiles merged
   * exactly, counters added; kept without limit) and deleted, in small batches
   * every `purgeIntervalMs`. 0 keeps every window. Default 30 days with SQLite
   * (0 when `snapshotIntervalMs` is 0: deleting windows needs the snapshot that
   * keeps their fleet totals); with PostgreSQL any value but 0 is refused
   * (partition the table instead).
   */
  retentionMs?: number;
  /**
   * Hourly aggregates of hours that ended longer ago than this (ms) are deleted,
   * in small batches every `purgeIntervalMs`. 0 keeps them forever. Default 400
   * days when `retentionMs` is set (0 otherwise: there are no hourly aggregates
   * then, and any other value is refused); must be at least `retentionMs`.
   */
  hourlyRetentionMs?: number;
  /** How often windows past the retention are moved to hourly aggregates, ms. Default 60 000. */
  purgeIntervalMs?: number;
  /** Remote-write every window to a Prometheus-compatible store. */
  remoteWrite?: RemoteWriteOptions;
  /** Per-device ingest rate limit; `false` turns it off. Default 10 requests/s, bursts of 100. */
  rateLimit?: RateLimitOptions | false;
  /** Most open connections. Default 1000. */
  maxConnections?: number;
  /** Most bytes of request bodies buffered at once, over all requests (503 beyond). Default 16 MiB. */
  maxBufferedBytes?: number;
  /** Time to receive a request's headers, ms. Default 10 000. */
  headersTimeoutMs?: number;
  /** Time to receive a whole request, ms. Default 30 000. */
  requestTimeoutMs?: number;
  /** Background failures (remote-write). */
  onError?: (e: unknown) => void;
}

/** Options with every default applied. */
export type ResolvedOptions = Required<
  Omit<CollectorOptions, 'token' | 'scrapeToken' | 'remoteWrite' | 'corsOrigin' | 'rateLimit'>
> &
  Pick<CollectorOptions, 'token' | 'scrapeToken' | 'remoteWrite'> & {
    corsOrigins: string[];
    rateLimit: RateLimitOptions | false;
  };

function integer(
  o: CollectorOptions,
  key: keyof CollectorOptions,
  def: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  return optionalNumber(key, o[key] ?? undefined, def, { min, max, integer: true }); // null: the default
}

function secret(v: unknown, name: string): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.trim().length === 0 || /\s/.test(v))
    throw new ConfigError(
      `expected ${name} to be a non-empty string without spaces, got ${describeValue(v)}`,
    );
  return v;
}

/**
 * Applies defaults and validates.
 *
 * @param o - user options.
 * @returns the resolved options.
 * @throws ConfigError naming the first bad option.
 */
export function resolveCollectorOptions(o: CollectorOptions = {}): ResolvedOptions {
  const cors =
    o.corsOrigin === undefined
      ? []
      : typeof o.corsOrigin === 'string'
        ? [o.corsOrigin]
        : [...o.corsOrigin];
  if (cors.some((c) => typeof c !== 'string' || c.length === 0))
    throw new ConfigError(`expected corsOrigin to be origins, got ${describeValue(o.corsOrigin)}`);
  if (o.synchronous !== undefined && o.synchronous !== 'full' && o.synchronous !== 'normal')
    throw new ConfigError(
      `expected synchronous 'full' or 'normal', got ${describeValue(o.synchronous)}`,
    );
  if (o.sqliteWriter !== undefined) oneOfOption('sqliteWriter', o.sqliteWriter, ['main', 'worker']);
  const rl = o.rateLimit ?? {};
  if (rl !== false) {
    for (const k of ['perSecond', 'burst'] as const) {
      const v = rl[k];
      if (v !== undefined) numberOption(`rateLimit.${k}`, v, { above: 0 });
    }
  }
  const dbPath = o.dbPath ?? './edgewatch.db';
  const postgres = isPostgresUrl(dbPath);
  const snapshotIntervalMs = integer(o, 'snapshotIntervalMs', 30_000, 0);
  const retentionMs = integer(
    o,
    'retentionMs',
    postgres || snapshotIntervalMs === 0 ? 0 : RETENTION_DEFAULT_MS,
    0,
  );
  if (postgres && retentionMs > 0)
    throw new ConfigError(
      `expected no retentionMs with a PostgreSQL store (retention is SQLite-only; partition the windows table by end_ms instead), got ${retentionMs}`,
    );
  if (retentionMs > 0 && !postgres && snapshotIntervalMs === 0)
    throw new ConfigError(
      'expected snapshotIntervalMs > 0 with retentionMs (the fleet totals of deleted windows live in the snapshot); set retentionMs: 0 to keep every window',
    );
  const hourlyRetentionMs = integer(
    o,
    'hourlyRetentionMs',
    retentionMs > 0 ? Math.max(HOURLY_RETENTION_DEFAULT_MS, retentionMs) : 0,
    0,
  );
  if (retentionMs === 0 && hourlyRetentionMs > 0)
    throw new ConfigError(
      `expected no hourlyRetentionMs without retentionMs (hourly aggregates are made only by the retention), got ${hourlyRetentionMs}`,
    );
  if (hourlyRetentionMs > 0 && hourlyRetentionMs < retentionMs)
    throw new ConfigError(
      `expected hourlyRetentionMs 0 (keep) or at least retentionMs (${retentionMs}), got ${hourlyRetentionMs}`,
    );
  return {
    port: integer(o, 'port', 9464, 0, 65535),
    host: o.host ?? '127.0.0.1',
    dbPath,
    token: secret(o.token, 'token'),
    scrapeToken: secret(o.scrapeToken, 'scrapeToken'),
    maxBodyBytes: integer(o, 'maxBodyBytes', 1024 * 1024, 1),
    maxWindowsPerRequest: integer(o, 'maxWindowsPerRequest', 1000, 1),
    maxDevices: integer(o, 'maxDevices', 1000, 1),
    maxModels: integer(o, 'maxModels', 100, 1),
    maxVersions: integer(o, 'maxVersions', 20, 1),
    maxFeatures: integer(o, 'maxFeatures', 200, 1),
    seriesTtlMs: integer(o, 'seriesTtlMs', 24 * 3_600_000, 1),
    corsOrigins: cors,
    synchronous: o.synchronous ?? 'full',
    sqliteWriter: o.sqliteWriter ?? 'main',
    snapshotIntervalMs,
    retentionMs,
    hourlyRetentionMs,
    purgeIntervalMs: integer(o, 'purgeIntervalMs', 60_000, 1),
    remoteWrite: o.remoteWrite,
    rateLimit: rl,
    maxConnections: integer(o, 'maxConnections', 1000, 1),
    maxBufferedBytes: integer(o, 'maxBufferedBytes', 16 * 1024 * 1024, 1),
    headersTimeoutMs: integer(o, 'headersTimeoutMs', 10_000, 1),
    requestTimeoutMs: integer(o, 'requestTimeoutMs', 30_000, 1),
    onError: o.onError ?? (() => undefined),
  };
}
