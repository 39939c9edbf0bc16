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

function writeFamily(out: string[], f: MetricFamily, om: boolean): void {
  const familyName =
    f.type === 'counter'
      ? om
        ? counterBaseName(f.name)
        : `${counterBaseName(f.name)}_total`
      : f.name;
  out.push(`# HELP ${familyName} ${om ? escapeHelpOpenMetrics(f.help) : escapeHelpText(f.help)}\n`);
  out.push(`# TYPE ${familyName} ${f.type}\n`);
  if (om && f.unit) out.push(`# UNIT ${familyName} ${f.unit}\n`);
  switch (f.type) {
    case 'counter': {
      const base = counterBaseName(f.name);
      for (const p of f.points) {
        out.push(sample(`${base}_total`, p.labels, p.value));
        if (om && p.created !== undefined) out.push(sample(`${base}_created`, p.labels, p.created));
      }
      return;
    }
    case 'gauge':
      for (const p of f.points) out.push(sample(f.name, p.labels, p.value));
      return;
    case 'histogram':
      for (const p of f.points) {
        for (const b of p.buckets)
          out.push(sample(`${f.name}_bucket`, p.labels, b.count, 'le', formatValue(b.le)));
        out.push(sample(`${f.name}_count`, p.labels, p.count));
        out.push(sample(`${f.name}_sum`, p.labels, p.sum));
        if (om && p.created !== undefined)
          out.push(sample(`${f.name}_created`, p.labels, p.created));
      }
      return;
    case 'summary':
      for (const p of f.points) {
        for (const q of p.quantiles)
          out.push(sample(f.name, p.labels, q.value, 'quantile', formatValue(q.quantile)));
        out.push(sample(`${f.name}_count`, p.labels, p.count));
        out.push(sample(`${f.name}_sum`, p.labels, p.sum));
        if (om && p.created !== undefined)
          out.push(sample(`${f.name}_created`, p.labels, p.created));
      }
      return;
  }
}

function sample(
  name: string,
  labels: Labels,
  value: number,
  extraName?: string,
  extraValue?: string,
): string {
  let body = '';
  for (const key in labels) {
    body += `${body ? ',' : ''}${key}="${escapeLabelValue(labels[key] as string)}"`;
  }
  if (extraName !== undefined && extraValue !== undefined) {
    body += `${body ? ',' : ''}${extraName}="${extraValue}"`;
  }
  return body ? `${name}{${body}} ${formatValue(value)}\n` : `${name} ${formatValue(value)}\n`;
}
