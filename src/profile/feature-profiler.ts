/**
 * Builds feature profiles from raw values, one window at a time. Numeric sketches go
 * through a {@link Kernel} (the engine's WASM kernel on a device, the reference kernel
 * elsewhere: same bytes by construction); moments combine per batch with Chan's
 * parallel update, so batches and devices merge the same way.
 */
import { DataError } from '../errors.js';
import type { Kernel } from '../kernel/kernel.js';
import { createReferenceKernel } from '../kernel/reference/index.js';
import { assertScale } from '../util/options.js';
import { decodeSketch } from '../kernel/sketch-format.js';
import { hllAdd, hllFold, hllMergeInto, murmur3 } from './hyperloglog.js';
import {
  PROFILE_DEFAULT_SCALE,
  resolveProfileOptions,
  type ResolvedProfileOptions,
} from './profile-options.js';
import type {
  CategoricalProfile,
  FeatureProfile,
  NumericProfile,
  ProfileOptions,
} from './profile-types.js';
import { mergeSketches } from './sketch-merge.js';
import { mergeTopK, suppressRare, TopKBuilder } from './space-saving.js';

function isMissing(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v));
}

let shared: Kernel | undefined;

/** Accumulates one numeric feature. Call {@link NumericProfiler.close} to free the sketch. */
export class NumericProfiler {
  private readonly handle: number;
  private missing = 0;
  private invalid = 0;
  private count = 0;
  private mean = 0;
  private m2 = 0;

  private readonly kernel: Kernel;

  /**
   * @param kernel - kernel holding the sketch (the engine's on a device); default a shared
   *   pure-TypeScript reference kernel (same bytes).
   * @param scale - sketch scale, default 5 (`PROFILE_DEFAULT_SCALE`).
   * @throws ConfigError on a bad scale.
   */
  constructor(kernel?: Kernel, scale: number = PROFILE_DEFAULT_SCALE) {
    assertScale(scale);
    this.kernel = kernel ?? (shared ??= createReferenceKernel());
    this.handle = this.kernel.sketchCreate(scale);
  }

  /**
   * Records values: numbers are sketched, missing ones counted, others counted invalid. O(n).
   * @param values - raw values (any type).
   */
  add(values: ArrayLike<unknown>): void {
    const finite = new Float64Array(values.length);
    let n = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (isMissing(v)) this.missing++;
      else if (typeof v === 'number' && Number.isFinite(v)) finite[n++] = v;
      else this.invalid++;
    }
    this.addFinite(finite.subarray(0, n));
  }

  /**
   * Records finite numbers (the caller filtered them). O(n).
   * @param finite - NaN-free, finite values.
   */
  addFinite(finite: Float64Array): void {
    if (finite.length === 0) return;
    this.kernel.sketchRecord(this.handle, finite);
    const m = this.kernel.moments(finite);
    const n = this.count + m.count;
    const delta = m.mean - this.mean;
    this.mean += (delta * m.count) / n;
    this.m2 += m.variance * m.count + (delta * delta * this.count * m.count) / n;
    this.count = n;
  }

  /** Counts missing values without recording anything. @param n - how many. */
  addMissing(n: number): void {
    this.missing += n;
  }

  /** @returns the profile so far. */
  profile(): NumericProfile {
    const { version: _v, ...sketch } = decodeSketch(this.kernel.sketchSerialize(this.handle));
    return {
      kind: 'numeric',
      sketch,
      missing: this.missing,
      invalid: this.invalid,
      mean: this.mean,
      m2: this.m2,
    };
  }

  /** Frees the kernel sketch. Idempotent. */
  close(): void {
    this.kernel.sketchFree(this.handle);
  }
}

/** Accumulates one categorical feature. */
export class CategoricalProfiler {
  private readonly top: TopKBuilder;
  private readonly hll: Uint8Array;
  private missing = 0;
  private invalid = 0;
  private readonly options: ResolvedProfileOptions;

  /**
   * @param options - top-K capacity, HLL precision, `minCategoryCount`.
   * @throws ConfigError on a bad option.
   */
  constructor(options: ProfileOptions = {}) {
    this.options = resolveProfileOptions(options);
    this.top = new TopKBuilder(this.options.topK);
    this.hll = new Uint8Array(1 << this.options.hllPrecision);
  }

  /**
   * Records values: strings, finite numbers and booleans are categories (as strings),
   * missing ones are counted, anything else is counted invalid. O(n).
   * @param values - raw values.
   */
  add(values: ArrayLike<unknown>): void {
    const p = this.options.hllPrecision;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (isMissing(v)) {
        this.missing++;
        continue;
      }
      let s: string;
      if (typeof v === 'string') s = v;
      else if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean')
        s = String(v);
      else {
        this.invalid++;
        continue;
      }
      this.top.add(s);
      hllAdd(this.hll, p, murmur3(s));
    }
  }

  /** @returns the profile so far, rare categories suppressed per `minCategoryCount`. */
  profile(): CategoricalProfile {
    return {
      kind: 'categorical',
      topK: suppressRare(this.top.summary(), this.options.minCategoryCount),
      hllPrecision: this.options.hllPrecision,
      hll: this.hll.slice(),
      missing: this.missing,
      invalid: this.invalid,
    };
  }
}

function mergeNumeric(a: NumericProfile, b: NumericProfile): NumericProfile {
  const na = a.sketch.count;
  const nb = b.sketch.count;
  const n = na + nb;
  const delta = b.mean - a.mean;
  return {
    kind: 'numeric',
    sketch: mergeSketches(a.sketch, b.sketch),
    missing: a.missing + b.missing,
    invalid: a.invalid + b.invalid,
    mean: n === 0 ? 0 : a.mean + (delta * nb) / n,
    m2: n === 0 ? 0 : a.m2 + b.m2 + (delta * delta * na * nb) / n,
  };
}

function mergeCategorical(a: CategoricalProfile, b: CategoricalProfile): CategoricalProfile {
  const p = Math.min(a.hllPrecision, b.hllPrecision);
  const hll = hllFold(a.hll, a.hllPrecision, p);
  hllMergeInto(hll, hllFold(b.hll, b.hllPrecision, p));
  return {
    kind: 'categorical',
    topK: mergeTopK(a.topK, b.topK),
    hllPrecision: p,
    hll,
    missing: a.missing + b.missing,
    invalid: a.invalid + b.invalid,
  };
}

/**
 * Merges two profiles of the same feature (same kind). Exact for counts, sketches
 * (at the coarser scale), moments (Chan et al.) and HLL registers; top-K bounds add.
 * @param a - one profile.
 * @param b - the other.
 * @returns the merged profile (inputs untouched).
 * @throws DataError when the kinds differ.
 * @example mergeProfiles(p1, p2)
 */
export function mergeProfiles(a: FeatureProfile, b: FeatureProfile): FeatureProfile {
  if (a.kind === 'numeric' && b.kind === 'numeric') return mergeNumeric(a, b);
  if (a.kind === 'categorical' && b.kind === 'categorical') return mergeCategorical(a, b);
  throw new DataError(`expected profiles of the same kind, got ${a.kind} and ${b.kind}`);
}

/**
 * Values counted in a profile: present (finite or a category), missing and invalid.
 * @param p - the profile.
 * @returns the three counts.
 * @example profileCounts(p).present
 */
export function profileCounts(p: FeatureProfile): {
  present: number;
  missing: number;
  invalid: number;
} {
  const present = p.kind === 'numeric' ? p.sketch.count : p.topK.total;
  return { present, missing: p.missing, invalid: p.invalid };
}
