/**
 * Sends a registry's values over OTLP/HTTP (`POST …/v1/metrics`), JSON or
 * protobuf, e.g. to an OpenTelemetry Collector. The mapping itself is in `otlp.ts`.
 */
import { TransportError, describeValue } from '../errors.js';
import type { MetricFamily } from './prom-model.js';
import { toOtlpRequest } from './otlp.js';
import { encodeOtlpMetricsRequest } from './otlp-proto-encode.js';
import type { OtlpOptions } from './otlp.js';

/** Anything that yields snapshots (a `Registry`). */
export interface SnapshotSource {
  getMetricsAsJSON(): Promise<MetricFamily[]>;
}

/** Options of {@link pushOtlp}. */
export interface PushOtlpOptions extends OtlpOptions {
  /** OTLP/HTTP metrics endpoint, e.g. `http://127.0.0.1:4318/v1/metrics`. */
  url: string;
  /** The registry to export. */
  registry: SnapshotSource;
  /** Extra headers (e.g. authorization). */
  headers?: Record<string, string>;
  /** fetch implementation (default `globalThis.fetch`). */
  fetch?: typeof fetch;
  /** `'json'` (default, `application/json`) or `'protobuf'` (`application/x-protobuf`). */
  encoding?: 'json' | 'protobuf';
}

/**
 * Posts the registry's current values over OTLP/HTTP (JSON unless `encoding: 'protobuf'`).
 *
 * @param options - url, registry, resource, scope, headers, fetch.
 * @returns resolves on a 2xx answer.
 * @throws TransportError on a network failure or a non-2xx status (with `status`).
 * @example
 * await pushOtlp({ url: 'http://127.0.0.1:4318/v1/metrics', registry, resource: { 'service.name': 'robot' } });
 */
export async function pushOtlp(options: PushOtlpOptions): Promise<void> {
  const doFetch = options.fetch ?? globalThis.fetch;
  if (typeof options.url !== 'string')
    throw new TransportError(`expected url to be a string, got ${describeValue(options.url)}`);
  const request = toOtlpRequest(await options.registry.getMetricsAsJSON(), options);
  const proto = options.encoding === 'protobuf';
  let res: Response;
  try {
    res = await doFetch(options.url, {
      method: 'POST',
      headers: {
        'content-type': proto ? 'application/x-protobuf' : 'application/json',
        ...options.headers,
      },
      body: proto
        ? (encodeOtlpMetricsRequest(request) as Uint8Array<ArrayBuffer>)
        : JSON.stringify(request),
    });
  } catch (error) {
    throw new TransportError(`OTLP export to ${options.url} failed: ${String(error)}`, undefined, {
      cause: error,
    });
  }
  if (!res.ok) {
    const text = await res.text().catch(() => '');
    throw new TransportError(
      `OTLP export to ${options.url} answered ${res.status}: ${text.slice(0, 200)}`,
      res.status,
    );
  }
}
