/**
 * KSWIN — Kolmogorov–Smirnov windowing (Raab et al. 2020), following River
 * (`river/drift/kswin.py`): keep the last `windowSize` values; once full,
 * compare the newest `statSize` values with `statSize` values drawn from the
 * older part by `random.Random(seed).sample(range(windowSize - statSize),
 * statSize)` — the same draws as Python, so a seeded KSWIN repeats River's
 * run — with a two-sample KS test (p-value as scipy's `ks_2samp`); drift when
 * p ≤ alpha and D > 0.1. The update after a drift starts from an empty
 * window and a re-seeded generator, as River's reset does.
 */
import { ConfigError } from '../../errors.js';
import { ksPValue } from '../../stats/ks-test.js';
import { ksStatisticSorted } from '../../stats/ecdf-distances.js';
import { PyRandom } from '../../stats/random.js';
import { StreamingDetectorBase } from './detector-base.js';
import { numberOptions } from '../../util/options.js';

/** Options of {@link KSWIN} (River defaults). */
export interface KSWINOptions {
  /** Test level (default 0.005). */
  alpha?: number;
  /** Sliding window length (default 100). */
  windowSize?: number;
  /** Length of the recent and the sampled windows (default 30), ≤ windowSize / 2. */
  statSize?: number;
  /** Integer seed of the sampling, as River's `seed` (default: a fresh random seed at every reset). */
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
export class KSWIN extends StreamingDetectorBase {
  /** The `alpha` option in effect (after defaults). */
  readonly alpha: number;
  /** The `windowSize` option in effect (after defaults). */
  readonly windowSize: number;
  /** The `statSize` option in effect (after defaults). */
  readonly statSize: number;
  /** p-value of the last test (0 before the first). */
  pValue = 0;
  /** KS statistic D of the last test (0 before the first). */
  statistic = 0;
  private window: number[] = [];
  private rng!: PyRandom;
  private readonly sampleBuffer: Float64Array;
  private readonly recentBuffer: Float64Array;
  private readonly seed: number | undefined;

  /**
   * @param options - see {@link KSWINOptions}.
   * @throws ConfigError for out-of-range options, statSize > windowSize / 2 or a non-integer seed.
   */
  constructor(options: KSWINOptions = {}) {
    super();
    const o = numberOptions(
      options,
      {
        alpha: [0.005, { min: 0, max: 1 }],
        windowSize: [100, { min: 2, max: 1e7, integer: true }],
        statSize: [30, { min: 1, max: 1e7, integer: true }],
      },
      'KSWIN',
    );
    this.alpha = o.alpha;
    this.windowSize = o.windowSize;
    this.statSize = o.statSize;
    // River accepts a larger statSize but then raises at the first full window
    // (`sample` larger than its population); refuse it here instead.
    if (this.statSize * 2 > this.windowSize) {
      throw new ConfigError(
        `statSize: expected at most windowSize / 2 (${this.windowSize / 2}), as statSize values are drawn from the windowSize − statSize older ones, got ${this.statSize}`,
      );
    }
    if (options.seed !== undefined && !Number.isSafeInteger(options.seed)) {
      throw new ConfigError(`seed: expected an integer, got ${String(options.seed)}`);
    }
    this.seed = options.seed;
    this.reseed();
    this.sampleBuffer = new Float64Array(this.statSize);
    this.recentBuffer = new Float64Array(this.statSize);
    if (options.window)
      this.window = options.window.filter((v) => Number.isFinite(v)).slice(-this.windowSize);
  }

  /** Forgets the window and re-seeds the sampler (River's `_reset`). */
  reset(): void {
    this.window = [];
    this.pValue = 0;
    this.statistic = 0;
    this.drift = false;
    this.reseed();
  }

  private reseed(): void {
    this.rng = new PyRandom(this.seed ?? Math.floor(Math.random() * 2 ** 32));
  }

  protected step(x: number): void {
    this.window.push(x);
    if (this.window.length > this.windowSize) this.window.shift();
    if (this.window.length < this.windowSize) return;
    const older = this.windowSize - this.statSize;
    const picked = this.rng.sample(older, this.statSize);
    const sample = this.sampleBuffer;
    for (let i = 0; i < this.statSize; i++) sample[i] = this.window[picked[i] as number] as number;
    const recent = this.recentBuffer;
    for (let i = 0; i < this.statSize; i++) recent[i] = this.window[older + i] as number;
    insertionSort(sample);
    insertionSort(recent);
    const r = ksPValue(ksStatisticSorted(sample, recent), this.statSize, this.statSize);
    this.pValue = r.pValue;
    this.statistic = r.statistic;
    if (r.pValue <= this.alpha && r.statistic > 0.1) {
      this.drift = true;
      this.window = this.window.slice(older);
    }
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
