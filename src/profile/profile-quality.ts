/**
 * Data-quality figures of a profile, optionally against a reference profile: missing
 * and invalid (type mismatch) shares, values outside the reference's range, new
 * categories, constant columns. Read from the summaries only.
 */
import type { CategoricalProfile, FeatureProfile } from './profile-types.js';
import type { SketchContent } from './sketch-merge.js';

/** Data quality of one feature. */
export interface ProfileQuality {
  /** Values seen: present + missing + invalid. */
  seen: number;
  /** Missing values / seen (0 when nothing was seen). */
  missingShare: number;
  /** Values of the wrong type / seen. */
  invalidShare: number;
  /** Whether every present value was the same (at least 2 present values). */
  constant: boolean;
  /**
   * Numeric, with a reference: share of present values certainly outside the
   * reference's [min, max] (whole buckets outside it; a lower bound of the true share).
   */
  outOfRangeShare?: number;
  /** Numeric, with a reference: whether some value lies below the reference minimum (exact). */
  belowReferenceMin?: boolean;
  /** Numeric, with a reference: whether some value lies above the reference maximum (exact). */
  aboveReferenceMax?: boolean;
  /** Categorical, with a reference: listed categories the reference cannot have seen as often. */
  newCategories?: string[];
}

/**
 * Current categories the reference cannot have seen as often: not listed there, with a
 * lower bound above the reference's `absentBound`. O(k).
 * @param reference - the reference profile.
 * @param current - the current profile.
 * @returns the categories, by descending count.
 * @example newCategories(ref, cur) // => ['purple']
 */
export function newCategories(
  reference: CategoricalProfile,
  current: CategoricalProfile,
): string[] {
  const known = new Set(reference.topK.entries.map((e) => e.item));
  return current.topK.entries
    .filter((e) => !known.has(e.item) && e.count - e.error > reference.topK.absentBound)
    .map((e) => e.item);
}

/** Values in whole buckets outside [lo, hi]. Margins keep float rounding on the safe side. */
function countOutside(s: SketchContent, lo: number, hi: number): number {
  const base = 2 ** (2 ** -s.scale);
  const eps = 1e-12;
  let out = 0;
  const p = s.positive;
  for (let k = 0; k < p.counts.length; k++) {
    const i = p.offset + k;
    const lower = base ** i; // bucket (lower, upper]
    const upper = base ** (i + 1);
    if (lower >= hi * (1 + eps) + eps || upper < lo * (1 - eps) - eps) out += p.counts[k] as number;
  }
  const n = s.negative;
  for (let k = 0; k < n.counts.length; k++) {
    const i = n.offset + k;
    const near = -(base ** i); // values in [-upper, near)
    const far = -(base ** (i + 1));
    if (near <= lo - Math.abs(lo) * eps - eps || far > hi + Math.abs(hi) * eps + eps)
      out += n.counts[k] as number;
  }
  if (0 < lo || 0 > hi) out += s.zeroCount;
  return out;
}

/**
 * Data quality of a profile. O(buckets) or O(k).
 * @param p - the profile.
 * @param reference - the reference profile of the same feature (same kind), optional.
 * @returns the figures; range and new-category figures only with a reference.
 * @example profileQuality(p).missingShare
 */
export function profileQuality(p: FeatureProfile, reference?: FeatureProfile): ProfileQuality {
  const present = p.kind === 'numeric' ? p.sketch.count : p.topK.total;
  const seen = present + p.missing + p.invalid;
  const q: ProfileQuality = {
    seen,
    missingShare: seen === 0 ? 0 : p.missing / seen,
    invalidShare: seen === 0 ? 0 : p.invalid / seen,
    constant:
      present >= 2 &&
      (p.kind === 'numeric'
        ? p.sketch.min === p.sketch.max
        : p.topK.entries.length === 1 &&
          p.topK.entries[0]!.count - p.topK.entries[0]!.error === present),
  };
  if (p.kind === 'numeric' && reference?.kind === 'numeric' && reference.sketch.count > 0) {
    const { min, max } = reference.sketch;
    q.belowReferenceMin = present > 0 && p.sketch.min < min;
    q.aboveReferenceMax = present > 0 && p.sketch.max > max;
    q.outOfRangeShare = present === 0 ? 0 : countOutside(p.sketch, min, max) / present;
  }
  if (p.kind === 'categorical' && reference?.kind === 'categorical') {
    q.newCategories = newCategories(reference, p);
  }
  return q;
}
