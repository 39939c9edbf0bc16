/**
 * Remote write into a real VictoriaMetrics (Debian's 1.79): the classic
 * fallback is read back with `histogram_quantile` within its power-of-two
 * bucket, and VictoriaMetrics 1.79 accepts native histograms with 204 but
 * stores nothing of them — why `sketches: 'classic'` is the default.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RemoteWriter } from '../../src/collector/remote-write.js';
import { createReferenceKernel } from '../../src/kernel/reference/index.js';
import { seededUniform } from '../../src/stats/random.js';
import { makeRecord } from '../window/make-record.js';
import { freePort, startProcess, waitFor, type Proc } from './prom-process.js';

const BIN = '/usr/bin/victoria-metrics';
let vm: Proc;
let api: string;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'edgewatch-vm-'));
  const port = await freePort();
  api = `http://127.0.0.1:${port}`;
  vm = startProcess(BIN, [
    `-storageDataPath=${join(dir, 'data')}`,
    `-httpListenAddr=127.0.0.1:${port}`,
    '-loggerLevel=ERROR',
  ]);
  await waitFor('VictoriaMetrics ready', async () =>
    (await fetch(`${api}/health`)).ok ? true : undefined,
  );
});
afterAll(async () => {
  await vm?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function query(
  expr: string,
  tMs: number,
): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
  const res = await fetch(
    `${api}/api/v1/query?query=${encodeURIComponent(expr)}&time=${tMs / 1000}`,
  );
  const body = (await res.json()) as {
    status: string;
    data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
  };
  expect(body.status).toBe('success');
  return body.data.result;
}

describe('remote write into VictoriaMetrics 1.79', () => {
  it('classic buckets read back with histogram_quantile; native histograms are not stored', async () => {
    const end = Date.now() - 120_000;
    const u = seededUniform(7);
    const values = Array.from({ length: 1000 }, () => 1 + 200 * u() ** 3);
    const kernel = createReferenceKernel();
    for (const sketches of ['classic', 'native'] as const) {
      const errors: unknown[] = [];
      const w = new RemoteWriter({ url: `${api}/api/v1/write`, sketches }, kernel, (e) =>
        errors.push(e),
      );
      w.enqueue(makeRecord(1, { deviceId: `vm-${sketches}`, end, latency: values }));
      await w.close();
      expect(errors).toEqual([]);
      expect(w.stats.droppedSeries).toBe(0);
    }
    const expr = (q: number) =>
      `histogram_quantile(${q}, sum by (le) (edgewatch_window_sketch_bucket{device="vm-classic"}))`;
    await waitFor('classic buckets queryable', async () => {
      await fetch(`${api}/internal/force_flush`);
      return (await query(expr(0.5), end))[0];
    });
    const sorted = [...values].sort((a, b) => a - b);
    for (const q of [0.1, 0.5, 0.9, 0.99]) {
      const got = Number((await query(expr(q), end))[0]?.value[1]);
      const x = sorted[Math.ceil(q * sorted.length) - 1]!;
      const k = Math.ceil(Math.log2(x));
      expect(got, `q=${q}: ${got} vs ${x}`).toBeGreaterThan(2 ** (k - 1));
      expect(got, `q=${q}`).toBeLessThanOrEqual(2 ** k);
    }
    // The native writer's float series arrived; its histogram series did not.
    const names = (await query('count by (__name__) ({device="vm-native"})', end)).map(
      (r) => r.metric.__name__,
    );
    expect(names).toContain('edgewatch_window_sketch_count');
    expect(names).not.toContain('edgewatch_window_sketch');
  });
});
