/**
 * The collector merges fleet sketches with the WASM kernel (at ingest and at
 * replay): its merged bytes, summaries and error counts must equal those of the
 * reference kernel, window for window, whatever the sketches.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FleetAggregator } from '../../src/collector/fleet-aggregator.js';
import { createReferenceKernel } from '../../src/kernel/reference/index.js';
import { createWasmKernel } from '../../src/kernel/wasm-kernel.js';
import { bytesToBase64 } from '../../src/window/base64.js';
import { makeRecord, sketchBytes } from '../window/make-record.js';

const value = fc.oneof(
  fc.double({ min: 1e-3, max: 1e6, noNaN: true }),
  fc.double({ min: -1e4, max: -1e-3, noNaN: true }),
  fc.constant(0),
);

const window = fc.record({
  device: fc.integer({ min: 0, max: 3 }),
  version: fc.constantFrom('1', '2'),
  latency: fc.array(value, { minLength: 1, maxLength: 40 }),
  queue: fc.array(value, { minLength: 0, maxLength: 20 }),
  // Mostly one scale, so that most windows merge; the others are counted as mismatches.
  scale: fc.constantFrom(7, 7, 7, 3),
  corrupt: fc.boolean(),
});

describe('fleet sketch merge: WASM kernel', () => {
  it('merges to the same bytes, summaries and error counts as the reference kernel', async () => {
    const wasm = await createWasmKernel();
    expect(wasm.kind).toBe('wasm');
    await fc.assert(
      fc.asyncProperty(fc.array(window, { minLength: 1, maxLength: 25 }), async (ws) => {
        const a = new FleetAggregator({ kernel: wasm, prerenderDelayMs: -1 });
        const b = new FleetAggregator({ kernel: createReferenceKernel(), prerenderDelayMs: -1 });
        ws.forEach((w, i) => {
          const rec = makeRecord(i, {
            deviceId: `d${w.device}`,
            version: w.version,
            latency: w.latency,
            scale: w.scale,
          });
          rec.sketches.queue = w.corrupt
            ? bytesToBase64(Uint8Array.of(1, 2, 3))
            : bytesToBase64(sketchBytes(w.queue, w.scale));
          // The same window object for both: neither fold may change it.
          a.ingest(rec, 1000 + i);
          b.ingest(rec, 1000 + i);
        });
        for (const version of ['1', '2'])
          for (const sketch of ['latency', 'queue'])
            expect(a.fleetSketchBytes('perception', version, sketch)).toEqual(
              b.fleetSketchBytes('perception', version, sketch),
            );
        expect(a.fleetSketches()).toEqual(b.fleetSketches());
        expect([...a.sketchErrors]).toEqual([...b.sketchErrors]);
        expect(a.exportState()).toEqual(b.exportState());
      }),
      { numRuns: 60 },
    );
  });
});
