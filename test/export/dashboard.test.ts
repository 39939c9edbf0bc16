/**
 * The Grafana dashboard, provisioning and Prometheus config, checked
 * structurally: every query names only metrics edgewatch exports
 * (`EDGEWATCH_METRICS`), the required panels exist, and `promtool` accepts the
 * Prometheus config and its rules.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allMetricNames, EDGEWATCH_METRICS } from '../../src/export/metric-names.js';
import { isValidMetricName } from '../../src/export/prom-names.js';
import { PROMTOOL, promtoolMissing } from '../support/promtool.js';

const root = new URL('../../', import.meta.url);
const read = (p: string): string => readFileSync(new URL(p, root), 'utf8');

/** PromQL words that are not metric names. */
const PROMQL_WORDS = new Set([
  ...[
    'sum',
    'avg',
    'min',
    'max',
    'count',
    'group',
    'stddev',
    'stdvar',
    'topk',
    'bottomk',
    'quantile',
    'count_values',
  ],
  ...[
    'by',
    'without',
    'on',
    'ignoring',
    'group_left',
    'group_right',
    'offset',
    'bool',
    'and',
    'or',
    'unless',
    'inf',
    'nan',
  ],
  ...[
    'rate',
    'irate',
    'increase',
    'delta',
    'idelta',
    'deriv',
    'histogram_quantile',
    'time',
    'vector',
    'scalar',
    'abs',
    'clamp_min',
    'clamp_max',
  ],
  ...[
    'label_values',
    'label_replace',
    'avg_over_time',
    'max_over_time',
    'min_over_time',
    'sum_over_time',
    'absent',
    'changes',
    'resets',
  ],
]);

/** Metric names referenced by a PromQL expression (strings, label matchers, groupings, ranges and variables removed). */
function metricNamesIn(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\$\w+/g, '')
    .replace(/label_values\(([^,)]*),\s*\w+\)/g, 'label_values($1)');
  const words = stripped.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? [];
  return [...new Set(words.filter((w) => !PROMQL_WORDS.has(w.toLowerCase())))];
}

/** A name is exported when listed, or a histogram/summary sample of a listed name. */
function isExported(name: string): boolean {
  const names = new Set(allMetricNames());
  if (names.has(name)) return true;
  const m = /^(.*)_(bucket|count|sum)$/.exec(name);
  return m !== null && names.has(m[1] as string);
}

interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { h: number; w: number; x: number; y: number };
  datasource?: { type: string; uid: string };
  targets?: { expr: string; refId: string; format?: string }[];
}

const dashboard = JSON.parse(read('dashboards/grafana/edgewatch.json')) as {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: { name: string; type: string; query: unknown }[] };
};
const queryPanels = dashboard.panels.filter((p) => p.type !== 'row');
const exprs = queryPanels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));

describe('metric names', () => {
  it('are valid, unique, edgewatch_-prefixed Prometheus names', () => {
    const names = allMetricNames();
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) {
      expect(isValidMetricName(n)).toBe(true);
      expect(n.startsWith('edgewatch_')).toBe(true);
      expect(n).not.toMatch(/_ms$|_ms_/); // base units only (promtool lint)
    }
  });
  it('the PromQL name extractor works (it can fail)', () => {
    expect(
      metricNamesIn('histogram_quantile(0.99, sum by (le) (rate(foo_bucket{a="b",c=~"$x"}[5m])))'),
    ).toEqual(['foo_bucket']);
    expect(metricNamesIn('time() - max by (device) (bar_seconds)')).toEqual(['bar_seconds']);
    expect(metricNamesIn('label_values(baz_total{m=~"$model"}, device)')).toEqual(['baz_total']);
    expect(isExported('foo_bucket')).toBe(false);
    expect(isExported(`${EDGEWATCH_METRICS.latency}_bucket`)).toBe(true);
  });
});

