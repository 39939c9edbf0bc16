/**
 * Writers for the Prometheus text exposition format 0.0.4 and OpenMetrics 1.0,
 * plus content-type negotiation. Input is a list of {@link MetricFamily}
 * snapshots; output is the exact text a scraper receives.
 *
 * Differences handled here:
 * - counters: the sample is `<base>_total` in both formats; OpenMetrics names the
 *   family `<base>` and adds `<base>_created`.
 * - OpenMetrics writes `# UNIT`, `_created` for counters, histograms and
 *   summaries, escapes `"` in HELP, and ends with `# EOF`.
 * - histogram buckets are written ascending and end with `le="+Inf"` = `_count`.
 */
import type { Labels, MetricFamily } from './prom-model.js';
import { counterBaseName } from './prom-names.js';
import {
  escapeHelpOpenMetrics,
  escapeHelpText,
  escapeLabelValue,
  formatValue,
} from './prom-escape.js';

/** Content type of the text format 0.0.4. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
/** Content type of OpenMetrics 1.0. */
export const OPENMETRICS_CONTENT_TYPE =
  'application/openmetrics-text; version=1.0.0; charset=utf-8';

/** An exposition format: `'prometheus'` (text 0.0.4) or `'openmetrics'` (1.0). */
export type ExpositionFormat = 'prometheus' | 'openmetrics';

/**
 * Picks the format for an HTTP `Accept` header, as Prometheus' scraper expects:
 * OpenMetrics when the client lists `application/openmetrics-text` with q > 0,
 * otherwise text 0.0.4.
 *
 * @param accept - the request's Accept header (may be undefined).
 * @returns the format to answer with.
 * @example
 * negotiateFormat('application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5'); // => 'openmetrics'
 * negotiateFormat('*\/*'); // => 'prometheus'
 */
