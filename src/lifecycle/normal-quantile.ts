/**
 * Standard normal quantile, for the fixed-horizon interval of {@link ABTest}.
 * (`src/stats/` has the normal tails but no inverse; this belongs there if
 * another layer needs it.)
 */
import { normalCdf } from '../stats/distributions.js';

/**
 * Standard normal quantile Φ⁻¹(p), by bisection on `normalCdf`
 * (about 1e-12 absolute; used once per decision, never on a hot path). O(100).
 * @param p - in [0, 1].
 * @returns z with Φ(z) = p; ±Infinity at 0 / 1, NaN outside [0, 1].
 * @example normalQuantile(0.975) // => ≈ 1.959964
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  let lo = -40;
  let hi = 40;
  for (let i = 0; i < 200 && hi - lo > 1e-13; i++) {
    const mid = 0.5 * (lo + hi);
    if (normalCdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}