describe('Grafana dashboard', () => {
  it('every panel query names only metrics edgewatch exports', () => {
    expect(exprs.length).toBeGreaterThan(10);
    for (const e of exprs) {
      const names = metricNamesIn(e);
      expect(names.length, e).toBeGreaterThan(0);
      for (const n of names) expect(isExported(n), `${n} in ${e}`).toBe(true);
    }
  });

  it('has the required panels: latency p50/p95/p99, heatmap, accuracy, degradation, drift per feature, alerts firing, dropped/queued windows', () => {
    const all = exprs.join('\n');
    for (const q of ['0.5', '0.95', '0.99'])
      expect(all).toContain(
        `histogram_quantile(${q}, sum by (le, model) (rate(${EDGEWATCH_METRICS.latency}_bucket`,
      );
    const heatmap = queryPanels.find((p) => p.type === 'heatmap');
    expect(heatmap?.targets?.[0]?.expr).toContain(`${EDGEWATCH_METRICS.latency}_bucket`);
    expect(heatmap?.targets?.[0]?.format).toBe('heatmap');
    for (const key of [
      'accuracy',
      'degradation',
      'drift',
      'driftDetected',
      'alertsFiring',
      'windowsDropped',
      'windowsQueued',
    ] as const) {
      expect(all, key).toContain(EDGEWATCH_METRICS[key]);
    }
    expect(
      exprs.some((e) => e.includes(EDGEWATCH_METRICS.drift) && /by \([^)]*feature/.test(e)),
    ).toBe(true);
  });

  it('is structurally sound: unique ids and refIds, grid inside 24 columns, templated Prometheus data source', () => {
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(dashboard.uid).toBe('edgewatch-overview');
    for (const p of dashboard.panels) {
      expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
      expect(p.gridPos.h).toBeGreaterThan(0);
    }
    for (const p of queryPanels) {
      expect(p.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
      const refIds = (p.targets ?? []).map((t) => t.refId);
      expect(new Set(refIds).size).toBe(refIds.length);
    }
    const vars = dashboard.templating.list.map((v) => v.name);
    expect(vars).toEqual(['datasource', 'model', 'device']);
    for (const v of dashboard.templating.list.filter((t) => t.type === 'query')) {
      const q = (v.query as { query: string }).query;
      for (const n of metricNamesIn(q)) expect(isExported(n), q).toBe(true);
    }
  });

  it('provisioning points Grafana at Prometheus and at the dashboard folder', () => {
    const ds = read('dashboards/grafana/provisioning/datasources/prometheus.yaml');
    expect(ds).toMatch(/^apiVersion: 1$/m);
    expect(ds).toMatch(/type: prometheus/);
    expect(ds).toMatch(/uid: edgewatch-prometheus/);
    expect(ds).toMatch(/url: http:\/\/127\.0\.0\.1:9090/);
    const dash = read('dashboards/grafana/provisioning/dashboards/edgewatch.yaml');
    expect(dash).toMatch(/type: file/);
    expect(dash).toMatch(/path: \/var\/lib\/grafana\/dashboards\/edgewatch/);
    // the default data source uid of the dashboard variable is the provisioned one
    expect(JSON.stringify(dashboard.templating.list[0])).toContain('edgewatch-prometheus');
  });
});

describe('prometheus.yml and rules', () => {
  it('scrape the collector at 127.0.0.1:9464/metrics', () => {
    const cfg = read('prometheus.yml');
    expect(cfg).toMatch(/targets: \['127\.0\.0\.1:9464'\]/);
    expect(cfg).toMatch(/metrics_path: \/metrics/);
  });
  it('rule expressions name only exported metrics', () => {
    const rules = read('dashboards/prometheus/edgewatch-rules.yml');
    const ruleExprs = [...rules.matchAll(/^\s+expr: (.*)$/gm)].map((m) => m[1] as string);
    expect(ruleExprs.length).toBe(6);
    for (const e of ruleExprs)
      for (const n of metricNamesIn(e)) expect(isExported(n), `${n} in ${e}`).toBe(true);
  });
  it.skipIf(promtoolMissing)(
    'promtool check config accepts prometheus.yml and its rule file',
    () => {
      const r = spawnSync(PROMTOOL, ['check', 'config', 'prometheus.yml'], {
        cwd: new URL('.', root).pathname,
        encoding: 'utf8',
        timeout: 20_000,
      });
      expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
      expect(r.stdout).toContain('6 rules found');
    },
  );
});
