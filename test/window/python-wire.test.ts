/**
 * The stdlib-only Python decoder (`scripts/edgewatch_wire.py`) reads what the
 * TypeScript encoder writes: sketches from the reference kernel at every scale
 * (zeros, negatives, wide ranges) decode to the same fields, the same quantiles,
 * and corrupt bytes are refused by both decoders alike.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { decodeSketch } from '../../src/kernel/sketch-format.js';
import { createReferenceKernel } from '../../src/kernel/reference/index.js';
import { bytesToBase64 } from '../../src/window/base64.js';
import { sketchBytes } from './make-record.js';

const script = fileURLToPath(new URL('../../scripts/edgewatch_wire.py', import.meta.url));

interface PySketch {
  error?: string;
  scale: number;
  count: number;
  sum: number | string;
  min: number | string;
  max: number | string;
  zeroCount: number;
  positive: { offset: number; counts: number[] };
  negative: { offset: number; counts: number[] };
  quantiles: Record<string, number | string>;
}

/** Runs the Python decoder once over many sketches (one window each). */
function pythonDecode(sketches: Uint8Array[]): PySketch[] {
  const windows = sketches.map((b, i) => ({
    windowId: String(i),
    sketches: { s: bytesToBase64(b) },
  }));
  const out = execFileSync('python3', [script], {
    input: JSON.stringify({ windows }),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return (JSON.parse(out) as { windows: Array<{ sketches: { s: PySketch } }> }).windows.map(
    (w) => w.sketches.s,
  );
}

const num = (x: number | string): number =>
  typeof x === 'number' ? x : x === 'Infinity' ? Infinity : x === '-Infinity' ? -Infinity : NaN;

const values = fc.array(
  fc.oneof(
    // Magnitudes 1e-6…1e3 (the dense bucket array spans the populated range).
    fc
      .tuple(fc.double({ min: 1e-6, max: 1000, noNaN: true }), fc.boolean())
      .map(([m, neg]) => (neg ? -m : m)),
    fc.constant(0),
    fc.integer({ min: -1000, max: 1000 }),
  ),
  { maxLength: 200 },
);
const cases = fc.sample(fc.tuple(fc.integer({ min: -4, max: 10 }), values), {
  numRuns: 200,
  seed: 15,
});

describe('Python wire decoder against the TypeScript encoder', () => {
  it('decodes 200 kernel sketches (scales −4…10) to the same fields and quantiles', () => {
    const kernel = createReferenceKernel();
    const bytes = cases.map(([scale, vs]) => sketchBytes(vs, scale));
    const py = pythonDecode(bytes);
    const QS = [0.5, 0.9, 0.99];
    bytes.forEach((b, i) => {
      const ts = decodeSketch(b);
      const p = py[i]!;
      expect(p.error).toBeUndefined();
      expect({
        scale: p.scale,
        count: p.count,
        sum: num(p.sum),
        min: num(p.min),
        max: num(p.max),
        zeroCount: p.zeroCount,
        positive: p.positive,
        negative: p.negative,
      }).toEqual({
        scale: ts.scale,
        count: ts.count,
        sum: ts.sum,
        min: ts.min,
        max: ts.max,
        zeroCount: ts.zeroCount,
        positive: { offset: ts.positive.offset, counts: Array.from(ts.positive.counts) },
        negative: { offset: ts.negative.offset, counts: Array.from(ts.negative.counts) },
      });
      const h = kernel.sketchDeserialize(b);
      const want = kernel.sketchQuantiles(h, Float64Array.from(QS));
      kernel.sketchFree(h);
      QS.forEach((q, j) => {
        const got = num(p.quantiles[String(q)]!);
        const w = want[j]!;
        if (Number.isNaN(w)) expect(got).toBeNaN();
        // The Python bucket bounds come from 2 ** x, the kernel's from a table: equal to ~1e-15.
        else expect(Math.abs(got - w)).toBeLessThanOrEqual(Math.abs(w) * 1e-12);
      });
    });
  });

  it('corrupt bytes: both decoders refuse the same inputs, and agree on the rest', () => {
    const base = cases.slice(0, 60).map(([scale, vs]) => sketchBytes(vs, scale));
    const mutated = fc
      .sample(
        fc.tuple(fc.nat(base.length - 1), fc.nat(), fc.integer({ min: 0, max: 3 }), fc.nat(255)),
        { numRuns: 400, seed: 16 },
      )
      .map(([k, at, op, v]) => {
        const b = base[k]!;
        const i = at % b.length;
        if (op === 0) return b.slice(0, i); // truncated
        if (op === 1) return Uint8Array.from([...b, v]); // trailing byte
        const c = b.slice();
        c[i] = op === 2 ? v : (c[i]! ^ (1 << (v % 8))) & 0xff; // byte replaced / bit flipped
        return c;
      });
    const py = pythonDecode(mutated);
    let refused = 0;
    mutated.forEach((b, i) => {
      let ts: ReturnType<typeof decodeSketch> | undefined;
      try {
        ts = decodeSketch(b);
      } catch {
        ts = undefined;
      }
      const p = py[i]!;
      expect(p.error !== undefined, `input ${i}: ${p.error ?? ''}`).toBe(ts === undefined);
      if (ts === undefined) refused++;
      else expect(p.count).toBe(ts.count);
    });
    expect(refused).toBeGreaterThan(200);
  });

  it('the example in docs/wire-format.md is what the encoder writes', () => {
    const b = sketchBytes([1.5, 1.5, 3], 0);
    expect(Buffer.from(b).toString('hex')).toBe(
      'e50100' +
        '0000000000001840' +
        '000000000000f83f' +
        '0000000000000840' +
        '0300' +
        '00020201' +
        '0000',
    );
    expect(pythonDecode([b])[0]).toMatchObject({
      scale: 0,
      count: 3,
      positive: { offset: 0, counts: [2, 1] },
      negative: { offset: 0, counts: [] },
    });
  });
});
