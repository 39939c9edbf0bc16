/**
 * A sketch in the engine fed from a staging buffer on the caller's thread.
 *
 * `push(x)` writes into a Float64Array; a full buffer is shipped to the engine
 * with its memory transferred (no copy in worker mode). Queries ship what is
 * staged first, then ask: messages are handled in order, so a query sees every
 * value pushed before it (the ordering guarantee). Nothing here is O(n) work
 * beyond moving values; statistics run in the engine.
 *
 * Chunk size: buffers start at {@link FIRST_CHUNK} values and double up to
 * {@link MAX_CHUNK}, so sparse streams (a MetricsCollector with many names) hold
 * 4 KiB each while busy ones amortise the per-message cost of a transfer.
 * Larger chunks gain little more and hold more memory per stream; the figures
 * behind the choice are in bench/README.md ("Chunk size of the staging buffer").
 *
 * Memory reuse: an in-process engine consumes a batch within the call, so the
 * same buffer is refilled. A worker engine receives the buffer (transferred,
 * raw message: record-channel.ts) and sends it back emptied; the next buffer
 * comes from that pool, so staging writes to memory that is already mapped
 * instead of page-faulting a fresh allocation.
 */
import { ConfigError, describeValue } from '../errors.js';
import type { SketchSummary } from './sketch-service.js';
import { runningSharedEngine, sharedEngine, stagingChannel, transfer } from './client.js';
import type { EngineHandle } from './client.js';
import { DEFAULT_SCALE } from '../kernel/kernel.js';
import { checkScale } from '../util/options.js';
import { nonEmptyString, optionalFunction, optionsObject } from '../util/options.js';

/** First buffer size, in values (4 KiB). */
export const FIRST_CHUNK = 512;
/** Largest buffer size, in values (256 KiB): one message per 32768 values. */
export const MAX_CHUNK = 32768;

/** What a post callback receives once the sketch exists. */
export interface SketchContext {
  readonly engine: EngineHandle;
  readonly id: number;
}

/** Options of {@link StagedSketch}. */
export interface StagedSketchOptions {
  /** The engine (default: the shared default engine, started on first use). */
  readonly engine?: EngineHandle | undefined;
  /** Sketch scale (default: the engine's DEFAULT_SCALE). */
  readonly scale?: number | undefined;
  /** Background failures (a shipment the engine refused). Default: none. */
  readonly onError?: ((error: Error) => void) | undefined;
  /** Largest buffer, in values (default {@link MAX_CHUNK}). */
  readonly maxChunk?: number | undefined;
}

/** The options of the sketch-backed monitors (`LatencyTracker`, `MetricsCollector`). */
export interface SketchMonitorOptions {
  readonly engine?: EngineHandle;
  readonly scale?: number;
  readonly name?: string;
  readonly onError?: (error: Error) => void;
}

/**
 * Checks the options the sketch-backed monitors share.
 *
 * @param options - the monitor's options.
 * @param defaultName - the monitor's name when `name` is not given.
 * @returns the name, the sketch scale and the engine (undefined: the shared one).
 * @throws ConfigError on a bad option ("expected …, got …").
 * @example
 * const { name, scale, engine } = checkMonitorOptions(options, 'latency');
 */
export function checkMonitorOptions(
  options: SketchMonitorOptions,
  defaultName: string,
): { name: string; scale: number; engine: EngineHandle | undefined } {
  optionsObject(options);
  const name = options.name ?? defaultName;
  nonEmptyString('name', name);
  optionalFunction('onError', options.onError);
  return {
    name,
    scale: checkScale(options.scale ?? DEFAULT_SCALE),
    engine: checkEngineOption(options.engine),
  };
}

/**
 * Checks the `engine` option of a facade.
 *
 * @param engine - candidate.
 * @returns it, unchanged.
 * @throws ConfigError when it is not an engine handle.
 * @example
 * checkEngineOption(options.engine);
 */
