/**
 * Case 5 — the worker round trip: Comlink call latency (`api.ping`) and the
 * throughput of transferred batches into a sketch by chunk size, pipelined (as
 * the staging buffer ships them) and awaited one by one (round-trip bound).
 * The figures behind MAX_CHUNK in src/engine/staged-sketch.ts.
 */
import { createEngine, transfer } from '../../../src/engine/client.js';
import type { EngineHandle } from '../../../src/engine/client.js';
import { MAX_CHUNK, StagedSketch } from '../../../src/engine/staged-sketch.js';
import { defineCase } from '../context.js';
import { measure, timingOf } from '../harness.js';
import type { Row } from '../harness.js';

const CHUNKS = [...new Set([512, 2048, 8192, 32768, 131072, MAX_CHUNK])].sort((a, b) => a - b);
const POSTS = 100;

async function pingTimes(engine: EngineHandle, calls: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    await engine.api.ping(i);
    times.push(performance.now() - t0);
  }
  return times;
}

async function ship(
  engine: EngineHandle,
  id: number,
  values: Float64Array,
  chunk: number,
  mode: 'pipelined' | 'awaited' | 'copied',
): Promise<void> {
  const pending: Promise<number>[] = [];
  for (let i = 0; i < values.length; i += chunk) {
    const batch = values.slice(i, i + chunk);
    const call = engine.api.sketches.record(
      id,
      mode === 'copied' ? batch : transfer(batch, [batch.buffer]),
    );
    if (mode === 'awaited') await call;
    else pending.push(call);
  }
  await Promise.all(pending);
}

/** Case 5. */
export const workerCase = defineCase(
  'worker',
  '5 worker round trip (worker_threads + Comlink)',
  async (ctx, t) => {
    const { budget } = ctx;
    const engine = await createEngine({ mode: 'worker' });
    try {
      await pingTimes(engine, 200);
      const lat = timingOf(await pingTimes(engine, budget.quick ? 300 : 2000));
      t.row({
        group: 'call latency',
        name: 'api.ping(i) round trip',
        role: 'edgewatch',
        timing: lat,
        extra: { 'µs median': lat.median * 1000 },
        note: 'min–max over single calls',
      });
      const values = (ctx.latency()[0] as { values: Float64Array }).values;
      const id = await engine.api.sketches.create();
      // Caller-thread cost of posting a call (not waiting for it): what a shipment costs record().
      const postCost = async (
        name: string,
        post: (i: number) => Promise<unknown>,
      ): Promise<void> => {
        const per: number[] = [];
        for (let r = 0; r < budget.warmup + budget.runs; r++) {
          const t0 = performance.now();
          const calls = Array.from({ length: POSTS }, (_, i) => post(i));
          const dt = (performance.now() - t0) / POSTS;
          await Promise.all(calls);
          if (r >= budget.warmup) per.push(dt);
        }
        const timing = timingOf(per);
        t.row({
          group: 'caller-thread cost of posting one call (not awaited)',
          name,
          role: 'edgewatch',
          timing,
          extra: {
            'µs/call': timing.median * 1000,
            [`ns/value at ${MAX_CHUNK}`]: (timing.median * 1e6) / MAX_CHUNK,
          },
          note: `${POSTS} calls per run`,
        });
      };
      await postCost('api.ping(i)', (i) => engine.api.ping(i));
      const fresh = (): Float64Array => values.slice(0, MAX_CHUNK);
      await postCost(`sketches.record, ${MAX_CHUNK} values transferred`, () => {
        const b = fresh();
        return engine.api.sketches.record(id, transfer(b, [b.buffer]));
      });
      await postCost(`sketches.record, ${MAX_CHUNK} values copied`, () =>
        engine.api.sketches.record(id, fresh()),
      );
      await engine.api.sketches.reset(id);
      const shipRow = async (
        chunk: number,
        mode: 'pipelined' | 'awaited' | 'copied',
      ): Promise<Row> => {
        const timing = await measure(
          budget,
          () => ship(engine, id, values, chunk, mode),
          () => engine.api.sketches.reset(id),
        );
        return t.row({
          group: `batches into a sketch, ${mode}`,
          name: `chunk ${chunk} (${(chunk * 8) / 1024} KiB)${chunk === MAX_CHUNK ? ' = MAX_CHUNK' : ''}`,
          role: 'edgewatch',
          timing,
          values: values.length,
          extra: {
            'Mvalues/s': values.length / timing.median / 1000,
            calls: Math.ceil(values.length / chunk),
          },
        });
      };
      const best: Record<number, number> = {};
      for (const c of CHUNKS) best[c] = (await shipRow(c, 'pipelined')).timing?.median ?? NaN;
      for (const c of CHUNKS) await shipRow(c, 'awaited');
      await shipRow(MAX_CHUNK, 'copied');
      // What record() does: push value by value into a StagedSketch, then wait for a summary.
      for (const maxChunk of [...new Set([512, 2048, 8192, 32768, MAX_CHUNK])].sort(
        (a, b) => a - b,
      )) {
        let seen = 0;
        const timing = await measure(budget, async () => {
          const stage = new StagedSketch({ engine, maxChunk });
          for (let i = 0; i < values.length; i++) stage.push(values[i] as number);
          seen = (await stage.summary([0.5])).stats.count;
          await stage.free();
        });
        if (seen !== values.length)
          throw new Error(`staged sketch counted ${seen} of ${values.length}`);
        t.row({
          group: 'StagedSketch push per value → summary, end to end',
          name: `maxChunk ${maxChunk}`,
          role: 'edgewatch',
          timing,
          values: values.length,
        });
      }
      const count = (await engine.api.sketches.stats(id)).count;
      if (count !== values.length)
        throw new Error(`worker sketch counted ${count} of ${values.length}`);
      const fastest = Math.min(...Object.values(best));
      const atMax = best[MAX_CHUNK] as number;
      t.target({
        target: `justify the staging chunk size: MAX_CHUNK (${MAX_CHUNK}) pipelined time vs the best chunk size`,
        measured: `${(atMax / fastest).toFixed(2)}× the best pipelined time; ping ${(lat.median * 1000).toFixed(0)} µs median`,
        met: true,
        info: true,
      });
    } finally {
      engine.close();
    }
  },
);
