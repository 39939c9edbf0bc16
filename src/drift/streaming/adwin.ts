/**
 * ADWIN — adaptive windowing (Bifet & Gavaldà 2007), following River's
 * implementation step for step (`river/drift/adwin.py`, `adwin_c.pyx`):
 *
 * - the window is an exponential histogram: row r holds at most `maxBuckets`
 *   buckets of 2^r values (total and variance each), oldest first;
 * - every `clock` values, once the window is longer than `gracePeriod`, the
 *   splits into an older part W0 and a newer part W1 are tested from the
 *   oldest bucket on; as River, the newest bucket of each row is not a split
 *   point. Both parts need `minWindowLength` values. While some split has
 *   |mean(W0) − mean(W1)| > ε_cut(δ), the oldest bucket is dropped and the
 *   scan starts again; that update reports drift;
 * - the update after a drift starts from an empty window (River's reset).
 *   `resetOnDrift: false` keeps the shrunk window instead, the paper's
 *   "drop W0, keep W1" behaviour.
 */
import { StreamingDetectorBase } from './detector-base.js';
import { numberOptions } from '../../util/options.js';

/** Options of {@link ADWIN} (River defaults). */
export interface ADWINOptions {
  /** Confidence δ (default 0.002). */
  delta?: number;
  /** Check for change every `clock` values (default 32). */
  clock?: number;
  /** Buckets kept per size before merging (default 5). */
  maxBuckets?: number;
  /** Smallest sub-window length tested (default 5). */
  minWindowLength?: number;
  /** No detection before the window holds more than this many values (default 10). */
  gracePeriod?: number;
  /**
   * Empty the window on the update after a drift, as River does (default true).
   * With false the window keeps the values that survived the cut (W1), as in the paper.
   */
  resetOnDrift?: boolean;
}

interface Bucket {
  total: number;
  variance: number;
}

/**
 * ADWIN detector on a value stream. O(log W) amortized per update, O(log W) per check.
 *
 * @example
 * const adwin = new ADWIN({ delta: 0.002 });
 * for (const x of stream) if (adwin.update(x).drift) console.log('changed at', adwin.seen - 1);
 */
export class ADWIN extends StreamingDetectorBase {
  /** The `delta` option in effect (after defaults). */
  readonly delta: number;
  /** The `clock` option in effect (after defaults). */
  readonly clock: number;
  /** The `maxBuckets` option in effect (after defaults). */
  readonly maxBuckets: number;
  /** The `minWindowLength` option in effect (after defaults). */
  readonly minWindowLength: number;
  /** The `gracePeriod` option in effect (after defaults). */
  readonly gracePeriod: number;
  /** The `resetOnDrift` option in effect (after defaults). */
  readonly resetOnDrift: boolean;
  /** rows[r] holds buckets of size 2^r, oldest first. */
  private rows: Bucket[][] = [[]];
  private widthValue = 0;
  private total = 0;
  private variance = 0;
  private tick = 0;
  private detections = 0;

  /**
   * @param options - see {@link ADWINOptions}.
   * @throws ConfigError for out-of-range options.
   */
  constructor(options: ADWINOptions = {}) {
    super();
    const o = numberOptions(
      options,
      {
        delta: [0.002, { above: 0, below: 1 }],
        clock: [32, { min: 1, max: 1e9, integer: true }],
        maxBuckets: [5, { min: 2, max: 1e6, integer: true }],
        minWindowLength: [5, { min: 1, max: 1e9, integer: true }],
        gracePeriod: [10, { min: 0, max: 1e12, integer: true }],
      },
      'ADWIN',
    );
    this.delta = o.delta;
    this.clock = o.clock;
    this.maxBuckets = o.maxBuckets;
    this.minWindowLength = o.minWindowLength;
    this.gracePeriod = o.gracePeriod;
    this.resetOnDrift = options.resetOnDrift ?? true;
  }

