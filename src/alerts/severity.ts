/** `AlertSeverity`: how bad an alert is (a value and its type). */

/**
 * Severity of an alert. String values, so alerts serialise readably
 * (`severity: 'critical'`).
 *
 * @example
 * ```ts
 * new AlertRule('accuracy_drop', (m) => m.accuracy < 0.85, AlertSeverity.CRITICAL);
 * ```
 */
export const AlertSeverity = {
  /** Worth a look; nothing is wrong yet. */
  INFO: 'info',
  /** Something degrades; act soon. */
  WARNING: 'warning',
  /** The model is failing its users; act now. */
  CRITICAL: 'critical',
} as const;

/** `'info' | 'warning' | 'critical'`. */
export type AlertSeverity = (typeof AlertSeverity)[keyof typeof AlertSeverity];

/** Every severity value, for validation. */
export const SEVERITIES: readonly string[] = Object.values(AlertSeverity);
