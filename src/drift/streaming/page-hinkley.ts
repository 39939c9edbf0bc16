/**
 * Page–Hinkley test, River's defaults and semantics: cumulative deviations of
 * each value from the running mean, with a magnitude allowance `delta` and a
 * fading factor `alpha`, tested against `threshold` in the direction(s) given
 * by `mode`, after `minInstances` values.
 */
import { ConfigError, describeValue } from '../../errors.js';
import { StreamingDetectorBase, WARM_START } from './detector-base.js';
import { numberOptions } from '../../util/options.js';

/** Options of {@link PageHinkley} (River defaults). */
export interface PageHinkleyOptions {
  /** Values before detection starts (default 30). */
  minInstances?: number;
  /** Magnitude of changes to ignore (default 0.005). */
  delta?: number;
  /** Detection level λ (default 50). */
  threshold?: number;
  /** Fading factor of the cumulative sums (default 1 − 1e-4). */
  alpha?: number;
  /** Detect increases, decreases or both (default `'both'`). */
  mode?: 'up' | 'down' | 'both';
}

/**
 * Page–Hinkley detector on a value stream. O(1) per update.
 *
 * @example
 * const ph = new PageHinkley({ threshold: 20 });
 * for (const latency of stream) if (ph.update(latency).drift) alert();
 */
export class PageHinkley extends StreamingDetectorBase {
  /** The `minInstances` option in effect (after defaults). */
  readonly minInstances: number;
  /** The `delta` option in effect (after defaults). */
  readonly delta: number;
  /** The `threshold` option in effect (after defaults). */
  readonly threshold: number;
  /** The `alpha` option in effect (after defaults). */
  readonly alpha: number;
  /** The `mode` option in effect (after defaults). */
  readonly mode: 'up' | 'down' | 'both';
  private n = 0;
  private mean = 0;
  private sumIncrease = 0;
  private sumDecrease = 0;
  private minIncrease = Infinity;
  private maxDecrease = -1;

  /**
   * @param options - see {@link PageHinkleyOptions}.
   * @throws ConfigError for out-of-range options.
   */
  constructor(options: PageHinkleyOptions = {}) {
    super();
    const o = numberOptions(
      options,
      {
        minInstances: WARM_START,
        delta: [0.005, { min: 0 }],
        threshold: [50, { min: 0 }],
        alpha: [1 - 0.0001, { min: 0, max: 1 }],
      },
      'PageHinkley',
    );
    this.minInstances = o.minInstances;
    this.delta = o.delta;
    this.threshold = o.threshold;
    this.alpha = o.alpha;
    const mode = options.mode ?? 'both';
    if (mode !== 'up' && mode !== 'down' && mode !== 'both') {
      throw new ConfigError(`mode: expected 'up', 'down' or 'both', got ${describeValue(mode)}`);
    }
    this.mode = mode;
  }

  reset(): void {
    this.n = 0;
    this.mean = 0;
    this.sumIncrease = 0;
    this.sumDecrease = 0;
    this.minIncrease = Infinity;
    this.maxDecrease = -1;
    this.drift = false;
  }

  protected step(x: number): void {
    this.n++;
    this.mean += (x - this.mean) / this.n;
    const dev = x - this.mean;
    this.sumIncrease = this.alpha * this.sumIncrease + dev - this.delta;
    this.sumDecrease = this.alpha * this.sumDecrease + dev + this.delta;
    if (this.sumIncrease < this.minIncrease) this.minIncrease = this.sumIncrease;
    if (this.sumDecrease > this.maxDecrease) this.maxDecrease = this.sumDecrease;
    if (this.n >= this.minInstances) {
      const up = this.sumIncrease - this.minIncrease > this.threshold;
      const down = this.maxDecrease - this.sumDecrease > this.threshold;
      this.drift = this.mode === 'up' ? up : this.mode === 'down' ? down : up || down;
    }
  }
}
