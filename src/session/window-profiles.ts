/**
 * Feature profiles and data quality of an `EdgeMonitor` window, built from the
 * feature rows the monitor already buffers. Loaded only when the `profiles`
 * option is set, so a monitor without it never downloads the profile code.
 * Runs on the caller's thread with the pure-TypeScript kernel (the profile
 * bytes are the same as the engine's by construction).
 */
import { ConfigError, describeValue } from '../errors.js';
import {
  CategoricalProfiler,
  NumericProfiler,
  resolveProfileOptions,
} from '../profile/feature-profiler.js';
import { encodeProfile } from '../profile/profile-format.js';
import { profileQuality } from '../profile/profile-quality.js';
import type { FeatureProfile, ProfileOptions } from '../profile/profile-types.js';
import type { ColumnKinds, FeatureTable } from './feature-buffer.js';

/** The `profiles` option of `EdgeMonitor`: which features to profile, and how. */
export interface EdgeProfilesOptions extends ProfileOptions {
  /** Reference columns to profile: a list, or `'all'` (default). */
  features?: readonly string[] | 'all';
}

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

/** Builds the profiles and quality figures of each window for the chosen features. */
export class WindowProfiles {
  private constructor(
    private readonly facts: ReadonlyMap<string, ReferenceFacts>,
    private readonly options: ProfileOptions,
  ) {}

  /**
   * Validates the option against the reference and reads its ranges and categories.
   *
   * @param options - the `profiles` option.
   * @param reference - the monitor's reference table (required).
   * @param kinds - the reference's column kinds.
   * @param maxFeatures - most features profiled (a window carries at most
   *   `WINDOW_LIMITS.maxProfiles`; passed in so that this lazily loaded module
   *   shares no module with the eagerly loaded code but the error classes).
   * @returns the builder.
   * @throws ConfigError without a reference, for a feature the reference lacks, too
   *   many features (more than `maxFeatures`) or a bad profile option.
   * @example WindowProfiles.create({ features: ['speed'] }, reference, columnKinds(reference), 64)
   */
  static create(
    options: EdgeProfilesOptions,
    reference: Readonly<Record<string, ArrayLike<unknown>>> | undefined,
    kinds: ColumnKinds,
    maxFeatures: number,
  ): WindowProfiles {
    if (options === null || typeof options !== 'object')
      throw new ConfigError(`expected profiles to be an object, got ${describeValue(options)}`);
    if (reference === undefined)
      throw new ConfigError(
        'profiles: expected a reference table (the profiled features are its columns)',
      );
    const { features = 'all', ...rest } = options;
    resolveProfileOptions(rest);
    if (features !== 'all' && !Array.isArray(features))
      throw new ConfigError(
        `profiles.features: expected 'all' or a list of reference columns, got ${describeValue(features)}`,
      );
    const names = features === 'all' ? Object.keys(kinds) : [...new Set(features)];
    if (names.length > maxFeatures)
      throw new ConfigError(
        `profiles.features: expected at most ${maxFeatures} features, got ${names.length}`,
      );
    const facts = new Map<string, ReferenceFacts>();
    for (const name of names) {
      const kind = kinds[name];
      const values = reference[name];
      if (kind === undefined || values === undefined)
        throw new ConfigError(
          `profiles.features: ${describeValue(name)} is not a reference column`,
        );
      facts.set(name, kind === 'numeric' ? numericFacts(values) : categoricalFacts(values));
    }
    return new WindowProfiles(facts, rest);
  }

  /** The profiled features. */
  get features(): string[] {
    return [...this.facts.keys()];
  }

  /**
   * Profiles one window. O(rows × profiled features).
   *
   * @param table - the window's feature table (`FeatureBuffer.take()`: NaN / null for
   *   missing and for values of the wrong type).
   * @param invalid - per column, how many of those were of the wrong type.
   * @returns the wire profiles, the quality figures and their flat performance keys.
   */
  build(table: FeatureTable, invalid: Readonly<Record<string, number>>): WindowProfilesResult {
    const encoded: Record<string, Uint8Array> = {};
    const quality: Record<string, FeatureQuality> = {};
    const performance: Record<string, number> = {};
    for (const [name, facts] of this.facts) {
      const col = table[name];
      if (col === undefined) continue;
      const bad = invalid[name] ?? 0;
      const p =
        facts.kind === 'numeric'
          ? profileNumeric(col as Float64Array, bad, this.options.scale)
          : profileCategorical(col as readonly (string | null)[], bad, this.options);
      encoded[name] = encodeProfile(p);
      const q = profileQuality(p);
      const fq: FeatureQuality = {
        seen: q.seen,
        missingShare: q.missingShare,
        invalidShare: q.invalidShare,
        constant: q.constant,
        ...(facts.kind === 'numeric'
          ? { outOfRangeShare: outOfRange(col as Float64Array, facts.min, facts.max) }
          : newCategories(col as readonly (string | null)[], facts.known)),
      };
      quality[name] = fq;
      for (const [key, suffix] of KEYS) {
        const v = fq[key];
        if (v !== undefined) performance[`quality_${name}_${suffix}`] = Number(v);
      }
    }
    return { encoded, quality, performance };
  }
}

/** Numeric profile of a buffered column; NaN entries are missing except the `invalid` ones. */
function profileNumeric(
  col: Float64Array,
  invalid: number,
  scale: number | undefined,
): FeatureProfile {
  const finite = col.filter((v) => !Number.isNaN(v));
  const p = new NumericProfiler(undefined, scale);
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

/** Categorical profile of a buffered column; null entries are missing except the `invalid` ones. */
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