export function checkEngineOption(engine: unknown): EngineHandle | undefined {
  if (engine === undefined) return undefined;
  const h = engine as Partial<EngineHandle> | null;
  if (
    typeof h !== 'object' ||
    h === null ||
    typeof h.close !== 'function' ||
    typeof h.api !== 'function'
  ) {
    throw new ConfigError(
      `expected engine to be an EngineHandle from createEngine(), got ${describeValue(engine)}`,
    );
  }
  return engine as EngineHandle;
}

/** A sketch in the engine plus its caller-side staging buffer. */
export class StagedSketch {
  private buffer: Float64Array;
  private length = 0;
  private context: SketchContext | undefined;
  private starting: Promise<SketchContext> | undefined;
  private queued = 0;
  private lastShipment: Promise<void> = Promise.resolve();
  private lostValues = 0;
  private readonly maxChunk: number;

  /** @param options - engine, scale, error handler, chunk size. */
  constructor(private readonly options: StagedSketchOptions = {}) {
    const max = options.maxChunk ?? MAX_CHUNK;
    if (!Number.isInteger(max) || max < 1) {
      throw new ConfigError(
        `expected maxChunk to be a positive integer, got ${describeValue(max)}`,
      );
    }
    this.maxChunk = max;
    this.buffer = new Float64Array(Math.min(FIRST_CHUNK, max));
  }

  /** Values lost because the engine refused a shipment (reported to onError). */
  get lost(): number {
    return this.lostValues;
  }

  /** Values staged and not shipped yet. */
  get staged(): number {
    return this.length;
  }

  /**
   * Stages one value (the caller validated it). O(1); ships when the buffer is full.
   *
   * @param value - a finite number.
   */
  push(value: number): void {
    this.buffer[this.length++] = value;
    if (this.length === this.buffer.length) this.ship();
  }

  /**
   * Stages the values of `values` that are finite and not negative (latencies,
   * counts) and returns how many it refused: validation and copy in one pass,
   * whole staging buffers at a time. On an in-process engine a batch of at
   * least a buffer's size skips the staging copy: the kernel records it at once.
   *
   * @param values - source (not modified).
   * @param max - the largest value accepted (default: every finite value).
   * @returns the number of values refused (NaN, ±Infinity, negatives, above `max`).
   */
  pushValid(values: Float64Array, max = Number.MAX_VALUE): number {
    const n = values.length;
    const now = this.context && stagingChannel(this.context.engine)?.recordNow;
    if (
      now !== undefined &&
      this.queued === 0 &&
      n >= this.buffer.length &&
      (max === Number.MAX_VALUE || !someAbove(values, max))
    ) {
      // In-process: what is staged goes first (consumed within ship()), then the
      // kernel validates and ingests the caller's array in one pass of its own.
      this.ship();
      try {
        return now((this.context as SketchContext).id, values, true);
      } catch (error) {
        this.lostValues += n;
        this.options.onError?.(error instanceof Error ? error : new Error(String(error)));
        return 0;
      }
    }
    let refused = 0;
    let i = 0;
    while (i < n) {
      const buffer = this.buffer;
      let at = this.length;
      const end = Math.min(n, i + (buffer.length - at));
      for (; i < end; i++) {
        const v = values[i] as number;
        if (v >= 0 && v <= max) buffer[at++] = v;
        else refused++;
      }
      this.length = at;
      if (at === buffer.length) this.ship();
    }
    return refused;
  }

