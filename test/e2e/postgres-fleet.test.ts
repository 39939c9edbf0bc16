/**
 * Three collector processes (the `edgewatch-collector` CLI) on one real
 * PostgreSQL database; simulated devices spread over them send batches of
 * windows, each to its own collector, moving on to the next collector when a
 * request fails. One collector is killed with SIGKILL mid-run. Afterwards every
 * window a device sent is in the database exactly once — none lost, none
 * stored twice — and each acknowledged id is among them. The collectors also
 * remote-write to a sink; the killed one was the sender, so another takes the
 * queue over: every window arrives, and no series ever goes back in time. Throughput and
 * per-request latency are printed (measured, not asserted: the machine is
 * shared).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startWriteSink } from '../collector/decode-write-request.js';
import { makeRecord } from '../window/make-record.js';
import { postgresMissing, startPostgres, type TestPostgres } from '../support/postgres.js';
import { freePort, startProcess, waitFor, type Proc } from './prom-process.js';

const bin = fileURLToPath(new URL('../../bin/edgewatch-collector.js', import.meta.url));
const missing = postgresMissing();
if (missing) console.warn(`postgres fleet e2e: skipped: ${missing}`);

const DEVICES = Number(process.env.EW_PG_DEVICES ?? 24);
const BATCHES = Number(process.env.EW_PG_BATCHES ?? 25);
const PER_BATCH = Number(process.env.EW_PG_PER_BATCH ?? 10);

let server: TestPostgres | undefined;
let dbUrl = '';
const procs: Proc[] = [];

beforeAll(async () => {
  if (missing) return;
  server = await startPostgres();
  dbUrl = await server.createDatabase('fleet');
});
afterAll(async () => {
  for (const p of procs) await p.stop();
  server?.stop();
});

async function startCollectorProcess(
  url: string,
  remoteWrite: string,
): Promise<{ proc: Proc; base: string }> {
  const port = await freePort();
  const proc = startProcess(process.execPath, [
    bin,
    '--port',
    String(port),
    '--db',
    url,
    '--rate-limit',
    '0',
    '--remote-write',
    remoteWrite,
  ]);
  procs.push(proc);
  const base = `http://127.0.0.1:${port}`;
  await waitFor(
    `collector on ${port}`,
    async () => ((await fetch(`${base}/healthz`)).ok ? true : undefined),
    60_000,
  );
  return { proc, base };
}

/** Series a collector has remote-written (its `/metrics` self-metric). */
async function remoteSent(base: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const m = /^edgewatch_collector_remote_write_series_total\{outcome="sent"\} (\d+)/m.exec(text);
  return m ? Number(m[1]) : 0;
}

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

