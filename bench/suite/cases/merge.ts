/**
 * Case 6 — fleet aggregation: merging 1,000 device sketches (each 1,000
 * lognormal latencies with a per-device median) into one, from their bytes as
 * the collector receives them and from live sketches; peers: DDSketch merge,
 * hdr-histogram-js add (and decode + add from its compressed form).
 */
import type { Kernel } from '../../../src/kernel/kernel.js';
import { DEFAULT_SCALE } from '../../../src/kernel/kernel.js';
import { defineCase } from '../context.js';
import { lognormal } from '../data.js';
import { measure } from '../harness.js';
import type { Row } from '../harness.js';
import { DDSketch, EW_ACCURACY, hdr } from '../sketchers.js';

const DEVICES = 1000;
const PER_DEVICE = 1000;

function mergeBytes(k: Kernel, blobs: Uint8Array[]): number {
  const dst = k.sketchCreate(DEFAULT_SCALE);
  for (const b of blobs) {
    const h = k.sketchDeserialize(b);
    k.sketchMerge(dst, h);
    k.sketchFree(h);
  }
  return dst;
}

/** Case 6. */
export const mergeCase = defineCase(
  'merge',
  `6 merge of ${DEVICES} device sketches (${PER_DEVICE} values each)`,
  async (ctx, t) => {
    const { budget, wasm } = ctx;
    const devices = Array.from({ length: DEVICES }, (_, i) =>
      lognormal(PER_DEVICE, 0xf1ee7 + i, 5 + (i % 50), 0.8),
    );
    const handles = devices.map((v) => {
      const h = wasm.sketchCreate(DEFAULT_SCALE);
      wasm.sketchRecord(h, v);
      return h;
    });
    const blobs = handles.map((h) => wasm.sketchSerialize(h));
    const dds = devices.map((v) => {
      const s = new DDSketch({ relativeAccuracy: EW_ACCURACY });
      for (const x of v) s.accept(x);
      return s;
    });
    const hdrs = devices.map((v) => {
      const h = hdr.build({ numberOfSignificantValueDigits: 3 });
      for (const x of v) h.recordValue(Math.round(x * 1e6));
      return h;
    });
    const hdrBlobs = hdrs.map((h) => hdr.encodeIntoCompressedBase64(h));
    const group = 'merge';
    const counts: Record<string, number> = {};
    const add = (name: string, role: Row['role'], timing: Row['timing'], note?: string): Row =>
      t.row({
        group,
        name,
        role,
        timing,
        extra: { 'sketches/s': DEVICES / ((timing?.median ?? NaN) / 1000) },
        note,
      });
    const kernelBytes = (k: Kernel, name: string): Promise<Row> =>
      measure(budget, () => {
        const dst = mergeBytes(k, blobs);
        counts[name] = k.sketchStats(dst).count;
        k.sketchFree(dst);
      }).then((t) => add(name, 'edgewatch', t));
    const ewRow = await kernelBytes(wasm, 'edgewatch wasm: deserialize + merge');
    await kernelBytes(ctx.reference, 'edgewatch reference TS: deserialize + merge (collector)');
    add(
      'edgewatch wasm: merge live sketches',
      'edgewatch',
      await measure(budget, () => {
        const dst = wasm.sketchCreate(DEFAULT_SCALE);
        for (const h of handles) wasm.sketchMerge(dst, h);
        counts.live = wasm.sketchStats(dst).count;
        wasm.sketchFree(dst);
      }),
    );
    add(
      'ddsketch: merge live sketches',
      'peer',
      await measure(budget, () => {
        const dst = new DDSketch({ relativeAccuracy: EW_ACCURACY });
        for (const s of dds) dst.merge(s);
        counts.dd = dst.count;
      }),
      'no byte form here: protobufjs missing',
    );
    const few = { warmup: 0, runs: Math.min(3, budget.runs) };
    add(
      'hdr-histogram-js: add live histograms',
      'peer',
      await measure(few, () => {
        const dst = hdr.build({ numberOfSignificantValueDigits: 3 });
        for (const h of hdrs) dst.add(h);
        counts.hdr = dst.totalCount;
      }),
    );
    add(
      'hdr-histogram-js: decode + add',
      'peer',
      await measure({ warmup: 0, runs: 1 }, () => {
        const dst = hdr.build({ numberOfSignificantValueDigits: 3 });
        for (const b of hdrBlobs) {
          const h = hdr.decodeFromCompressedBase64(b);
          dst.add(h);
          h.destroy();
        }
        counts.hdrBytes = dst.totalCount;
      }),
      'one run',
    );
    for (const h of handles) wasm.sketchFree(h);
    for (const [name, c] of Object.entries(counts)) {
      if (c !== DEVICES * PER_DEVICE)
        throw new Error(`${name} merged ${c} values, expected ${DEVICES * PER_DEVICE}`);
    }
    const perSecond = DEVICES / ((ewRow.timing?.median ?? NaN) / 1000);
    t.target({
      target: 'report fleet merges per second (no numeric target in the issue)',
      measured: `${perSecond.toFixed(0)} device sketches/s from bytes (wasm): ${(1000 / perSecond).toFixed(3)} ms each`,
      met: true,
      info: true,
    });
  },
);
