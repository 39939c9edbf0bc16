/**
 * HDDM_W — drift detection with McDiarmid's bounds on exponentially weighted
 * moving averages (Frías-Blanco et al. 2014), following River
 * (`river/drift/binary/hddm_w.py`). The averages update as River's
 * `stats.EWMean`: a mean that is exactly 0 is replaced by the next value
 * instead of being blended with it, so a stream that opens with correct
 * predictions (0s) jumps to 1 at its first error.
 */
import { numberOptions } from '../../util/options.js';
import { acceptUnit, WarningZoneDetector } from './warning-zone.js';
import { HDDM_CONFIDENCES } from './detector-base.js';

/** Options of {@link HDDM_W} (River defaults). */
export interface HDDMWOptions {
  /** Confidence of the drift test (default 0.001). */
  driftConfidence?: number;
  /** Confidence of the warning test (default 0.005). */
  warningConfidence?: number;
  /** Weight of recent data in the EWMA (default 0.05). */
  lambda?: number;
  /** Also detect decreases (default false). */
  twoSidedTest?: boolean;
}

class SampleInfo {
  ewma = 0;
  init = false;
  ibc = 1;
  constructor(private readonly lambda: number) {}
  update(x: number): void {
    this.ewma = this.ewma !== 0 ? this.lambda * x + (1 - this.lambda) * this.ewma : x;
    this.init = true;
    this.ibc = this.lambda * this.lambda + (1 - this.lambda) * (1 - this.lambda) * this.ibc;
  }
  clone(): SampleInfo {
    const c = new SampleInfo(this.lambda);
    c.ewma = this.ewma;
    c.init = this.init;
    c.ibc = this.ibc;
    return c;
  }
}

/**
 * HDDM_W detector on an error stream (values in [0, 1]). O(1) per update.
 *
 * @example
 * const h = new HDDM_W();
 * h.update(1); // { drift: false, warning: false }
 */
export class HDDM_W extends WarningZoneDetector {
  /** The `driftConfidence` option in effect (after defaults). */
  readonly driftConfidence: number;
  /** The `warningConfidence` option in effect (after defaults). */
  readonly warningConfidence: number;
  /** The `lambda` option in effect (after defaults). */
  readonly lambda: number;
  /** The `twoSidedTest` option in effect (after defaults). */
  readonly twoSidedTest: boolean;
  private total!: SampleInfo;
  private s1Incr!: SampleInfo;
  private s2Incr!: SampleInfo;
  private s1Decr!: SampleInfo;
  private s2Decr!: SampleInfo;
  private incrCut = Infinity;
  private decrCut = -Infinity;

  /**
   * @param options - confidences, lambda, sidedness.
   * @throws ConfigError for out-of-range options.
   */
  constructor(options: HDDMWOptions = {}) {
    super();
    const o = numberOptions(
      options,
      {
        ...HDDM_CONFIDENCES,
        lambda: [0.05, { above: 0, below: 1 }],
      },
      'HDDM_W',
    );
    this.driftConfidence = o.driftConfidence;
    this.warningConfidence = o.warningConfidence;
    this.lambda = o.lambda;
    this.twoSidedTest = options.twoSidedTest ?? false;
    this.reset();
  }

  /** The exponentially weighted mean of everything since the last reset. */
  get mean(): number {
    return this.total.ewma;
  }

  protected resetState(): void {
    this.total = new SampleInfo(this.lambda);
    this.s1Incr = new SampleInfo(this.lambda);
    this.s2Incr = new SampleInfo(this.lambda);
    this.s1Decr = new SampleInfo(this.lambda);
    this.s2Decr = new SampleInfo(this.lambda);
    this.incrCut = Infinity;
    this.decrCut = -Infinity;
  }

  private bound(ibc: number, confidence: number): number {
    return Math.sqrt((ibc * Math.log(1 / confidence)) / 2);
  }

  private changed(s1: SampleInfo, s2: SampleInfo, confidence: number): boolean {
    if (!(s1.init && s2.init)) return false;
    return s2.ewma - s1.ewma > this.bound(s1.ibc + s2.ibc, confidence);
  }

  protected accept(x: number | boolean): number | undefined {
    return acceptUnit(x);
  }

  protected step(v: number): void {
    this.total.update(v);
    let eps = this.bound(this.total.ibc, this.driftConfidence);
    if (this.total.ewma + eps < this.incrCut) {
      this.incrCut = this.total.ewma + eps;
      this.s1Incr = this.total.clone();
      this.s2Incr = new SampleInfo(this.lambda);
    } else this.s2Incr.update(v);
    if (this.changed(this.s1Incr, this.s2Incr, this.driftConfidence)) {
      this.warning = false;
      this.drift = true;
    } else if (this.changed(this.s1Incr, this.s2Incr, this.warningConfidence)) {
      this.warning = true;
      this.drift = false;
    } else {
      this.warning = false;
      this.drift = false;
    }
    eps = this.bound(this.total.ibc, this.driftConfidence);
    if (this.total.ewma - eps > this.decrCut) {
      this.decrCut = this.total.ewma - eps;
      this.s1Decr = this.total.clone();
      this.s2Decr = new SampleInfo(this.lambda);
    } else this.s2Decr.update(v);
    if (this.twoSidedTest) {
      if (this.changed(this.s2Decr, this.s1Decr, this.driftConfidence)) this.drift = true;
      else if (this.changed(this.s2Decr, this.s1Decr, this.warningConfidence)) this.warning = true;
    }
  }
}
