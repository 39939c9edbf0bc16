/**
 * Memory and storage readings for budget alerts. Every probe returns
 * `{ supported: false, reason }` where the platform lacks the API (or it
 * fails) — it never throws.
 *
 * Memory, best source first:
 * 1. `performance.measureUserAgentSpecificMemory()` — precise, but only in
 *    cross-origin-isolated pages, and Chromium resolves it only at the next
 *    GC: 10–20 s is common (17 s measured). So it runs in the background with
 *    its own budget (`preciseBudgetMs`, default 30 s); `memory()` waits at
 *    most `memoryTimeoutMs` for it, then answers from the next source with
 *    `fallbackReason` saying why, and a later call returns the precise
 *    result (with its `ageMs`) once it has arrived;
 * 2. `performance.memory.usedJSHeapSize` — Chromium, coarse (bucketed unless
 *    the page is isolated);
 * 3. `process.memoryUsage()` — Node/Electron main: `heapUsed + external`.
 *
 * Storage: `navigator.storage.estimate()` — the ORIGIN's usage and quota
 * (IndexedDB included; Chromium adds `usageDetails`), not edgewatch's alone.
 * The estimate can stay far from the truth (a squeezed quota reported ~10 GiB
 * free while writes failed), so write failures are counted too: feed them with
 * `recordWriteFailure()` or `onStoreEvent` (a `WindowStore`'s `onEvent`), and
 * `storageWriteFailures` makes `storageQuotaBudget` fire.
 */
import type { StoreEvent } from '../storage/store-types.js';

/** A memory reading. */
export interface MemoryReading {
  /** Always `true` for a reading. */
  supported: true;
  /** Bytes of JS memory attributed to this page / process. */
  bytes: number;
  /** The API the bytes came from (best source first: precise, Chromium heap, Node process). */
  source: 'measureUserAgentSpecificMemory' | 'performance.memory' | 'process.memoryUsage';
  /** Precise readings: how old the measurement is (it completes in the background). */
  ageMs?: number;
  /** Why a better source was not used (e.g. the precise measurement is still pending). */
  fallbackReason?: string;
}

/** A storage reading. */
export interface StorageReading {
  /** Always `true` for a reading. */
  supported: true;
  /** Bytes the origin uses, as `navigator.storage.estimate()` reports. */
  usageBytes: number;
  /** Bytes the origin may use, as `navigator.storage.estimate()` reports. */
  quotaBytes: number;
  /** usage / quota. */
  usedFraction: number;
  /** Per-backend usage where the browser gives it (Chromium: `indexedDB`, `caches`, …). */
  usageDetails?: Record<string, number>;
  /** Storage writes that failed within `writeFailureWindowMs`. */
  writeFailures: number;
}

/** What a probe returns when the platform lacks the API. */
export interface Unsupported {
  /** Always `false`: no reading. */
  supported: false;
  /** Why there is no reading: the API is missing, answered incompletely, or failed (with its error). */
  reason: string;
}

/** The globals the monitor reads; injectable for tests (default `globalThis`). */
export interface ResourceEnvironment {
  /** Source of `measureUserAgentSpecificMemory()` and `memory.usedJSHeapSize`. */
  performance?: unknown;
  /** Source of `storage.estimate()`. */
  navigator?: unknown;
  /** Source of `memoryUsage()` (Node/Electron main). */
  process?: unknown;
  /** Whether the page is cross-origin isolated (needed for the precise memory measurement). */
  crossOriginIsolated?: boolean;
}

/** Flat metrics for budget rules (absent where unsupported). */
export interface ResourceMetrics {
  /** Bytes of JS memory of this page / process ({@link MemoryReading.bytes}). */
  memoryBytes?: number;
  /** Bytes the origin's storage uses. */
  storageUsageBytes?: number;
  /** Bytes the origin's storage may use. */
  storageQuotaBytes?: number;
  /** Storage usage / quota, 0 to 1. */
  storageUsedFraction?: number;
  /** Failed storage writes within `writeFailureWindowMs` (reported even when `estimate()` is unsupported). */
  storageWriteFailures: number;
  /** Why each probe was unsupported, if it was. */
  unsupported: {
    /** Why the memory probe was unsupported. */
    memory?: string;
    /** Why the storage probe was unsupported. */
    storage?: string;
  };
}

