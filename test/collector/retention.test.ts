/**
 * Retention: windows ending before the limit are merged into hourly aggregates
 * per (model, version, device) and deleted, in small batches; the aggregates
 * answer `GET /v1/windows` for their range with the values an independent
 * merge of the raw windows gives (sketch buckets merged with the kernel), and
 * the fleet totals (`/metrics`, `/v1/fleet`) neither change nor are lost
 * across a restart.
 */
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import type { HourlyAggregate } from '../../src/collector/hourly.js';
import { resolveCollectorOptions } from '../../src/collector/options.js';
import { parseCollectorArgs } from '../../src/collector/cli.js';
import { ConfigError } from '../../src/errors.js';
import { createReferenceKernel } from '../../src/kernel/reference/index.js';
import { decodeSketch } from '../../src/kernel/sketch-format.js';
import { mergeProfiles } from '../../src/profile/feature-profiler.js';
import { decodeProfile } from '../../src/profile/profile-format.js';
import type { FeatureProfile } from '../../src/profile/profile-types.js';
import { base64ToBytes } from '../../src/window/base64.js';
import type { WindowRecord } from '../../src/window/window-record.js';
import type { Collector } from '../../src/collector/server.js';
import { FleetProfiles } from '../../src/collector/fleet-profiles.js';
import { fleetDriftQuery, fleetTimelineQuery } from '../../src/collector/fleet-routes.js';
import { fleetWindows } from './fleet-windows.js';
import { post, start, tempDir } from './helpers.js';

const HOUR = 3_600_000;

/** JSON with every number rounded to 9 significant digits (merge order moves the last bits). */
function rounded(v: unknown): unknown {
  return JSON.parse(
    JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' ? Number(x.toPrecision(9)) : x)),
  );
}
const kernel = createReferenceKernel();

async function windowsPage(
  c: Collector,
  query = '',
): Promise<{
  windows: WindowRecord[];
  hourly?: HourlyAggregate[];
}> {
  const r = await fetch(`${c.url}/v1/windows?limit=1000${query}`);
  expect(r.status).toBe(200);
  return (await r.json()) as { windows: WindowRecord[]; hourly?: HourlyAggregate[] };
}

async function fleetText(c: Collector): Promise<string[]> {
  const metrics = (await (await fetch(`${c.url}/metrics`)).text())
    .split('\n')
    .filter((l) => !l.includes('edgewatch_collector_'))
    .join('\n');
  return [metrics, await (await fetch(`${c.url}/v1/fleet`)).text()];
}

/** The expected aggregate of some raw windows, merged independently (sketches with the kernel). */
function expectAggregate(got: HourlyAggregate, raw: WindowRecord[]): void {
  expect(got.windows).toBe(raw.length);
  expect(got.profiled).toBe(raw.filter((w) => w.profiles).length);
  const sum = (pick: (w: WindowRecord) => Record<string, number>): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const w of raw) for (const [k, v] of Object.entries(pick(w))) out[k] = (out[k] ?? 0) + v;
    return out;
  };
  expect(got.counters).toEqual(sum((w) => w.counters));
  expect(got.drops).toEqual(sum((w) => w.drops));
  const alerts = raw.flatMap((w) => w.alerts).length;
  expect(got.alerts.reduce((a, x) => a + x.count, 0)).toBe(alerts);
  for (const name of ['latency', 'queue']) {
    const h = kernel.sketchCreate();
    for (const w of raw) {
      const s = kernel.sketchDeserialize(base64ToBytes(w.sketches[name]!));
      kernel.sketchMerge(h, s);
      kernel.sketchFree(s);
    }
    const want = decodeSketch(kernel.sketchSerialize(h));
    kernel.sketchFree(h);
    const have = decodeSketch(base64ToBytes(got.sketches[name]!));
    expect(have.count).toBe(want.count);
    expect(have.sum).toBeCloseTo(want.sum, 9);
    expect([have.min, have.max]).toEqual([want.min, want.max]);
    expect(have.positive).toEqual(want.positive);
  }
  const profiled = raw.filter((w) => w.profiles);
  for (const feature of ['speed', 'colour']) {
    if (profiled.length === 0) {
      expect(got.profiles[feature]).toBeUndefined();
      continue;
    }
    const want = profiled
      .map((w) => decodeProfile(base64ToBytes(w.profiles![feature]!)))
      .reduce((a: FeatureProfile, b) => mergeProfiles(a, b));
    expect(decodeProfile(base64ToBytes(got.profiles[feature]!))).toEqual(want);
  }
}

