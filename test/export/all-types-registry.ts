/** A registry holding every metric type the OTLP export maps, shared by the OTLP JSON and protobuf tests. */
import { Registry } from '../../src/prometheus/registry.js';
import { Counter } from '../../src/prometheus/counter.js';
import { Gauge } from '../../src/prometheus/gauge.js';
import { Histogram } from '../../src/prometheus/histogram.js';
import { Summary } from '../../src/prometheus/summary.js';

/**
 * A labelled counter, a gauge with a unit, an explicit-bucket histogram, a
 * sketch-backed histogram (scale 3) fed `sketchValues`, a summary and a summary
 * with no observations.
 */
export function allTypesRegistry(sketchValues: readonly number[] = [0, 1, 1.5, 3, 3.1]): Registry {
  const registry = new Registry();
  new Counter({ name: 'jobs_total', help: 'Jobs', labelNames: ['kind'], registry }).inc(
    { kind: 'a' },
    3,
  );
  new Gauge({ name: 'temp_seconds', help: 'T', unit: 'seconds', registry }).set(-1.5);
  const h = new Histogram({ name: 'lat_seconds', help: 'L', buckets: [0.5, 1], registry });
  for (const v of [0.1, 0.7, 2]) h.observe(v);
  const e = new Histogram({
    name: 'elat_ms',
    help: 'E',
    buckets: [1, 2],
    sketch: { scale: 3 },
    registry,
  });
  for (const v of sketchValues) e.observe(v);
  new Summary({ name: 'q', help: 'Q', percentiles: [0.5], registry }).observe(4);
  new Summary({ name: 'empty', help: 'E', percentiles: [0.5], registry });
  return registry;
}
