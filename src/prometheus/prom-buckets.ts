/**
 * Classic histogram bucket boundaries: defaults, generators and validation.
 */
import { ConfigError, describeValue } from '../errors.js';
import { numberOption } from '../util/options.js';

/** prom-client's default boundaries (seconds). */
export const DEFAULT_BUCKETS: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
]);

/**
 * `count` boundaries `start, start + width, …`.
 *
 * @param start - first boundary.
 * @param width - step, > 0.
 * @param count - number of boundaries, ≥ 1.
 * @returns the boundaries.
 * @throws ConfigError on a non-positive width or count.
 * @example
 * linearBuckets(0, 10, 3); // => [0, 10, 20]
 */
export function linearBuckets(start: number, width: number, count: number): number[] {
  if (!(width > 0) || !Number.isFinite(start))
    throw new ConfigError(
      `expected a finite start and width > 0, got start ${describeValue(start)}, width ${describeValue(width)}`,
    );
  numberOption('count', count, { above: 0, integer: true });
  return Array.from({ length: count }, (_, i) => start + i * width);
}

/**
 * `count` boundaries `start, start·factor, start·factor², …`.
 *
 * @param start - first boundary, > 0.
 * @param factor - growth, > 1.
 * @param count - number of boundaries, ≥ 1.
 * @returns the boundaries.
 * @throws ConfigError on start ≤ 0, factor ≤ 1 or a bad count.
 * @example
 * exponentialBuckets(1, 2, 4); // => [1, 2, 4, 8]
 */
export function exponentialBuckets(start: number, factor: number, count: number): number[] {
  if (!(start > 0) || !(factor > 1))
    throw new ConfigError(
      `expected start > 0 and factor > 1, got start ${describeValue(start)}, factor ${describeValue(factor)}`,
    );
  numberOption('count', count, { above: 0, integer: true });
  return Array.from({ length: count }, (_, i) => start * factor ** i);
}

/**
 * Validates boundaries: finite numbers, strictly ascending; a trailing `+Inf`
 * is accepted and removed (it is always implied).
 *
 * @param buckets - the configured boundaries.
 * @param name - metric name, for the message.
 * @returns a frozen copy without `+Inf`.
 * @throws ConfigError when not an array of ascending finite numbers.
 */
export function validateBuckets(buckets: unknown, name: string): readonly number[] {
  if (!Array.isArray(buckets))
    throw new ConfigError(
      `expected buckets to be an array of numbers for "${name}", got ${describeValue(buckets)}`,
    );
  const out = buckets[buckets.length - 1] === Infinity ? buckets.slice(0, -1) : [...buckets];
  for (let i = 0; i < out.length; i++) {
    const b: unknown = out[i];
    if (typeof b !== 'number' || !Number.isFinite(b))
      throw new ConfigError(
        `expected finite bucket boundaries for "${name}", got ${describeValue(b)} at index ${i}`,
      );
    if (i > 0 && !(b > (out[i - 1] as number))) {
      throw new ConfigError(
        `expected strictly ascending bucket boundaries for "${name}", got ${describeValue(b)} after ${describeValue(out[i - 1])}`,
      );
    }
  }
  return Object.freeze(out as number[]);
}
