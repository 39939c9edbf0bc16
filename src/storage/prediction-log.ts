/**
 * The prediction log: "log all predictions for analysis". Off the wire by
 * default — entries stay on the device, bounded by count and bytes (oldest
 * evicted first, counted), exportable as NDJSON or CSV, and drained into a
 * window only when the user opts in to flushing them.
 */
import { StorageError } from '../errors.js';
import { optionalNumber } from '../util/options.js';
import type { PredictionEntry } from '../window/window-record.js';
import { jsonBytes, type StoreBackend } from './backend.js';

/** Bounds of the prediction log. */
export interface PredictionLogOptions {
  /** Most entries kept. Default 10 000. */
  maxCount?: number;
  /** Most bytes (JSON) kept. Default 2 MiB. */
  maxBytes?: number;
}

/** CSV columns, in order. Object values are written as JSON. */
export const PREDICTION_CSV_COLUMNS = ['ts', 'latencyMs', 'inputs', 'output', 'label'] as const;

/** Leading characters a spreadsheet reads as a formula (OWASP "CSV injection"). */
const FORMULA_LEAD = /^[=+\-@\t\r]/;

/**
 * One CSV cell. Text that starts like a formula gets a leading `'` so a
 * spreadsheet shows it as text (numbers stay numbers: `-3` is data, not a formula).
 */
