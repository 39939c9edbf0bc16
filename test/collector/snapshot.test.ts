/**
 * Aggregate snapshots: a collector restarted from a snapshot plus the windows
 * stored after it holds exactly the state a full replay of every stored window
 * builds — the aggregator's state compared field by field, and every fleet
 * answer (`/metrics`, `/v1/fleet`, drift, timeline) compared as text.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serialize } from 'node:v8';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { FleetAggregator } from '../../src/collector/fleet-aggregator.js';
import type { Collector } from '../../src/collector/server.js';
import {
  encodeSnapshot,
  encodeSnapshotSliced,
  restoreSnapshot,
} from '../../src/collector/snapshot.js';
import { loadSqlite, WindowDb } from '../../src/collector/window-db.js';
import { formatExposition } from '../../src/export/exposition.js';
import { NumericProfiler, profilesToWire } from '../../src/entry/stats.js';
import { createReferenceKernel } from '../../src/kernel/reference/index.js';
import { fleetWindows } from './fleet-windows.js';
import { post, start } from './helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const LAST_END = 1_700_000_000_000;

describe('aggregator snapshot', () => {
  const windows = fleetWindows(24, 7, LAST_END);
  const received = (i: number): number => LAST_END + 1000 * i;

  it('property: snapshot after any prefix + the rest folded = every window folded', () => {
    const full = new FleetAggregator({ prerenderDelayMs: -1 });
    windows.forEach((w, i) => full.ingest(w, received(i)));
    const expected = full.exportState();
    const text = formatExposition(full.families(LAST_END + 60_000), 'prometheus');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: windows.length }), (k) => {
        const first = new FleetAggregator({ prerenderDelayMs: -1 });
        windows.slice(0, k).forEach((w, i) => first.ingest(w, received(i)));
        const bytes = encodeSnapshot(first, { windows: k, invalid: 0 });
        const restored = new FleetAggregator({ prerenderDelayMs: -1 });
        expect(restoreSnapshot(restored, bytes)).toEqual({ windows: k, invalid: 0 });
        windows.slice(k).forEach((w, i) => restored.ingest(w, received(k + i)));
        expect(restored.exportState()).toEqual(expected);
        for (const m of ['m0', 'm1'])
          for (const v of ['1', '2'])
            for (const s of ['latency', 'queue'])
              expect(restored.fleetSketchBytes(m, v, s)).toEqual(full.fleetSketchBytes(m, v, s));
        expect(formatExposition(restored.families(LAST_END + 60_000), 'prometheus')).toBe(text);
      }),
      { numRuns: 12 },
    );
  });

  it('the sliced encoding yields to the event loop and gives the same bytes; format-1 bodies still load', async () => {
    // Enough windows that the state is written in many pieces (small states are one).
    const many = fleetWindows(600, 8, LAST_END);
    const agg = new FleetAggregator({ prerenderDelayMs: -1 });
    many.forEach((w, i) => agg.ingest(w, received(i)));
    const whole = encodeSnapshot(agg, { windows: windows.length, invalid: 0 });
    let turns = 0;
    const ticker = setInterval(() => turns++, 0);
    const sliced = await encodeSnapshotSliced(agg, { windows: windows.length, invalid: 0 }, 0);
    clearInterval(ticker);
    expect(turns).toBeGreaterThan(0);
    expect(Buffer.from(sliced).equals(Buffer.from(whole))).toBe(true);
    const restored = new FleetAggregator({ prerenderDelayMs: -1 });
    restoreSnapshot(restored, sliced);
    expect(restored.exportState()).toEqual(agg.exportState());
    // The body of the previous version (one v8.serialize call) is read as before.
    const old = new FleetAggregator({ prerenderDelayMs: -1 });
    const v1 = serialize({ format: 1, aggregator: agg.exportState(), windows: 5, invalid: 1 });
    expect(restoreSnapshot(old, v1)).toEqual({ windows: 5, invalid: 1 });
    expect(old.exportState()).toEqual(agg.exportState());
    expect(() => restoreSnapshot(old, serialize({ format: 9 }))).toThrow(/format 2, got 9/);
  });

  it('a snapshot taken with other label caps is refused and leaves the aggregator as it was', () => {
    const a = new FleetAggregator({ maxDevices: 3 });
    windows.forEach((w, i) => a.ingest(w, received(i)));
    const bytes = encodeSnapshot(a, { windows: windows.length, invalid: 0 });
    const b = new FleetAggregator({ maxDevices: 4 });
    b.ingest(windows[0]!, received(0));
    const before = b.exportState();
    expect(() => restoreSnapshot(b, bytes)).toThrow(/maxDevices 3, running with 4/);
    expect(b.exportState()).toEqual(before);
    expect(() => restoreSnapshot(b, new Uint8Array([1, 2, 3]))).toThrow();
    expect(b.exportState()).toEqual(before);
  });
});

/** Every fleet answer of a collector, as text (its own request counters left out). */
async function fleetAnswers(c: Collector): Promise<string[]> {
  const get = async (path: string): Promise<string> => {
    const r = await fetch(`${c.url}${path}`);
    expect(r.status).toBe(200);
    return r.text();
  };
  const metrics = (await get('/metrics'))
    .split('\n')
    .filter((l) => !l.includes('edgewatch_collector_requests_total'));
  const out = [metrics.join('\n'), await get('/v1/fleet'), await get('/v1/fleet/models')];
  const range = `from=${LAST_END - 7_200_000}&to=${LAST_END + 60_000}`;
  for (const m of ['m0', 'm1'])
    for (const v of ['1', '2']) {
      out.push(await get(`/v1/fleet/timeline?model=${m}&version=${v}&${range}`));
      out.push(await get(`/v1/fleet/drift?model=${m}&version=${v}&${range}&step=600000`));
    }
  return out;
}

