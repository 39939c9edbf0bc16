/** PredictionLog append rates on Chromium's real IndexedDB with a full log (every append evicts). */
import { describe, expect, it } from 'vitest';
import { WindowStore } from '../../src/storage/window-store.js';

const entry = (i: number) => ({
  ts: i,
  latencyMs: 3.2,
  inputs: { a: i % 7, b: 0.5 },
  output: 0.73,
});

interface Rates {
  single: number;
  batch100: number;
  batch1000: number;
  count: number;
}

/** Entries per second of `rounds` timed runs, the best one (the least disturbed by other load). */
async function best(rounds: number, entries: number, run: () => Promise<void>): Promise<number> {
  let fastest = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    await run();
    fastest = Math.min(fastest, performance.now() - t0);
  }
  return entries / (fastest / 1000);
}

async function rates(cap: number): Promise<Rates> {
  const store = await WindowStore.open({
    name: `ew-log-rate-${cap}-${Date.now()}`,
    predictionLog: { maxCount: cap, maxBytes: 256 * 1024 * 1024 },
  });
  const log = store.predictionLog;
  // fill past the cap, so every timed append evicts
  let i = 0;
  while (i < cap + 100) await log.append(Array.from({ length: 2000 }, () => entry(i++)));
  const single = await best(3, 100, async () => {
    for (let k = 0; k < 100; k++) await log.append(entry(i++));
  });
  const batch100 = await best(3, 2000, async () => {
    for (let k = 0; k < 20; k++) await log.append(Array.from({ length: 100 }, () => entry(i++)));
  });
  const batch1000 = await best(3, 5000, async () => {
    for (let k = 0; k < 5; k++) await log.append(Array.from({ length: 1000 }, () => entry(i++)));
  });
  const { count } = await log.size();
  expect((await log.list(cap)).at(-1)!.ts).toBe(i - 1);
  await store.close();
  return { single, batch100, batch1000, count };
}

describe('PredictionLog on IndexedDB in Chromium', () => {
  it('appends at the cap cost the same at cap 10,000 and 100,000 (O(1) amortised)', async () => {
    const small = await rates(10_000);
    const large = await rates(100_000);
    const fmt = (r: Rates): string =>
      `${r.single.toFixed(0)} single, ${r.batch100.toFixed(0)} in batches of 100, ${r.batch1000.toFixed(0)} in batches of 1,000`;
    console.log(
      `prediction log appends/s (best of 3) at cap 10,000: ${fmt(small)}; at cap 100,000: ${fmt(large)}`,
    );
    expect(small.count).toBe(10_000);
    expect(large.count).toBe(100_000);
    // a scan per append would make the 10x larger cap ~10x slower
    expect(large.single).toBeGreaterThan(small.single / 3);
    expect(large.batch100).toBeGreaterThan(small.batch100 / 3);
    // the target is 5,000/s batched (bench/README); the floor here leaves room for a loaded CI machine
    // while a scan per append (~4.5 appends/s at cap 10,000) stays far below it
    expect(Math.min(small.batch1000, large.batch1000)).toBeGreaterThanOrEqual(2000);
  }, 240_000);
});
