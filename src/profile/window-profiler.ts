/**
 * Feature profiles and data quality of one monitoring window, built from the
 * window's feature columns (the shape `EdgeMonitor` buffers: numeric columns as
 * `Float64Array` with NaN for missing, categorical ones as strings or null) and
 * the per-column counts of values of the wrong type. Runs in the engine (the
 * profile worker, or in-process): see src/engine/profile-service.ts.
 */
import { DataError, describeValue } from '../errors.js';
import type { Kernel } from '../kernel/kernel.js';
import { CategoricalProfiler, NumericProfiler } from './feature-profiler.js';
import { encodeProfile } from './profile-format.js';
import { resolveProfileOptions, type ResolvedProfileOptions } from './profile-options.js';
import { profileQuality } from './profile-quality.js';
import type { FeatureProfile, ProfileOptions } from './profile-types.js';

/** Data quality of one feature in one window, as alert rules read it. */
export interface FeatureQuality {
  /** Values seen in the window: present + missing + invalid. */
  seen: number;
  /** Missing values (absent, null, NaN) / seen. */
  missingShare: number;
  /** Values of the wrong type (a string in a numeric feature, ±Infinity, an object) / seen. */
  invalidShare: number;
  /** Whether every present value was the same (at least 2 present values). */
  constant: boolean;
  /** Numeric: present values outside the reference's [min, max] / present values (exact). */
  outOfRangeShare?: number;
  /** Categorical: distinct present values the reference never had. */
  newCategories?: number;
  /** Categorical: present values whose category the reference never had / present values. */
  newCategoryShare?: number;
}

/** What one window's profiling produced. */
export interface WindowProfilesResult {
  /**
   * Feature → profile bytes (`encodeProfile`); `WindowRecord.profiles` carries them
   * base64 (encoded by the caller, whose bundle already has the base64 code).
   */
  encoded: Record<string, Uint8Array>;
  /** Feature → data quality (the alert context's `quality`). */
  quality: Record<string, FeatureQuality>;
  /** `quality_<feature>_<kind>` → number (merged into `WindowRecord.performance`). */
  performance: Record<string, number>;
}

/** One profiled feature: its name, kind and reference values (for ranges and categories). */
export interface ProfiledFeature {
  /** Column name. */
  name: string;
  /** `'numeric'` or `'categorical'`. */
  kind: 'numeric' | 'categorical';
  /** The reference column (training data). */
  reference: ArrayLike<unknown>;
}

/** A window's feature columns: numeric (NaN for missing) or categorical (null for missing). */
export type WindowColumns = Readonly<Record<string, Float64Array | readonly (string | null)[]>>;

/** What the reference says about one profiled feature. */
type ReferenceFacts =
  { kind: 'numeric'; min: number; max: number } | { kind: 'categorical'; known: Set<string> };

/** Per-feature quality keys of `WindowRecord.performance`. */
const KEYS: ReadonlyArray<[keyof FeatureQuality, string]> = [
  ['missingShare', 'missing_share'],
  ['invalidShare', 'invalid_share'],
  ['outOfRangeShare', 'out_of_range_share'],
  ['newCategories', 'new_categories'],
  ['newCategoryShare', 'new_category_share'],
  ['constant', 'constant'],
];

/** Builds the profiles and quality figures of each window for a fixed set of features. */
export class WindowProfiler {
  private readonly facts = new Map<string, ReferenceFacts>();
  private readonly options: ResolvedProfileOptions;

  /**
   * Reads each feature's reference range (numeric) or categories (categorical). O(reference).
   *
   * @param features - the profiled features.
   * @param options - profile options (scale, topK, hllPrecision, minCategoryCount).
   * @param kernel - kernel for the numeric sketches (default: the shared reference kernel; same bytes).
   * @throws ConfigError for a bad option; DataError for a malformed feature list.
   * @example new WindowProfiler([{ name: 'speed', kind: 'numeric', reference: speeds }], {})
   */
  constructor(
    features: readonly ProfiledFeature[],
    options: ProfileOptions,
    private readonly kernel?: Kernel,
  ) {
    this.options = resolveProfileOptions(options);
    if (!Array.isArray(features))
      throw new DataError(`expected a list of profiled features, got ${describeValue(features)}`);
    for (const f of features) {
      const ok =
        f !== null &&
        typeof f === 'object' &&
        typeof f.name === 'string' &&
        (f.kind === 'numeric' || f.kind === 'categorical') &&
        f.reference !== null &&
        typeof f.reference === 'object' &&
        typeof f.reference.length === 'number';
      if (!ok)
        throw new DataError(
          `expected { name, kind, reference } for a profiled feature, got ${describeValue(f)}`,
        );
      this.facts.set(
        f.name,
        f.kind === 'numeric' ? numericFacts(f.reference) : categoricalFacts(f.reference),
      );
    }
  }