/** Options of {@link ResourceMonitor}. */
export interface ResourceMonitorOptions {
  /** The globals to read (default `globalThis`). */
  env?: ResourceEnvironment;
  /** How long `memory()` waits for the precise measurement before answering from the next source (default 2000 ms). */
  memoryTimeoutMs?: number;
  /** How long a precise measurement may run in the background before it counts as failed (default 30,000 ms). */
  preciseBudgetMs?: number;
  /** A precise reading younger than this is reused instead of measuring again (default 60,000 ms). */
  preciseMaxAgeMs?: number;
  /** How long a failed storage write counts (default 300,000 ms). */
  writeFailureWindowMs?: number;
  /** Clock (default `Date.now`). */
  now?: () => number;
}

type AnyRecord = Record<string, unknown>;
const isObject = (v: unknown): v is AnyRecord => typeof v === 'object' && v !== null;
const reasonOf = (e: unknown): string =>
  e instanceof Error ? `${e.name}: ${e.message}` : String(e);

/** Reads memory and storage usage where the platform allows. */
export class ResourceMonitor {
  private readonly env: ResourceEnvironment;
  private readonly memoryTimeoutMs: number;
  private readonly preciseBudgetMs: number;
  private readonly preciseMaxAgeMs: number;
  private readonly writeFailureWindowMs: number;
  private readonly now: () => number;
  private precise: { bytes: number; at: number } | undefined;
  private pending: { promise: Promise<void>; since: number } | undefined;
  private preciseError: string | undefined;
  private writeFailureTimes: number[] = [];

  /** @param options - injected environment, clock and the budgets of the probes. */
  constructor(options: ResourceMonitorOptions = {}) {
    this.env = options.env ?? (globalThis as ResourceEnvironment);
    this.memoryTimeoutMs = options.memoryTimeoutMs ?? 2000;
    this.preciseBudgetMs = options.preciseBudgetMs ?? 30_000;
    this.preciseMaxAgeMs = options.preciseMaxAgeMs ?? 60_000;
    this.writeFailureWindowMs = options.writeFailureWindowMs ?? 300_000;
    this.now = options.now ?? Date.now;
  }

  /**
   * Counts a failed storage write (quota or otherwise) for the storage budget.
   * @param _error - the failure (kept out of the metrics; for symmetry with `onStoreEvent`).
   */
  recordWriteFailure(_error?: unknown): void {
    this.writeFailureTimes.push(this.now());
  }

  /**
   * A `WindowStore` `onEvent` handler: quota drops and degraded storage count as write failures.
   * @param event - the store event.
   * @example WindowStore.open({ onEvent: (e) => monitor.onStoreEvent(e) })
   */
  onStoreEvent(event: StoreEvent): void {
    if (
      (event.type === 'drop' && (event.reason === 'quota' || event.reason === 'log_quota')) ||
      event.type === 'storage_degraded'
    )
      this.recordWriteFailure(event);
  }

  private recentWriteFailures(): number {
    const since = this.now() - this.writeFailureWindowMs;
    this.writeFailureTimes = this.writeFailureTimes.filter((t) => t > since);
    return this.writeFailureTimes.length;
  }

  /** Starts a precise measurement in the background unless one is running. */
  private startPrecise(perf: AnyRecord): { promise: Promise<void>; since: number } {
    if (this.pending) return this.pending;
    const since = this.now();
    const run = (perf.measureUserAgentSpecificMemory as () => Promise<unknown>).call(perf);
    const promise = withTimeout(run, this.preciseBudgetMs).then(
      (result) => {
        if (isObject(result) && typeof result.bytes === 'number') {
          this.precise = { bytes: result.bytes, at: this.now() };
          this.preciseError = undefined;
        } else this.preciseError = 'measureUserAgentSpecificMemory returned no bytes';
      },
      (error: unknown) => {
        this.preciseError = `measureUserAgentSpecificMemory failed (${reasonOf(error)})`;
      },
    );
    const pending = {
      promise: promise.finally(() => {
        if (this.pending === pending) this.pending = undefined;
      }),
      since,
    };
    this.pending = pending;
    return pending;
  }

