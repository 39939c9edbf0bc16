/**
 * Closes monitoring windows into {@link WindowRecord}s, by time (`durationMs`)
 * or by count (`maxCount`), and hands each to a sink (normally
 * `WindowStore.append`). The monitors decide what a window holds through the
 * `collect` callback; the sealer owns ids, boundaries and the schema version.
 */
import { ConfigError, describeValue } from '../errors.js';
import { numberOption, optionalNumber, nonEmptyString } from '../util/options.js';
import { bytesToBase64 } from './base64.js';
import { randomUuid } from '../util/random-uuid.js';
import {
  WINDOW_SCHEMA_VERSION,
  type PredictionEntry,
  type WindowAlert,
  type WindowDrift,
  type WindowRecord,
} from './window-record.js';

/** What the monitors contribute to a window when it closes. */
export interface WindowParts {
  /** Sketch name -> serialized bytes (`Kernel.sketchSerialize`) or base64 already. */
  sketches?: Record<string, Uint8Array | string>;
  /** Counters accumulated in the window (e.g. `predictions`). */
  counters?: Record<string, number>;
  /** Performance metrics at window close (`accuracy`, `mae`, …). */
  performance?: Record<string, number>;
  /** Drift results computed at window close. */
  drift?: WindowDrift[];
  /** Alerts fired during the window. */
  alerts?: WindowAlert[];
  /** Values dropped on the device in this window, by reason. */
  drops?: Record<string, number>;
  /** Raw predictions, when the prediction log is flushed. */
  predictions?: PredictionEntry[];
}

/** Options of {@link WindowSealer}. */
export interface WindowSealerOptions {
  /** Device identifier written into every record. */
  deviceId: string;
  /** The monitored model, written into every record. */
  model: {
    /** Model name. */
    name: string;
    /** Model version. */
    version: string;
  };
  /** Close a window after this many ms (default 60 000). */
  durationMs?: number;
  /** Close a window after this many `count()` calls (default: no count limit). */
  maxCount?: number;
  /** Where sealed windows go, e.g. `(w) => store.append(w)`. */
  sink: (record: WindowRecord) => Promise<void> | void;
  /** Gathers the window's contents at close (and resets the monitors). */
  collect?: () => WindowParts | Promise<WindowParts>;
  /** Injectable clock (epoch ms). */
  now?: () => number;
  /** Injectable UUID source. */
  uuid?: () => string;
}

/**
 * Builds a window record from its parts.
 *
 * @param meta - device, model, window id and bounds.
 * @param parts - the contents.
 * @returns a record that passes `validateWindowRecord` when the parts are sane.
 * @example
 * buildWindowRecord({ windowId, deviceId: 'd1', model: { name: 'm', version: '1' }, start: 0, end: 60_000 }, { counters: { predictions: 10 } });
 */
export function buildWindowRecord(
  meta: {
    windowId: string;
    deviceId: string;
    model: { name: string; version: string };
    start: number;
    end: number;
  },
  parts: WindowParts,
): WindowRecord {
  const sketches: Record<string, string> = {};
  for (const [k, v] of Object.entries(parts.sketches ?? {}))
    sketches[k] = typeof v === 'string' ? v : bytesToBase64(v);
  const rec: WindowRecord = {
    schemaVersion: WINDOW_SCHEMA_VERSION,
    windowId: meta.windowId,
    deviceId: meta.deviceId,
    model: { name: meta.model.name, version: meta.model.version },
    start: meta.start,
    end: meta.end,
    sketches,
    counters: { ...parts.counters },
    performance: { ...parts.performance },
    drift: [...(parts.drift ?? [])],
    alerts: [...(parts.alerts ?? [])],
    drops: { ...parts.drops },
  };
  if (parts.predictions && parts.predictions.length > 0) rec.predictions = [...parts.predictions];
  return rec;
}

/** Seals windows by time or count. Not re-entrant: seals are serialized. */
export class WindowSealer {
  private readonly opts: Required<Pick<WindowSealerOptions, 'durationMs' | 'now' | 'uuid'>> &
    WindowSealerOptions;
  private windowStart: number;
  private countInWindow = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  private chain: Promise<unknown> = Promise.resolve();

  /**
   * @param options - see {@link WindowSealerOptions}.
   * @throws ConfigError on a bad device id, model, duration or count.
   */
  constructor(options: WindowSealerOptions) {
    nonEmptyString('deviceId', options?.deviceId);
    if (typeof options.model?.name !== 'string' || typeof options.model.version !== 'string') {
      throw new ConfigError(
        `expected model to be { name, version } strings, got ${describeValue(options.model)}`,
      );
    }
    const durationMs = optionalNumber('durationMs', options.durationMs, 60_000, { above: 0 });
    if (options.maxCount !== undefined)
      numberOption('maxCount', options.maxCount, { above: 0, integer: true });
    if (typeof options.sink !== 'function')
      throw new ConfigError(`expected sink to be a function, got ${describeValue(options.sink)}`);
    this.opts = {
      ...options,
      durationMs,
      now: options.now ?? Date.now,
      uuid: options.uuid ?? randomUuid,
    };
    this.windowStart = this.opts.now();
  }

  /** Start of the open window (epoch ms). */
  get windowStartMs(): number {
    return this.windowStart;
  }

  /** Whether the open window should close now (time or count reached). */
  due(): boolean {
    if (this.opts.maxCount !== undefined && this.countInWindow >= this.opts.maxCount) return true;
    return this.opts.now() - this.windowStart >= this.opts.durationMs;
  }

  /**
   * Counts `n` events toward `maxCount`; seals when the count is reached.
   *
   * @param n - events (default 1).
   * @returns the seal's promise when this call sealed, else undefined.
   */
  count(n = 1): Promise<WindowRecord> | undefined {
    this.countInWindow += n;
    if (this.opts.maxCount !== undefined && this.countInWindow >= this.opts.maxCount)
      return this.seal();
    return undefined;
  }

  /**
   * Closes the open window now and hands it to the sink. Parts default to
   * `collect()`'s result.
   *
   * @param parts - explicit contents (else `collect()`).
   * @returns the sealed record, after the sink resolved (durable when the sink is a store).
   * @throws whatever the sink or `collect` throws (the window is then lost; the caller counts it).
   */
  seal(parts?: WindowParts): Promise<WindowRecord> {
    // Close the window's boundaries now, synchronously: a burst of count()
    // calls past maxCount must seal once, and the end is when seal was asked.
    const end = Math.max(this.opts.now(), this.windowStart);
    const start = this.windowStart;
    this.windowStart = end;
    this.countInWindow = 0;
    const run = async (): Promise<WindowRecord> => {
      const content = parts ?? (this.opts.collect ? await this.opts.collect() : {});
      const rec = buildWindowRecord(
        {
          windowId: this.opts.uuid(),
          deviceId: this.opts.deviceId,
          model: this.opts.model,
          start,
          end,
        },
        content,
      );
      await this.opts.sink(rec);
      return rec;
    };
    const p = this.chain.then(run, run);
    this.chain = p.catch(() => undefined);
    return p;
  }

  /**
   * Seals on a timer every `durationMs`; errors go to `onError`.
   *
   * @param onError - receives seal failures (default: ignored).
   */
  start(onError?: (e: unknown) => void): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => {
      this.seal().catch((e: unknown) => onError?.(e));
    }, this.opts.durationMs);
  }

  /** Stops the timer. Idempotent. Does not seal. */
  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}
