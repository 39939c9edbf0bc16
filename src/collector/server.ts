/**
 * The collector's HTTP server (`edgewatch/collector`, Node only): wires the
 * store, the aggregator, the access policy, the rate limiter and remote-write
 * to the routes (see `routes.ts`), and bounds what one client can hold:
 * connections, header and request timeouts, body bytes per request and in
 * flight over all requests.
 *
 * - `POST /v1/windows`: ingest (JSON, strict schema, size-capped, rate-limited
 *   per device), idempotent by window id; `{ accepted, duplicates }`.
 * - `GET /v1/windows`: query stored windows (`model`, `version`, `device`,
 *   `since`, `until`, `after`, `limit`).
 * - `GET /v1/fleet`: exact fleet-merged sketch summaries.
 * - `PUT /v1/models/{name}/{version}/reference`: reference feature profiles (write token).
 * - `GET /v1/fleet/drift`, `/v1/fleet/timeline`, `/v1/fleet/models`: fleet drift against the
 *   reference, per-bucket latency / devices / alerts, model versions seen (read token).
 * - `GET /`: the fleet page (static; it asks for the token when reads need one).
 * - `GET /metrics`: Prometheus exposition of everything ingested.
 * - `GET /healthz`: liveness and counts (never needs a token).
 * With a token set, every route but `/healthz` needs it (`/metrics` also opens
 * with the scrape token). CORS is off unless `corsOrigin` lists origins.
 * `close()` stops accepting, lets in-flight requests finish, flushes
 * remote-write, closes the store.
 *
 * With a SQLite store the collector folds each window it accepts into its fleet
 * aggregates. With a shared (PostgreSQL) store other collectors write too, so
 * the aggregates are fed from the store's ingest log instead: every collector
 * folds the same rows in the same (commit) order, reading what is new before
 * answering `/metrics` or `/v1/fleet` and every `fleetRefreshMs` in between.
 */
import { createServer } from 'node:http';
import { createReferenceKernel } from '../kernel/reference/index.js';
import { createWasmKernel } from '../kernel/wasm-kernel.js';
import { validateWindowRecord, type WindowRecord } from '../window/window-record.js';
import { Access } from './access.js';
import { FleetAggregator } from './fleet-aggregator.js';
import { parseReferenceBody } from './fleet-routes.js';
import { createGroupCommit } from './group-commit.js';
import { BodyBudget, HttpError, send } from './http-helpers.js';
import { resolveCollectorOptions, type CollectorOptions } from './options.js';
import { RateLimiter } from './rate-limit.js';
import { RemoteWriter } from './remote-write.js';
import { route, type RouteContext } from './routes.js';
import { IngestCounters } from './self-metrics.js';
import { PgStore } from './pg-store.js';
import { isPostgresUrl, SqliteStore, type CollectorStore } from './store.js';
import { SqliteWriter } from './sqlite-writer.js';
import { WindowDb, type BatchResult } from './window-db.js';
import { encodeSnapshot, encodeSnapshotSliced, restoreSnapshot } from './snapshot.js';
import { rollupWindows } from './hourly.js';

export type { CollectorOptions } from './options.js';

/** A running collector. */
export interface Collector {
  /** The port actually bound (the chosen one when `port: 0` was given). */
  readonly port: number;
  /** The interface listened on. */
  readonly host: string;
  /** Base URL, e.g. `http://127.0.0.1:9464`. */
  readonly url: string;
  /** Ingest counters. */
  stats(): {
    /**
     * Windows stored: reloaded at start-up plus accepted since; with a shared
     * (PostgreSQL) store, the windows of every collector folded so far.
     */
    windows: number;
    /** New windows accepted since start-up. */
    accepted: number;
    /** Windows received again (already stored; ignored). */
    duplicates: number;
    /** Refused requests (and stored rows skipped at start-up), by reason. */
    rejected: Record<string, number>;
  };
  /** Stops serving (in-flight requests finish) and closes storage. Idempotent. */
  close(): Promise<void>;
}

/** Rows read per round trip when folding the store's ingest log. */
const TAIL_PAGE = 1000;
/** How often a collector on a shared store folds rows written by the others, ms. */
const FLEET_REFRESH_MS = 1000;
/** How often the snapshot timer looks whether a snapshot is due, ms. */
const SNAPSHOT_CHECK_MS = 1000;
/** Windows folded since the last snapshot that make the next one due before its interval. */
const SNAPSHOT_WINDOWS = 20_000;
/** Windows moved to hourly aggregates per transaction (the event loop waits for one). */
const PURGE_BATCH = 50;
/** Hourly aggregates past their retention deleted per transaction. */
const HOURLY_PURGE_BATCH = 500;

