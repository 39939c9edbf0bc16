/**
 * Round trip through a real Prometheus Pushgateway (Debian package, 1.5) on
 * 127.0.0.1 with persistence off: PUT, POST and DELETE by grouping key, read
 * back from the gateway's own /metrics and its JSON API.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from '../../src/prometheus/registry.js';
import { Counter } from '../../src/prometheus/counter.js';
import { Gauge } from '../../src/prometheus/gauge.js';
import { Histogram } from '../../src/prometheus/histogram.js';
import { deleteFromGateway, pushToGateway } from '../../src/export/pushgateway.js';
import { TransportError } from '../../src/errors.js';
import { parseExposition } from '../export/parse-exposition.js';
import type { ParsedSample } from '../export/parse-exposition.js';
import { freePort, startProcess, waitFor } from './prom-process.js';
import { registryWithCounter } from '../support/registry.js';
import type { Proc } from './prom-process.js';

const PUSHGATEWAY = process.env['PUSHGATEWAY'] ?? '/usr/bin/prometheus-pushgateway';
const TRICKY = 'robot/7 "west"\\\n';

describe.skipIf(!existsSync(PUSHGATEWAY) && !process.env.CI)('Pushgateway round trip', () => {
  let gw: Proc | undefined;
  let url = '';

  async function samples(name: string): Promise<ParsedSample[]> {
    const text = await (await fetch(`${url}/metrics`)).text();
    return parseExposition(text, 'prometheus').flatMap((f) =>
      f.samples.filter((s) => s.name === name),
    );
  }

  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    gw = startProcess(PUSHGATEWAY, [
      `--web.listen-address=127.0.0.1:${port}`,
      '--persistence.file=',
      '--log.level=warn',
    ]);
    await waitFor(
      'Pushgateway ready',
      async () => ((await fetch(`${url}/-/ready`)).ok ? true : undefined),
      30_000,
    ).catch((e: unknown) => {
      throw new Error(`${String(e)}\n${gw?.output()}`);
    });
  });
  afterAll(async () => {
    await gw?.stop();
  });

  it('PUT a registry under a grouping key (with a "/" and quotes in its value), read it back', async () => {
    const { registry, counter: c } = registryWithCounter('pg_predictions_total', 'Predictions', [
      'model',
    ]);
    c.inc({ model: 'perception' }, 5);
    new Gauge({ name: 'pg_accuracy', help: 'Accuracy', registry }).set(0.93);
    const h = new Histogram({
      name: 'pg_latency_seconds',
      help: 'Latency',
      buckets: [0.1, 1],
      registry,
    });
    for (const v of [0.05, 0.5, 2]) h.observe(v);
    await pushToGateway({
      url,
      job: 'edgewatch-test',
      groupingKey: { instance: TRICKY },
      registry,
    });
    const [pred] = await samples('pg_predictions_total');
    expect(pred?.value).toBe(5);
    expect(pred?.labels).toEqual({ job: 'edgewatch-test', instance: TRICKY, model: 'perception' });
    expect((await samples('pg_accuracy'))[0]?.value).toBe(0.93);
    const buckets = await samples('pg_latency_seconds_bucket');
    expect(buckets.map((b) => [b.labels['le'], b.value])).toEqual([
      ['0.1', 1],
      ['1', 2],
      ['+Inf', 3],
    ]);
  });

  it('POST replaces only the metrics pushed; PUT replaces the group; DELETE removes it', async () => {
    const group = { instance: 'r1' };
    const a = new Registry();
    new Gauge({ name: 'pg_a', help: 'a', registry: a }).set(1);
    new Gauge({ name: 'pg_b', help: 'b', registry: a }).set(2);
    await pushToGateway({ url, job: 'grp', groupingKey: group, registry: a });
    const b = new Registry();
    new Gauge({ name: 'pg_a', help: 'a', registry: b }).set(10);
    await pushToGateway({ url, job: 'grp', groupingKey: group, registry: b, method: 'POST' });
    expect((await samples('pg_a')).find((s) => s.labels['instance'] === 'r1')?.value).toBe(10);
    expect((await samples('pg_b')).find((s) => s.labels['instance'] === 'r1')?.value).toBe(2);
    await pushToGateway({ url, job: 'grp', groupingKey: group, registry: b, method: 'PUT' });
    expect((await samples('pg_b')).find((s) => s.labels['instance'] === 'r1')).toBeUndefined();
    // The JSON API lists the group with its labels.
    const api = (await (await fetch(`${url}/api/v1/metrics`)).json()) as {
      data: { labels: Record<string, string> }[];
    };
    expect(api.data.some((g) => g.labels['job'] === 'grp' && g.labels['instance'] === 'r1')).toBe(
      true,
    );
    await deleteFromGateway({ url, job: 'grp', groupingKey: group });
    expect((await samples('pg_a')).find((s) => s.labels['instance'] === 'r1')).toBeUndefined();
  });

  it('an inconsistent push is refused with a TransportError carrying the status', async () => {
    // The same metric name as a counter in one group and a gauge in another: the gateway refuses the second.
    const r3 = new Registry();
    new Counter({ name: 'pg_accuracy_total', help: 'x', registry: r3 }).inc();
    const r4 = new Registry();
    new Gauge({ name: 'pg_accuracy_total', help: 'x', registry: r4 }).set(1);
    await pushToGateway({ url, job: 'conflict', groupingKey: { instance: 'c' }, registry: r3 });
    expect((await samples('pg_accuracy_total'))[0]?.value).toBe(1);
    const err = await pushToGateway({
      url,
      job: 'conflict',
      groupingKey: { instance: 'd' },
      registry: r4,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).status).toBe(400);
  });
});