  /** The profiled features. */
  get features(): string[] {
    return [...this.facts.keys()];
  }

  /**
   * Profiles one window. O(rows × profiled features). A feature without a column is skipped.
   *
   * @param columns - the window's columns (NaN / null for missing and for values of the wrong type).
   * @param invalid - per column, how many of those were of the wrong type.
   * @returns the profile bytes, the quality figures and their flat performance keys.
   * @throws DataError when a column has the wrong shape for its kind.
   */
  build(columns: WindowColumns, invalid: Readonly<Record<string, number>>): WindowProfilesResult {
    const encoded: Record<string, Uint8Array> = {};
    const quality: Record<string, FeatureQuality> = {};
    const performance: Record<string, number> = {};
    for (const [name, facts] of this.facts) {
      if (!Object.hasOwn(columns, name)) continue;
      const col = columns[name];
      const raw = Object.hasOwn(invalid, name) ? invalid[name] : 0;
      const bad = typeof raw === 'number' && raw >= 0 ? raw : 0;
      let p: FeatureProfile;
      let extra: Partial<FeatureQuality>;
      if (facts.kind === 'numeric') {
        if (!(col instanceof Float64Array))
          throw new DataError(`expected a Float64Array for numeric feature ${describeValue(name)}`);
        p = this.profileNumeric(col, bad);
        extra = { outOfRangeShare: outOfRange(col, facts.min, facts.max) };
      } else {
        if (!Array.isArray(col))
          throw new DataError(`expected an array for categorical feature ${describeValue(name)}`);
        p = profileCategorical(col, bad, this.options);
        extra = newCategories(col, facts.known);
      }
      encoded[name] = encodeProfile(p);
      const q = profileQuality(p);
      const fq: FeatureQuality = {
        seen: q.seen,
        missingShare: q.missingShare,
        invalidShare: q.invalidShare,
        constant: q.constant,
        ...extra,
      };
      quality[name] = fq;
      for (const [key, suffix] of KEYS) {
        const v = fq[key];
        if (v !== undefined) performance[`quality_${name}_${suffix}`] = Number(v);
      }
    }
    return { encoded, quality, performance };
  }

  /** Numeric profile of a column; NaN entries are missing except the `invalid` ones. */
  private profileNumeric(col: Float64Array, invalid: number): FeatureProfile {
    const finite = col.filter((v) => !Number.isNaN(v));
    const p = new NumericProfiler(this.kernel, this.options.scale);
    try {
      p.addFinite(finite);
      p.addMissing(col.length - finite.length - invalid);
      const out = p.profile();
      out.invalid = invalid;
      return out;
    } finally {
      p.close();
    }
  }
}

/** Categorical profile of a column; null entries are missing except the `invalid` ones. */
function profileCategorical(
  col: readonly (string | null)[],
  invalid: number,
  options: ProfileOptions,
): FeatureProfile {
  const p = new CategoricalProfiler(options);
  p.add(col);
  const out = p.profile();
  out.missing -= invalid;
  out.invalid = invalid;
  return out;
}

/** Share of the present (non-NaN) values outside [min, max]; 0 when none is present. */
function outOfRange(col: Float64Array, min: number, max: number): number {
  let present = 0;
  let out = 0;
  for (const v of col) {
    if (Number.isNaN(v)) continue;
    present++;
    if (v < min || v > max) out++;
  }
  return present === 0 ? 0 : out / present;
}

/** Distinct unknown categories and the share of present values that have one. */
function newCategories(
  col: readonly (string | null)[],
  known: ReadonlySet<string>,
): { newCategories: number; newCategoryShare: number } {
  const fresh = new Set<string>();
  let present = 0;
  let hits = 0;
  for (const v of col) {
    if (v === null) continue;
    present++;
    if (!known.has(v)) {
      hits++;
      fresh.add(v);
    }
  }
  return { newCategories: fresh.size, newCategoryShare: present === 0 ? 0 : hits / present };
}

function numericFacts(values: ArrayLike<unknown>): ReferenceFacts {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { kind: 'numeric', min, max };
}

function categoricalFacts(values: ArrayLike<unknown>): ReferenceFacts {
  const known = new Set<string>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (
      typeof v === 'string' ||
      typeof v === 'boolean' ||
      (typeof v === 'number' && Number.isFinite(v))
    )
      known.add(String(v));
  }
  return { kind: 'categorical', known };
}
