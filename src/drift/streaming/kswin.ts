/**
 * KSWIN — Kolmogorov–Smirnov windowing (Raab et al. 2020), River's defaults
 * and semantics: keep the last `windowSize` values; once full, compare the
 * newest `statSize` values with `statSize` values drawn at random from the
 * older part by a two-sample KS test (exact p-value, as scipy); drift when
 * p ≤ alpha and D > 0.1, after which the next update starts a fresh window.
 */
import { ConfigError } from '../../errors.js';
import { ksPValue } from '../../stats/ks-test.js';
import { ksStatisticSorted } from '../../stats/ecdf-distances.js';
import { seededUniform } from '../../stats/random.js';
import type { Uniform } from '../../stats/random.js';
import type { DriftSignal, StreamingDetector } from './types.js';
import { checkNumber } from './types.js';

/** Options of {@link KSWIN} (River defaults). */
export interface KSWINOptions {
  /** Test level (default 0.005). */
  alpha?: number;
  /** Sliding window length (default 100). */
  windowSize?: number;
  /** Length of the recent and the sampled windows (default 30), < windowSize. */
  statSize?: number;
  /** Seed of the sampling (default: random). */
  seed?: number;
  /** Initial window contents. */
  window?: readonly number[];
}

/**
 * KSWIN detector on a value stream. O(windowSize) per update once the window is full.
 *
 * @example
 * const k = new KSWIN({ seed: 42 });
 * for (const x of stream) if (k.update(x).drift) console.log('drift');
 */
export class KSWIN implements StreamingDetector {
  /** The `alpha` option in effect (after defaults). */
  readonly alpha: number;
  /** The `windowSize` option in effect (after defaults). */
  readonly windowSize: number;
  /** The `statSize` option in effect (after defaults). */
  readonly statSize: number;
  /** p-value of the last test (0 before the first). */
  pValue = 0;
  private window: number[] = [];
  private readonly uniform: Uniform;
  private readonly indexBuffer: Uint32Array;
  private readonly sampleBuffer: Float64Array;
  private readonly recentBuffer: Float64Array;
  private readonly seed: number;
  private drift = false;
  private seenCount = 0;
  private droppedCount = 0;

  /**
   * @param options - see {@link KSWINOptions}.
   * @throws ConfigError for out-of-range options or statSize ≥ windowSize.
   */
  constructor(options: KSWINOptions = {}) {
    this.alpha = checkNumber('alpha', options.alpha ?? 0.005, 0, 1);
    this.windowSize = checkNumber('windowSize', options.windowSize ?? 100, 2, 1e7, {
      integer: true,
    });
    this.statSize = checkNumber('statSize', options.statSize ?? 30, 1, 1e7, { integer: true });
    if (this.statSize * 2 > this.windowSize) {
      throw new ConfigError(
        `statSize: expected at most windowSize / 2 (${this.windowSize / 2}), got ${this.statSize}`,
      );
    }
    this.seed = options.seed ?? Math.floor(Math.random() * 2 ** 32);
    this.uniform = seededUniform(this.seed);
    this.indexBuffer = new Uint32Array(this.windowSize);
    this.sampleBuffer = new Float64Array(this.statSize);
    this.recentBuffer = new Float64Array(this.statSize);
    if (options.window)
      this.window = options.window.filter((v) => Number.isFinite(v)).slice(-this.windowSize);
  }

  get driftDetected(): boolean {
    return this.drift;
  }
  get seen(): number {
    return this.seenCount;
  }
  get dropped(): number {
    return this.droppedCount;
  }

  reset(): void {
    this.window = [];
    this.pValue = 0;
    this.drift = false;
  }

  /**
   * @param x - a finite number; anything else is dropped.
   * @returns the drift flag.
   */
  update(x: number | boolean): DriftSignal {
    this.seenCount++;
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      this.droppedCount++;
      return { drift: false };
    }
    // As River: the update after a drift starts from an empty window.
    if (this.drift) this.reset();
    this.window.push(x);
    if (this.window.length > this.windowSize) this.window.shift();
    if (this.window.length < this.windowSize) return { drift: false };
    const older = this.windowSize - this.statSize;
    // Partial Fisher–Yates over reused buffers (the hot path allocates nothing).
    const idx = this.indexBuffer;
    for (let i = 0; i < older; i++) idx[i] = i;
    const sample = this.sampleBuffer;
    for (let i = 0; i < this.statSize; i++) {
      const j = i + Math.floor(this.uniform() * (older - i));
      const t = idx[i] as number;
      idx[i] = idx[j] as number;
      idx[j] = t;
      sample[i] = this.window[idx[i] as number] as number;
    }
    const recent = this.recentBuffer;
    for (let i = 0; i < this.statSize; i++) recent[i] = this.window[older + i] as number;
    insertionSort(sample);
    insertionSort(recent);
    const r = ksPValue(ksStatisticSorted(sample, recent), this.statSize, this.statSize);
    this.pValue = r.pValue;
    if (r.pValue <= this.alpha && r.statistic > 0.1) {
      this.drift = true;
      this.window = this.window.slice(older);
    }
    return { drift: this.drift };
  }
}

/** In-place ascending sort; faster than `TypedArray.prototype.sort` at KSWIN's sizes (tens). */
function insertionSort(a: Float64Array): void {
  for (let i = 1; i < a.length; i++) {
    const v = a[i] as number;
    let j = i - 1;
    while (j >= 0 && (a[j] as number) > v) {
      a[j + 1] = a[j] as number;
      j--;
    }
    a[j + 1] = v;
  }
}