/**
 * Folds stored rows after a cursor into the aggregates, page by page. Stored
 * rows must pass today's schema to reach `/metrics`; fields an older version
 * kept are ignored.
 *
 * @returns the new cursor.
 */
async function foldStored(
  store: CollectorStore,
  after: number,
  agg: FleetAggregator,
  counters: IngestCounters,
  tally: { invalid: number },
): Promise<number> {
  let cursor = after;
  for (;;) {
    const rows = await store.rowsAfter(cursor, TAIL_PAGE);
    for (const { seq, record, receivedMs } of rows) {
      cursor = seq;
      const errors = validateWindowRecord(record).filter((e) => !e.endsWith('unknown field'));
      if (errors.length > 0) {
        counters.reject('stored_invalid');
        tally.invalid++;
        continue;
      }
      agg.ingest(record as WindowRecord, receivedMs);
      counters.windows++;
    }
    if (rows.length < TAIL_PAGE) return cursor;
  }
}

/**
 * Loads the stored reference profiles into the aggregates (those that no longer
 * decode are skipped and counted).
 */
async function loadReferences(
  store: CollectorStore,
  agg: FleetAggregator,
  counters: IngestCounters,
): Promise<void> {
  for (const r of await store.references()) {
    try {
      const { profiles } = parseReferenceBody(JSON.stringify({ profiles: r.profiles }));
      agg.profiles.setReference(r.model, r.version, profiles);
    } catch {
      counters.reject('stored_invalid');
    }
  }
}

async function openStore(o: ReturnType<typeof resolveCollectorOptions>): Promise<CollectorStore> {
  const remoteWriteQueue = o.remoteWrite !== undefined;
  if (isPostgresUrl(o.dbPath))
    return PgStore.open(o.dbPath, { remoteWriteQueue, onError: o.onError });
  const db = new WindowDb(o.dbPath, { synchronous: o.synchronous, remoteWriteQueue });
  const writer =
    o.sqliteWriter === 'worker' && o.dbPath !== ':memory:' && o.dbPath !== ''
      ? new SqliteWriter(o.dbPath, { synchronous: o.synchronous, remoteWriteQueue })
      : undefined;
  return new SqliteStore(db, writer);
}

/**
 * Starts the collector.
 *
 * @param options - see {@link CollectorOptions}.
 * @returns the running collector (`port`, `url`, `close()`).
 * @throws ConfigError on bad options; StorageError when the database cannot open
 *   or its client (`better-sqlite3`, or `pg` for a `postgres://` URL) is not installed.
 * @example
 * const c = await startCollector({ port: 0, host: '127.0.0.1', dbPath: ':memory:' });
 * await fetch(`${c.url}/healthz`);
 * await c.close();
 */
