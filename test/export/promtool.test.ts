/**
 * The exposition checked by the real `promtool check metrics` (Debian package
 * `prometheus`, 2.42): exit 0 means it parsed and passed the lint rules.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Registry } from '../../src/prometheus/registry.js';
import { Counter } from '../../src/prometheus/counter.js';
import { Gauge } from '../../src/prometheus/gauge.js';
import { Histogram } from '../../src/prometheus/histogram.js';
import { Summary } from '../../src/prometheus/summary.js';
import { promtoolCheck, promtoolMissing } from '../support/promtool.js';

/** A registry exercising every type, escaping, labels, default labels, overflow and drops. */
function everything(
  help = 'Help with "quotes", a backslash \\ and a\nnewline.',
  labelValue = 'a"b\\c\nd é 🙂',
): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ app: 'edgewatch-test' });
  const c = new Counter({
    name: 'edgewatch_test_predictions_total',
    help,
    labelNames: ['model', 'device'],
    maxSeries: 3,
    registry,
  });
  c.labels({ model: labelValue, device: 'd1' }).inc();
  c.inc({ model: 'perception', device: 'd2' }, 41);
  c.inc({ model: 'x', device: 'd3' });
  c.inc({ model: 'y', device: 'd4' }); // overflow series
  c.inc({ model: 'x', device: 'd3' }, NaN); // dropped, counted
  new Gauge({
    name: 'edgewatch_test_accuracy_ratio',
    help: 'Accuracy.',
    labelNames: ['model'],
    registry,
  }).set({ model: labelValue }, 0.92);
  new Gauge({
    name: 'edgewatch_test_inf',
    help: 'Special values.',
    labelNames: ['kind'],
    registry,
  }).set({ kind: 'inf' }, Infinity);
  const h = new Histogram({
    name: 'edgewatch_test_latency_seconds',
    help: 'Latency.',
    labelNames: ['model'],
    buckets: [0.005, 0.01, 0.1, 1],
    registry,
  });
  for (const v of [0.001, 0.007, 0.05, 0.5, 3]) h.observe({ model: labelValue }, v);
  const hs = new Histogram({
    name: 'edgewatch_test_sketch_latency_seconds',
    help: 'Sketch latency.',
    buckets: [0.0078125, 0.125, 2],
    sketch: true,
    registry,
  });
  for (let i = 1; i <= 100; i++) hs.observe(i / 50);
  const s = new Summary({
    name: 'edgewatch_test_window_seconds',
    help: 'Window.',
    labelNames: ['model'],
    percentiles: [0.5, 0.9, 0.99],
    registry,
  });
  for (let i = 1; i <= 100; i++) s.observe({ model: 'perception' }, i / 10);
  new Summary({
    name: 'edgewatch_test_empty_seconds',
    help: 'Empty summary (NaN quantiles).',
    registry,
  });
  return registry;
}

describe.skipIf(promtoolMissing)('promtool check metrics', () => {
  it('accepts a registry exercising every type, escaping and labels (exit 0)', async () => {
    const text = await everything().metrics();
    expect(text).toContain('# TYPE edgewatch_test_window_seconds summary');
    expect(text).toContain('le="+Inf"');
    expect(text).toContain('\\"');
    expect(text).toContain('edgewatch_metric_samples_dropped_total');
    expect(text).toContain('edgewatch_metric_series_overflow_total');
    const r = promtoolCheck(text);
    expect(r.output).toBe('');
    expect(r.status).toBe(0);
  });

  it('the check can fail: promtool rejects a broken exposition', () => {
    expect(promtoolCheck('# TYPE x counter\nx{a="b} 1\n').status).not.toBe(0);
    expect(
      promtoolCheck('# HELP x_total bad\\"escape\n# TYPE x_total counter\nx_total 1\n').status,
    ).not.toBe(0);
  });

  it('accepts arbitrary help text and label values (property, real promtool)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'grapheme', minLength: 1 }),
        fc.string({ unit: 'grapheme' }),
        async (help, value) => {
          const r = promtoolCheck(await everything(help, value).metrics());
          expect(r.status, r.output).toBe(0);
        },
      ),
      { numRuns: 5 },
    );
  });
});
