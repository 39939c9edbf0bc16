/**
 * Memory and storage readings for budget alerts. Every probe returns
 * `{ supported: false, reason }` where the platform lacks the API (or it
 * fails) — it never throws.
 *
 * Memory, best source first:
 * 1. `performance.measureUserAgentSpecificMemory()` — precise, but only in
 *    cross-origin-isolated pages, and Chromium may resolve it only at the next
 *    GC (bounded here by `memoryTimeoutMs`, then the next source is used);
 * 2. `performance.memory.usedJSHeapSize` — Chromium, coarse (bucketed unless
 *    the page is isolated);
 * 3. `process.memoryUsage()` — Node/Electron main: `heapUsed + external`.
 *
 * Storage: `navigator.storage.estimate()` — the ORIGIN's usage and quota
 * (IndexedDB included; Chromium adds `usageDetails`), not edgewatch's alone.
 */

/** A memory reading. */
export interface MemoryReading {
  supported: true;
  /** Bytes of JS memory attributed to this page / process. */
  bytes: number;
  source: 'measureUserAgentSpecificMemory' | 'performance.memory' | 'process.memoryUsage';
}

/** A storage reading. */
export interface StorageReading {
  supported: true;
  usageBytes: number;
  quotaBytes: number;
  /** usage / quota. */
  usedFraction: number;
  /** Per-backend usage where the browser gives it (Chromium: `indexedDB`, `caches`, …). */
  usageDetails?: Record<string, number>;
}

/** What a probe returns when the platform lacks the API. */
export interface Unsupported {
  supported: false;
  reason: string;
}

/** The globals the monitor reads; injectable for tests (default `globalThis`). */
export interface ResourceEnvironment {
  performance?: unknown;
  navigator?: unknown;
  process?: unknown;
  crossOriginIsolated?: boolean;
}

/** Flat metrics for budget rules (absent where unsupported). */
export interface ResourceMetrics {
  memoryBytes?: number;
  storageUsageBytes?: number;
  storageQuotaBytes?: number;
  storageUsedFraction?: number;
  /** Why each probe was unsupported, if it was. */
  unsupported: { memory?: string; storage?: string };
}

/** Options of {@link ResourceMonitor}. */
export interface ResourceMonitorOptions {
  env?: ResourceEnvironment;
  /** How long to wait for `measureUserAgentSpecificMemory` before falling back (default 2000 ms). */
  memoryTimeoutMs?: number;
}

type AnyRecord = Record<string, unknown>;
const isObject = (v: unknown): v is AnyRecord => typeof v === 'object' && v !== null;
const reasonOf = (e: unknown): string =>
  e instanceof Error ? `${e.name}: ${e.message}` : String(e);

/** Reads memory and storage usage where the platform allows. */
export class ResourceMonitor {
  private readonly env: ResourceEnvironment;
  private readonly memoryTimeoutMs: number;

  /** @param options - injected environment and the precise-memory timeout. */
  constructor(options: ResourceMonitorOptions = {}) {
    this.env = options.env ?? (globalThis as ResourceEnvironment);
    this.memoryTimeoutMs = options.memoryTimeoutMs ?? 2000;
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
        try {
          const result = await withTimeout(
            (perf.measureUserAgentSpecificMemory as () => Promise<unknown>).call(perf),
            this.memoryTimeoutMs,
          );
          if (isObject(result) && typeof result.bytes === 'number') {
            return {
              supported: true,
              bytes: result.bytes,
              source: 'measureUserAgentSpecificMemory',
            };
          }
          reasons.push('measureUserAgentSpecificMemory returned no bytes');
        } catch (error) {
          reasons.push(`measureUserAgentSpecificMemory failed (${reasonOf(error)})`);
        }
      } else {
        reasons.push('measureUserAgentSpecificMemory needs a cross-origin-isolated page');
      }
    }
    try {
      if (
        isObject(perf) &&
        isObject(perf.memory) &&
        typeof perf.memory.usedJSHeapSize === 'number'
      ) {
        return { supported: true, bytes: perf.memory.usedJSHeapSize, source: 'performance.memory' };
      }
      const proc = this.env.process;
      if (isObject(proc) && typeof proc.memoryUsage === 'function') {
        const u = (proc.memoryUsage as () => unknown).call(proc);
        if (isObject(u) && typeof u.heapUsed === 'number') {
          return {
            supported: true,
            bytes: u.heapUsed + (typeof u.external === 'number' ? u.external : 0),
            source: 'process.memoryUsage',
          };
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
   * @returns `{ memoryBytes?, storageUsageBytes?, storageQuotaBytes?, storageUsedFraction?, unsupported }`.
   */
  async sample(): Promise<ResourceMetrics> {
    const [memory, storage] = await Promise.all([this.memory(), this.storage()]);
    const out: ResourceMetrics = { unsupported: {} };
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

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no result within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
