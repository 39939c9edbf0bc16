/**
 * The mixture sequential probability ratio test (mSPRT) of Johari, Pekelis and
 * Walsh ("Always valid inference", 2017 / Optimizely's stats engine), for an
 * asymptotically normal effect estimate.
 *
 * With the effect estimate θ̂ (variance V) and a normal mixing distribution
 * N(0, τ²) over the alternative, the likelihood ratio against H0: θ = 0 is
 *
 *   Λ = sqrt(V / (V + τ²)) · exp( τ² θ̂² / (2 V (V + τ²)) ).
 *
 * By Ville's inequality, P(Λ ever ≥ 1/α under H0) ≤ α, so the running
 * `min(1, 1/Λ)` is an always-valid p-value: it may be checked after every
 * sample and the test stopped at the first crossing with type-I error ≤ α
 * (asymptotically, since V is estimated). τ sets where power is concentrated:
 * choose it near the smallest effect worth detecting.
 */

/**
 * log Λ of the normal-mixture SPRT.
 * @param estimate - θ̂.
 * @param variance - V, > 0.
 * @param tau2 - mixing variance τ², > 0.
 * @returns log Λ (NaN when V or τ² is not positive and finite). O(1).
 * @example mixtureLogLikelihoodRatio(0, 1, 1) // => -0.3466 (= 0.5·ln ½)
 */
export function mixtureLogLikelihoodRatio(
  estimate: number,
  variance: number,
  tau2: number,
): number {
  if (!(variance > 0) || !(tau2 > 0) || !Number.isFinite(variance) || !Number.isFinite(tau2))
    return NaN;
  const s = variance + tau2;
  return 0.5 * Math.log(variance / s) + (tau2 * estimate * estimate) / (2 * variance * s);
}

/**
 * Always-valid p-value at one look: min(1, 1/Λ). Take the running minimum over looks.
 * @param estimate - θ̂.
 * @param variance - V.
 * @param tau2 - τ².
 * @returns p in [0, 1] (1 when inputs are degenerate). O(1).
 * @example msprtPValue(0, 1, 1) // => 1
 */
export function msprtPValue(estimate: number, variance: number, tau2: number): number {
  const l = mixtureLogLikelihoodRatio(estimate, variance, tau2);
  if (Number.isNaN(l)) return 1;
  return Math.min(1, Math.exp(-l));
}

/**
 * Half-width of the always-valid (1 − α) confidence sequence around θ̂: the
 * set of θ with Λ(θ̂ − θ) < 1/α.
 * @param variance - V.
 * @param tau2 - τ².
 * @param alpha - in (0, 1).
 * @returns the half-width (Infinity when V is degenerate). O(1).
 * @example msprtHalfWidth(1, 1, 0.05) // => ≈ 3.657
 */
export function msprtHalfWidth(variance: number, tau2: number, alpha: number): number {
  if (!(variance > 0) || !(tau2 > 0) || !Number.isFinite(variance)) return Infinity;
  const s = variance + tau2;
  return Math.sqrt(((variance * s) / tau2) * (2 * Math.log(1 / alpha) + Math.log(s / variance)));
}
