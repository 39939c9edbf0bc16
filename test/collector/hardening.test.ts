/**
 * The collector under hostile or broken clients: validation at the door,
 * isolation of requests, access control, resource limits, label caps.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import Database from 'better-sqlite3';
import { startCollector } from '../../src/collector/server.js';
import { FleetAggregator } from '../../src/collector/fleet-aggregator.js';
import { tokenMatches } from '../../src/collector/access.js';
import { bytesToBase64 } from '../../src/window/base64.js';
import type { WindowRecord } from '../../src/window/window-record.js';
import { makeRecord, sketchBytes } from '../window/make-record.js';
import { post, promtool, start } from './helpers.js';

const json = (r: WindowRecord): string => JSON.stringify(r);

describe('validation at the door', () => {
  it('refuses non-finite numbers (1e999) instead of storing null', async () => {
    const c = await start();
    const text = json(makeRecord(1)).replace('"accuracy":0.9', '"accuracy":1e999');
    const res = await post(c, `{"windows":[${text}]}`);
    expect(res.status).toBe(422);
    expect(((await res.json()) as { details: string[] }).details[0]).toMatch(
      /performance\.accuracy: expected a finite number/,
    );
    const drift = json(makeRecord(2)).replace('"statistic":0.1', '"statistic":-1e999');
    expect((await post(c, `{"windows":[${drift}]}`)).status).toBe(422);
    expect(c.stats().windows).toBe(0);
    expect(promtool(await (await fetch(`${c.url}/metrics`)).text())).toBe('');
  });

  it('refuses negative counters, p-values outside [0, 1] and sketches with a NaN sum', async () => {
    const c = await start();
    const neg = makeRecord(1);
    neg.counters.predictions = -860;
    const drops = makeRecord(2);
    drops.drops.nan = -1;
    const p3 = makeRecord(3);
    p3.drift[0]!.pValue = -3;
    const p7 = makeRecord(4);
    p7.drift[0]!.pValue = 7;
    const nanSum = makeRecord(5);
    const bytes = sketchBytes([1, 2, 3]);
    new DataView(bytes.buffer, bytes.byteOffset).setFloat64(3, NaN, true);
    nanSum.sketches.latency = bytesToBase64(bytes);
    const expected: Array<[WindowRecord, RegExp]> = [
      [neg, /counters\.predictions: expected a finite number >= 0/],
      [drops, /drops\.nan: expected a finite number >= 0/],
      [p3, /pValue: expected a number in \[0, 1\]/],
      [p7, /pValue: expected a number in \[0, 1\]/],
      [nanSum, /sketches\.latency: corrupt sketch \(expected a finite sum/],
    ];
    for (const [rec, re] of expected) {
      const res = await post(c, { windows: [rec] });
      expect(res.status).toBe(422);
      expect(((await res.json()) as { details: string[] }).details.join('\n')).toMatch(re);
    }
    expect(c.stats().windows).toBe(0);
  });

  it('refuses unknown fields at every level (strict schema)', async () => {
    const c = await start();
    const top = { ...makeRecord(1), extra: 'x' };
    const drift = makeRecord(2);
    (drift.drift[0] as unknown as Record<string, unknown>).blob = 'x'.repeat(100);
    const pred = makeRecord(3);
    pred.predictions = [{ ts: 1, raw: 1 } as never];
    for (const [rec, re] of [
      [top, /"extra": unknown field/],
      [drift, /drift\[0\]\."blob": unknown field/],
      [pred, /predictions\[0\]/],
    ] as const) {
      const res = await post(c, { windows: [rec] });
      expect(res.status).toBe(422);
      expect(((await res.json()) as { details: string[] }).details.join('\n')).toMatch(re);
    }
    const output = makeRecord(4);
    (output.drift[0] as unknown as { source: string }).source = 'output';
    expect((await post(c, { windows: [output] })).status).toBe(200);
  });

  it('a deeply nested body is a 400 before parsing, and never fails the concurrent valid requests', async () => {
    const c = await start({ rateLimit: false });
    const deep = json(makeRecord(0)).replace(
      /}$/,
      `,"predictions":[{"ts":1,"inputs":${'['.repeat(6000)}${']'.repeat(6000)}}]}`,
    );
    expect(deep.length).toBeGreaterThan(12_000);
    const bad = Array.from({ length: 10 }, () => post(c, deep));
    const good = Array.from({ length: 200 }, (_, i) => post(c, { windows: [makeRecord(i + 1)] }));
    const badRes = await Promise.all(bad);
    const goodRes = await Promise.all(good);
    expect(badRes.map((r) => r.status)).toEqual(Array(10).fill(400));
    expect(((await badRes[0]!.json()) as { error: string }).error).toMatch(/nested at most 32/);
    expect(goodRes.map((r) => r.status)).toEqual(Array(200).fill(200));
    expect(c.stats().windows).toBe(200);
  });

  it('an id reused with different content is a 409 and stores nothing of that request; ids are case-insensitive', async () => {
    const c = await start({ rateLimit: false });
    const a = makeRecord(1);
    expect((await post(c, { windows: [a] })).status).toBe(200);
    const changed = { ...a, counters: { predictions: 999 } };
    const other = makeRecord(2);
    const conflicting = post(c, { windows: [other, changed] });
    const innocent = post(c, { windows: [makeRecord(3)] });
    const res = await conflicting;
    expect(res.status).toBe(409);
    expect(((await res.json()) as { details: string[] }).details).toEqual([
      `windowId ${a.windowId}`,
    ]);
    expect((await innocent).status).toBe(200);
    const upper = { ...a, windowId: a.windowId.toUpperCase() };
    expect(await (await post(c, { windows: [upper] })).json()).toEqual({
      accepted: 0,
      duplicates: 1,
    });
    // The other window of the refused request was rolled back: it is new now.
    expect(await (await post(c, { windows: [other] })).json()).toEqual({
      accepted: 1,
      duplicates: 0,
    });
    expect(c.stats().windows).toBe(3);
  });
});

describe('defense in depth', () => {
  it('a row stored by an older version with null numbers never reaches /metrics', async () => {
    const d = mkdtempSync(join(tmpdir(), 'ew-col-'));
    try {
      const dbPath = join(d, 'c.db');
      const a = await startCollector({ port: 0, dbPath });
      await post(a, { windows: [makeRecord(1)] });
      await a.close();
      const bad = makeRecord(2, { deviceId: 'old' }) as unknown as { performance: unknown };
      bad.performance = { accuracy: null };
      const raw = new Database(dbPath);
      raw
        .prepare(
          `INSERT INTO windows (window_id, device_id, model, model_version, start_ms, end_ms, received_ms, body) VALUES (?, 'old', 'perception', '1', 0, 1, ?, ?)`,
        )
        .run((bad as unknown as WindowRecord).windowId, Date.now(), JSON.stringify(bad));
      raw.close();
      const b = await startCollector({ port: 0, dbPath });
      try {
        const text = await (await fetch(`${b.url}/metrics`)).text();
        expect(promtool(text)).toBe('');
        expect(text).not.toMatch(/null/);
        expect(text).toMatch(
          /edgewatch_collector_requests_rejected_total\{reason="stored_invalid"\} 1/,
        );
        expect(b.stats().windows).toBe(1);
      } finally {
        await b.close();
      }
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});

describe('access control', () => {
  it('the token guards every read of stored data; a scrape token opens /metrics only', async () => {
    const c = await start({ token: 'ingest-secret', scrapeToken: 'scrape-secret' });
    const h = (t: string) => ({ authorization: `Bearer ${t}` });
    expect((await post(c, { windows: [makeRecord(1)] }, h('ingest-secret'))).status).toBe(200);
    for (const path of ['/v1/windows', '/v1/fleet', '/metrics']) {
      const res = await fetch(`${c.url}${path}`);
      expect(res.status, path).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect((await fetch(`${c.url}${path}`, { headers: h('ingest-secret') })).status, path).toBe(
        200,
      );
    }
    expect((await fetch(`${c.url}/metrics`, { headers: h('scrape-secret') })).status).toBe(200);
    expect((await fetch(`${c.url}/v1/windows`, { headers: h('scrape-secret') })).status).toBe(401);
    expect((await post(c, { windows: [makeRecord(2)] }, h('scrape-secret'))).status).toBe(401);
    expect((await fetch(`${c.url}/healthz`)).status).toBe(200);
  });

  it('sends no CORS header unless origins are configured', async () => {
    const c = await start();
    const res = await fetch(`${c.url}/healthz`, { headers: { origin: 'http://evil.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('compares digests: any token length, prefix or suffix is refused; an empty or blank token refuses to start', async () => {
    expect(tokenMatches('Bearer secret', 'secret')).toBe(true);
    for (const h of [
      'Bearer secre',
      'Bearer secrett',
      'Bearer ',
      'Basic secret',
      undefined,
      'Bearer secret x',
    ])
      expect(tokenMatches(h, 'secret'), String(h)).toBe(false);
    for (const token of ['', ' ', 'a b'])
      await expect(startCollector({ port: 0, dbPath: ':memory:', token })).rejects.toThrow(/token/);
  });
});

describe('resource limits', () => {
  it('rate-limits each device with a token bucket: 429 with Retry-After', async () => {
    const c = await start({ rateLimit: { perSecond: 1, burst: 3 } });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 5; i++) {
      const res = await post(c, { windows: [makeRecord(i)] });
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    // Another device has its own bucket.
    expect((await post(c, { windows: [makeRecord(9, { deviceId: 'other' })] })).status).toBe(200);
    expect(c.stats().rejected.rate_limited).toBe(2);
  });

  it('bodies in flight share a memory budget (503 beyond) and a stalled body is cut by the request timeout', async () => {
    const c = await start({
      maxBufferedBytes: 100_000,
      requestTimeoutMs: 1000,
      headersTimeoutMs: 1000,
    });
    const stall = (bytes: number) =>
      new Promise<{ status: number; ms: number }>((resolve) => {
        const t0 = Date.now();
        const req = request(`${c.url}/v1/windows`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': String(bytes + 10) },
        });
        req.on('response', (res) => {
          res.resume();
          resolve({ status: res.statusCode ?? 0, ms: Date.now() - t0 });
        });
        req.on('error', () => resolve({ status: 0, ms: Date.now() - t0 }));
        req.write('x'.repeat(bytes)); // never ended
      });
    const first = stall(80_000);
    await new Promise((r) => setTimeout(r, 100));
    const second = await stall(80_000);
    expect(second.status).toBe(503);
    const cut = await first;
    expect([0, 408]).toContain(cut.status);
    expect(cut.ms).toBeLessThan(5000);
    expect((await post(c, { windows: [makeRecord(1)] })).status).toBe(200);
  });
});

describe('label caps, TTL and render cost', () => {
  it('caps models, versions and drift features into _overflow and counts them', async () => {
    const c = await start({ maxModels: 2, maxVersions: 2, maxFeatures: 3, rateLimit: false });
    const recs: WindowRecord[] = [];
    for (let m = 0; m < 5; m++) recs.push(makeRecord(m, { model: `m${m}` }));
    for (let v = 0; v < 4; v++) recs.push(makeRecord(10 + v, { model: 'm0', version: `v${v}` }));
    const drifty = makeRecord(20, { model: 'm1' });
    drifty.drift = Array.from({ length: 10 }, (_, i) => ({
      ...drifty.drift[0]!,
      feature: `f${i}`,
    }));
    recs.push(drifty);
    expect((await post(c, { windows: recs })).status).toBe(200);
    const text = await (await fetch(`${c.url}/metrics`)).text();
    expect(promtool(text)).toBe('');
    const models = new Set(
      [...text.matchAll(/edgewatch_predictions_total\{model="([^"]+)"/g)].map((m) => m[1]),
    );
    expect(models).toEqual(new Set(['m0', 'm1', '_overflow']));
    const versions = new Set(
      [...text.matchAll(/edgewatch_predictions_total\{model="m0",model_version="([^"]+)"/g)].map(
        (m) => m[1],
      ),
    );
    expect(versions).toEqual(new Set(['1', 'v0', '_overflow']));
    const features = new Set(
      [...text.matchAll(/edgewatch_drift_statistic\{model="m1"[^}]*feature="([^"]+)"/g)].map(
        (m) => m[1],
      ),
    );
    expect(features.size).toBe(4);
    expect(features.has('_overflow')).toBe(true);
    expect(text).toMatch(/edgewatch_metric_series_overflow_total\{metric="model"\} 3/);
    expect(text).toMatch(/edgewatch_metric_series_overflow_total\{metric="version"\} 3/);
    expect(text).toMatch(/edgewatch_metric_series_overflow_total\{metric="feature"\} 8/);
  });

  it('drops series unseen for the TTL and frees their label slots', () => {
    const agg = new FleetAggregator({ seriesTtlMs: 60_000, maxDevices: 1 });
    agg.ingest(makeRecord(1, { deviceId: 'a' }), 1_000);
    agg.ingest(makeRecord(2, { deviceId: 'b' }), 1_000);
    expect(agg.overflowDeviceCount).toBe(1);
    const names = (t: number) => agg.families(t).map((f) => f.name);
    expect(names(50_000)).toContain('edgewatch_predictions_total');
    expect(names(62_000)).not.toContain('edgewatch_predictions_total');
    agg.ingest(makeRecord(3, { deviceId: 'c' }), 70_000);
    const fam = agg.families(70_000).find((f) => f.name === 'edgewatch_windows_ingested_total')!;
    expect(fam.points.map((p) => p.labels.device)).toEqual(['c']);
  });

  it('label values cannot collide through a separator character (structural keys)', () => {
    const agg = new FleetAggregator();
    agg.ingest(makeRecord(1, { model: 'a\u0000b', version: 'c' }));
    agg.ingest(makeRecord(2, { model: 'a', version: 'b\u0000c' }));
    const fam = agg.families().find((f) => f.name === 'edgewatch_predictions_total')!;
    expect(fam.points.map((p) => [p.labels.model, p.labels.model_version])).toEqual([
      ['a\u0000b', 'c'],
      ['a', 'b\u0000c'],
    ]);
  });

  it('render reads ingest-time aggregates: no sketch work per scrape, whatever the sketches extent', () => {
    const agg = new FleetAggregator();
    for (let m = 0; m < 4; m++) {
      for (const v of [1e-300, 1e300]) {
        const r = makeRecord(m, { model: `m${m}`, deviceId: `d${v}` });
        r.sketches.latency = bytesToBase64(sketchBytes([v], 10));
        agg.ingest(r);
      }
    }
    agg.families();
    const kernel = (agg as unknown as { kernel: Record<string, (...a: unknown[]) => unknown> })
      .kernel;
    const calls: string[] = [];
    for (const k of Object.keys(kernel).concat(
      Object.getOwnPropertyNames(Object.getPrototypeOf(kernel)),
    )) {
      const f = kernel[k];
      if (typeof f !== 'function' || k === 'constructor') continue;
      kernel[k] = (...a: unknown[]) => {
        calls.push(k);
        return f.apply(kernel, a);
      };
    }
    const t0 = performance.now();
    for (let i = 0; i < 10; i++) agg.families();
    const ms = (performance.now() - t0) / 10;
    expect(calls).toEqual([]);
    expect(ms).toBeLessThan(250);
  });
});
