/**
 * The in-memory backend: used where IndexedDB cannot open (private modes,
 * blocked upgrades), in tests, and as the state of the file backend. Rows are
 * structured-cloned on the way in and out so callers cannot alias stored data.
 */
import { StorageError } from '../errors.js';
import type { DeadLetter, LogRow, OutboxEntry, StoreBackend, StoreStats } from './backend.js';

/** Options of {@link MemoryBackend}. */
export interface MemoryBackendOptions {
  /**
   * Simulated quota in bytes (outbox + dead letters + log): a write that would
   * pass it throws `StorageError` with code `STORAGE_QUOTA`, as IndexedDB's
   * `QuotaExceededError` does. Default: unlimited.
   */
  quotaBytes?: number;
}

/** Copies of up to `limit` rows with a sequence number above `afterSeq`, in insertion (sequence) order. */
function listAfter<T>(rows: Map<number, T>, limit: number, afterSeq: number): T[] {
  const out: T[] = [];
  for (const [seq, r] of rows) {
    if (out.length >= limit) break;
    if (seq > afterSeq) out.push(structuredClone(r));
  }
  return out;
}

/** Count, bytes and the oldest row's time (`ts`) of a seq-ordered map. */
function stats<T extends { bytes: number }>(
  rows: Map<number, T>,
  ts: (r: T) => number,
): StoreStats {
  let total = 0;
  let oldest: number | undefined;
  for (const r of rows.values()) {
    total += r.bytes;
    if (oldest === undefined) oldest = ts(r);
  }
  return oldest === undefined
    ? { count: rows.size, bytes: total }
    : { count: rows.size, bytes: total, oldest };
}

/** A {@link StoreBackend} held in memory. */
export class MemoryBackend implements StoreBackend {
  readonly kind: 'memory' | 'file' = 'memory';
  protected outbox = new Map<number, OutboxEntry>();
  protected dead = new Map<number, DeadLetter>();
  protected log = new Map<number, LogRow>();
  protected meta = new Map<string, unknown>();
  protected nextSeq = { outbox: 1, dead: 1, log: 1 };
  /** Σ bytes of `log`, kept up to date so log writes stay O(rows). */
  protected logBytes = 0;
  private readonly quotaBytes: number;

  /** @param options - see {@link MemoryBackendOptions}. */
  constructor(options: MemoryBackendOptions = {}) {
    this.quotaBytes = options.quotaBytes ?? Infinity;
  }

  private used(): number {
    let b = 0;
    for (const r of this.outbox.values()) b += r.bytes;
    for (const r of this.dead.values()) b += r.bytes;
    return b + this.logBytes;
  }

  private checkQuota(extra: number): void {
    if (this.quotaBytes !== Infinity && this.used() + extra > this.quotaBytes) {
      throw new StorageError(
        `quota exceeded: expected at most ${this.quotaBytes} bytes stored`,
        'STORAGE_QUOTA',
      );
    }
  }

  /** Hook for the file backend: called after every mutation. */
  protected async persist(): Promise<void> {}

  /** Deletes rows by seq, then persists. */
  private async deleteSeqs(rows: Map<number, unknown>, seqs: readonly number[]): Promise<void> {
    for (const s of seqs) rows.delete(s);
    await this.persist();
  }

  async outboxAdd(entry: Omit<OutboxEntry, 'seq'>): Promise<number> {
    this.checkQuota(entry.bytes);
    const seq = this.nextSeq.outbox++;
    this.outbox.set(seq, structuredClone({ ...entry, seq }));
    await this.persist();
    return seq;
  }

  async outboxList(limit: number, afterSeq = 0): Promise<OutboxEntry[]> {
    return listAfter(this.outbox, limit, afterSeq);
  }

  async outboxDelete(seqs: readonly number[]): Promise<void> {
    await this.deleteSeqs(this.outbox, seqs);
  }

  async outboxStats(): Promise<StoreStats> {
    return stats(this.outbox, (r) => r.sealedAt);
  }

  async outboxToDead(
    seqs: readonly number[],
    reason: string,
    status: number | undefined,
    failedAt: number,
  ): Promise<number> {
    let moved = 0;
    for (const s of seqs) {
      const e = this.outbox.get(s);
      if (!e) continue;
      this.outbox.delete(s);
      const seq = this.nextSeq.dead++;
      const d: DeadLetter = {
        seq,
        windowId: e.windowId,
        failedAt,
        reason,
        bytes: e.bytes,
        record: e.record,
      };
      if (status !== undefined) d.status = status;
      this.dead.set(seq, d);
      moved++;
    }
    await this.persist();
    return moved;
  }

  async deadList(limit: number): Promise<DeadLetter[]> {
    return [...this.dead.values()].slice(0, limit).map((d) => structuredClone(d));
  }

  async deadDelete(seqs: readonly number[]): Promise<void> {
    await this.deleteSeqs(this.dead, seqs);
  }

  async deadStats(): Promise<StoreStats> {
    return stats(this.dead, (r) => r.failedAt);
  }

  async metaGet<T>(key: string): Promise<T | undefined> {
    const v = this.meta.get(key);
    return v === undefined ? undefined : (structuredClone(v) as T);
  }

  async metaUpdate<T>(key: string, fn: (old: T | undefined) => T): Promise<T> {
    const next = fn(this.meta.get(key) as T | undefined);
    this.meta.set(key, structuredClone(next));
    await this.persist();
    return next;
  }

  async logAdd(rows: ReadonlyArray<Omit<LogRow, 'seq'>>): Promise<void> {
    await this.logAppend(rows, Infinity, Infinity);
  }

  async logAppend(
    rows: ReadonlyArray<Omit<LogRow, 'seq'>>,
    maxCount: number,
    maxBytes: number,
  ): Promise<number> {
    const incoming = rows.reduce((a, r) => a + r.bytes, 0);
    let count = this.log.size + rows.length;
    let bytes = this.logBytes + incoming;
    const victims: LogRow[] = [];
    for (const r of this.log.values()) {
      if (count <= maxCount && bytes <= maxBytes) break;
      victims.push(r);
      count--;
      bytes -= r.bytes;
    }
    // one transaction: the evicted rows make room for the new ones
    if (rows.length) this.checkQuota(incoming - victims.reduce((a, r) => a + r.bytes, 0));
    for (const v of victims) this.log.delete(v.seq);
    for (const r of rows) {
      const seq = this.nextSeq.log++;
      this.log.set(seq, structuredClone({ ...r, seq }));
    }
    this.logBytes = bytes;
    await this.persist();
    return victims.length;
  }

  async logList(limit: number, afterSeq = 0): Promise<LogRow[]> {
    return listAfter(this.log, limit, afterSeq);
  }

  async logDelete(seqs: readonly number[]): Promise<void> {
    for (const s of seqs) {
      const row = this.log.get(s);
      if (!row) continue;
      this.logBytes -= row.bytes;
      this.log.delete(s);
    }
    await this.persist();
  }

  async logStats(): Promise<StoreStats> {
    const first = this.log.values().next();
    const counter = { count: this.log.size, bytes: this.logBytes };
    return first.done ? counter : { ...counter, oldest: first.value.entry.ts };
  }

  async close(): Promise<void> {}
}
