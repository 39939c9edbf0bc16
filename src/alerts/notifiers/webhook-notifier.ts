/**
 * A notifier that POSTs each notification as JSON to a URL, with retry and
 * backoff. Works in browsers, Web Workers and Node (global `fetch`).
 */
import type { AlertMetrics } from '../types.js';
import type { AlertNotification, Notifier } from './notifier.js';
import {
  postJson,
  resolvePostOptions,
  type PostJsonOptions,
  type PostJsonResult,
} from './post-json.js';

/** Options of {@link webhookNotifier}. */
export interface WebhookNotifierOptions extends PostJsonOptions {
  /** Also send `resolved` notifications (default true, as Alertmanager's `send_resolved`). */
  sendResolved?: boolean;
}

/**
 * The JSON body POSTed by {@link webhookNotifier}: `{ version: 1, status, alert }`
 * (alert fields as in `Alert`; typed arrays as arrays, non-finite numbers as null).
 */
export interface WebhookPayload<M = AlertMetrics> extends AlertNotification<M> {
  /** Version of this payload's shape. */
  version: 1;
}

/**
 * Builds a webhook notifier.
 *
 * @param url - http(s) endpoint receiving the POSTs.
 * @param options - retries (default 3), backoffMs (200), maxBackoffMs,
 *   timeoutMs (10 000), headers, fetch, sendResolved (true).
 * @returns the notifier; its promise resolves with the POST result (or
 *   `undefined` for a skipped resolved notification) and rejects with a
 *   `TransportError` once the retries are spent.
 * @throws {@link ConfigError} on a bad URL or option (at construction).
 * @example
 * ```ts
 * alerts.addNotifier(webhookNotifier('https://ops.example/hooks/edgewatch', { retries: 5 }));
 * ```
 */
export function webhookNotifier<M = AlertMetrics>(
  url: string,
  options: WebhookNotifierOptions = {},
): Notifier<M> {
  const resolved = resolvePostOptions('webhookNotifier', url, options);
  const sendResolved = options.sendResolved ?? true;
  return {
    notify(n: AlertNotification<M>): Promise<PostJsonResult | undefined> {
      if (n.status === 'resolved' && !sendResolved) return Promise.resolve(undefined);
      const payload: WebhookPayload<M> = { version: 1, status: n.status, alert: n.alert };
      return postJson(url, payload, resolved);
    },
  };
}
