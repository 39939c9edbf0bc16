/**
 * Option validation, once for the whole library: every constructor checks its
 * numbers, functions and enumerations here, so a bad option is always a
 * `ConfigError` phrased "expected <key> to be …, got …".
 */
import { ConfigError, describeValue } from '../errors.js';

/** What a number option must be. Without bounds: any finite number. */
export interface NumberCheck {
  /** Smallest allowed value, inclusive. */
  min?: number;
  /** Exclusive lower bound (`above: 0`: positive). */
  above?: number;
  /** Largest allowed value, inclusive. */
  max?: number;
  /** Whole numbers only. */
  integer?: boolean;
  /** Whether `Infinity` is allowed (default false). */
  infinite?: boolean;
}

/** The wording of a check, e.g. "a positive integer" or "a finite number >= 0". */
function describeCheck(c: NumberCheck): string {
  const kind = c.integer ? 'integer' : 'number';
  if (c.above === 0 && c.min === undefined && c.max === undefined)
    return `a positive ${c.infinite || c.integer ? '' : 'finite '}${kind}`;
  const bounds: string[] = [];
  if (c.min !== undefined && c.max !== undefined) bounds.push(`in [${c.min}, ${c.max}]`);
  else {
    if (c.min !== undefined) bounds.push(`>= ${c.min}`);
    if (c.max !== undefined) bounds.push(`<= ${c.max}`);
  }
  if (c.above !== undefined) bounds.push(`> ${c.above}`);
  const article = c.integer ? 'an' : 'a';
  return `${article} ${c.infinite || c.integer ? '' : 'finite '}${kind}${bounds.length ? ' ' + bounds.join(' and ') : ''}`;
}

/**
 * Checks a number option.
 *
 * @param key - the option's name, for the message.
 * @param value - the value given.
 * @param check - bounds, integer, whether Infinity is allowed.
 * @param where - the class or function, prefixed to the message when given.
 * @returns the value.
 * @throws ConfigError "expected <key> to be <check>, got <value>".
 * @example
 * numberOption('intervalMs', 0, { above: 0 }); // throws: expected intervalMs to be a positive finite number, got 0
 */
export function numberOption(
  key: string,
  value: unknown,
  check: NumberCheck = {},
  where?: string,
): number {
  const ok =
    typeof value === 'number' &&
    !Number.isNaN(value) &&
    (check.infinite === true || Number.isFinite(value)) &&
    (check.integer !== true || Number.isInteger(value)) &&
    (check.min === undefined || value >= check.min) &&
    (check.max === undefined || value <= check.max) &&
    (check.above === undefined || value > check.above);
  if (!ok) {
    const prefix = where === undefined ? '' : `${where}: `;
    throw new ConfigError(
      `${prefix}expected ${key} to be ${describeCheck(check)}, got ${describeValue(value)}`,
    );
  }
  return value;
}

/**
 * Checks an optional number option and applies its default.
 *
 * @param key - the option's name.
 * @param value - the value given (undefined: the default).
 * @param dflt - the default (not checked).
 * @param check - see {@link numberOption}.
 * @param where - the class or function, for the message.
 * @returns the value or the default.
 * @throws ConfigError when a value is given and fails the check.
 * @example
 * optionalNumber('cooldownMs', undefined, 0, { min: 0 }); // => 0
 */
export function optionalNumber(
  key: string,
  value: unknown,
  dflt: number,
  check: NumberCheck = {},
  where?: string,
): number {
  return value === undefined ? dflt : numberOption(key, value, check, where);
}

/**
 * Checks that an option is a function (when given).
 *
 * @param key - the option's name.
 * @param value - the value given.
 * @param where - the class or function, for the message.
 * @returns the function, or undefined when not given.
 * @throws ConfigError when a value is given and is not a function.
 * @example
 * optionalFunction('now', Date.now); // => Date.now
 */
export function optionalFunction<F extends (...args: never[]) => unknown>(
  key: string,
  value: F | undefined,
  where?: string,
): F | undefined {
  if (value !== undefined && typeof value !== 'function') {
    const prefix = where === undefined ? '' : `${where}: `;
    throw new ConfigError(`${prefix}expected ${key} to be a function, got ${describeValue(value)}`);
  }
  return value;
}