function copyDb(from: string, to: string): void {
  for (const ext of ['', '-wal', '-shm'])
    if (existsSync(from + ext)) copyFileSync(from + ext, to + ext);
}

/** Uploads one reference profile (`speed`, values 10 + i mod `period`) for models m0/m1, versions 1/2. */
async function putReferences(c: Collector, period: number): Promise<void> {
  const speed = new NumericProfiler(createReferenceKernel());
  speed.add(Array.from({ length: 100 }, (_, i) => 10 + (i % period)));
  const reference = profilesToWire({ speed: speed.profile() });
  speed.close();
  for (const m of ['m0', 'm1'])
    for (const v of ['1', '2'])
      await fetch(`${c.url}/v1/models/${m}/${v}/reference`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ profiles: reference }),
      });
}

describe('collector restart from a snapshot', () => {
  it('snapshot on close + windows stored after it = full replay; rows the snapshot covers are not read again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ew-snap-'));
    dirs.push(dir);
    const dbPath = join(dir, 'c.db');
    const fullPath = join(dir, 'full.db');
    const [early, late] = [
      fleetWindows(40, 11, LAST_END - 40 * 60_000),
      fleetWindows(30, 12, LAST_END),
    ];
    const a = await start({ dbPath, snapshotIntervalMs: 3_600_000 });
    await putReferences(a, 7);
    expect((await post(a, { windows: early.slice(0, 25) })).status).toBe(200);
    expect((await post(a, { windows: early.slice(25) })).status).toBe(200);
    await a.close(); // writes the snapshot

    // Windows stored after the snapshot by a process that died before the next one.
    const db = new WindowDb(dbPath);
    const snapSeq = db.loadSnapshot()!.seq;
    expect(snapSeq).toBe(40);
    db.add(late, LAST_END + 5000);
    db.close();
    copyDb(dbPath, fullPath);
    // Rows the snapshot covers are gone from this copy: its aggregates can only come from the snapshot.
    const Sqlite = loadSqlite();
    const raw = new Sqlite(dbPath);
    expect(raw.prepare('DELETE FROM windows WHERE seq <= ?').run(snapSeq).changes).toBe(40);
    raw.close();

    const restored = await start({ dbPath });
    const replayed = await start({ dbPath: fullPath, snapshotIntervalMs: 0 });
    expect(restored.stats().windows).toBe(70);
    expect(replayed.stats().windows).toBe(70);
    const [got, want] = [await fleetAnswers(restored), await fleetAnswers(replayed)];
    expect(got).toEqual(want);
    expect(want[0]).toMatch(
      /edgewatch_fleet_prediction_latency_seconds_count\{model="m0",model_version="1"\}/,
    );
    expect(want[3]).toMatch(/"devices"/);
  });

  it('windows posted while snapshots are serialized are folded once; reads and a restart see them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ew-snap-'));
    dirs.push(dir);
    const dbPath = join(dir, 'c.db');
    const fullPath = join(dir, 'full.db');
    const all = fleetWindows(600, 13, LAST_END);
    // A snapshot is due whenever windows were folded: most posts meet one being serialized.
    const a = await start({ dbPath, snapshotIntervalMs: 1 });
    await putReferences(a, 5);
    const batches = Array.from({ length: 30 }, (_, i) => all.slice(i * 20, i * 20 + 20));
    for (const r of await Promise.all(batches.map((windows) => post(a, { windows }))))
      expect(r.status).toBe(200);
    expect(a.stats().windows).toBe(all.length);
    const live = await fleetAnswers(a);
    await a.close();
    copyDb(dbPath, fullPath);
    const restored = await start({ dbPath });
    const replayed = await start({ dbPath: fullPath, snapshotIntervalMs: 0 });
    expect(restored.stats().windows).toBe(all.length);
    const want = await fleetAnswers(replayed);
    expect(await fleetAnswers(restored)).toEqual(want);
    expect(live).toEqual(want);
    await Promise.all([restored.close(), replayed.close()]);
  }, 60_000);

  it('an unreadable snapshot is reported and every window replayed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ew-snap-'));
    dirs.push(dir);
    const dbPath = join(dir, 'c.db');
    const a = await start({ dbPath });
    await post(a, { windows: fleetWindows(10, 3, LAST_END) });
    await a.close();
    const raw = new (loadSqlite())(dbPath);
    raw.prepare('UPDATE aggregate_snapshot SET body = ?').run(Buffer.from('not a snapshot'));
    raw.close();
    const errors: string[] = [];
    const b = await start({ dbPath, onError: (e) => errors.push((e as Error).message) });
    expect(errors).toEqual([expect.stringMatching(/^ignoring the aggregate snapshot/)]);
    expect(b.stats().windows).toBe(10);
  });
});
