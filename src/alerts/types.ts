/**
 * Types shared by the alert system, its rules, notifiers and listeners.
 * Types only: no runtime code.
 */
import type { AlertSeverity } from './severity.js';

/**
 * The default metrics object a condition reads: a loose record, so that the
 * `(m) => m.accuracy < 0.85` type-checks. `PerformanceMonitor.getMetrics()`,
 * `LatencyTracker.percentiles()` and drift results are all assignable to it.
 */
// `any` on purpose: conditions are user code reading arbitrary metric shapes.
export type AlertMetrics = Readonly<Record<string, any>>;

/**
 * Where an alert is in its life:
 * - `pending`: the condition holds but not yet for the rule's `for` duration
 *   (or the rule is in its cooldown);
 * - `firing`: fired, condition still holds (deduplicated: one `fire` event);
 * - `resolved`: the condition stopped holding after the alert fired.
 */
export type AlertState = 'pending' | 'firing' | 'resolved';

/** An alert, as returned by `evaluate()` and passed to listeners and notifiers. */
export interface Alert<M = AlertMetrics> {
  /** The rule's name. */
  name: string;
  /** The rule's severity. */
  severity: AlertSeverity;
  /** When the alert fired (epoch ms of the system's clock). */
  firedAt: number;
  /** When the condition first held in this episode (epoch ms); `<= firedAt`. */
  activeAt: number;
  /** When it resolved (epoch ms); only on resolved alerts. */
  resolvedAt?: number;
  /** The metrics of the latest evaluation that saw this alert (firing: the condition held on them). */
  metrics: M;
  /** The rule's description, if any. */
  description?: string;
  /** The rule's labels, if any. */
  labels?: Readonly<Record<string, string>>;
  /** `firing` or `resolved` (alerts handed out are never `pending`; see `AlertSystem.pending()`). */
  state: AlertState;
}

/** What an `error` listener receives: a condition, listener or notifier failed. */
export interface AlertSystemError {
  /** Where it failed. */
  source: 'condition' | 'listener' | 'notifier';
  /** The rule involved, when there is one. */
  rule?: string;
  /** The thrown value (usually an `Error`). */
  error: unknown;
}

/** Listener signatures by event name. */
export interface AlertSystemEvents<M = AlertMetrics> {
  /** An alert started firing (once per episode). */
  fire: (alert: Alert<M>) => void;
  /** A firing alert's condition stopped holding. */
  resolve: (alert: Alert<M>) => void;
  /** A condition or a notifier failed. */
  error: (error: AlertSystemError) => void;
}
