/**
 * The evidence an {@link ABTest} decision carries, and its events.
 */
import type { ABMetric } from './ab-test-options.js';
import type { ModelTag } from './model-tag.js';

/** An arm of the test. */
export type ABArm = 'control' | 'candidate';

/** Why `decide()` answered as it did. */
export type ABReason =
  | 'arm-empty'
  | 'below-min-samples'
  | 'awaiting-horizon'
  | 'significant'
  | 'not-significant'
  | 'max-samples';

/** The evidence returned by `decide()` and carried by the `decision` event. */
export interface ABDecision {
  /** `'promote'` the candidate, `'keep'` the control, or `'continue'` collecting (not final). */
  decision: 'promote' | 'keep' | 'continue';
  /** Why this decision was reached. */
  reason: ABReason;
  /** msprt: the always-valid p-value of the paired sequential test (1 while calibrating); fixed-horizon: the classical p-value at the horizon, NaN before. */
  pValue: number;
  /** candidate − control in the metric's units (accuracy: proportion; error: mean error; latency: ms). NaN if an arm is empty. */
  effect: number;
  /** `effect / control value`. */
  relativeEffect: number;
  /**
   * (1 − alpha) interval for `effect`: msprt — a normal-mixture confidence sequence on the plug-in
   * variance (asymptotic, evidence only: the decision comes from the paired test); fixed-horizon —
   * the classical interval at the horizon.
   */
  interval: [number, number];
  /** The metric per arm (accuracy rate, mean error, latency quantile). */
  values: {
    /** The metric on the control arm. */
    control: number;
    /** The metric on the candidate arm. */
    candidate: number;
  };
  /** Records accepted per arm. */
  samples: {
    /** Records accepted for the control arm. */
    control: number;
    /** Records accepted for the candidate arm. */
    candidate: number;
  };
  /** The classical statistic and p-value right now (msprt only; NOT valid for stopping — evidence only). */
  classical:
    | {
        /** The classical statistic: z (accuracy, latency) or Welch t (error). */
        statistic: number;
        /** Two-sided fixed-horizon p-value of the classical test. */
        pValue: number;
        /** Welch–Satterthwaite degrees of freedom, for the t test only. */
        df?: number;
      }
    | undefined;
  /** The compared metric (from the options). */
  metric: ABMetric;
  /** The stopping rule in effect (from the options). */
  rule: 'msprt' | 'fixed-horizon';
  /** The significance level in effect (from the options). */
  alpha: number;
  /** Records dropped (bad arm, NaN, missing values) and ignored (past the horizon). */
  dropped: number;
  /** Records ignored because their arm had already reached `horizon`. */
  ignored: number;
  /** Pairs formed by the sequential rule (calibration pairs included; 0 under fixed-horizon). */
  pairs: number;
  /** The control model's tag from the options, if given. */
  control: ModelTag | undefined;
  /** The candidate model's tag from the options, if given. */
  candidate: ModelTag | undefined;
  /** Epoch ms of this evaluation. */
  at: number;
}

/** Events of {@link ABTest}. */
export interface ABTestEvents extends Record<string, unknown> {
  /** A terminal decision (promote or keep), emitted once. */
  decision: ABDecision;
  /** The terminal decision was to promote the candidate (emitted after `decision`). */
  promote: ABDecision;
  /** The terminal decision was to keep the current model (emitted after `decision`). */
  keep: ABDecision;
}
