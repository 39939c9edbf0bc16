/**
 * Profile options, their defaults and their validation. Kept apart from the
 * profilers so that a caller can check options without loading them (the
 * profiles themselves are built in the engine).
 */
import { numberOption } from '../util/options.js';
import { assertScale } from '../util/options.js';
import { assertHllPrecision } from './hyperloglog.js';
import type { ProfileOptions } from './profile-types.js';

/** Default sketch scale of numeric profiles. */
export const PROFILE_DEFAULT_SCALE = 5;
/** Default top-K capacity. */
export const PROFILE_DEFAULT_TOPK = 32;
/** Default HLL precision. */
export const PROFILE_DEFAULT_HLL = 10;
/** Largest top-K capacity accepted. */
export const PROFILE_MAX_TOPK = 1024;

/** Options with defaults applied. */
export type ResolvedProfileOptions = Required<ProfileOptions>;

/**
 * Validates profile options.
 * @param o - user options.
 * @returns options with defaults.
 * @throws ConfigError naming the bad option.
 * @example resolveProfileOptions({}).scale // => 5
 */
export function resolveProfileOptions(o: ProfileOptions = {}): ResolvedProfileOptions {
  const scale = o.scale ?? PROFILE_DEFAULT_SCALE;
  assertScale(scale);
  const hllPrecision = o.hllPrecision ?? PROFILE_DEFAULT_HLL;
  assertHllPrecision(hllPrecision);
  const topK = numberOption('topK', o.topK ?? PROFILE_DEFAULT_TOPK, {
    integer: true,
    min: 1,
    max: PROFILE_MAX_TOPK,
  });
  const minCategoryCount = numberOption('minCategoryCount', o.minCategoryCount ?? 1, {
    integer: true,
    min: 1,
  });
  return { scale, topK, hllPrecision, minCategoryCount };
}
