/**
 * Case 2 — quantile accuracy and size: relative error at p50/p90/p99/p99.9 of
 * each sketch against the exact sorted value (rank floor(q·(n−1)), numpy
 * `method='lower'`), and the bytes each holds. Reuses the sketches the ingest
 * case filled; builds them when run alone.
 */
import { defineCase } from '../context.js';

/** The quantile levels checked. */
export const LEVELS = [0.5, 0.9, 0.99, 0.999] as const;

/**
 * The exact q-quantiles of a sample (lower rank convention).
 * @param values - the sample.
 * @param qs - levels in [0, 1].
 * @returns the exact values.
 * @example exactQuantiles(x, [0.5])
 */
export function exactQuantiles(values: Float64Array, qs: readonly number[]): number[] {
  const sorted = values.slice().sort();
  return qs.map((q) => sorted[Math.floor(q * (sorted.length - 1))] as number);
}

/** Case 2. */
export const accuracyCase = defineCase(
  'accuracy',
  '2 quantile accuracy (relative error, %) and bytes held',
  async (ctx, t) => {
    let ewWorst = 0;
    let sizeRatio = 0;
    let coarseRatio = 0;
    const peerWorst: string[] = [];
    for (const { name: group, values } of ctx.latency()) {
      const exact = exactQuantiles(values, LEVELS);
      let ewBytes = Infinity;
      let ewErr = 0;
      /** Bytes held and worst error of every sketch on this dataset. */
      const held: Array<{ bytes: number; worst: number }> = [];
      for (const s of ctx.sketchers) {
        const key = `${group}/${s.name}`;
        let b = ctx.built.get(key);
        if (!b) {
          b = s.create();
          b.ingest(values);
          ctx.built.set(key, b);
        }
        const extra: Record<string, number | string> = {};
        let worst = 0;
        LEVELS.forEach((q, i) => {
          const e = exact[i] as number;
          const err = Math.abs(b.quantile(q) - e) / e;
          worst = Math.max(worst, err);
          extra[`p${q * 100} err%`] = err * 100;
        });
        extra['max err%'] = worst * 100;
        const bytes = b.bytesHeld();
        extra['bytes held'] = bytes;
        extra['serialized B'] = b.serializedBytes() ?? 'n/a';
        extra.setting = s.setting;
        t.row({ group, name: s.name, role: s.role, extra });
        if (s.role === 'edgewatch') {
          ewWorst = Math.max(ewWorst, worst);
          ewErr = Math.max(ewErr, worst);
          ewBytes = Math.min(ewBytes, bytes);
        } else if (worst > 0.01)
          peerWorst.push(`${s.name} ${(worst * 100).toFixed(2)}% on ${group}`);
        held.push({ bytes, worst });
      }
      // Bytes are compared at equal or better accuracy: a sketch with coarser
      // buckets (DDSketch at its default 1 %) holds fewer, and is reported apart.
      const asAccurate = held.filter((h) => h.worst <= ewErr * 1.001);
      sizeRatio = Math.max(sizeRatio, ewBytes / Math.min(...asAccurate.map((h) => h.bytes)));
      coarseRatio = Math.max(coarseRatio, ewBytes / Math.min(...held.map((h) => h.bytes)));
    }
    for (const b of ctx.built.values()) b.free();
    ctx.built.clear();
    t.target(
      {
        target: 'edgewatch ≤ 1% relative error at p50/p90/p99/p99.9',
        measured: `worst ${(ewWorst * 100).toFixed(3)}%${peerWorst.length ? `; peers over 1%: ${peerWorst.join(', ')}` : '; every peer also ≤ 1%'}`,
        met: ewWorst <= 0.01,
      },
      {
        target:
          'smallest or near-smallest bytes held at equal or better accuracy (≤ 2× the smallest)',
        measured: `${sizeRatio.toFixed(2)}× the smallest as accurate (worst dataset); ${coarseRatio.toFixed(2)}× the smallest of any accuracy (a coarser sketch, e.g. DDSketch at 1 %, holds fewer buckets)`,
        met: sizeRatio <= 2,
      },
    );
  },
);