  /** Current window length. */
  get width(): number {
    return this.widthValue;
  }
  /** Mean of the current window. */
  get estimation(): number {
    return this.widthValue > 0 ? this.total / this.widthValue : 0;
  }
  /** Number of drifts detected since construction (River's counter restarts on each reset). */
  get nDetections(): number {
    return this.detections;
  }

  reset(): void {
    this.rows = [[]];
    this.widthValue = 0;
    this.total = 0;
    this.variance = 0;
    this.tick = 0;
    this.drift = false;
  }

  protected override resetsAfterDrift(): boolean {
    return this.resetOnDrift;
  }

  protected step(x: number): void {
    this.insert(x);
    this.drift = this.detectChange();
    if (this.drift) this.detections++;
  }

  private insert(x: number): void {
    (this.rows[0] as Bucket[]).push({ total: x, variance: 0 });
    this.widthValue++;
    const w = this.widthValue;
    if (w > 1) {
      const d = x - this.total / (w - 1);
      this.variance += ((w - 1) * d * d) / w;
    }
    this.total += x;
    // Merge the two oldest buckets of a row that overflowed into the next row.
    for (let r = 0; r < this.rows.length; r++) {
      const row = this.rows[r] as Bucket[];
      if (row.length !== this.maxBuckets + 1) break;
      if (r + 1 === this.rows.length) this.rows.push([]);
      const next = this.rows[r + 1] as Bucket[];
      const a = row[0] as Bucket;
      const b = row[1] as Bucket;
      const size = 2 ** r;
      const mu1 = a.total / size;
      const mu2 = b.total / size;
      const between = (size * size * (mu1 - mu2) * (mu1 - mu2)) / (size + size);
      next.push({ total: a.total + b.total, variance: a.variance + b.variance + between });
      row.splice(0, 2);
      if (next.length <= this.maxBuckets) break;
    }
  }

  private deleteOldest(): number {
    const r = this.rows.length - 1;
    const row = this.rows[r] as Bucket[];
    const bucket = row.shift() as Bucket;
    const n = 2 ** r;
    const mu = bucket.total / n;
    this.widthValue -= n;
    this.total -= bucket.total;
    const muWindow = this.total / this.widthValue;
    this.variance -=
      bucket.variance +
      (n * this.widthValue * (mu - muWindow) * (mu - muWindow)) / (n + this.widthValue);
    if (row.length === 0) this.rows.pop();
    return n;
  }

  /** Whether some split W0 | W1 has means further apart than ε_cut; River's scan order. */
  private cutFound(): boolean {
    let n0 = 0;
    let u0 = 0;
    let n1 = this.widthValue;
    let u1 = this.total;
    for (let r = this.rows.length - 1; r >= 0; r--) {
      const row = this.rows[r] as Bucket[];
      const size = 2 ** r;
      for (let k = 0; k < row.length - 1; k++) {
        const t = (row[k] as Bucket).total;
        n0 += size;
        n1 -= size;
        u0 += t;
        u1 -= t;
        if (
          n1 >= this.minWindowLength &&
          n0 >= this.minWindowLength &&
          this.exceedsBound(n0, n1, u0 / n0 - u1 / n1)
        ) {
          return true;
        }
      }
    }
    return false;
  }

  private exceedsBound(n0: number, n1: number, deltaMean: number): boolean {
    const deltaPrime = Math.log((2 * Math.log(this.widthValue)) / this.delta);
    const mRecip = 1 / (n0 - this.minWindowLength + 1) + 1 / (n1 - this.minWindowLength + 1);
    const epsilon =
      Math.sqrt(2 * mRecip * (this.variance / this.widthValue) * deltaPrime) +
      (2 / 3) * deltaPrime * mRecip;
    return Math.abs(deltaMean) > epsilon;
  }

  private detectChange(): boolean {
    this.tick++;
    if (this.tick % this.clock !== 0 || this.widthValue <= this.gracePeriod) return false;
    let changed = false;
    while (this.cutFound()) {
      changed = true;
      this.deleteOldest();
    }
    return changed;
  }
}
