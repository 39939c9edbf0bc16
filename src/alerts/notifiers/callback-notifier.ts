/** A notifier that calls a function: the simplest way to route alerts in-process. */
import { ConfigError, describeValue } from '../../errors.js';
import type { AlertMetrics } from '../types.js';
import type { AlertNotification, Notifier } from './notifier.js';

/**
 * Builds a notifier from a callback.
 *
 * @param fn - called with each notification; may be async (awaited by
 *   `AlertSystem.settled()`, rejections go to the `error` event).
 * @returns the notifier.
 * @throws {@link ConfigError} when `fn` is not a function.
 * @example
 * ```ts
 * alerts.addNotifier(callbackNotifier(({ status, alert }) => console.log(status, alert.name)));
 * ```
 */
export function callbackNotifier<M = AlertMetrics>(
  fn: (notification: AlertNotification<M>) => void | Promise<unknown>,
): Notifier<M> {
  if (typeof fn !== 'function') {
    throw new ConfigError(`callbackNotifier: expected a function, got ${describeValue(fn)}`);
  }
  return { notify: (n) => fn(n) };
}
