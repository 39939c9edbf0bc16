/**
 * HDDM_A — drift detection with Hoeffding's bounds on moving averages
 * (Frías-Blanco et al. 2014), River's defaults and semantics: the global mean
 * of an error stream is compared with the mean up to the cut point where
 * (mean + bound) was lowest; a one-sided (or two-sided) Hoeffding test at
 * `driftConfidence` / `warningConfidence` signals drift / warning.
 */
import { numberOptions } from '../../util/options.js';
import { acceptUnit, WarningZoneDetector } from './warning-zone.js';
import { HDDM_CONFIDENCES } from './detector-base.js';

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
export class HDDM_A extends WarningZoneDetector {
  /** The `driftConfidence` option in effect (after defaults). */
  readonly driftConfidence: number;
  /** The `warningConfidence` option in effect (after defaults). */
  readonly warningConfidence: number;
  /** The `twoSidedTest` option in effect (after defaults). */
  readonly twoSidedTest: boolean;
  private z: RunningMean = { n: 0, mean: 0 };
  private xMin: RunningMean = { n: 0, mean: 0 };
  private xMax: RunningMean = { n: 0, mean: 0 };

  /**
   * @param options - confidences and sidedness.
   * @throws ConfigError for confidences outside (0, 1).
   */
  constructor(options: HDDMAOptions = {}) {
    super();
    const o = numberOptions(
      options,
      {
        ...HDDM_CONFIDENCES,
      },
      'HDDM_A',
    );
    this.driftConfidence = o.driftConfidence;
    this.warningConfidence = o.warningConfidence;
    this.twoSidedTest = options.twoSidedTest ?? false;
  }

  protected resetState(): void {
    this.z = { n: 0, mean: 0 };
    this.xMin = { n: 0, mean: 0 };
    this.xMax = { n: 0, mean: 0 };
  }

  private bound(n: number): number {
    return Math.sqrt((1 / (2 * n)) * Math.log(1 / this.driftConfidence));
  }

  protected accept(x: number | boolean): number | undefined {
    return acceptUnit(x);
  }

  protected step(v: number): void {
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
  }

  private meanChanged(cut: RunningMean, sign: 1 | -1, confidence: number): boolean {
    if (cut.n === this.z.n) return false;
    const m = ((this.z.n - cut.n) / cut.n) * (1 / this.z.n);
    const eps = Math.sqrt((m / 2) * Math.log(2 / confidence));
    return sign * (this.z.mean - cut.mean) >= eps;
  }
}
