/**
 * The notifier contract: where an `AlertSystem` sends fired and resolved
 * alerts (Alertmanager-style `status`). Types only.
 */
import type { Alert, AlertMetrics } from '../types.js';

/** One notification: an alert that fired or resolved. */
export interface AlertNotification<M = AlertMetrics> {
  /** `firing` when the alert fired, `resolved` when it resolved. */
  status: 'firing' | 'resolved';
  /** The alert. */
  alert: Alert<M>;
}

/**
 * Receives notifications. A rejected promise or a throw is reported through the
 * alert system's `error` event; it never breaks `evaluate()`.
 */
export interface Notifier<M = AlertMetrics> {
  /** Delivers one notification. */
  notify(notification: AlertNotification<M>): void | Promise<unknown>;
}
