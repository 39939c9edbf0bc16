/** Which fired alerts `RetrainTrigger.attach()` reacts to. */
import type { AlertSeverity } from '../alerts/alert-rule.js';
import type { Alert } from '../alerts/types.js';

/** Which alerts `attach()` reacts to. */
export interface AttachFilter {
  /** Only these severities (default: all). */
  severities?: readonly AlertSeverity[];
  /** Only these rule names (default: all). */
  names?: readonly string[];
}

/**
 * Whether an alert passes a filter (an absent field lets every alert through).
 *
 * @param alert - the fired alert.
 * @param filter - severities and/or rule names.
 * @returns true when the trigger should react. O(filter length).
 * @example alertMatches(alert, { severities: ['critical'] }) // => alert.severity === 'critical'
 */
export function alertMatches(alert: Alert, filter: AttachFilter): boolean {
  if (filter.severities !== undefined && !filter.severities.includes(alert.severity)) return false;
  if (filter.names !== undefined && !filter.names.includes(alert.name)) return false;
  return true;
}
