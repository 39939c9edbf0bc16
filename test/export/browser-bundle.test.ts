/**
 * The Prometheus classes and exporters bundle for the browser without Node
 * built-ins (`node:http` is imported by a computed specifier only when
 * `serveMetrics` runs), and the bundle works synchronously in a bare JS
 * context that has no `process`, `Buffer` or `require` — as in a page or a worker.
 */
import { runInNewContext } from 'node:vm';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('browser bundle of src/metrics + src/export', () => {
  it('builds for platform=browser with no Node built-in in its inputs, and runs in a bare context', async () => {
    const result = await build({
      stdin: {
        contents: [
          // the whole edgewatch/prometheus entry: the metric classes, the exporter and src/export
          "export * from './src/entry/prometheus.js';",
        ].join('\n'),
        resolveDir: root,
        loader: 'ts',
      },
      bundle: true,
      platform: 'browser',
      format: 'iife',
      globalName: 'prom',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((i) => i.includes('src/prometheus/registry.ts'))).toBe(true);
    expect(inputs.filter((i) => i.startsWith('node:') || i.includes('node_modules'))).toEqual([]);
    const code = result.outputFiles[0]?.text ?? '';
    const sandbox: Record<string, unknown> = {
      TextEncoder,
      btoa,
      performance,
      console,
    };
    runInNewContext(
      `${code}
      var registry = new prom.Registry();
      var c = new prom.Counter({ name: 'page_predictions_total', help: 'Predictions', labelNames: ['model'], registry: registry });
      c.labels({ model: 'perception' }).inc(3);
      var h = new prom.Histogram({ name: 'page_latency_seconds', help: 'Latency', buckets: [0.25, 1], sketch: true, registry: registry });
      h.observe(0.1); h.observe(0.5);
      var s = new prom.Summary({ name: 'page_window_seconds', help: 'Window', percentiles: [0.5], registry: registry });
      s.observe(2);
      registry.metrics().then(function (t) { result = t; });`,
      sandbox,
    );
    await new Promise((r) => setTimeout(r, 0));
    const text = sandbox['result'] as string;
    expect(typeof sandbox['process']).toBe('undefined');
    expect(text).toContain('page_predictions_total{model="perception"} 3');
    expect(text).toContain('page_latency_seconds_bucket{le="0.25"} 1');
    expect(text).toContain('page_window_seconds_count 1');
  });
});
