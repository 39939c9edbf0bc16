import { describe, expect, it } from 'vitest';
import { DriftDetector } from '../../src/drift/drift-detector.js';
import { RetrainTrigger } from '../../src/retrain/retrain-trigger.js';
import type { RetrainEvidence } from '../../src/retrain/types.js';
import { parkMillerNormals } from './seeded-normals.js';

/** Deterministic standard-normal draws, shifted by `shift`. */
const randn = (n: number, seed: number, shift = 0): Float64Array =>
  Float64Array.from(parkMillerNormals(n, shift, seed));

describe('RetrainTrigger with the real DriftDetector (the documented retraining snippet)', () => {
  it('retrains once on drifted data, never on reference-like data, and deploys after completion', async () => {
    // Initialize with reference data
    const referenceData = randn(1000, 11);
    const detector = new DriftDetector(referenceData, { threshold: 0.05 });

    const runs: RetrainEvidence[] = [];
    let deployed = 0;
    const trigger = new RetrainTrigger({
      detector,
      run: async (evidence) => {
        runs.push(evidence); // "🔄 Drift detected, starting retraining..."
        return { status: 'completed' };
      },
      cooldownMs: 3_600_000,
    });

    // same distribution: no retraining
    expect((await trigger.check(randn(200, 12))).skipped).toBe('no-drift');

    // shifted by one standard deviation: drift -> retrain -> deploy
    const result = await trigger.check(randn(200, 13, 1));
    if (result.outcome?.status === 'completed') deployed++; // "✓ Retraining complete, deploying new model..."
    expect(result.triggered).toBe(true);
    expect(deployed).toBe(1);
    expect(runs).toHaveLength(1);
    expect(runs[0]!.drift).toMatchObject({ isDrift: true, referenceSize: 1000, currentSize: 200 });
    expect((runs[0]!.drift as unknown as { meanShift: number }).meanShift).toBeGreaterThan(0.7);

    // drift again within the hour: cooldown, no second run
    expect((await trigger.check(randn(200, 14, 1))).skipped).toBe('cooldown');
    expect(runs).toHaveLength(1);
  });
});
