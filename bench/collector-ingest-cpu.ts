/**
 * The collector's CPU per ingested window, in process (not part of the test
 * suite): request bodies of BATCH windows (a latency sketch of 200 values, two
 * feature profiles, 3 drift results) go through what an ingest request does
 * after the body is read — parse and validate, store (SQLite in memory, one
 * transaction per request), fold into the fleet aggregates — with no HTTP.
 * Prints windows/s (wall) and CPU µs per window (user + system, steadier on a
 * shared machine): the ceiling of the ingest path of one core before HTTP.
 *
 *   node --import tsx bench/collector-ingest-cpu.ts [--windows 20000] [--batch 100] [--runs 3]
 */
import { FleetAggregator } from '../src/collector/fleet-aggregator.js';
import { parseIngestBody } from '../src/collector/ingest.js';
import { WindowDb } from '../src/collector/window-db.js';
import type { WindowRecord } from '../src/window/window-record.js';
import { numberArg } from './support/args.js';
import { benchWindow } from './support/windows.js';

const WINDOWS = numberArg('windows', 20000);
const BATCH = numberArg('batch', 100);
const RUNS = numberArg('runs', 3);

const T0 = Date.now() - 3_600_000;
function windowAt(run: number, i: number): WindowRecord {
  return benchWindow({
    windowId: `00000000-0000-4${String(run).padStart(3, '0')}-8000-${i.toString(16).padStart(12, '0')}`,
    deviceId: `device-${i % 100}`,
    end: T0 + Math.floor(i / 100) * 60_000,
    sketch: i,
    profiles: i,
  });
}

const rates: number[] = [];
const cpuUs: number[] = [];
for (let run = 0; run < RUNS; run++) {
  const bodies: string[] = [];
  for (let i = 0; i < WINDOWS; i += BATCH)
    bodies.push(
      JSON.stringify({
        windows: Array.from({ length: Math.min(BATCH, WINDOWS - i) }, (_, k) =>
          windowAt(run, i + k),
        ),
      }),
    );
  const db = new WindowDb(':memory:');
  const agg = new FleetAggregator({ prerenderDelayMs: -1 });
  const t = performance.now();
  const cpu = process.cpuUsage();
  for (const text of bodies) {
    const parsed = parseIngestBody(text, 1000);
    if ('error' in parsed) throw new Error(parsed.error);
    const now = Date.now();
    const [result] = db.addBatches([parsed.windows], now);
    if (!result?.ok) throw new Error('not stored');
    result.outcomes.forEach((o, k) => {
      if (o === 'new') agg.ingest(parsed.windows[k]!, now);
    });
  }
  const s = (performance.now() - t) / 1000;
  const used = process.cpuUsage(cpu);
  cpuUs.push((used.user + used.system) / WINDOWS);
  rates.push(WINDOWS / s);
  db.close();
}
rates.sort((a, b) => a - b);
cpuUs.sort((a, b) => a - b);
console.log(
  `ingest CPU path, ${WINDOWS} windows in requests of ${BATCH}: ${rates.map((r) => r.toFixed(0)).join(', ')} windows/s (median ${rates[Math.floor(RUNS / 2)]!.toFixed(0)}); CPU per window ${cpuUs.map((c) => c.toFixed(0)).join(', ')} µs (median ${cpuUs[Math.floor(RUNS / 2)]!.toFixed(0)})`,
);
