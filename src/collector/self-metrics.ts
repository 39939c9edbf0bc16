/**
 * The collector's own metrics (requests, duplicates, refusals, sketch merge
 * errors, remote-write outcomes), appended to `/metrics`.
 */
import type { MetricFamily } from '../export/prom-model.js';
import type { FleetAggregator } from './fleet-aggregator.js';
import type { RemoteWriter } from './remote-write.js';

/** The collector's ingest counters. */
export class IngestCounters {
  /** Windows stored (reloaded at start-up plus accepted since). */
  windows = 0;
  accepted = 0;
  duplicates = 0;
  /** Windows moved into hourly aggregates by the retention purge. */
  purged = 0;
  /** Longest purge transaction so far (the event loop waits for it), ms. */
  purgeBlockMs = 0;
  readonly rejected: Record<string, number> = {};

  /** Counts a refused request (or a stored row skipped at start-up) by reason. */
  reject(reason: string): void {
    this.rejected[reason] = (this.rejected[reason] ?? 0) + 1;
  }
}

/**
 * Renders the collector's self-metrics.
 *
 * @param requests - request counts keyed "route status".
 * @param counters - ingest counters.
 * @param agg - the aggregator (sketch errors).
 * @param remote - the remote writer, when configured.
 * @returns metric families with at least one point.
 */
export function collectorSelfFamilies(
  requests: ReadonlyMap<string, number>,
  counters: IngestCounters,
  agg: FleetAggregator,
  remote: RemoteWriter | undefined,
): MetricFamily[] {
  const fams: MetricFamily[] = [
    {
      name: 'edgewatch_collector_requests_total',
      help: 'HTTP requests by route and status.',
      type: 'counter',
      points: [...requests].map(([k, value]) => {
        const [route = '', code = ''] = k.split(' ');
        return { labels: { route, code }, value };
      }),
    },
    {
      name: 'edgewatch_collector_windows_duplicate_total',
      help: 'Windows received again (already stored; ignored).',
      type: 'counter',
      points: [{ labels: {}, value: counters.duplicates }],
    },
    {
      name: 'edgewatch_collector_requests_rejected_total',
      help: 'Ingest requests refused, by reason.',
      type: 'counter',
      points: Object.entries(counters.rejected).map(([reason, value]) => ({
        labels: { reason },
        value,
      })),
    },
    {
      name: 'edgewatch_collector_sketch_errors_total',
      help: 'Sketches not merged (scale mismatch, corrupt), by reason.',
      type: 'counter',
      points: [...agg.sketchErrors].map(([reason, value]) => ({ labels: { reason }, value })),
    },
  ];
  if (counters.purged > 0)
    fams.push({
      name: 'edgewatch_collector_windows_purged_total',
      help: 'Windows past the retention moved into hourly aggregates and deleted.',
      type: 'counter',
      points: [{ labels: {}, value: counters.purged }],
    });
  if (counters.purged > 0)
    fams.push({
      name: 'edgewatch_collector_purge_longest_seconds',
      help: 'Longest retention purge transaction since start (requests wait for it).',
      type: 'gauge',
      points: [{ labels: {}, value: counters.purgeBlockMs / 1000 }],
    });
  if (remote) {
    fams.push({
      name: 'edgewatch_collector_remote_write_series_total',
      help: 'Remote-write samples (one per series) by outcome: sent, retried (a failed attempt), expired, dropped (refused).',
      type: 'counter',
      points: [
        { labels: { outcome: 'sent' }, value: remote.stats.sentSeries },
        { labels: { outcome: 'retried' }, value: remote.stats.retriedSeries },
        { labels: { outcome: 'expired' }, value: remote.stats.expiredSeries },
        { labels: { outcome: 'dropped' }, value: remote.stats.droppedSeries },
      ],
    });
  }
  return fams.filter((f) => f.points.length > 0);
}
