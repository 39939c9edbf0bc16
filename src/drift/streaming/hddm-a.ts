/**
 * HDDM_A — drift detection with Hoeffding's bounds on moving averages
 * (Frías-Blanco et al. 2014), River's defaults and semantics: the global mean
 * of an error stream is compared with the mean up to the cut point where
 * (mean + bound) was lowest; a one-sided (or two-sided) Hoeffding test at
 * `driftConfidence` / `warningConfidence` signals drift / warning.
 */
import type { DriftSignal, StreamingDetector } from './types.js';
import { checkNumber, toBit } from './types.js';

/** Options of {@link HDDM_A} (River defaults). */
export interface HDDMAOptions {
  /** Confidence of the drift test (default 0.001). */
  driftConfidence?: number;
  /** Confidence of the warning test (default 0.005). */
  warningConfidence?: number;
  /** Also detect decreases of the error rate (default false). */
  twoSidedTest?: boolean;
}

interface RunningMean {
  n: number;
  mean: number;
}

/**
 * HDDM_A detector on an error stream (values in [0, 1]). O(1) per update.
 *
 * @example
 * const h = new HDDM_A();
 * h.update(0); // { drift: false, warning: false }
 */
export class HDDM_A implements StreamingDetector {
  /** The `driftConfidence` option in effect (after defaults). */
  readonly driftConfidence: number;
  /** The `warningConfidence` option in effect (after defaults). */
  readonly warningConfidence: number;
  /** The `twoSidedTest` option in effect (after defaults). */
  readonly twoSidedTest: boolean;
  private z: RunningMean = { n: 0, mean: 0 };
  private xMin: RunningMean = { n: 0, mean: 0 };
  private xMax: RunningMean = { n: 0, mean: 0 };
  private drift = false;
  private warning = false;
  private seenCount = 0;
  private droppedCount = 0;

  /**
   * @param options - confidences and sidedness.
   * @throws ConfigError for confidences outside (0, 1).
   */
  constructor(options: HDDMAOptions = {}) {
    this.driftConfidence = checkNumber('driftConfidence', options.driftConfidence ?? 0.001, 0, 1, {
      exclusive: true,
    });
    this.warningConfidence = checkNumber(
      'warningConfidence',
      options.warningConfidence ?? 0.005,
      0,
      1,
      { exclusive: true },
    );
    this.twoSidedTest = options.twoSidedTest ?? false;
  }

  get driftDetected(): boolean {
    return this.drift;
  }
  /** Whether the last update landed in the warning zone. */
  get warningDetected(): boolean {
    return this.warning;
  }
  get seen(): number {
    return this.seenCount;
  }
  get dropped(): number {
    return this.droppedCount;
  }

  reset(): void {
    this.z = { n: 0, mean: 0 };
    this.xMin = { n: 0, mean: 0 };
    this.xMax = { n: 0, mean: 0 };
    this.drift = false;
    this.warning = false;
  }

  private bound(n: number): number {
    return Math.sqrt((1 / (2 * n)) * Math.log(1 / this.driftConfidence));
  }

  /**
   * @param x - an error indicator (0/1, boolean) or a value in [0, 1]; anything else is dropped.
   * @returns drift and warning flags.
   */
  update(x: number | boolean): DriftSignal {
    this.seenCount++;
    const v = typeof x === 'boolean' ? toBit(x) : x;
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
      this.droppedCount++;
      return { drift: false, warning: this.warning };
    }
    if (this.drift) this.reset();
    this.z.n++;
    this.z.mean += (v - this.z.mean) / this.z.n;
    if (this.xMin.n === 0) this.xMin = { ...this.z };
    if (this.xMax.n === 0) this.xMax = { ...this.z };
    const epsZ = this.bound(this.z.n);
    if (this.xMin.mean + this.bound(this.xMin.n) >= this.z.mean + epsZ) this.xMin = { ...this.z };
    if (this.xMax.mean - this.bound(this.xMax.n) <= this.z.mean - epsZ) this.xMax = { ...this.z };
    if (this.meanChanged(this.xMin, 1, this.driftConfidence)) {
      this.warning = false;
      this.drift = true;
    } else if (this.meanChanged(this.xMin, 1, this.warningConfidence)) {
      this.warning = true;
      this.drift = false;
    } else {
      this.warning = false;
      this.drift = false;
    }
    if (this.twoSidedTest) {
      if (this.meanChanged(this.xMax, -1, this.driftConfidence)) this.drift = true;
      else if (this.meanChanged(this.xMax, -1, this.warningConfidence)) this.warning = true;
    }
    return { drift: this.drift, warning: this.warning };
  }

  private meanChanged(cut: RunningMean, sign: 1 | -1, confidence: number): boolean {
    if (cut.n === this.z.n) return false;
    const m = ((this.z.n - cut.n) / cut.n) * (1 / this.z.n);
    const eps = Math.sqrt((m / 2) * Math.log(2 / confidence));
    return sign * (this.z.mean - cut.mean) >= eps;
  }
}
