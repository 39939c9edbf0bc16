/**
 * A retraining `run` that hands the evidence to a server-side pipeline over
 * HTTP (POST JSON with retry and backoff), for `RetrainTrigger.webhook(url)`.
 */
import {
  postJson,
  resolvePostOptions,
  type PostJsonOptions,
  type PostJsonResult,
} from '../alerts/notifiers/post-json.js';
import type { RetrainEvidence } from './types.js';

/**
 * Builds a `run` that POSTs `{ version: 1, kind: 'retrain', evidence }` to `url`.
 * The run completes on a 2xx answer (resolving to status, attempts and the
 * parsed body) and fails with a `TransportError` otherwise.
 *
 * @param url - http(s) endpoint of the pipeline.
 * @param options - retries (3), backoffMs (200), maxBackoffMs, timeoutMs, headers, fetch.
 * @returns the run function.
 * @throws {@link ConfigError} on a bad URL or option.
 * @example
 * ```ts
 * new RetrainTrigger({ detector, run: retrainWebhook('https://ml.example/retrain') });
 * ```
 */
export function retrainWebhook(
  url: string,
  options: PostJsonOptions = {},
): (evidence: RetrainEvidence) => Promise<PostJsonResult> {
  const resolved = resolvePostOptions('RetrainTrigger.webhook', url, options);
  return (evidence) => postJson(url, { version: 1, kind: 'retrain', evidence }, resolved);
}
