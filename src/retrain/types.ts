/**
 * Types of the retraining trigger. Types only.
 */
import type { Alert } from '../alerts/types.js';

/** Anything with a drift verdict (`DriftResult`, a table result, …). */
export interface DriftVerdict {
  /** Whether the data drifted. */
  isDrift: boolean;
}

/**
 * A drift detector, duck-typed: `DriftDetector` fits, so does any object with
 * `detect(data)` resolving to `{ isDrift }`.
 */
export interface DetectorLike<D = any, R extends DriftVerdict = DriftVerdict> {
  /** Tests `data` for drift. */
  detect(data: D): Promise<R> | R;
}

/** Why a run was started. */
export type RetrainReason = 'drift' | 'alert' | 'manual';

/** What `run` receives. */
export interface RetrainEvidence<R extends DriftVerdict = DriftVerdict> {
  /** Why the run started. */
  reason: RetrainReason;
  /** When (epoch ms of the trigger's clock). */
  triggeredAt: number;
  /** The drift result that triggered it (reason `'drift'`). */
  drift?: R;
  /** The alert that triggered it (reason `'alert'`). */
  alert?: Alert;
  /** Recent metrics, from the `metrics` option, when given. */
  metrics?: unknown;
  /** Samples in the checked data (reason `'drift'`), when countable. */
  sampleCount?: number;
}

/** The record of one run. */
export type RetrainOutcome<T = unknown> = {
  /** Sequence number of the run (1, 2, …). */
  id: number;
  /** Why the run started. */
  reason: RetrainReason;
  /** Epoch ms when `run` was called. */
  startedAt: number;
  /** Epoch ms when it settled. */
  finishedAt: number;
} & (
  | {
      /** `run` resolved. */
      status: 'completed';
      /** What it resolved to. */
      result: T;
    }
  | {
      /** `run` threw or rejected. */
      status: 'failed';
      /** What it threw. */
      error: unknown;
    }
  | {
      /** The run did not settle within `runTimeoutMs`; it was abandoned (its late result is ignored). */
      status: 'timeout';
      /** The timeout error. */
      error: unknown;
    }
);

/** Why a check or alert did not start a run. */
export type RetrainSkipReason =
  'no-drift' | 'cooldown' | 'running' | 'insufficient-samples' | 'detector-error';

/** What `check()` and `onAlert()` resolve to. */
export interface RetrainCheckResult<R extends DriftVerdict = DriftVerdict, T = unknown> {
  /** Whether `run` was called. */
  triggered: boolean;
  /** Why not, when not triggered. */
  skipped?: RetrainSkipReason;
  /** The detector's result, when it ran. */
  drift?: R;
  /** The run's outcome, when triggered (`completed` / `failed`). */
  outcome?: RetrainOutcome<T>;
  /** The detector's error (skip reason `'detector-error'`). */
  error?: unknown;
  /** When a run may start again (skip reason `'cooldown'`). */
  retryAt?: number;
}

/** Listener signatures by event name. */
export type RetrainTriggerEvents<R extends DriftVerdict = DriftVerdict, T = unknown> = {
  /** A run is starting. */
  trigger: (evidence: RetrainEvidence<R>) => void;
  /** A run completed. */
  complete: (outcome: RetrainOutcome<T>) => void;
  /** A run failed or timed out (its error is in the outcome). */
  fail: (outcome: RetrainOutcome<T>) => void;
  /** A check or alert did not start a run. */
  skip: (info: { reason: RetrainSkipReason; cause: RetrainReason }) => void;
  /** The detector, the metrics source or a listener failed, or a run timed out. */
  error: (error: unknown) => void;
};
