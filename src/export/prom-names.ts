/**
 * Prometheus naming rules: which metric and label names are valid, and the
 * sample names a family exposes. Used by the metric classes (validation at
 * construction) and by the exposition writers.
 */

/** Valid metric name: `[a-zA-Z_:][a-zA-Z0-9_:]*`. */
export const METRIC_NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
/** Valid label name: `[a-zA-Z_][a-zA-Z0-9_]*` (names starting `__` are reserved). */
export const LABEL_NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** Valid OpenMetrics unit: `[a-zA-Z0-9_:]+` is allowed; edgewatch keeps to `[a-z0-9_]+`. */
export const UNIT_RE = /^[a-zA-Z0-9_]+$/;

/**
 * Whether `name` is a valid Prometheus metric name.
 *
 * @param name - candidate name.
 * @returns true when it matches {@link METRIC_NAME_RE}.
 * @example
 * isValidMetricName('http_requests_total'); // => true
 * isValidMetricName('2xx'); // => false
 */
export function isValidMetricName(name: unknown): name is string {
  return typeof name === 'string' && METRIC_NAME_RE.test(name);
}

/**
 * Whether `name` is a valid label name a user may set (not reserved `__…`).
 *
 * @param name - candidate label name.
 * @returns true when valid and not reserved.
 * @example
 * isValidLabelName('model'); // => true
 * isValidLabelName('__name__'); // => false
 */
export function isValidLabelName(name: unknown): name is string {
  return typeof name === 'string' && LABEL_NAME_RE.test(name) && !name.startsWith('__');
}

/**
 * The family name of a counter in OpenMetrics (the configured name without a
 * trailing `_total`). Its sample is always `<base>_total`, in both formats.
 *
 * @param name - the counter's configured name.
 * @returns the name without `_total`.
 * @example
 * counterBaseName('predictions_total'); // => 'predictions'
 * counterBaseName('requests'); // => 'requests'
 */
export function counterBaseName(name: string): string {
  return name.endsWith('_total') ? name.slice(0, -'_total'.length) : name;
}

/**
 * Every sample name a family of `type` named `name` may write (both formats),
 * for duplicate detection across a registry.
 *
 * @param type - metric type.
 * @param name - configured metric name.
 * @returns the family names and sample names.
 * @example
 * exposedNames('histogram', 'lat_seconds'); // => ['lat_seconds', 'lat_seconds_bucket', 'lat_seconds_count', 'lat_seconds_sum', 'lat_seconds_created']
 */
export function exposedNames(
  type: 'counter' | 'gauge' | 'histogram' | 'summary',
  name: string,
): string[] {
  switch (type) {
    case 'counter': {
      const base = counterBaseName(name);
      return [base, `${base}_total`, `${base}_created`];
    }
    case 'gauge':
      return [name];
    case 'histogram':
      return [name, `${name}_bucket`, `${name}_count`, `${name}_sum`, `${name}_created`];
    case 'summary':
      return [name, `${name}_count`, `${name}_sum`, `${name}_created`];
  }
}
