/**
 * The sketch-scale check for the engine and the facades: the kernel's
 * {@link assertScale}, returning the scale (its own file so the caller's
 * bundle does not pull in the sketch service).
 */
import { assertScale } from '../kernel/kernel.js';

/**
 * Checks a sketch scale.
 *
 * @param scale - candidate scale.
 * @returns the scale, unchanged.
 * @throws ConfigError when it is not an integer in [MIN_SCALE, MAX_SCALE].
 * @example
 * checkScale(7) // => 7
 */
export function checkScale(scale: unknown): number {
  assertScale(scale);
  return scale;
}