function csvCell(v: unknown): string {
  if (v === undefined || v === null) return '';
  let s =
    typeof v === 'string'
      ? v
      : typeof v === 'number' || typeof v === 'boolean'
        ? String(v)
        : JSON.stringify(v);
  if (typeof v === 'string' && FORMULA_LEAD.test(s)) s = `'${s}`;
  return /[",\r\n\t]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function isQuota(e: unknown): boolean {
  return e instanceof StorageError && e.code === 'STORAGE_QUOTA';
}

/** A bounded ring of predictions on top of a store backend. */
export class PredictionLog {
  private readonly maxCount: number;
  private readonly maxBytes: number;
  private chain: Promise<unknown> = Promise.resolve();

  /**
   * @param backend - where rows live.
   * @param options - bounds.
   * @param countDrop - receives evictions (reason `log_evicted`).
   * @throws ConfigError on non-positive bounds.
   */
  constructor(
    private readonly backend: StoreBackend,
    options: PredictionLogOptions = {},
    private readonly countDrop: (reason: string, n: number) => Promise<void>,
  ) {
    this.maxCount = optionalNumber('predictionLog.maxCount', options.maxCount, 10_000, {
      above: 0,
      integer: true,
    });
    this.maxBytes = optionalNumber('predictionLog.maxBytes', options.maxBytes, 2 * 1024 * 1024, {
      above: 0,
      infinite: true,
    });
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.chain.then(fn, fn);
    this.chain = p.catch(() => undefined);
    return p;
  }

  /**
   * Appends predictions, evicting the oldest beyond the bounds (counted as
   * `log_evicted`) in the same backend transaction. An entry larger than
   * `maxBytes` on its own is dropped and counted (`log_oversize`). When the
   * storage quota is full, the oldest entries are evicted to make room
   * (counted as `log_quota`) and the write is retried once; if it still does
   * not fit, the new entries are dropped and counted (`log_quota`), never thrown.
   *
   * @param entries - one entry or many.
   * @returns how many older entries were evicted and how many new ones dropped.
   * @throws StorageError for failures other than quota (the backend is broken).
   * Cost: O(entries + evicted) amortised — count and bytes come from a counter, not a scan.
   */
  append(entries: PredictionEntry | readonly PredictionEntry[]): Promise<{
    /** Older entries evicted to make room. */
    evicted: number;
    /** New entries dropped (oversize, or no room under a full quota). */
    dropped: number;
  }> {
    const list = (Array.isArray(entries) ? entries : [entries]) as PredictionEntry[];
    return this.serial(async () => {
      const rows = [];
      let tooBig = 0;
      for (const entry of list) {
        const bytes = jsonBytes(entry);
        if (bytes > this.maxBytes) tooBig++;
        else rows.push({ bytes, entry });
      }
      if (tooBig) await this.countDrop('log_oversize', tooBig);
      // The batch alone may pass the bounds: its oldest entries go first.
      let incoming = rows.reduce((a, r) => a + r.bytes, 0);
      let cut = 0;
      while (rows.length - cut > this.maxCount || incoming > this.maxBytes)
        incoming -= rows[cut++]!.bytes;
      if (cut) {
        await this.countDrop('log_evicted', cut);
        rows.splice(0, cut);
      }
      if (!rows.length) return { evicted: 0, dropped: 0 };
      // The log is a ring: when part of the batch itself did not fit, every stored
      // entry (older still) goes too, so what is kept is always the newest run.
      const maxCount = cut ? rows.length : this.maxCount;
      const maxBytes = cut ? incoming : this.maxBytes;
      let evicted: number;
      try {
        evicted = await this.backend.logAppend(rows, maxCount, maxBytes);
      } catch (e) {
        if (!isQuota(e)) throw e;
        return this.appendUnderQuota(rows);
      }
      if (evicted) await this.countDrop('log_evicted', evicted);
      return { evicted, dropped: 0 };
    });
  }

  /** Quota full: evict the oldest (at least as many as arrive, and 1/16 of the log), retry once. */
  private async appendUnderQuota(
    rows: { bytes: number; entry: PredictionEntry }[],
  ): Promise<{ evicted: number; dropped: number }> {
    const { count } = await this.backend.logStats();
    const room = Math.max(rows.length, Math.ceil(count / 16));
    const freed = await this.backend.logAppend([], Math.max(0, count - room), this.maxBytes);
    if (freed) await this.countDrop('log_quota', freed);
    try {
      const evicted = await this.backend.logAppend(rows, this.maxCount, this.maxBytes);
      if (evicted) await this.countDrop('log_evicted', evicted);
      return { evicted: freed + evicted, dropped: 0 };
    } catch (e) {
      if (!isQuota(e)) throw e;
      await this.countDrop('log_quota', rows.length);
      return { evicted: freed, dropped: rows.length };
    }
  }

  /** The oldest `limit` entries (copies). */
  async list(limit = this.maxCount): Promise<PredictionEntry[]> {
    return (await this.backend.logList(limit)).map((r) => r.entry);
  }

  /** Number of entries and bytes held. */
  async size(): Promise<{
    /** Entries held. */
    count: number;
    /** Their UTF-8 JSON size. */
    bytes: number;
  }> {
    const s = await this.backend.logStats();
    return { count: s.count, bytes: s.bytes };
  }

  /**
   * Removes and returns up to `max` oldest entries, to attach to a window when
   * the user opted in to flushing the log.
   *
   * @param max - most entries to take.
   * @returns the entries, oldest first.
   */
  drain(max: number): Promise<PredictionEntry[]> {
    return this.serial(async () => {
      const rows = await this.backend.logList(max);
      await this.backend.logDelete(rows.map((r) => r.seq));
      return rows.map((r) => r.entry);
    });
  }

  /** Deletes every entry (not counted as a drop: the user asked). */
  clear(): Promise<void> {
    return this.serial(async () => {
      const s = await this.backend.logStats();
      const rows = await this.backend.logList(s.count);
      await this.backend.logDelete(rows.map((r) => r.seq));
    });
  }

  /**
   * Exports the log as NDJSON (one JSON object per line).
   *
   * @returns the text, ending with a newline when not empty.
   * @example
   * await log.toNdjson(); // => '{"ts":1,"output":0.3}\n'
   */
  async toNdjson(): Promise<string> {
    const entries = await this.list();
    return entries.map((e) => JSON.stringify(e) + '\n').join('');
  }

  /**
   * Exports the log as CSV (RFC 4180) with columns {@link PREDICTION_CSV_COLUMNS};
   * object values are JSON text in their cell. Text cells starting with `=`,
   * `+`, `-`, `@`, tab or CR are prefixed with `'` against formula injection.
   *
   * @returns the text with a header row.
   */
  async toCsv(): Promise<string> {
    const entries = await this.list();
    const lines = [PREDICTION_CSV_COLUMNS.join(',')];
    for (const e of entries) lines.push(PREDICTION_CSV_COLUMNS.map((c) => csvCell(e[c])).join(','));
    return lines.join('\r\n') + '\r\n';
  }
}
