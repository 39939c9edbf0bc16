/**
 * Profile options, their defaults and their validation. Kept apart from the
 * profilers so that a caller can check options without loading them (the
 * profiles themselves are built in the engine).
 */
import { ConfigError, describeValue } from '../errors.js';
import { assertScale } from '../kernel/kernel.js';
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
  const topK = o.topK ?? PROFILE_DEFAULT_TOPK;
  if (!Number.isInteger(topK) || topK < 1 || topK > PROFILE_MAX_TOPK)
    throw new ConfigError(
      `expected topK to be an integer in [1, ${PROFILE_MAX_TOPK}], got ${describeValue(topK)}`,
    );
  const minCategoryCount = o.minCategoryCount ?? 1;
  if (!Number.isInteger(minCategoryCount) || minCategoryCount < 1)
    throw new ConfigError(
      `expected minCategoryCount to be an integer >= 1, got ${describeValue(minCategoryCount)}`,
    );
  return { scale, topK, hllPrecision, minCategoryCount };
}
