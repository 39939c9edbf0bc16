/**
 * ADWIN — adaptive windowing (Bifet & Gavaldà 2007), River's defaults and
 * semantics: the window is kept as an exponential histogram of buckets (at
 * most `maxBuckets` per size 2^r) with totals and variances; every `clock`
 * values (once more than `gracePeriod` arrived) every split into an older and
 * a newer part, each ≥ `minWindowLength`, is tested, and while some split has
 * means further apart than the ADWIN bound ε_cut(δ) the oldest bucket is
 * dropped and drift is reported.
 */
import type { DriftSignal, StreamingDetector } from './types.js';
import { checkNumber } from './types.js';

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
  /** No detection before this many values (default 10). */
  gracePeriod?: number;
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
 * for (const x of stream) if (adwin.update(x).drift) console.log('changed, width now', adwin.width);
 */
export class ADWIN implements StreamingDetector {
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
  /** rows[r] holds buckets of size 2^r, oldest first. */
  private rows: Bucket[][] = [[]];
  private widthValue = 0;
  private total = 0;
  private variance = 0;
  private tick = 0;
  private drift = false;
  private detections = 0;
  private seenCount = 0;
  private droppedCount = 0;

  /**
   * @param options - see {@link ADWINOptions}.
   * @throws ConfigError for out-of-range options.
   */
  constructor(options: ADWINOptions = {}) {
    this.delta = checkNumber('delta', options.delta ?? 0.002, 0, 1, { exclusive: true });
    this.clock = checkNumber('clock', options.clock ?? 32, 1, 1e9, { integer: true });
    this.maxBuckets = checkNumber('maxBuckets', options.maxBuckets ?? 5, 2, 1e6, { integer: true });
    this.minWindowLength = checkNumber('minWindowLength', options.minWindowLength ?? 5, 1, 1e9, {
      integer: true,
    });
    this.gracePeriod = checkNumber('gracePeriod', options.gracePeriod ?? 10, 0, 1e12, {
      integer: true,
    });
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
  /** Current window length. */
  get width(): number {
    return this.widthValue;
  }
  /** Mean of the current window. */
  get estimation(): number {
    return this.widthValue > 0 ? this.total / this.widthValue : 0;
  }
  /** Number of drifts detected since construction. */
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
    this.insert(x);
    this.drift = this.detectChange();
    if (this.drift) this.detections++;
    return { drift: this.drift };
  }

  private insert(x: number): void {
    (this.rows[0] as Bucket[]).push({ total: x, variance: 0 });
    this.widthValue++;
    if (this.widthValue > 1) {
      const prevMean = this.total / (this.widthValue - 1);
      this.variance += ((this.widthValue - 1) * (x - prevMean) * (x - prevMean)) / this.widthValue;
    }
    this.total += x;
    for (let r = 0; r < this.rows.length; r++) {
      const row = this.rows[r] as Bucket[];
      if (row.length <= this.maxBuckets) break;
      const a = row.shift() as Bucket;
      const b = row.shift() as Bucket;
      const size = 2 ** r;
      const mu1 = a.total / size;
      const mu2 = b.total / size;
      const merged = {
        total: a.total + b.total,
        variance: a.variance + b.variance + (size * size * (mu1 - mu2) ** 2) / (2 * size),
      };
      if (r + 1 === this.rows.length) this.rows.push([]);
      (this.rows[r + 1] as Bucket[]).push(merged);
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
    const muWindow = this.widthValue > 0 ? this.total / this.widthValue : 0;
    this.variance -=
      bucket.variance + (n * this.widthValue * (mu - muWindow) ** 2) / (n + this.widthValue);
    if (this.variance < 0) this.variance = 0;
    if (row.length === 0 && this.rows.length > 1) this.rows.pop();
    return n;
  }

  private cutFound(): boolean {
    let n0 = 0;
    let u0 = 0;
    let n1 = this.widthValue;
    let u1 = this.total;
    const deltaPrime = Math.log((2 * Math.log(this.widthValue)) / this.delta);
    const varianceInWindow = this.variance / this.widthValue;
    for (let r = this.rows.length - 1; r >= 0; r--) {
      const row = this.rows[r] as Bucket[];
      const size = 2 ** r;
      for (let k = 0; k < row.length; k++) {
        if (r === 0 && k === row.length - 1) return false; // keep the newest bucket in W1
        const b = row[k] as Bucket;
        n0 += size;
        n1 -= size;
        u0 += b.total;
        u1 -= b.total;
        if (n0 < this.minWindowLength || n1 < this.minWindowLength) continue;
        const mRecip = 1 / (n0 - this.minWindowLength + 1) + 1 / (n1 - this.minWindowLength + 1);
        const eps =
          Math.sqrt(2 * mRecip * varianceInWindow * deltaPrime) + (2 / 3) * deltaPrime * mRecip;
        if (Math.abs(u0 / n0 - u1 / n1) > eps) return true;
      }
    }
    return false;
  }

  private detectChange(): boolean {
    this.tick++;
    if (this.tick % this.clock !== 0 || this.widthValue <= this.gracePeriod) return false;
    let changed = false;
    while (this.widthValue > 0 && this.cutFound()) {
      changed = true;
      this.deleteOldest();
    }
    return changed;
  }
}
