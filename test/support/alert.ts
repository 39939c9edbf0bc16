/** A hand-made alert, as a notifier or a retrain trigger receives one from the AlertSystem. */
import type { Alert } from '../../src/alerts/types.js';

/** A firing info alert `x` fired at 0, with `overrides` applied. */
export function alertOf(overrides: Partial<Alert> = {}): Alert {
  return {
    name: 'x',
    severity: 'info',
    firedAt: 0,
    activeAt: 0,
    metrics: {},
    state: 'firing',
    ...overrides,
  };
}