export function negotiateFormat(accept: string | undefined): ExpositionFormat {
  if (!accept) return 'prometheus';
  for (const part of accept.split(',')) {
    const [type, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (type !== 'application/openmetrics-text') continue;
    const q = params.find((p) => p.startsWith('q='));
    if (q === undefined || Number(q.slice(2)) > 0) return 'openmetrics';
  }
  return 'prometheus';
}

/**
 * The content type for a format.
 *
 * @param format - the exposition format.
 * @returns the HTTP Content-Type value.
 * @example
 * contentTypeFor('prometheus'); // => 'text/plain; version=0.0.4; charset=utf-8'
 */
export function contentTypeFor(format: ExpositionFormat): string {
  return format === 'openmetrics' ? OPENMETRICS_CONTENT_TYPE : PROMETHEUS_CONTENT_TYPE;
}

/**
 * Writes families in the requested format.
 *
 * @param families - snapshots, in output order (names must be unique).
 * @param format - `'prometheus'` (default) or `'openmetrics'`.
 * @returns the exposition text (OpenMetrics ends with `# EOF\n`). Cost O(series × buckets).
 * @example
 * formatExposition([{ name: 'up', help: 'Up', type: 'gauge', points: [{ labels: {}, value: 1 }] }]);
 * // => '# HELP up Up\n# TYPE up gauge\nup 1\n'
 */
export function formatExposition(
  families: readonly MetricFamily[],
  format: ExpositionFormat = 'prometheus',
): string {
  const om = format === 'openmetrics';
  const out: string[] = [];
  for (const family of families) writeFamily(out, family, om);
  if (om) out.push('# EOF\n');
  return out.join('');
}

/**
 * The metadata lines of a family (`# HELP`, `# TYPE`, OpenMetrics' `# UNIT`), for
 * writers that stream a family's samples in pieces (see {@link formatSamples}).
 *
 * @param f - the family (its points are not read).
 * @param format - `'prometheus'` (default) or `'openmetrics'`.
 * @returns the header text, newline-terminated.
 * @example
 * formatFamilyHeader({ name: 'up', help: 'Up', type: 'gauge', points: [] }); // => '# HELP up Up\n# TYPE up gauge\n'
 */
export function formatFamilyHeader(
  f: MetricFamily,
  format: ExpositionFormat = 'prometheus',
): string {
  const om = format === 'openmetrics';
  const familyName =
    f.type === 'counter'
      ? om
        ? counterBaseName(f.name)
        : `${counterBaseName(f.name)}_total`
      : f.name;
  let out = `# HELP ${familyName} ${om ? escapeHelpOpenMetrics(f.help) : escapeHelpText(f.help)}\n`;
  out += `# TYPE ${familyName} ${f.type}\n`;
  if (om && f.unit) out += `# UNIT ${familyName} ${f.unit}\n`;
  return out;
}

/**
 * The sample lines of a family, without its header: a family's samples may be
 * written as several pieces under one {@link formatFamilyHeader}. Points
 * without `created` give the same lines in both formats.
 *
 * @param f - the family.
 * @param format - `'prometheus'` (default) or `'openmetrics'` (adds `_created` where set).
 * @returns the lines, newline-terminated ('' for no points). Cost O(points × buckets).
 * @example
 * formatSamples({ name: 'up', help: 'Up', type: 'gauge', points: [{ labels: {}, value: 1 }] }); // => 'up 1\n'
 */
export function formatSamples(f: MetricFamily, format: ExpositionFormat = 'prometheus'): string {
  const out: string[] = [];
  writeSamples(out, f, format === 'openmetrics');
  return out.join('');
}

function writeFamily(out: string[], f: MetricFamily, om: boolean): void {
  out.push(formatFamilyHeader(f, om ? 'openmetrics' : 'prometheus'));
  writeSamples(out, f, om);
}

function writeSamples(out: string[], f: MetricFamily, om: boolean): void {
  // The label set is escaped once per point, not once per line (a histogram has one line per bucket).
  switch (f.type) {
    case 'counter': {
      const base = counterBaseName(f.name);
      for (const p of f.points) {
        const body = labelBody(p.labels);
        out.push(line(`${base}_total`, body, p.value));
        if (om && p.created !== undefined) out.push(line(`${base}_created`, body, p.created));
      }
      return;
    }
    case 'gauge':
      for (const p of f.points) out.push(line(f.name, labelBody(p.labels), p.value));
      return;
    case 'histogram':
      for (const p of f.points) {
        const body = labelBody(p.labels);
        for (const b of p.buckets)
          out.push(line(`${f.name}_bucket`, withLabel(body, 'le', b.le), b.count));
        writeTotals(out, f.name, body, p, om);
      }
      return;
    case 'summary':
      for (const p of f.points) {
        const body = labelBody(p.labels);
        for (const q of p.quantiles)
          out.push(line(f.name, withLabel(body, 'quantile', q.quantile), q.value));
        writeTotals(out, f.name, body, p, om);
      }
      return;
  }
}

/** A label body with one more numeric label (`le`, `quantile`) appended. */
function withLabel(body: string, name: string, value: number): string {
  return `${body}${body ? ',' : ''}${name}="${formatValue(value)}"`;
}

/** The `_count` and `_sum` lines of a histogram or summary point, and `_created` in OpenMetrics. */
function writeTotals(
  out: string[],
  name: string,
  body: string,
  p: { count: number; sum: number; created?: number | undefined },
  om: boolean,
): void {
  out.push(line(`${name}_count`, body, p.count));
  out.push(line(`${name}_sum`, body, p.sum));
  if (om && p.created !== undefined) out.push(line(`${name}_created`, body, p.created));
}

/** `k="v",…` with escaped values ('' for no labels). */
function labelBody(labels: Labels): string {
  let body = '';
  for (const key in labels) {
    body += `${body ? ',' : ''}${key}="${escapeLabelValue(labels[key] as string)}"`;
  }
  return body;
}

function line(name: string, body: string, value: number): string {
  return body ? `${name}{${body}} ${formatValue(value)}\n` : `${name} ${formatValue(value)}\n`;
}