  /**
   * Memory in use, from the best available source. Never throws.
   * @returns a reading, or `{ supported: false, reason }`.
   * @example const m = await monitor.memory(); if (m.supported) console.log(m.bytes);
   */
  async memory(): Promise<MemoryReading | Unsupported> {
    const reasons: string[] = [];
    const perf = this.env.performance;
    if (isObject(perf) && typeof perf.measureUserAgentSpecificMemory === 'function') {
      if (this.env.crossOriginIsolated === true) {
        const fresh = (): MemoryReading | undefined => {
          const p = this.precise;
          const age = p === undefined ? Infinity : this.now() - p.at;
          return p && age <= this.preciseMaxAgeMs
            ? {
                supported: true,
                bytes: p.bytes,
                source: 'measureUserAgentSpecificMemory',
                ageMs: age,
              }
            : undefined;
        };
        const ready = fresh();
        if (ready) return ready;
        const pending = this.startPrecise(perf);
        await Promise.race([pending.promise, delay(this.memoryTimeoutMs)]);
        const arrived = fresh();
        if (arrived) return arrived;
        if (this.pending === pending) {
          reasons.push(
            `measureUserAgentSpecificMemory pending for ${this.now() - pending.since} ms (it answers at the next GC; budget ${this.preciseBudgetMs} ms)`,
          );
        } else if (this.preciseError) reasons.push(this.preciseError);
      } else {
        reasons.push('measureUserAgentSpecificMemory needs a cross-origin-isolated page');
      }
    }
    const fallbackReason = reasons.length ? reasons.join('; ') : undefined;
    const withReason = (r: MemoryReading): MemoryReading =>
      fallbackReason === undefined ? r : { ...r, fallbackReason };
    try {
      if (
        isObject(perf) &&
        isObject(perf.memory) &&
        typeof perf.memory.usedJSHeapSize === 'number'
      ) {
        return withReason({
          supported: true,
          bytes: perf.memory.usedJSHeapSize,
          source: 'performance.memory',
        });
      }
      const proc = this.env.process;
      if (isObject(proc) && typeof proc.memoryUsage === 'function') {
        const u = (proc.memoryUsage as () => unknown).call(proc);
        if (isObject(u) && typeof u.heapUsed === 'number') {
          return withReason({
            supported: true,
            bytes: u.heapUsed + (typeof u.external === 'number' ? u.external : 0),
            source: 'process.memoryUsage',
          });
        }
      }
    } catch (error) {
      reasons.push(`memory probe failed (${reasonOf(error)})`);
    }
    reasons.push('no performance.memory or process.memoryUsage');
    return { supported: false, reason: reasons.join('; ') };
  }

  /**
   * The origin's storage usage and quota. Never throws.
   * @returns a reading, or `{ supported: false, reason }`.
   */
  async storage(): Promise<StorageReading | Unsupported> {
    const nav = this.env.navigator;
    if (!isObject(nav) || !isObject(nav.storage) || typeof nav.storage.estimate !== 'function') {
      return { supported: false, reason: 'navigator.storage.estimate is not available here' };
    }
    try {
      const e = await (nav.storage.estimate as () => Promise<unknown>).call(nav.storage);
      if (!isObject(e) || typeof e.usage !== 'number' || typeof e.quota !== 'number') {
        return { supported: false, reason: 'navigator.storage.estimate returned no usage/quota' };
      }
      const reading: StorageReading = {
        supported: true,
        usageBytes: e.usage,
        quotaBytes: e.quota,
        usedFraction: e.quota > 0 ? e.usage / e.quota : 0,
        writeFailures: this.recentWriteFailures(),
      };
      if (isObject(e.usageDetails)) reading.usageDetails = e.usageDetails as Record<string, number>;
      return reading;
    } catch (error) {
      return { supported: false, reason: `navigator.storage.estimate failed (${reasonOf(error)})` };
    }
  }

  /**
   * Both probes as flat metrics for `AlertSystem.evaluate` (merge with latency,
   * overhead and outbox metrics). Never throws.
   * @returns `{ memoryBytes?, storageUsageBytes?, storageQuotaBytes?, storageUsedFraction?, storageWriteFailures, unsupported }`.
   */
  async sample(): Promise<ResourceMetrics> {
    const [memory, storage] = await Promise.all([this.memory(), this.storage()]);
    const out: ResourceMetrics = {
      storageWriteFailures: this.recentWriteFailures(),
      unsupported: {},
    };
    if (memory.supported) out.memoryBytes = memory.bytes;
    else out.unsupported.memory = memory.reason;
    if (storage.supported) {
      out.storageUsageBytes = storage.usageBytes;
      out.storageQuotaBytes = storage.quotaBytes;
      out.storageUsedFraction = storage.usedFraction;
    } else out.unsupported.storage = storage.reason;
    return out;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no result within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
