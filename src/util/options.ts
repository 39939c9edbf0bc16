/**
 * Option validation, once for the whole library: every constructor checks its
 * numbers, functions and enumerations here, so a bad option is always a
 * `ConfigError` phrased "expected <key> to be …, got …".
 */
import { ConfigError, describeValue } from '../errors.js';
import { MAX_SCALE, MIN_SCALE } from '../kernel/kernel.js';

/** What a number option must be. Without bounds: any finite number. */
export interface NumberCheck {
  /** Smallest allowed value, inclusive. */
  min?: number;
  /** Exclusive lower bound (`above: 0`: positive). */
  above?: number;
  /** Largest allowed value, inclusive. */
  max?: number;
  /** Exclusive upper bound (`above: 0, below: 1`: in (0, 1)). */
  below?: number;
  /** Whole numbers only. */
  integer?: boolean;
  /** Whether `Infinity` is allowed (default false). */
  infinite?: boolean;
}

/** The wording of a check, e.g. "a positive integer" or "a finite number >= 0". */
function describeCheck(c: NumberCheck): string {
  const kind = c.integer ? 'integer' : 'number';
  if (c.above === 0 && c.min === undefined && c.max === undefined && c.below === undefined)
    return `a positive ${c.infinite || c.integer ? '' : 'finite '}${kind}`;
  const bounds: string[] = [];
  if (c.min !== undefined && c.max !== undefined) bounds.push(`in [${c.min}, ${c.max}]`);
  else if (c.above !== undefined && c.below !== undefined)
    bounds.push(`in (${c.above}, ${c.below})`);
  else {
    if (c.min !== undefined) bounds.push(`>= ${c.min}`);
    if (c.max !== undefined) bounds.push(`<= ${c.max}`);
  }
  if (c.above !== undefined && (c.below === undefined || c.max !== undefined))
    bounds.push(`> ${c.above}`);
  if (c.below !== undefined && (c.above === undefined || c.min !== undefined))
    bounds.push(`< ${c.below}`);
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
    (check.above === undefined || value > check.above) &&
    (check.below === undefined || value < check.below);
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

/**
 * Checks an enumerated option.
 *
 * @param key - the option's name, for the message.
 * @param value - the value given.
 * @param allowed - the allowed values.
 * @param where - the class or function, prefixed to the message when given.
 * @returns the value, narrowed to the allowed ones.
 * @throws ConfigError "expected <key> to be one of <allowed>, got <value>".
 * @example
 * oneOfOption('mode', 'worker', ['auto', 'worker', 'inline']); // => 'worker'
 */
export function oneOfOption<T extends string>(
  key: string,
  value: unknown,
  allowed: readonly T[],
  where?: string,
): T {
  if (!(allowed as readonly unknown[]).includes(value)) {
    const prefix = where === undefined ? '' : `${where}: `;
    throw new ConfigError(
      `${prefix}expected ${key} to be one of ${allowed.join(', ')}, got ${describeValue(value)}`,
    );
  }
  return value as T;
}

/**
 * Checks that options were given as an object.
 *
 * @param value - the options argument.
 * @param where - the class or function, prefixed to the message when given.
 * @throws ConfigError "expected an options object, got <value>".
 * @example
 * optionsObject(null); // throws: expected an options object, got null
 */
export function optionsObject(value: unknown, where?: string): asserts value is object {
  if (typeof value !== 'object' || value === null) {
    const prefix = where === undefined ? '' : `${where}: `;
    throw new ConfigError(`${prefix}expected an options object, got ${describeValue(value)}`);
  }
}

/**
 * Checks a string option that must not be empty.
 *
 * @param key - the option's name, for the message.
 * @param value - the value given.
 * @param where - the class or function, prefixed to the message when given.
 * @throws ConfigError "expected <key> to be a non-empty string, got <value>".
 * @example
 * nonEmptyString('name', ''); // throws: expected name to be a non-empty string, got ""
 */
export function nonEmptyString(
  key: string,
  value: unknown,
  where?: string,
): asserts value is string {
  if (typeof value !== 'string' || value.length === 0) {
    const prefix = where === undefined ? '' : `${where}: `;
    throw new ConfigError(
      `${prefix}expected ${key} to be a non-empty string, got ${describeValue(value)}`,
    );
  }
}

/** One entry of {@link numberOptions}: the default (not checked) and the check. */
export type NumberSpec = readonly [dflt: number, check: NumberCheck];

/**
 * Checks several number options of one options object and applies their defaults.
 *
 * @param given - the options given (other keys are ignored).
 * @param spec - per option: its default and its check.
 * @param where - the class or function, for the message.
 * @returns every option of `spec`, checked or defaulted.
 * @throws ConfigError naming the first option that fails its check.
 * @example
 * numberOptions({ clock: 16 }, { clock: [32, { min: 1, integer: true }] }, 'ADWIN'); // => { clock: 16 }
 */
export function numberOptions<K extends string>(
  given: { readonly [P in NoInfer<K>]?: unknown },
  spec: { readonly [P in K]: NumberSpec },
  where?: string,
): { [P in K]: number } {
  const out = {} as { [P in K]: number };
  for (const key of Object.keys(spec) as K[]) {
    const [dflt, check] = spec[key];
    out[key] = optionalNumber(key, given[key], dflt, check, where);
  }
  return out;
}

/**
 * Checks a sketch scale.
 * @param scale - the value to check.
 * @throws ConfigError unless `scale` is an integer in [MIN_SCALE, MAX_SCALE].
 * @example assertScale(7) // ok; assertScale(11) throws
 */
export function assertScale(scale: unknown): asserts scale is number {
  // Written out rather than through the validators above: the engine workers
  // need this one alone.
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
}

/**
 * Checks a sketch scale and returns it, for option objects and arguments.
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
