/**
 * Shape checks for registry input.
 */

/**
 * Whether a value is a plain object (`{}` or `Object.create(null)`), not an array, class instance or primitive.
 * @param value - anything.
 * @returns true for plain objects.
 * @example isPlainObject({ a: 1 }) // => true
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