  /** Ships the staged values (if any) without waiting. */
  ship(): void {
    const n = this.length;
    if (n === 0) return;
    const size = this.buffer.length;
    const values = this.buffer.subarray(0, n);
    this.length = 0;
    const next = n === size ? Math.min(size * 2, this.maxChunk) : size;
    // Posted now when the sketch exists and nothing is queued; then an in-process
    // engine has consumed the batch when the call returns and the buffer is reused.
    const direct = this.context !== undefined && this.queued === 0;
    const shipment = this.post(({ engine, id }) => {
      const send = stagingChannel(engine)?.record;
      return send !== undefined
        ? send(id, values)
        : engine.api.sketches.record(id, transfer(values, [values.buffer]));
    });
    if (!direct || this.context?.engine.mode === 'worker' || next !== size) {
      // A worker took the memory (or will): staging continues in a buffer it sent back.
      // The engine is known before the sketch exists when it was given or the shared
      // one is running, so a burst on a fresh sketch stages into mapped memory too.
      const engine = this.context?.engine ?? this.options.engine ?? runningSharedEngine();
      const pool = engine ? stagingChannel(engine)?.pool : undefined;
      this.buffer = pool !== undefined ? pool.take(next) : new Float64Array(next);
    }
    this.lastShipment = shipment.then(
      (dropped) => {
        this.lostValues += dropped;
      },
      (error: unknown) => {
        this.lostValues += n;
        this.options.onError?.(error instanceof Error ? error : new Error(String(error)));
      },
    );
  }

  /**
   * Ships the staged values and waits until the engine holds them.
   *
   * @returns when every value pushed so far is in the sketch (or reported lost).
   */
  flush(): Promise<void> {
    this.ship();
    return this.lastShipment;
  }

  /**
   * Runs `op` against the sketch after everything posted before it, staged
   * values included (ships first).
   *
   * @param op - posts one engine call.
   * @returns the call's result.
   */
  query<T>(op: (context: SketchContext) => Promise<T>): Promise<T> {
    this.ship();
    return this.post(op);
  }

  /**
   * Stats and quantiles (ships staged values first).
   *
   * @param qs - levels in [0, 1].
   * @returns the engine's summary.
   */
  summary(qs: readonly number[]): Promise<SketchSummary> {
    return this.query(({ engine, id }) => engine.api.sketches.summary(id, qs));
  }

  /**
   * The sketch id once created (after everything posted before).
   *
   * @returns the context.
   */
  ready(): Promise<SketchContext> {
    return this.query((context) => Promise.resolve(context));
  }

  /**
   * The sketch's context when a call posted now would go out immediately (the
   * sketch exists and nothing is queued), else undefined. Lets a caller batch
   * several sketches into one engine call without losing the ordering guarantee.
   *
   * @returns the context or undefined.
   */
  immediateContext(): SketchContext | undefined {
    return this.queued === 0 ? this.context : undefined;
  }

  /**
   * Drops staged values and empties the sketch.
   *
   * @returns when the engine has reset it.
   */
  reset(): Promise<void> {
    this.length = 0;
    this.lostValues = 0;
    if (this.starting === undefined) return Promise.resolve();
    return this.post(({ engine, id }) => engine.api.sketches.reset(id));
  }

  /**
   * Drops staged values and frees the sketch in the engine. Idempotent.
   *
   * @returns when freed (never rejects: a closed engine holds nothing to free).
   */
  free(): Promise<void> {
    this.length = 0;
    if (this.starting === undefined) return Promise.resolve();
    return this.post(({ engine, id }) => engine.api.sketches.free(id)).catch(() => {});
  }

  /**
   * Posts `op` in order: synchronously once the sketch exists and nothing is
   * queued, else after the queued calls (promise reactions run in FIFO order).
   */
  private post<T>(op: (context: SketchContext) => Promise<T>): Promise<T> {
    if (this.context !== undefined && this.queued === 0) return op(this.context);
    this.queued++;
    return this.start().then(
      (context) => {
        this.queued--;
        return op(context);
      },
      (error: unknown) => {
        this.queued--;
        throw error;
      },
    );
  }

  private start(): Promise<SketchContext> {
    if (this.starting === undefined) {
      const { engine, scale } = this.options;
      this.starting = (async () => {
        const handle = engine ?? (await sharedEngine('sketches'));
        const id = await handle.api.sketches.create(scale);
        this.context = { engine: handle, id };
        return this.context;
      })();
    }
    return this.starting;
  }
}

/** Whether any value exceeds `max` (the kernel's own pass refuses only NaN, ±Infinity and negatives). */
function someAbove(values: Float64Array, max: number): boolean {
  for (let i = 0; i < values.length; i++) if ((values[i] as number) > max) return true;
  return false;
}
