import { afterEach, describe, expect, it, vi } from 'vitest';
import { serveMetrics } from '../../src/export/node-server.js';
import type { MetricsServer } from '../../src/export/node-server.js';
import { OPENMETRICS_CONTENT_TYPE, PROMETHEUS_CONTENT_TYPE } from '../../src/export/exposition.js';
import { Registry } from '../../src/prometheus/registry.js';
import { Counter } from '../../src/prometheus/counter.js';
import { ConfigError } from '../../src/errors.js';

const servers: MetricsServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(
  options: Omit<Parameters<typeof serveMetrics>[0], 'port'>,
): Promise<MetricsServer> {
  const s = await serveMetrics({ port: 0, ...options });
  servers.push(s);
  return s;
}

describe('serveMetrics', () => {
  const registry = new Registry();
  new Counter({ name: 'served_total', help: 'Served', registry }).inc(3);

  it('answers GET /metrics on 127.0.0.1 with the exposition', async () => {
    const s = await start({ registry });
    expect(s.url).toBe(`http://127.0.0.1:${s.port}/metrics`);
    expect(s.port).toBeGreaterThan(0);
    const res = await fetch(s.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(PROMETHEUS_CONTENT_TYPE);
    expect(await res.text()).toBe(await registry.metrics());
  });

  it('negotiates OpenMetrics from the Accept header as Prometheus sends it', async () => {
    const s = await start({ registry });
    const res = await fetch(s.url, {
      headers: {
        accept:
          'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
      },
    });
    expect(res.headers.get('content-type')).toBe(OPENMETRICS_CONTENT_TYPE);
    expect((await res.text()).endsWith('# EOF\n')).toBe(true);
  });

  it('a fixed format ignores Accept', async () => {
    const s = await start({ registry, format: 'prometheus' });
    const res = await fetch(s.url, { headers: { accept: 'application/openmetrics-text' } });
    expect(res.headers.get('content-type')).toBe(PROMETHEUS_CONTENT_TYPE);
  });

  it('404 elsewhere, 405 for other methods, HEAD has no body, query strings ignored', async () => {
    const s = await start({ registry, path: '/m' });
    const base = `http://127.0.0.1:${s.port}`;
    expect((await fetch(`${base}/metrics`)).status).toBe(404);
    expect((await fetch(`${base}/m`, { method: 'POST', body: 'x' })).status).toBe(405);
    const head = await fetch(`${base}/m`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect((await fetch(`${base}/m?x=1`)).status).toBe(200);
  });

  it('reports exposition failures to onError with a 500', async () => {
    const onError = vi.fn();
    const s = await start({
      registry: { metrics: () => Promise.reject(new Error('nope')) },
      onError,
    });
    const res = await fetch(s.url);
    expect(res.status).toBe(500);
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'nope' }));
  });

  it('close is idempotent and frees the port', async () => {
    const s = await serveMetrics({ registry, port: 0 });
    await s.close();
    await s.close();
    await expect(fetch(s.url)).rejects.toThrow();
  });

  it('rejects bad options and a taken port', async () => {
    await expect(serveMetrics({ registry: {} as never })).rejects.toThrow(ConfigError);
    await expect(serveMetrics({ registry, port: 70000 })).rejects.toThrow(/port/);
    await expect(serveMetrics({ registry, port: 0, path: 'metrics' })).rejects.toThrow(/path/);
    const s = await start({ registry });
    await expect(serveMetrics({ registry, port: s.port })).rejects.toThrow(/EADDRINUSE/);
  });
});
