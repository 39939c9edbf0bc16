/**
 * Collector restart time (not part of the test suite): a SQLite store with
 * WINDOWS stored windows (DEVICES devices, one model; each window a latency
 * sketch of 200 values, counters, 3 drift results, optionally 2 feature
 * profiles), then:
 *
 * 1. a start with no snapshot: every stored window replayed (the cost without
 *    snapshots); its `close()` writes the snapshot;
 * 2. a start from that snapshot alone (after a clean shutdown);
 * 3. REPLAY more windows stored after the snapshot (as after a kill -9), and a start
 *    from the snapshot that replays them.
 *
 *   node --import tsx bench/collector-restart.ts [--windows 1000000] [--devices 1000] [--replay 30000] [--profiles]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCollector } from '../src/collector/server.js';
import { WindowDb } from '../src/collector/window-db.js';
import type { WindowRecord } from '../src/window/window-record.js';
import { flag, numberArg } from './support/args.js';
import { benchWindow } from './support/windows.js';

const WINDOWS = numberArg('windows', 1000000);
const DEVICES = numberArg('devices', 1000);
const REPLAY = numberArg('replay', 30000);
const PROFILES = flag('profiles');

const T0 = Date.now() - Math.ceil(WINDOWS / DEVICES) * 60_000;

function windowAt(i: number): WindowRecord {
  return benchWindow({
    windowId: `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
    deviceId: `device-${i % DEVICES}`,
    end: T0 + Math.floor(i / DEVICES) * 60_000,
    sketch: i,
    profiles: PROFILES ? i : undefined,
  });
}

function fill(db: WindowDb, from: number, to: number): void {
  for (let i = from; i < to; i += 1000)
    db.add(
      Array.from({ length: Math.min(1000, to - i) }, (_, k) => windowAt(i + k)),
      Date.now(),
    );
}

const dir = mkdtempSync(join(tmpdir(), 'ew-restart-'));
const dbPath = join(dir, 'restart.db');
try {
  let t = performance.now();
  const db = new WindowDb(dbPath, { synchronous: 'normal' });
  fill(db, 0, WINDOWS);
  db.close();
  const mb = (statSync(dbPath).size / 1e6).toFixed(0);
  console.log(
    `stored ${WINDOWS} windows (${DEVICES} devices${PROFILES ? ', 2 profiles each' : ''}) in ${((performance.now() - t) / 1000).toFixed(1)} s; ${mb} MB`,
  );

  t = performance.now();
  const full = await startCollector({ port: 0, dbPath });
  const fullS = (performance.now() - t) / 1000;
  const reloaded = full.stats().windows;
  t = performance.now();
  await full.close();
  const closeS = (performance.now() - t) / 1000;
  let snap = new WindowDb(dbPath);
  const snapBytes = snap.loadSnapshot()?.body.byteLength ?? 0;
  snap.close();
  console.log(
    `full replay: ${reloaded} windows in ${fullS.toFixed(2)} s; close() with the snapshot write ${closeS.toFixed(2)} s; snapshot ${(snapBytes / 1e6).toFixed(2)} MB`,
  );

  t = performance.now();
  const clean = await startCollector({ port: 0, dbPath });
  const cleanS = (performance.now() - t) / 1000;
  console.log(
    `restart after a clean shutdown (snapshot covers every window): ${clean.stats().windows} windows in ${cleanS.toFixed(2)} s`,
  );
  await clean.close();
  snap = new WindowDb(dbPath);
  fill(snap, WINDOWS, WINDOWS + REPLAY);
  snap.close();

  t = performance.now();
  const cpu = process.cpuUsage();
  const fast = await startCollector({ port: 0, dbPath });
  const fastS = (performance.now() - t) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuS = (used.user + used.system) / 1e6;
  console.log(
    `restart from the snapshot + ${REPLAY} newer windows: ${fast.stats().windows} windows in ${fastS.toFixed(2)} s (CPU ${cpuS.toFixed(2)} s, ${((cpuS / REPLAY) * 1e6).toFixed(0)} µs of restart CPU per replayed window, snapshot load included); load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  await fast.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
