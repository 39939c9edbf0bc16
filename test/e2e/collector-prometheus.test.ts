/**
 * The collector with a real Prometheus 2.42: Prometheus scrapes /metrics, and
 * the collector remote-writes every window to Prometheus' receiver; both are
 * read back through the Prometheus HTTP API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCollector, type Collector } from '../../src/collector/server.js';
import { RemoteWriter } from '../../src/collector/remote-write.js';
import { createReferenceKernel } from '../../src/kernel/reference/index.js';
import { makeRecord } from '../window/make-record.js';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
    s.on('error', reject);
  });
}

async function query(
  base: string,
  q: string,
): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
  const res = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(q)}`);
  const body = (await res.json()) as {
    status: string;
    data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
  };
  if (body.status !== 'success') throw new Error(JSON.stringify(body));
  return body.data.result;
}

let dir: string;
let prom: ChildProcess | undefined;
let promUrl: string;
let collector: Collector;
let promLog = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ew-prom-'));
  const promPort = await freePort();
  promUrl = `http://127.0.0.1:${promPort}`;
  collector = await startCollector({
    port: 0,
    dbPath: ':memory:',
    remoteWrite: { url: `${promUrl}/api/v1/write`, intervalMs: 200 },
  });
  writeFileSync(
    join(dir, 'prometheus.yml'),
    // Out-of-order window: a replay re-sends older samples of a series (identical values at identical times).
    `global:\n  scrape_interval: 1s\nstorage:\n  tsdb:\n    out_of_order_time_window: 1h\nscrape_configs:\n  - job_name: edgewatch\n    static_configs:\n      - targets: ['127.0.0.1:${collector.port}']\n`,
  );
  prom = spawn(
    'prometheus',
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
      '--web.enable-remote-write-receiver',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  prom.stderr?.on('data', (d) => (promLog += d));
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${promUrl}/-/ready`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`prometheus did not start:\n${promLog.slice(-2000)}`);
});

afterAll(async () => {
  await collector?.close();
  if (prom && prom.exitCode === null) {
    const exited = new Promise((r) => prom!.once('exit', r));
    prom.kill('SIGTERM');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('collector with a real Prometheus 2.42', () => {
  const now = Date.now();
  const windows = Array.from({ length: 6 }, (_, i) =>
    makeRecord(i, {
      deviceId: `robot-${i % 3}`,
      end: now - 30_000 + i * 1000,
      latency: [i + 1, 2 * (i + 1)],
    }),
  );

  it('scrapes /metrics: ingested windows and predictions read back through PromQL', async () => {
    const res = await fetch(`${collector.url}/v1/windows`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ windows }),
    });
    expect(res.status).toBe(200);
    await expect
      .poll(
        async () => (await query(promUrl, 'sum(edgewatch_windows_ingested_total)'))[0]?.value[1],
        { timeout: 30_000, interval: 500 },
      )
      .toBe('6');
    const up = await query(promUrl, 'up{job="edgewatch"}');
    expect(up[0]?.value[1]).toBe('1');
    const preds = await query(promUrl, 'sum(edgewatch_predictions_total)');
    expect(preds[0]?.value[1]).toBe('12');
    const buckets = await query(
      promUrl,
      'sum(edgewatch_prediction_latency_seconds_bucket{le="+Inf"})',
    );
    expect(buckets[0]?.value[1]).toBe('12');
  });

  it('remote-writes every window stamped with its end; a replay changes nothing', async () => {
    const count = async (): Promise<string | undefined> =>
      (await query(promUrl, 'sum(count_over_time(edgewatch_window_received[10m]))'))[0]?.value[1];
    await expect.poll(count, { timeout: 30_000, interval: 500 }).toBe('6');
    const perDevice = await query(
      promUrl,
      'sum by (device) (sum_over_time(edgewatch_window_counter{counter="predictions"}[10m]))',
    );
    expect(Object.fromEntries(perDevice.map((r) => [r.metric.device, r.value[1]]))).toEqual({
      'robot-0': '4',
      'robot-1': '4',
      'robot-2': '4',
    });
    const q = await query(
      promUrl,
      `max(max_over_time(edgewatch_window_sketch_quantile{sketch="latency",quantile="0.99"}[10m]))`,
    );
    // Window 5 holds [6, 12]; the sketch quantile at rank floor(0.99·(n−1)) = 0 is 6 (± 0.27%).
    expect(Math.abs(Number(q[0]?.value[1]) - 6) / 6).toBeLessThan(0.0028);
    // Replay: identical samples at identical timestamps.
    const errors: unknown[] = [];
    const w = new RemoteWriter({ url: `${promUrl}/api/v1/write` }, createReferenceKernel(), (e) =>
      errors.push(e),
    );
    for (const rec of windows) w.enqueue(rec);
    await w.close();
    expect(errors).toEqual([]);
    expect(w.stats.sentSeries).toBeGreaterThan(0);
    expect(await count()).toBe('6');
  });
});
