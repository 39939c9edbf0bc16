/**
 * Fleet drift end to end against a real collector: reference upload (auth, validation,
 * persistence), windows with profiles from 20 devices of which 3 drifted, the drift
 * report naming exactly those, the timeline, the Prometheus gauges (promtool-clean),
 * and 1,000 devices answered quickly.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FleetDriftReport } from '../../src/collector/fleet-drift.js';
import { createReferenceKernel } from '../../src/kernel/index.js';
import {
  CategoricalProfiler,
  NumericProfiler,
  profilesToWire,
  type FeatureProfile,
} from '../../src/entry/stats.js';
import { PyRandom } from '../../src/stats/random.js';
import type { WindowRecord } from '../../src/window/window-record.js';
import { parseExposition } from '../export/parse-exposition.js';
import { makeRecord } from '../window/make-record.js';
import { post, promtool, start } from './helpers.js';

const kernel = createReferenceKernel();
const T0 = 1_699_999_980_000; // a whole minute: ranges below align with the 1-min buckets
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function profiles(
  seed: number,
  n: number,
  shift: number,
  colours: string[],
): Record<string, FeatureProfile> {
  const r = new PyRandom(seed);
  const speed = new NumericProfiler(kernel);
  const xs: unknown[] = [];
  for (let i = 0; i < n; i++) {
    const u1 = r.random();
    const u2 = r.random();
    xs.push(10 + shift + 2 * Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2));
  }
  xs.push(null);
  speed.add(xs);
  const colour = new CategoricalProfiler();
  colour.add(Array.from({ length: n }, () => colours[r.randbelow(colours.length)]));
  const out = { speed: speed.profile(), colour: colour.profile() };
  speed.close();
  return out;
}

const NORMAL = ['red', 'green', 'blue'];
const DRIFTED = ['red', 'green', 'blue', 'purple', 'purple', 'purple'];

function windowOf(device: string, i: number, p: Record<string, FeatureProfile>): WindowRecord {
  const rec = makeRecord(i, { deviceId: device, end: T0 + i * 60_000 });
  rec.profiles = profilesToWire(p);
  return rec;
}

function put(url: string, body: unknown, token?: string): Promise<Response> {
  return fetch(`${url}/v1/models/perception/1/reference`, {
    method: 'PUT',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
}

async function drift(url: string, query: string, token?: string): Promise<FleetDriftReport> {
  const r = await fetch(`${url}/v1/fleet/drift?${query}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  expect(r.status).toBe(200);
  return (await r.json()) as FleetDriftReport;
}

describe('fleet drift at the collector', () => {
  it('reference upload: token, validation, persistence across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ew-fleet-'));
    dirs.push(dir);
    const dbPath = join(dir, 'c.db');
    const ref = profilesToWire(profiles(1, 2000, 0, NORMAL));
    let c = await start({ dbPath, token: 'secret' });
    expect((await put(c.url, { profiles: ref })).status).toBe(401);
    const bad = await put(c.url, { profiles: { speed: 'AAAA' } }, 'secret');
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { details: string[] }).details[0]).toMatch(
      /profiles\.speed: corrupt profile bytes/,
    );
    expect((await put(c.url, { profiles: ref }, 'secret')).status).toBe(200);
    await c.close();
    c = await start({ dbPath, token: 'secret' });
    const got = await fetch(`${c.url}/v1/models/perception/1/reference`, {
      headers: { authorization: 'Bearer secret' },
    });
    expect(got.status).toBe(200);
    expect(((await got.json()) as { profiles: Record<string, string> }).profiles).toEqual(ref);
    expect((await fetch(`${c.url}/v1/fleet/drift?model=perception&version=1`)).status).toBe(401);
  });

  it('a window with a corrupt profile is refused with the reason', async () => {
    const c = await start();
    const rec = windowOf('d1', 0, profiles(2, 100, 0, NORMAL));
    rec.profiles!.speed = rec.profiles!.speed!.slice(0, 8);
    const r = await post(c, { windows: [rec] });
    expect(r.status).toBe(422);
    expect(JSON.stringify(await r.json())).toMatch(/profiles\.speed: corrupt profile bytes/);
  });

  it('20 devices, 3 drifted: the report names exactly the drifted subgroup', async () => {
    const c = await start();
    expect(
      (await put(c.url, { profiles: profilesToWire(profiles(1, 3000, 0, NORMAL)) })).status,
    ).toBe(200);
    const drifted = new Set(['dev-03', 'dev-11', 'dev-17']);
    const windows: WindowRecord[] = [];
    for (let d = 0; d < 20; d++) {
      const name = `dev-${String(d).padStart(2, '0')}`;
      for (let w = 0; w < 5; w++) {
        const bad = drifted.has(name) && w >= 2;
        windows.push(
          windowOf(name, w, profiles(100 + d * 10 + w, 150, bad ? 2 : 0, bad ? DRIFTED : NORMAL)),
        );
      }
    }
    expect((await post(c, { windows })).status).toBe(200);
    const rep = await drift(
      c.url,
      `model=perception&version=1&from=${T0}&to=${T0 + 10 * 60_000}&step=60000`,
    );
    expect(rep.devices).toBe(20);
    expect(rep.windows).toBe(100);
    expect(new Set(rep.driftedDevices)).toEqual(drifted);
    const byName = Object.fromEntries(rep.features.map((f) => [f.feature, f]));
    expect(byName.speed!.method).toBe('ks');
    expect(byName.speed!.drift).toBe(true);
    expect(byName.speed!.errorBound).toBeLessThan(0.05);
    expect(byName.speed!.missingShare).toBeCloseTo(100 / (100 * 151), 6);
    expect(byName.colour!.method).toBe('chi_square');
    expect(byName.colour!.newCategories).toEqual(['purple']);
    expect(byName.colour!.quality.newCategories).toEqual(['purple']);
    expect(byName.speed!.quality.constant).toBe(false);
    expect(byName.speed!.quality.aboveReferenceMax).toBe(true);
    expect(rep.driftShare).toBe(1);
    // before the drift started (first two minutes) the fleet matches the reference; the
    // per-device breakdown has hour granularity, so it still names the drifted devices
    const early = await drift(c.url, `model=perception&version=1&from=${T0}&to=${T0 + 2 * 60_000}`);
    expect(early.windows).toBe(40);
    expect(early.features.every((f) => !f.drift)).toBe(true);
    expect(early.deviceBucketMs).toBe(3_600_000);
    expect(rep.timeline!.length).toBe(10);
    expect(rep.timeline![4]!.features.speed!.drift).toBe(true);
    expect(rep.timeline![0]!.features.speed!.drift).toBe(false);

    const tl = (await (
      await fetch(
        `${c.url}/v1/fleet/timeline?model=perception&version=1&from=${T0}&to=${T0 + 5 * 60_000}`,
      )
    ).json()) as {
      buckets: { devices: number; windows: number; latency?: { p50: number } }[];
    };
    expect(tl.buckets.map((b) => b.devices)).toEqual([20, 20, 20, 20, 20]);
    expect(tl.buckets[0]!.latency!.p50).toBeGreaterThan(0);
  });

  it('exposes edgewatch_fleet_feature_drift (promtool-clean) for recent windows', async () => {
    const c = await start();
    await put(c.url, { profiles: profilesToWire(profiles(1, 2000, 0, NORMAL)) });
    const now = Date.now();
    const windows = ['a', 'b'].map((d, i) => {
      const rec = makeRecord(i, { deviceId: d, end: now - 1000 });
      rec.profiles = profilesToWire(profiles(7 + i, 500, d === 'b' ? 3 : 0, NORMAL));
      return rec;
    });
    expect((await post(c, { windows })).status).toBe(200);
    const text = await (await fetch(`${c.url}/metrics`)).text();
    expect(promtool(text)).toBe('');
    const fams = parseExposition(text, 'prometheus');
    const f = fams.find((x) => x.name === 'edgewatch_fleet_feature_drift');
    expect(f).toBeDefined();
    const ks = f!.samples.find((s) => s.labels.feature === 'speed' && s.labels.method === 'ks');
    expect(ks!.labels).toMatchObject({ model: 'perception', version: '1' });
    expect(ks!.value).toBeGreaterThan(0.2);
    expect(fams.find((x) => x.name === 'edgewatch_fleet_drifted_devices')!.samples[0]!.value).toBe(
      1,
    );
  });

  it('1,000 devices: /v1/fleet/drift answers quickly', async () => {
    const c = await start({ maxDevices: 2000, rateLimit: false });
    await put(c.url, { profiles: profilesToWire(profiles(1, 2000, 0, NORMAL)) });
    const base = profiles(5, 200, 0, NORMAL);
    const shifted = profiles(6, 200, 1, DRIFTED);
    for (let batch = 0; batch < 10; batch++) {
      const windows: WindowRecord[] = [];
      for (let d = batch * 100; d < batch * 100 + 100; d++)
        windows.push(windowOf(`dev-${d}`, d % 5, d % 100 === 7 ? shifted : base));
      expect((await post(c, { windows })).status).toBe(200);
    }
    const t0 = performance.now();
    const rep = await drift(c.url, `model=perception&version=1&from=${T0}&to=${T0 + 10 * 60_000}`);
    const ms = performance.now() - t0;
    console.log(`fleet drift over 1000 devices: ${ms.toFixed(0)} ms`);
    expect(rep.devices).toBe(1000);
    expect(rep.driftedDevices.length).toBe(10);
    expect(ms).toBeLessThan(5000);
  });
});