describe('collector retention', () => {
  it('windows past the limit become hourly aggregates equal to merging them; totals unchanged, also after a restart', async () => {
    const dbPath = join(tempDir('ew-ret-'), 'c.db');
    const now = Date.now();
    const old = fleetWindows(300, 21, now - 3 * HOUR); // ending 8 h to 3 h ago
    const recent = fleetWindows(40, 22, now - 60_000);
    const opts = { dbPath, retentionMs: 2 * HOUR, purgeIntervalMs: 50, snapshotIntervalMs: 100 };
    const c = await start({ ...opts, purgeIntervalMs: 3_600_000 });
    const reference = new Map(
      Object.entries(old[0]!.profiles ?? old.find((w) => w.profiles)!.profiles!).map(([k, b]) => [
        k,
        decodeProfile(base64ToBytes(b)),
      ]),
    );
    expect(
      (
        await fetch(`${c.url}/v1/models/m0/1/reference`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ profiles: old.find((w) => w.profiles)!.profiles }),
        })
      ).status,
    ).toBe(200);
    expect((await post(c, { windows: old })).status).toBe(200);
    expect((await post(c, { windows: recent })).status).toBe(200);
    const before = await fleetText(c);
    await c.close();

    const d = await start(opts);
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    await expect
      .poll(async () => (await windowsPage(d)).windows.length, { timeout: 20_000, interval: 50 })
      .toBe(recent.length);
    delay.disable();
    const page = await windowsPage(d);
    expect(page.windows.map((w) => w.windowId).sort()).toEqual(
      recent.map((w) => w.windowId).sort(),
    );
    // One aggregate per (model, version, device, hour) of the old windows, equal to merging them.
    const groups = new Map<string, WindowRecord[]>();
    for (const w of old) {
      const k = JSON.stringify([
        w.model.name,
        w.model.version,
        w.deviceId,
        Math.floor(w.end / HOUR) * HOUR,
      ]);
      groups.set(k, [...(groups.get(k) ?? []), w]);
    }
    expect(page.hourly).toHaveLength(groups.size);
    for (const a of page.hourly!) {
      const raw = groups.get(JSON.stringify([a.model, a.version, a.device, a.hour]));
      expect(raw).toBeDefined();
      expectAggregate(a, raw!);
    }
    // Filters apply to the aggregates too.
    const m0 = await windowsPage(d, `&model=m0&device=device-3&since=${now - 6 * HOUR}`);
    expect(m0.hourly!.length).toBeGreaterThan(0);
    expect(
      m0.hourly!.every(
        (a) =>
          a.model === 'm0' &&
          a.device === 'device-3' &&
          a.hour >= Math.floor((now - 6 * HOUR) / HOUR) * HOUR,
      ),
    ).toBe(true);
    expect(await fleetText(d)).toEqual(before);
    const purged = (await (await fetch(`${d.url}/metrics`)).text()).match(
      /edgewatch_collector_windows_purged_total (\d+)/,
    );
    expect(Number(purged?.[1])).toBe(old.length);
    const longest = (await (await fetch(`${d.url}/metrics`)).text()).match(
      /^edgewatch_collector_purge_longest_seconds (\S+)$/m,
    );
    expect(Number(longest?.[1])).toBeGreaterThan(0);
    console.info(
      `[retention] ${old.length} windows moved in batches of 50; longest purge transaction ${(Number(longest?.[1]) * 1000).toFixed(1)} ms; longest event-loop stall meanwhile (purge, snapshots every 100 ms, the polling reads) ${(delay.max / 1e6).toFixed(1)} ms`,
    );

    // Fleet drift and timeline over old ranges answer from the aggregates, at hour resolution:
    // the same as an hour-resolution fold of the raw windows.
    const hourly = (): FleetProfiles =>
      new FleetProfiles({
        bucketMs: HOUR,
        deviceBucketMs: HOUR,
        maxBuckets: 1e9,
        maxDeviceBuckets: 1e9,
      });
    const raw = hourly();
    raw.setReference('m0', '1', reference);
    for (const w of old) raw.ingest(w);
    const withRecent = hourly();
    withRecent.setReference('m0', '1', reference);
    for (const w of [...old, ...recent]) withRecent.ingest(w);
    const boundary = Math.floor((Date.now() - 2 * HOUR) / HOUR) * HOUR;
    for (const [expected, to] of [
      [raw, boundary],
      [withRecent, Date.now() + 60_000],
    ] as const) {
      const q = `model=m0&version=1&from=${now - 9 * HOUR}&to=${to}`;
      const timeline = await (await fetch(`${d.url}/v1/fleet/timeline?${q}`)).json();
      expect(rounded(timeline)).toEqual(
        rounded(fleetTimelineQuery(expected, kernel, new URLSearchParams(q), Date.now())),
      );
      expect((timeline as { bucketMs: number }).bucketMs).toBe(HOUR);
      const drift = await (await fetch(`${d.url}/v1/fleet/drift?${q}&step=${HOUR}`)).json();
      expect(rounded(drift)).toEqual(
        rounded(fleetDriftQuery(expected, new URLSearchParams(`${q}&step=${HOUR}`), Date.now())),
      );
      expect((drift as { windows: number }).windows).toBeGreaterThan(0);
    }
    await d.close();
    const e = await start({ ...opts, purgeIntervalMs: 3_600_000 });
    expect(await fleetText(e)).toEqual(before);
    expect(e.stats().windows).toBe(old.length + recent.length);
  }, 60_000);

  it('hourly aggregates past their own retention are deleted in batches; newer ones still answer', async () => {
    const dbPath = join(tempDir('ew-ret-'), 'c.db');
    const now = Date.now();
    const old = fleetWindows(300, 23, now - 3 * HOUR); // ending 8 h to 3 h ago
    const opts = {
      dbPath,
      retentionMs: 2 * HOUR,
      hourlyRetentionMs: 5 * HOUR,
      purgeIntervalMs: 50,
      snapshotIntervalMs: 100,
    };
    // First the windows become hourly aggregates (hourly retention off), then a restart deletes the old hours.
    const c = await start({ ...opts, hourlyRetentionMs: 0 });
    expect((await post(c, { windows: old })).status).toBe(200);
    await expect
      .poll(async () => (await windowsPage(c)).windows.length, { timeout: 20_000, interval: 50 })
      .toBe(0);
    const hours = new Set((await windowsPage(c)).hourly!.map((a) => a.hour));
    await c.close();
    const cutoff = (): number => Date.now() - 5 * HOUR - HOUR; // hours starting at or before it ended > 5 h ago
    expect([...hours].some((h) => h <= cutoff())).toBe(true);
    expect([...hours].some((h) => h > cutoff() + 60_000)).toBe(true);

    const d = await start(opts);
    await expect
      .poll(async () => (await windowsPage(d)).hourly!.every((a) => a.hour > cutoff()), {
        timeout: 20_000,
        interval: 50,
      })
      .toBe(true);
    const page = await windowsPage(d);
    const groups = new Map<string, WindowRecord[]>();
    for (const w of old) {
      const hour = Math.floor(w.end / HOUR) * HOUR;
      if (hour <= cutoff() + 60_000) continue; // may be deleted by now
      const k = JSON.stringify([w.model.name, w.model.version, w.deviceId, hour]);
      groups.set(k, [...(groups.get(k) ?? []), w]);
    }
    expect(groups.size).toBeGreaterThan(0);
    for (const [k, raw] of groups) {
      const a = page.hourly!.find(
        (x) => JSON.stringify([x.model, x.version, x.device, x.hour]) === k,
      );
      expect(a).toBeDefined();
      expectAggregate(a!, raw);
    }
    // The fleet totals (from the snapshot) keep every window.
    expect(d.stats().windows).toBe(old.length);
    await d.close();
  }, 60_000);

  it('hourly retention: default 400 days with a window retention, 0 without; refused below the retention', () => {
    expect(resolveCollectorOptions({ dbPath: ':memory:' }).hourlyRetentionMs).toBe(
      400 * 86_400_000,
    );
    expect(resolveCollectorOptions({ retentionMs: 0 }).hourlyRetentionMs).toBe(0);
    expect(resolveCollectorOptions({ dbPath: 'postgres://x@h/db' }).hourlyRetentionMs).toBe(0);
    expect(resolveCollectorOptions({ retentionMs: 500 * 86_400_000 }).hourlyRetentionMs).toBe(
      500 * 86_400_000,
    );
    expect(resolveCollectorOptions({ hourlyRetentionMs: 0 }).hourlyRetentionMs).toBe(0);
    expect(() =>
      resolveCollectorOptions({ retentionMs: 2 * HOUR, hourlyRetentionMs: HOUR }),
    ).toThrow(/at least retentionMs/);
    expect(() => resolveCollectorOptions({ retentionMs: 0, hourlyRetentionMs: HOUR })).toThrow(
      ConfigError,
    );
    expect(parseCollectorArgs(['--hourly-retention', '400d']).hourlyRetentionMs).toBe(
      400 * 86_400_000,
    );
    expect(parseCollectorArgs(['--hourly-retention', 'off']).hourlyRetentionMs).toBe(0);
    expect(() => parseCollectorArgs(['--hourly-retention', '1y'])).toThrow(/--hourly-retention/);
  });

  it('options: default 30 days on SQLite, off without snapshots, refused on PostgreSQL; --retention durations', () => {
    expect(resolveCollectorOptions({ dbPath: ':memory:' }).retentionMs).toBe(30 * 86_400_000);
    expect(resolveCollectorOptions({ snapshotIntervalMs: 0 }).retentionMs).toBe(0);
    expect(() => resolveCollectorOptions({ snapshotIntervalMs: 0, retentionMs: 1000 })).toThrow(
      /snapshotIntervalMs > 0/,
    );
    expect(resolveCollectorOptions({ dbPath: 'postgres://x@h/db' }).retentionMs).toBe(0);
    expect(() =>
      resolveCollectorOptions({ dbPath: 'postgres://x@h/db', retentionMs: HOUR }),
    ).toThrow(ConfigError);
    expect(() =>
      resolveCollectorOptions({ dbPath: 'postgres://x@h/db', retentionMs: HOUR }),
    ).toThrow(/SQLite-only/);
    expect(parseCollectorArgs(['--retention', '30d']).retentionMs).toBe(30 * 86_400_000);
    expect(parseCollectorArgs(['--retention', '12h']).retentionMs).toBe(12 * HOUR);
    expect(parseCollectorArgs(['--retention', 'off']).retentionMs).toBe(0);
    for (const bad of ['30', '1.5d', '-1d', 'forever'])
      expect(() => parseCollectorArgs(['--retention', bad])).toThrow(ConfigError);
  });
});
