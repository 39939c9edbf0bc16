/**
 * Escaping and number formatting shared by the Prometheus text (0.0.4) and
 * OpenMetrics 1.0 writers. The two formats differ only in HELP escaping:
 * OpenMetrics also escapes the double quote there.
 */

/**
 * Escapes a label value (both formats): backslash, double quote and line feed.
 *
 * @param value - raw label value.
 * @returns the value as written between the quotes.
 * @example
 * escapeLabelValue('a"b\\c\nd'); // => 'a\\"b\\\\c\\nd'
 */
export function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n]/g, escapeChar);
}

/**
 * Escapes HELP text for the text format 0.0.4: backslash and line feed only
 * (a `\"` there is an invalid escape for Prometheus' parser).
 *
 * @param help - raw help text.
 * @returns escaped text.
 * @example
 * escapeHelpText('a\\b\nc "q"'); // => 'a\\\\b\\nc "q"'
 */
export function escapeHelpText(help: string): string {
  return help.replace(/[\\\n]/g, escapeChar);
}

/**
 * Escapes HELP text for OpenMetrics 1.0: backslash, double quote and line feed.
 *
 * @param help - raw help text.
 * @returns escaped text.
 * @example
 * escapeHelpOpenMetrics('say "hi"'); // => 'say \\"hi\\"'
 */
export function escapeHelpOpenMetrics(help: string): string {
  return help.replace(/[\\"\n]/g, escapeChar);
}

function escapeChar(c: string): string {
  return c === '\n' ? '\\n' : `\\${c}`;
}

/**
 * Formats a sample value the way both formats and Go's `ParseFloat` accept:
 * `NaN`, `+Inf`, `-Inf`, otherwise the shortest round-trip decimal.
 *
 * @param value - the number.
 * @returns its text form.
 * @example
 * formatValue(Infinity); // => '+Inf'
 * formatValue(0.1); // => '0.1'
 */
export function formatValue(value: number): string {
  // A non-number (e.g. null from a JSON row) would make the whole exposition unparseable.
  if (typeof value !== 'number' || Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}
