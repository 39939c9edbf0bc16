/**
 * Remote write of sketches into a real Prometheus 2.42 with native histograms
 * (`--enable-feature=native-histograms`): `histogram_quantile` read back
 * through the query API lands in the bucket that holds the exact quantile
 * (the sketch's error); histogram_count and histogram_sum are exact. Scale 0
 * makes a wrong index shift a factor-2 error; scale 10 exercises the downscale
 * to schema 8. The classic fallback is read back the same way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemoteWriter } from '../../src/collector/remote-write.js';
import { createReferenceKernel } from '../../src/kernel/reference/index.js';
import { seededUniform } from '../../src/stats/random.js';
import { makeRecord } from '../window/make-record.js';
import { startPrometheus, waitFor, type PrometheusServer } from './prom-process.js';
import type { WindowRecord } from '../../src/window/window-record.js';

let prom: PrometheusServer;

beforeAll(async () => {
  prom = await startPrometheus('prometheus', 'global:\n  scrape_interval: 1h\n', [
    '--enable-feature=native-histograms',
    '--web.enable-remote-write-receiver',
  ]);
});
afterAll(async () => {
  await prom?.stop();
});

/** Log-normal latencies (ms), seeded. */
function latencies(n: number, seed: number): number[] {
  const u = seededUniform(seed);
  return Array.from({ length: n }, () => {
    const g = Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
    return Math.exp(3 + 0.8 * g);
  });
}

async function queryAt(expr: string, tMs: number): Promise<number | undefined> {
  const url = `${prom.api}/api/v1/query?query=${encodeURIComponent(expr)}&time=${tMs / 1000}`;
  const body = (await (await fetch(url)).json()) as {
    status: string;
    error?: string;
    data: { result: Array<{ value: [number, string] }> };
  };
  if (body.status !== 'success') throw new Error(`${expr}: ${body.error}`);
  const v = body.data.result[0]?.value[1];
  return v === undefined ? undefined : Number(v);
}

async function write(recs: WindowRecord[], sketches: 'native' | 'classic'): Promise<void> {
  const errors: unknown[] = [];
  const w = new RemoteWriter(
    { url: `${prom.api}/api/v1/write`, sketches },
    createReferenceKernel(),
    (e) => errors.push(e),
  );
  for (const r of recs) w.enqueue(r);
  await w.close();
  expect(errors).toEqual([]);
  expect(w.stats.sentSeries).toBeGreaterThan(0);
  expect(w.stats.droppedSeries).toBe(0);
}

const QS = [0.1, 0.5, 0.9, 0.99];
/** The order statistic Prometheus' rank q·n falls on. */
const exactQuantile = (sorted: number[], q: number): number =>
  sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] as number;

describe('remote write into Prometheus 2.42 with native histograms', () => {
  const end = Date.now() - 120_000;
  const cases = [
    { device: 'scale7', scale: 7, values: latencies(2000, 1) },
    { device: 'scale10', scale: 10, values: latencies(2000, 2) },
    { device: 'scale0', scale: 0, values: [...Array(30).fill(1.5), ...Array(10).fill(3)] },
  ];

  it('histogram_quantile lands in the bucket of the exact quantile; count and sum exact', async () => {
    const recs = cases.map((c, i) =>
      makeRecord(i, { deviceId: c.device, end, latency: c.values, scale: c.scale }),
    );
    await write(recs, 'native');
    const sel = (d: string) => `edgewatch_window_sketch{sketch="latency",device="${d}"}`;
    await waitFor('native histograms queryable', () =>
      queryAt(`histogram_count(${sel('scale0')})`, end),
    );
    for (const c of cases) {
      const schema = Math.min(c.scale, 8);
      expect(await queryAt(`histogram_count(${sel(c.device)})`, end)).toBe(c.values.length);
      const sum = c.values.reduce((a, b) => a + b, 0);
      expect(await queryAt(`histogram_sum(${sel(c.device)})`, end)).toBeCloseTo(sum, 6);
      const sorted = [...c.values].sort((a, b) => a - b);
      for (const q of QS) {
        const got = (await queryAt(`histogram_quantile(${q}, ${sel(c.device)})`, end))!;
        const x = exactQuantile(sorted, q);
        // Prometheus bucket i = (base^(i-1), base^i] holding x, at the histogram's schema.
        const i = Math.ceil(Math.log2(x) * 2 ** schema);
        const lo = 2 ** ((i - 1) * 2 ** -schema);
        const hi = 2 ** (i * 2 ** -schema);
        expect(got, `${c.device} q=${q}: ${got} vs exact ${x}`).toBeGreaterThan(lo * (1 - 1e-12));
        expect(got, `${c.device} q=${q}`).toBeLessThanOrEqual(hi * (1 + 1e-12));
      }
    }
    // Scale 0: the median 1.5 is in (1, 2]; an index off by one would give (2, 4] or (0.5, 1].
    const med = (await queryAt(`histogram_quantile(0.5, ${sel('scale0')})`, end))!;
    expect(med).toBeGreaterThan(1);
    expect(med).toBeLessThanOrEqual(2);
  });

  it('classic fallback: le buckets at powers of two, histogram_quantile within the bucket', async () => {
    const values = latencies(2000, 3);
    const rec = makeRecord(9, { deviceId: 'classic', end, latency: values });
    await write([rec], 'classic');
    const expr = (q: number) =>
      `histogram_quantile(${q}, sum by (le) (edgewatch_window_sketch_bucket{device="classic",sketch="latency"}))`;
    await waitFor('classic buckets queryable', () => queryAt(expr(0.5), end));
    const sorted = [...values].sort((a, b) => a - b);
    for (const q of QS) {
      const got = (await queryAt(expr(q), end))!;
      const x = exactQuantile(sorted, q);
      const k = Math.ceil(Math.log2(x));
      expect(got, `q=${q}`).toBeGreaterThan(2 ** (k - 1));
      expect(got, `q=${q}`).toBeLessThanOrEqual(2 ** k);
    }
  });
});
