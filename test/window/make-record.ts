/** Test helper: realistic window records with real serialized sketches. */
import { createReferenceKernel } from '../../src/kernel/reference/index.js';
import { buildWindowRecord } from '../../src/window/window-sealer.js';
import { randomUuid } from '../../src/util/random-uuid.js';
import type { WindowRecord } from '../../src/window/window-record.js';

const kernel = createReferenceKernel();

/** Serialized sketch of `values` (reference kernel). */
export function sketchBytes(values: readonly number[], scale?: number): Uint8Array {
  const h = kernel.sketchCreate(scale);
  kernel.sketchRecord(h, Float64Array.from(values));
  const b = kernel.sketchSerialize(h);
  kernel.sketchFree(h);
  return b;
}

/** A KS drift result of `feature` below the threshold (no drift). */
export function driftResult(feature: string): WindowRecord['drift'][number] {
  return { feature, method: 'ks', statistic: 0.1, pValue: 0.4, threshold: 0.05, isDrift: false };
}

/** A valid window; `i` shifts times and values. */
export function makeRecord(
  i: number,
  o: {
    deviceId?: string;
    model?: string;
    version?: string;
    latency?: number[];
    pad?: number;
    end?: number;
    /** Scale of the latency sketch (default: the kernel's). */
    scale?: number;
  } = {},
): WindowRecord {
  const end = o.end ?? 1_700_000_000_000 + i * 60_000;
  const latency = o.latency ?? [1 + (i % 7), 2.5, 10 + i];
  const rec = buildWindowRecord(
    {
      windowId: randomUuid(),
      deviceId: o.deviceId ?? 'device-1',
      model: { name: o.model ?? 'perception', version: o.version ?? '1' },
      start: end - 60_000,
      end,
    },
    {
      sketches: { latency: sketchBytes(latency, o.scale) },
      counters: { predictions: latency.length },
      performance: { accuracy: 0.9 },
      drift: [driftResult('x')],
      alerts: [],
      drops: { nan: 0 },
    },
  );
  if (o.pad) (rec as unknown as { note: string }).note = 'x'.repeat(o.pad);
  return rec;
}