describe.skipIf(missing !== undefined)('three collectors on one PostgreSQL', () => {
  it('one killed mid-run: every window stored exactly once', async () => {
    // A password in the URL (trust auth ignores it) must not reach the log.
    const withPassword = dbUrl.replace('postgres@', 'postgres:hunter2@');
    // The remote-write sink: per device, every window's end timestamp, in arrival order.
    const arrivals = new Map<string, number[]>();
    const { server: sink, url: sinkUrl } = await startWriteSink((ts) => {
      if (ts.labels.__name__ !== 'edgewatch_window_received') return;
      const list = arrivals.get(ts.labels.device!) ?? [];
      list.push(ts.samples[0]!.timestamp);
      arrivals.set(ts.labels.device!, list);
    });
    // Collector 0 starts first and becomes the remote-write sender (it polls every second).
    const first = await startCollectorProcess(withPassword, sinkUrl);
    await new Promise((r) => setTimeout(r, 2500));
    const collectors = [
      first,
      ...(await Promise.all([1, 2].map(() => startCollectorProcess(withPassword, sinkUrl)))),
    ];
    expect(collectors[0]!.proc.output()).toContain('postgres:***@');
    expect(collectors.map((c) => c.proc.output()).join('')).not.toContain('hunter2');

    const up = [true, true, true];
    const acked = new Set<string>();
    const sent = new Set<string>();
    const latencies: number[] = [];
    let failovers = 0;
    let duplicatesReported = 0;
    let done = 0;
    const total = DEVICES * BATCHES;
    let killedAt = -1;
    let sentBeforeKill = 0;

    async function send(home: number, body: string): Promise<void> {
      for (let attempt = 0; attempt < 30; attempt++) {
        const target = (home + attempt) % 3;
        const t0 = performance.now();
        try {
          const res = await fetch(`${collectors[target]!.base}/v1/windows`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
            signal: AbortSignal.timeout(10_000),
          });
          if (res.ok) {
            latencies.push(performance.now() - t0);
            const r = (await res.json()) as { accepted: number; duplicates: number };
            duplicatesReported += r.duplicates;
            return;
          }
          await res.text();
        } catch {
          // connection refused or reset: the collector is gone
        }
        failovers++;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error('a batch found no collector in 30 attempts');
    }

    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: DEVICES }, async (_, d) => {
        for (let b = 0; b < BATCHES; b++) {
          const windows = Array.from({ length: PER_BATCH }, (_, k) =>
            makeRecord(b * PER_BATCH + k, { deviceId: `device-${d}` }),
          );
          for (const w of windows) sent.add(w.windowId);
          await send(d % 3, JSON.stringify({ windows }));
          for (const w of windows) acked.add(w.windowId);
          if (++done === Math.floor(total / 3) && up[0]) {
            up[0] = false;
            killedAt = done;
            // The sender polls once a second: on a fast machine a third of the
            // batches can arrive before its first send, so the kill waits for it.
            sentBeforeKill = await waitFor(
              'collector 0 to remote-write',
              async () => {
                const n = await remoteSent(collectors[0]!.base);
                return n > 0 ? n : undefined;
              },
              15_000,
              50,
            );
            collectors[0]!.proc.child.kill('SIGKILL');
          }
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    const windows = DEVICES * BATCHES * PER_BATCH;
    const delivered = (): number => [...arrivals.values()].reduce((s, l) => s + new Set(l).size, 0);
    const deadline = Date.now() + 60_000;
    while (delivered() < windows && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    sink.close();

    const c = new pg.Client({ connectionString: dbUrl });
    await c.connect();
    let stored: string[];
    try {
      stored = (await c.query<{ window_id: string }>('SELECT window_id FROM windows')).rows.map(
        (r) => r.window_id,
      );
    } finally {
      await c.end();
    }
    const storedSet = new Set(stored);
    const lost = [...acked].filter((id) => !storedSet.has(id));
    const stray = stored.filter((id) => !sent.has(id));
    latencies.sort((a, b) => a - b);
    let backwards = 0;
    let resent = 0;
    for (const list of arrivals.values()) {
      const seen = new Set<number>();
      list.forEach((t, i) => {
        if (seen.has(t)) resent++;
        else if (i > 0 && t < list[i - 1]!) backwards++;
        seen.add(t);
      });
    }
    console.log(
      `postgres fleet: ${windows} windows from ${DEVICES} devices in ${seconds.toFixed(1)} s ` +
        `(${(windows / seconds).toFixed(0)} windows/s acknowledged, batches of ${PER_BATCH}); ` +
        `request latency p50 ${percentile(latencies, 0.5).toFixed(1)} ms, ` +
        `p99 ${percentile(latencies, 0.99).toFixed(1)} ms, max ${latencies[latencies.length - 1]!.toFixed(1)} ms; ` +
        `collector 0 killed after ${killedAt} of ${total} batches; ${failovers} failed attempts retried elsewhere; ` +
        `${duplicatesReported} windows acknowledged as duplicates (stored before the kill, resent); ` +
        `remote write: ${delivered()} of ${windows} windows delivered, ${resent} resent after the sender hand-over, ` +
        `${backwards} out of order`,
    );
    expect(killedAt).toBeGreaterThan(0);
    expect(acked.size).toBe(windows);
    expect(lost).toEqual([]);
    expect(stray).toEqual([]);
    expect(stored.length).toBe(windows);
    expect(storedSet.size).toBe(windows);
    expect(delivered()).toBe(windows);
    expect(backwards).toBe(0);
    // Collector 0 was the sender before the kill; a survivor sent the rest.
    expect(sentBeforeKill).toBeGreaterThan(0);
    const survivors = await Promise.all([1, 2].map((i) => remoteSent(collectors[i]!.base)));
    expect(survivors.some((n) => n > 0)).toBe(true);

    // The two survivors answer the same fleet view.
    const [f1, f2] = await Promise.all(
      [1, 2].map(async (i) => (await fetch(`${collectors[i]!.base}/v1/fleet`)).json()),
    );
    expect(f2).toEqual(f1);
    const count = (f1 as { sketches: Array<{ count: number }> }).sketches.reduce(
      (s, k) => s + k.count,
      0,
    );
    expect(count).toBe(windows * 3);
  });
});
