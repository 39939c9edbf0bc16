import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { join } from 'node:path';
import { request } from 'node:http';
import { startCollector, type Collector } from '../../src/collector/server.js';
import { parseCollectorArgs } from '../../src/collector/cli.js';
import { FleetAggregator } from '../../src/collector/fleet-aggregator.js';
import { decodeSketch } from '../../src/kernel/sketch-format.js';
import { ConfigError } from '../../src/errors.js';
import type { WindowRecord } from '../../src/window/window-record.js';
import { makeRecord, sketchBytes } from '../window/make-record.js';
import { post, promtool, start, tempDir } from './helpers.js';

async function allWindows(
  c: Collector,
  headers: Record<string, string> = {},
): Promise<WindowRecord[]> {
  return (
    (await (await fetch(`${c.url}/v1/windows?limit=1000`, { headers })).json()) as {
      windows: WindowRecord[];
    }
  ).windows;
}

describe('collector ingest', () => {
  it('stores windows idempotently by window id and answers queries', async () => {
    const c = await start();
    const a = [makeRecord(1), makeRecord(2, { deviceId: 'd2' }), makeRecord(3, { model: 'other' })];
    let res = await post(c, { windows: a });
    expect(res.status).toBe(200);
    // One write per answer: its length is declared, not chunked.
    const answer = await res.clone().text();
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(answer)));
    expect(res.headers.get('transfer-encoding')).toBeNull();
    expect(await res.json()).toEqual({ accepted: 3, duplicates: 0 });
    res = await post(c, { windows: [a[0], makeRecord(4)] });
    expect(await res.json()).toEqual({ accepted: 1, duplicates: 1 });
    res = await post(c, a[1]); // a single window object is accepted too
    expect(await res.json()).toEqual({ accepted: 0, duplicates: 1 });
    expect((await allWindows(c)).length).toBe(4);
    const q = (await (await fetch(`${c.url}/v1/windows?device=d2`)).json()) as {
      windows: WindowRecord[];
    };
    expect(q.windows).toEqual([a[1]]);
    const m = (await (await fetch(`${c.url}/v1/windows?model=other`)).json()) as {
      windows: WindowRecord[];
    };
    expect(m.windows.map((w) => w.windowId)).toEqual([a[2]!.windowId]);
    const page = (await (await fetch(`${c.url}/v1/windows?limit=2`)).json()) as {
      windows: WindowRecord[];
      next: number;
    };
    const rest = (await (await fetch(`${c.url}/v1/windows?limit=2&after=${page.next}`)).json()) as {
      windows: WindowRecord[];
    };
    expect([...page.windows, ...rest.windows].length).toBe(4);
    expect(await (await fetch(`${c.url}/healthz`)).json()).toEqual({ status: 'ok', windows: 4 });
    expect(c.stats()).toMatchObject({ windows: 4, accepted: 4, duplicates: 2 });
  });

  it('bad payloads get a 4xx with a clear message, nothing is stored, and the server keeps serving', async () => {
    const c = await start({ token: 'tok', maxBodyBytes: 20_000 });
    const auth = { authorization: 'Bearer tok' };
    const bad = makeRecord(1) as any;
    bad.windowId = 'nope';
    const corrupt = makeRecord(2);
    corrupt.sketches.latency = 'AAAA';
    const cases: Array<[string, () => Promise<Response>, number, RegExp]> = [
      ['no token', () => post(c, { windows: [makeRecord(1)] }), 401, /Bearer/],
      [
        'wrong token',
        () => post(c, { windows: [makeRecord(1)] }, { authorization: 'Bearer tok2' }),
        401,
        /wrong token/,
      ],
      ['malformed JSON', () => post(c, '{"windows": [', auth), 400, /malformed JSON/],
      [
        'wrong schema',
        () => post(c, { windows: [bad, makeRecord(3)] }, auth),
        422,
        /invalid window/,
      ],
      ['wrong shape', () => post(c, { rows: [] }, auth), 422, /expected \{ "windows"/],
      ['empty', () => post(c, { windows: [] }, auth), 422, /at least one/],
      ['corrupt sketch', () => post(c, { windows: [corrupt] }, auth), 422, /invalid window/],
      [
        'oversize',
        () => post(c, { windows: [makeRecord(4, { pad: 30_000 })] }, auth),
        413,
        /too large/,
      ],
      [
        'content type',
        () => post(c, 'x', { ...auth, 'content-type': 'text/plain' }),
        415,
        /application\/json/,
      ],
      ['unknown route', () => fetch(`${c.url}/v2/nothing`), 404, /no route/],
    ];
    for (const [name, send, status, re] of cases) {
      const res = await send();
      expect(res.status, name).toBe(status);
      const body = (await res.json()) as { error: string; details?: string[] };
      expect(body.error, name).toMatch(re);
      if (name === 'wrong schema')
        expect(body.details?.[0]).toMatch(/windows\[0\]\.windowId: expected a UUID/);
      if (name === 'corrupt sketch') expect(body.details?.[0]).toMatch(/corrupt sketch/);
    }
    expect(c.stats().windows).toBe(0);
    expect(await allWindows(c, auth)).toEqual([]);
    const ok = await post(c, { windows: [makeRecord(5)] }, auth);
    expect(ok.status).toBe(200);
    expect(c.stats().rejected).toMatchObject({
      unauthorized: 2,
      malformed: 1,
      schema: 4,
      oversize: 1,
      content_type: 1,
    });
  });

  it('refuses a body that lies about its size (streamed past the cap) with 413', async () => {
    const c = await start({ maxBodyBytes: 1000 });
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${c.url}/v1/windows`,
        { method: 'POST', headers: { 'content-type': 'application/json' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.write('x'.repeat(5000));
      req.end();
    });
    expect(status).toBe(413);
    expect((await fetch(`${c.url}/healthz`)).status).toBe(200);
  });

  it('keeps windows across a restart and rebuilds the aggregates from SQLite', async () => {
    const d = tempDir();
    const dbPath = join(d, 'c.db');
    const a = await startCollector({ port: 0, dbPath });
    const recs = [makeRecord(1), makeRecord(2), makeRecord(3, { deviceId: 'd9' })];
    await post(a, { windows: recs });
    const before = await (await fetch(`${a.url}/metrics`)).text();
    await a.close();
    const b = await start({ dbPath });
    expect((await allWindows(b)).map((w) => w.windowId)).toEqual(recs.map((r) => r.windowId));
    const after = await (await fetch(`${b.url}/metrics`)).text();
    const strip = (t: string): string =>
      t
        .split('\n')
        .filter((l) => !l.startsWith('edgewatch_collector_'))
        .join('\n');
    expect(strip(after)).toBe(strip(before));
    expect((await post(b, { windows: recs })).status).toBe(200);
    expect(b.stats().duplicates).toBe(3);
  });

  it('close() is graceful and idempotent: a request in flight completes, new ones are refused', async () => {
    const c = await startCollector({ port: 0, dbPath: ':memory:' });
    const body = JSON.stringify({ windows: [makeRecord(1)] });
    let req!: ReturnType<typeof request>;
    const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
      req = request(
        `${c.url}/v1/windows`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
        },
        (res) => {
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
    });
    req.write(body.slice(0, 10)); // headers and a first chunk: the request is in flight
    await new Promise((r) => setTimeout(r, 100));
    const closing = [c.close(), c.close()];
    await new Promise((r) => setTimeout(r, 50));
    req.end(body.slice(10));
    const res = await response;
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ accepted: 1, duplicates: 0 });
    await Promise.all(closing);
    await expect(fetch(`${c.url}/healthz`)).rejects.toThrow();
  });

  it('answers CORS preflight for listed origins only', async () => {
    const c = await start({ corsOrigin: 'http://app.example' });
    const res = await fetch(`${c.url}/v1/windows`, {
      method: 'OPTIONS',
      headers: { origin: 'http://app.example' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://app.example');
    expect(res.headers.get('access-control-allow-headers')).toMatch(/idempotency-key/);
    const other = await fetch(`${c.url}/v1/windows`, {
      headers: { origin: 'http://evil.example' },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('collector /metrics', () => {
  it('passes promtool check metrics and exposes exact classic buckets per device', async () => {
    const c = await start();
    const values = [0.3, 0.9, 1, 1.5, 2, 3.9, 4, 100, 5000];
    await post(c, {
      windows: [
        makeRecord(1, { latency: values }),
        makeRecord(2, { deviceId: 'd2', latency: [1, 2] }),
      ],
    });
    const res = await fetch(`${c.url}/metrics`);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    expect(promtool(text)).toBe('');
    for (const le of [0.25, 1, 2, 4, 128, 8192]) {
      const exact = values.filter((v) => v <= le).length;
      const line = text
        .split('\n')
        .find((l) =>
          l.startsWith(
            `edgewatch_prediction_latency_seconds_bucket{model="perception",model_version="1",device="device-1",le="${le / 1000}"}`,
          ),
        );
      expect(line, String(le)).toBeDefined();
      expect(Number(line!.split(' ').pop())).toBe(exact);
    }
    expect(text).toMatch(/edgewatch_windows_ingested_total\{device="d2"\} 1/);
    expect(text).toMatch(
      /edgewatch_predictions_total\{model="perception",model_version="1",device="device-1"\} 9/,
    );
    expect(text).toMatch(
      /edgewatch_fleet_prediction_latency_seconds\{model="perception",model_version="1",quantile="0.5"\}/,
    );
    const om = await fetch(`${c.url}/metrics`, {
      headers: { accept: 'application/openmetrics-text; version=1.0.0' },
    });
    expect(await om.text()).toMatch(/# EOF\n$/);
  });

  it('caps device labels and counts the overflow', async () => {
    const c = await start({ maxDevices: 3 });
    await post(c, {
      windows: Array.from({ length: 6 }, (_, i) => makeRecord(i, { deviceId: `dev-${i}` })),
    });
    const text = await (await fetch(`${c.url}/metrics`)).text();
    const devices = new Set(
      [...text.matchAll(/edgewatch_windows_ingested_total\{device="([^"]+)"\}/g)].map((m) => m[1]),
    );
    expect(devices).toEqual(new Set(['dev-0', 'dev-1', 'dev-2', '_overflow']));
    expect(text).toMatch(/edgewatch_windows_ingested_total\{device="_overflow"\} 3/);
    expect(text).toMatch(/edgewatch_metric_series_overflow_total\{metric="device"\} 3/);
  });
});

describe('fleet aggregation', () => {
  it('property: merged fleet sketch = one sketch of all values (exact buckets); quantiles within relative error of exact', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(fc.double({ min: 0.001, max: 1e6, noNaN: true }), {
            minLength: 1,
            maxLength: 40,
          }),
          { minLength: 1, maxLength: 8 },
        ),
        (perWindow) => {
          const agg = new FleetAggregator();
          perWindow.forEach((vals, i) =>
            agg.ingest(makeRecord(i, { deviceId: `d${i % 3}`, latency: vals })),
          );
          const all = perWindow.flat();
          const merged = decodeSketch(agg.fleetSketchBytes('perception', '1', 'latency')!);
          const single = decodeSketch(sketchBytes(all));
          expect(merged.count).toBe(single.count);
          expect(Array.from(merged.positive.counts)).toEqual(Array.from(single.positive.counts));
          expect(merged.positive.offset).toBe(single.positive.offset);
          expect(merged.min).toBe(single.min);
          expect(merged.max).toBe(single.max);
          expect(merged.sum).toBeCloseTo(single.sum, 6);
          const sorted = [...all].sort((a, b) => a - b);
          const f = agg.fleetSketches()[0]!;
          for (const q of [0.5, 0.9, 0.99]) {
            const exact = sorted[Math.floor(q * (sorted.length - 1))]!;
            expect(Math.abs(f.quantiles[String(q)]! - exact) / exact).toBeLessThanOrEqual(0.0028);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('collector CLI arguments', () => {
  it('parses flags and rejects unknown ones', () => {
    expect(
      parseCollectorArgs(['--port', '0', '--db', ':memory:', '--host=0.0.0.0', '--token', 't'], {}),
    ).toEqual({
      port: 0,
      dbPath: ':memory:',
      host: '0.0.0.0',
      token: 't',
    });
    expect(() => parseCollectorArgs(['--nope'])).toThrow(ConfigError);
    expect(() => parseCollectorArgs(['--port', 'x'])).toThrow(/--port/);
    expect(() => parseCollectorArgs(['--db'])).toThrow(/argument missing/);
  });
  it('startCollector rejects bad options', async () => {
    await expect(startCollector({ port: -1 })).rejects.toThrow(ConfigError);
    await expect(startCollector({ port: 0, dbPath: ':memory:', token: '' })).rejects.toThrow(
      /token/,
    );
  });
});
