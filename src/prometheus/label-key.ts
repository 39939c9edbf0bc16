/**
 * The series key of a label set: validates that the set matches a metric's
 * label names exactly and encodes the values length-prefixed, so no two
 * different label sets share a key.
 */
import { ConfigError, describeValue } from '../errors.js';
import type { LabelValues } from './metric-config.js';

/**
 * Validates a label set and returns its series key ('' for a metric without labels).
 *
 * @param name - the metric name (for messages).
 * @param names - the metric's label names, in order.
 * @param labelSet - the same names as a set.
 * @param input - the label values as given.
 * @returns the key, `<len>:<value>|` per label in `names` order.
 * @throws ConfigError when a label is missing, unknown or not a string or number.
 * @example labelSetKey('m', ['a'], new Set(['a']), { a: 'x' }) // => '1:x|'
 * Cost: O(labels).
 */
export function labelSetKey<L extends string>(
  name: string,
  names: readonly L[],
  labelSet: ReadonlySet<string>,
  input: LabelValues<L> | undefined,
): string {
  if (names.length === 0) {
    if (
      input !== undefined &&
      (typeof input !== 'object' || input === null || Object.keys(input).length > 0)
    ) {
      throw new ConfigError(
        `expected no labels for metric "${name}", got ${describeLabels(input)}`,
      );
    }
    return '';
  }
  if (typeof input !== 'object' || input === null) {
    throw new ConfigError(
      `expected labels ${JSON.stringify(names)} for metric "${name}", got ${describeValue(input)}`,
    );
  }
  let n = 0;
  for (const k in input) {
    if (!labelSet.has(k))
      throw new ConfigError(
        `expected labels ${JSON.stringify(names)} for metric "${name}", got unknown label "${k}"`,
      );
    n++;
  }
  if (n !== names.length) {
    throw new ConfigError(
      `expected labels ${JSON.stringify(names)} for metric "${name}", got ${describeLabels(input)}`,
    );
  }
  let key = '';
  for (const l of names) {
    const v: unknown = input[l];
    if (typeof v !== 'string' && typeof v !== 'number') {
      throw new ConfigError(
        `expected label "${l}" of metric "${name}" to be a string or number, got ${describeValue(v)}`,
      );
    }
    const s = String(v);
    key += `${s.length}:${s}|`;
  }
  return key;
}

function describeLabels(input: unknown): string {
  return typeof input === 'object' && input !== null
    ? JSON.stringify(Object.keys(input))
    : describeValue(input);
}