export async function startCollector(options: CollectorOptions = {}): Promise<Collector> {
  const o = resolveCollectorOptions(options);
  const store = await openStore(o);
  const kernel = createReferenceKernel();
  // The fleet sketches are merged by the WASM kernel, at ingest and at replay alike.
  const mergeKernel = await createWasmKernel().catch((e: unknown) => {
    o.onError(
      new Error(`merging fleet sketches with the reference kernel: ${(e as Error).message}`),
    );
    return kernel;
  });
  const newAggregator = (): FleetAggregator =>
    new FleetAggregator({
      kernel: mergeKernel,
      maxDevices: o.maxDevices,
      maxModels: o.maxModels,
      maxVersions: o.maxVersions,
      maxFeatures: o.maxFeatures,
      seriesTtlMs: o.seriesTtlMs,
    });
  let agg = newAggregator();
  const counters = new IngestCounters();
  // Snapshots need a store this collector alone writes: SQLite.
  const sqlite = store instanceof SqliteStore && o.snapshotIntervalMs > 0 ? store : undefined;
  const db = sqlite?.db;
  const tally = { invalid: 0 };
  let cursor = 0;
  let snapshotSeq = 0;
  try {
    const snap = db?.loadSnapshot();
    if (snap) {
      try {
        const restored = restoreSnapshot(agg, snap.body);
        counters.windows = restored.windows;
        tally.invalid = restored.invalid;
        if (restored.invalid > 0) counters.rejected.stored_invalid = restored.invalid;
        cursor = snapshotSeq = snap.seq;
      } catch (e) {
        // A snapshot only saves time: without a usable one, every stored window is replayed.
        o.onError(new Error(`ignoring the aggregate snapshot: ${(e as Error).message}`));
        agg = newAggregator();
      }
    }
    await loadReferences(store, agg, counters);
    cursor = await foldStored(store, cursor, agg, counters, tally);
  } catch (e) {
    await store.close();
    throw e;
  }
  const fold = agg;
  /** Windows committed while a snapshot is being serialized: folded when it is done. */
  let held: [WindowRecord, number][] = [];
  /** The snapshot being serialized in slices (new windows are held back meanwhile). */
  let snapshotting: Promise<void> | undefined;
  const foldOne = (rec: WindowRecord, receivedMs: number): void => {
    try {
      fold.ingest(rec, receivedMs);
    } catch (e) {
      o.onError(e);
    }
  };
  /**
   * Folds the new windows of a commit (SQLite: this runs as the commit is
   * answered, and the snapshot covers only answered commits — see
   * `SqliteStore.lastSeq` — so a snapshot never covers a committed window unfolded).
   * While a snapshot is being serialized they are held and folded right after
   * it, in commit order.
   */
  const foldCommitted = (
    batches: readonly (readonly WindowRecord[])[],
    results: readonly BatchResult[],
    receivedMs: number,
  ): void => {
    results.forEach((r, b) => {
      if (!r.ok) return;
      r.outcomes.forEach((outcome, i) => {
        if (outcome !== 'new') return;
        counters.windows++;
        if (snapshotting) held.push([batches[b]![i]!, receivedMs]);
        else foldOne(batches[b]![i]!, receivedMs);
      });
    });
  };
  let snapshotAt = Date.now();
  let snapshotWindows = counters.windows;
  /** Whether a snapshot is due: windows were folded since the last one (and `force` or it is time). */
  const snapshotDue = (force: boolean): number | undefined => {
    if (!db || !sqlite || snapshotting) return undefined;
    const seq = sqlite.lastSeq();
    if (seq === snapshotSeq) return undefined;
    const due =
      force ||
      Date.now() - snapshotAt >= o.snapshotIntervalMs ||
      counters.windows - snapshotWindows >= SNAPSHOT_WINDOWS;
    return due ? seq : undefined;
  };
  const saved = (seq: number, now: number, windows: number): void => {
    snapshotSeq = seq;
    snapshotAt = now;
    snapshotWindows = windows;
  };
  /** Writes a snapshot now, in one go (at shutdown). */
  const snapshot = (force: boolean): void => {
    const seq = snapshotDue(force);
    if (seq === undefined || !db) return;
    const now = Date.now();
    db.saveSnapshot(
      seq,
      encodeSnapshot(fold, { windows: counters.windows, invalid: tally.invalid }),
      now,
    );
    saved(seq, now, counters.windows);
  };
  /**
   * Writes a snapshot when one is due, serialized in slices between requests;
   * the windows committed meanwhile are held, then folded.
   */
  const snapshotInSlices = (): void => {
    const seq = snapshotDue(false);
    if (seq === undefined || !db) return;
    const windows = counters.windows;
    snapshotting = (async () => {
      try {
        const bytes = await encodeSnapshotSliced(fold, { windows, invalid: tally.invalid });
        const now = Date.now();
        db.saveSnapshot(seq, bytes, now);
        saved(seq, now, windows);
      } catch (e) {
        o.onError(e);
      } finally {
        const pending = held;
        held = [];
        snapshotting = undefined;
        for (const [rec, receivedMs] of pending) foldOne(rec, receivedMs);
      }
    })();
  };
  let purging: Promise<void> = Promise.resolve();
  /**
   * Moves windows past the retention into hourly aggregates, one small
   * transaction at a time, yielding to requests in between; only windows the
   * last snapshot covers, so a restart never replays a deleted window's absence.
   * Then deletes the hourly aggregates past theirs, in batches the same way.
   */
  const purge = async (): Promise<void> => {
    if (!db || o.retentionMs === 0) return;
    for (;;) {
      if (closing) return;
      const started = performance.now();
      const moved = db.purgeBatch(
        Date.now() - o.retentionMs,
        snapshotSeq,
        PURGE_BATCH,
        rollupWindows,
      );
      counters.purged += moved;
      counters.purgeBlockMs = Math.max(counters.purgeBlockMs, performance.now() - started);
      if (moved < PURGE_BATCH) break;
      await new Promise((r) => setImmediate(r));
    }
    if (o.hourlyRetentionMs === 0) return;
    for (;;) {
      if (closing) return;
      const started = performance.now();
      const deleted = db.purgeHourlyBatch(Date.now() - o.hourlyRetentionMs, HOURLY_PURGE_BATCH);
      counters.purgeBlockMs = Math.max(counters.purgeBlockMs, performance.now() - started);
      if (deleted < HOURLY_PURGE_BATCH) return;
      await new Promise((r) => setImmediate(r));
    }
  };
  const purger =
    db && o.retentionMs > 0
      ? setInterval(() => {
          purging = purging.then(purge).catch(o.onError);
        }, o.purgeIntervalMs).unref()
      : undefined;
  const snapshotter = db
    ? setInterval(
        () => {
          try {
            snapshotInSlices();
          } catch (e) {
            o.onError(e);
          }
        },
        Math.min(SNAPSHOT_CHECK_MS, o.snapshotIntervalMs),
      ).unref()
    : undefined;
  // Folds run one after another; each reads what was committed before it was asked for.
  let folding: Promise<void> = Promise.resolve();
  const refresh = (): Promise<void> => {
    folding = folding.then(async () => {
      // References put through another collector (a handful of rows per model version).
      await loadReferences(store, agg, counters);
      cursor = await foldStored(store, cursor, agg, counters, tally);
    });
    const mine = folding;
    folding = folding.catch(() => undefined);
    return mine;
  };
  const refresher = store.shared
    ? setInterval(() => void refresh().catch(o.onError), FLEET_REFRESH_MS).unref()
    : undefined;
  const remote = o.remoteWrite
    ? new RemoteWriter(o.remoteWrite, kernel, o.onError, store)
    : undefined;
  let closing: Promise<void> | undefined;
  const access = new Access({
    token: o.token,
    scrapeToken: o.scrapeToken,
    corsOrigins: o.corsOrigins,
  });
  const ctx: RouteContext = {
    store,
    // Reads wait until the windows held during a snapshot are folded: a read after a 2xx sees them.
    refresh: store.shared ? refresh : async () => await snapshotting,
    agg,
    kernel,
    access,
    budget: new BodyBudget(o.maxBufferedBytes),
    limiter: o.rateLimit === false ? undefined : new RateLimiter(o.rateLimit),
    remote,
    commit: createGroupCommit(store, store.shared ? undefined : foldCommitted),
    counters,
    requests: new Map(),
    maxBodyBytes: o.maxBodyBytes,
    maxWindowsPerRequest: o.maxWindowsPerRequest,
    retentionMs: db ? o.retentionMs : 0,
    closing: () => closing !== undefined,
    onError: o.onError,
  };
  const count = (key: string): void => {
    ctx.requests.set(key, (ctx.requests.get(key) ?? 0) + 1);
  };
  let inflight = 0;
  let drained: (() => void) | undefined;

  const server = createServer(
    {
      requestTimeout: o.requestTimeoutMs,
      headersTimeout: Math.min(o.headersTimeoutMs, o.requestTimeoutMs),
      // How often the timeouts are checked (Node's default, 30 s, would let a stalled body live that long).
      connectionsCheckingInterval: Math.min(1000, o.headersTimeoutMs),
    },
    (req, res) => {
      inflight++;
      for (const [k, v] of Object.entries(access.corsHeaders(req))) res.setHeader(k, v);
      route(ctx, req, res)
        .then(([name, status]) => count(`${name} ${status}`))
        .catch((e: unknown) => {
          const status = e instanceof HttpError ? e.status : 500;
          const message =
            e instanceof HttpError
              ? e.message
              : `internal error: ${(e as Error)?.message ?? String(e)}`;
          if (!(e instanceof HttpError)) o.onError(e);
          const body: { error: string; details?: string[] } = { error: message };
          if (e instanceof HttpError && e.details) body.details = e.details;
          const headers = e instanceof HttpError ? e.headers : {};
          if (!res.headersSent) send(res, status, body, headers);
          else res.end();
          count(`error ${status}`);
        });
      // Counted until the response is flushed (or the socket dies), not just written.
      res.once('close', () => {
        inflight--;
        if (inflight === 0) drained?.();
      });
    },
  );
  server.maxConnections = o.maxConnections;
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => {
      clearInterval(refresher);
      clearInterval(snapshotter);
      clearInterval(purger);
      void store.close().finally(() => reject(e));
    });
    server.listen(o.port, o.host, () => {
      server.removeAllListeners('error');
      resolve();
    });
  });
  const addr = server.address();
  const bound = typeof addr === 'object' && addr ? addr.port : o.port;
  const urlHost = o.host.includes(':') ? `[${o.host}]` : o.host;

  return {
    port: bound,
    host: o.host,
    url: `http://${urlHost}:${bound}`,
    stats: () => ({
      windows: counters.windows,
      accepted: counters.accepted,
      duplicates: counters.duplicates,
      rejected: { ...counters.rejected },
    }),
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const grace = (ms: number) =>
          new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
        if (inflight > 0)
          await Promise.race([new Promise<void>((resolve) => (drained = resolve)), grace(10_000)]);
        // Keep-alive sockets of finished requests are idle now; stragglers are cut after the grace period.
        server.closeIdleConnections();
        await Promise.race([stopped, grace(2_000)]);
        server.closeAllConnections();
        await stopped;
        clearInterval(refresher);
        clearInterval(snapshotter);
        clearInterval(purger);
        await purging;
        await remote?.close();
        await folding;
        await snapshotting;
        try {
          snapshot(true);
        } catch (e) {
          o.onError(e);
        }
        await store.close();
      })();
      return closing;
    },
  };
}
