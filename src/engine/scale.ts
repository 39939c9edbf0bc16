/**
 * The sketch-scale check shared by the engine and the facades (its own file so
 * the caller's bundle does not pull in the sketch service).
 */
import { ConfigError, describeValue } from '../errors.js';
import { MAX_SCALE, MIN_SCALE } from '../kernel/kernel.js';

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
  if (
    typeof scale !== 'number' ||
    !Number.isInteger(scale) ||
    scale < MIN_SCALE ||
    scale > MAX_SCALE
  ) {
    throw new ConfigError(
      `expected scale to be an integer in [${MIN_SCALE}, ${MAX_SCALE}], got ${describeValue(scale)}`,
    );
  }
  return scale;
}
