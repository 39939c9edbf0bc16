/**
 * Collector load test (not part of the test suite): N simulated devices each
 * POST one window per second for S seconds to a collector on 127.0.0.1 running
 * in its own process (bin/edgewatch-collector.js). Bounded and self-stopping.
 * Prints p50/p99/max ingest latency and checks that nothing was lost (every
 * window acknowledged with a 200 is stored exactly once, read back through
 * GET /v1/windows). Requests still open DRAIN_MS after the last send are aborted.
 *
 * With `--postgres`, the store is a throwaway PostgreSQL server
 * (test/support/postgres.ts) and `--collectors N` processes share it, devices
 * spread round-robin over them (read-back goes through the first).
 *
 *   node --import tsx bench/collector-load.ts [--devices 1000] [--seconds 60] [--synchronous full|normal]
 *     [--postgres [--collectors 3]] [--cpu-prof DIR] [--collector-arg --flag ...]
 *
 * The collector CPU per window counts from the first request to the last
 * answer (start-up and the read-back excluded), every thread, read from `/proc`; the 1-minute load average before
 * and after is printed with it, since other work on the machine skews latency.
 *
 * `--cpu-prof DIR` writes a V8 CPU profile of each collector process into DIR
 * (open it in Chrome DevTools); `--collector-arg X` passes X to every collector's
 * command line (repeatable, e.g. `--collector-arg --sqlite-writer --collector-arg off`).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { setMaxListeners } from 'node:events';
import { startCollectorCli } from '../test/support/collector-cli.js';
import { startPostgres } from '../test/support/postgres.js';
import { arg, flag, numberArg } from './support/args.js';
import { benchWindow } from './support/windows.js';

const DEVICES = numberArg('devices', 1000);
const SECONDS = numberArg('seconds', 60);
const DRAIN_MS = 30_000;

const dir = mkdtempSync(join(tmpdir(), 'ew-load-'));
const SYNC = arg('synchronous', 'full');
const postgres = flag('postgres') ? await startPostgres() : undefined;
const COLLECTORS = postgres ? numberArg('collectors', 1) : 1;
const db = postgres ? await postgres.createDatabase('load') : join(dir, 'load.db');
const PROFILE_DIR = flag('cpu-prof') ? arg('cpu-prof', '.') : undefined;
const extraArgs = process.argv.flatMap((a, i) =>
  a === '--collector-arg' && process.argv[i + 1] ? [process.argv[i + 1]!] : [],
);
const collectors = await Promise.all(
  Array.from({ length: COLLECTORS }, () =>
    startCollectorCli(['--port', '0', '--db', db, '--synchronous', SYNC, ...extraArgs], {
      stderr: 'inherit',
      timeoutMs: 30_000,
      nodeArgs: PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR] : [],
    }),
  ),
);
const urls = collectors.map((c) => c.url);
const url = urls[0]!;

const latencies: number[] = [];
const sentIds: string[] = [];
const ackedIds: string[] = [];
// Hard bound: at SECONDS + DRAIN every request still open is aborted.
const deadline = new AbortController();
setMaxListeners(0, deadline.signal);
// Plain node:http with a bounded keep-alive pool: cheaper per request than fetch, so the
// generator steals less CPU from the collector on a small machine.
const agent = new Agent({ keepAlive: true, maxSockets: 256 });
function post(base: string, path: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}${path}`,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        signal: deadline.signal,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
/** CPU seconds (user + system, every thread) the collectors have used so far, from `/proc`. */
function collectorsCpuS(): number {
  return collectors.reduce((sum, { child }) => {
    try {
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return sum + (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      return NaN;
    }
  }, 0);
}
// Start-up (module loading, replay) is left out of the CPU per window.
const startupCpuS = collectorsCpuS();
const loadBefore = loadavg()[0]!;
setTimeout(() => deadline.abort(), SECONDS * 1000 + DRAIN_MS).unref();
const failures = new Map<string, number>();
let inflight = 0;
let retries = 0;
const t0 = performance.now();
const startMs = Date.now();

async function sendOne(device: number, k: number): Promise<void> {
  const windowId = randomUUID();
  const body = JSON.stringify({
    windows: [
      benchWindow({
        windowId,
        deviceId: `device-${device}`,
        version: String(1 + (device % 3)),
        end: startMs + k * 1000,
        spanMs: 1000,
        sketch: device + k,
        features: ['x'],
      }),
    ],
  });
  sentIds.push(windowId);
  inflight++;
  const s = performance.now();
  try {
    // Like the Flusher: a network failure is retried (same window id; the collector dedups).
    let status = 0;
    for (let attempt = 0; ; attempt++) {
      try {
        status = await post(urls[device % COLLECTORS]!, '/v1/windows', body);
        break;
      } catch (e) {
        if (deadline.signal.aborted || attempt >= 3) throw e;
        retries++;
        await new Promise((r) => setTimeout(r, 100 * (attempt + 1)));
      }
    }
    if (status !== 200)
      failures.set(`status ${status}`, (failures.get(`status ${status}`) ?? 0) + 1);
    else {
      latencies.push(performance.now() - s);
      ackedIds.push(windowId);
    }
  } catch (e) {
    const key = deadline.signal.aborted
      ? 'aborted at deadline'
      : ((e as { code?: string }).code ?? (e as Error).message);
    failures.set(key, (failures.get(key) ?? 0) + 1);
  } finally {
    inflight--;
  }
}

// Device d sends its k-th window at t = k + d/DEVICES seconds (spread evenly).
const pending: Promise<void>[] = [];
await new Promise<void>((resolve) => {
  let k = 0;
  const tick = (): void => {
    if (k >= SECONDS) return resolve();
    const kk = k++;
    for (let d = 0; d < DEVICES; d++) {
      setTimeout(() => pending.push(sendOne(d, kk)), (d / DEVICES) * 1000);
    }
    setTimeout(tick, Math.max(0, t0 + k * 1000 - performance.now()));
  };
  tick();
});
await new Promise((r) => setTimeout(r, 1100));
await Promise.race([
  Promise.all(pending),
  new Promise((r) => deadline.signal.addEventListener('abort', r)),
]);
await Promise.allSettled(pending);
const elapsed = (performance.now() - t0) / 1000;
// CPU seconds the collectors used for the load (before the read-back below): a per-window
// cost that a loaded machine distorts less than latency does.
const collectorCpuS = collectorsCpuS() - startupCpuS;
const loadAfter = loadavg()[0]!;

// Read back everything stored.
const stored: string[] = [];
for (let after = 0, i = 0; i < 10_000; i++) {
  const r = (await (await fetch(`${url}/v1/windows?limit=1000&after=${after}`)).json()) as {
    windows: { windowId: string }[];
    next?: number;
  };
  stored.push(...r.windows.map((w) => w.windowId));
  if (r.next === undefined) break;
  after = r.next;
}
const storedSet = new Set(stored);
// Lost = acknowledged with 200 but not stored. Requests aborted at the deadline were never acknowledged.
const lost = ackedIds.filter((id) => !storedSet.has(id)).length;
const unacknowledgedStored =
  sentIds.length - ackedIds.length - sentIds.filter((id) => !storedSet.has(id)).length + lost;
for (const { child } of collectors) {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}
postgres?.stop();
rmSync(dir, { recursive: true, force: true });
agent.destroy();

latencies.sort((a, b) => a - b);
const q = (p: number): string =>
  (
    latencies[Math.min(latencies.length - 1, Math.floor(p * (latencies.length - 1)))] ?? NaN
  ).toFixed(1);
console.log(
  JSON.stringify(
    {
      devices: DEVICES,
      seconds: SECONDS,
      store: postgres ? `postgresql, ${COLLECTORS} collector(s)` : `sqlite (synchronous ${SYNC})`,
      sent: sentIds.length,
      ok: latencies.length,
      stored: stored.length,
      distinctStored: storedSet.size,
      lost,
      unacknowledged: sentIds.length - ackedIds.length,
      unacknowledgedButStored: unacknowledgedStored,
      stillInflight: inflight,
      networkRetries: retries,
      failures: Object.fromEntries(failures),
      elapsedS: Number(elapsed.toFixed(1)),
      throughputPerS: Number((latencies.length / elapsed).toFixed(0)),
      latencyMs: { p50: q(0.5), p90: q(0.9), p99: q(0.99), max: q(1) },
      collectorCpuS: Number(collectorCpuS.toFixed(1)),
      loadAverage: `${loadBefore.toFixed(2)}–${loadAfter.toFixed(2)}`,
      collectorCpuMsPerWindow: Number(
        ((collectorCpuS * 1000) / Math.max(1, stored.length)).toFixed(3),
      ),
    },
    null,
    2,
  ),
);
process.exit(lost === 0 && failures.size === 0 ? 0 : 1);
