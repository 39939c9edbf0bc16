/**
 * Renders the collector's fleet state as Prometheus metric families: per
 * device (capped label) counters, gauges of the latest window and latency
 * histograms with exact classic buckets at power-of-two bounds (summed at
 * ingest), plus the fleet latency summary from the exact cross-device sketch
 * merge. Reads aggregates only: O(series).
 */
import { EDGEWATCH_METRICS, LATENCY_BUCKETS_MS, MS_PER_SECOND } from '../export/metric-names.js';
import type {
  CounterPoint,
  GaugePoint,
  HistogramPoint,
  MetricFamily,
  SummaryPoint,
} from '../export/prom-model.js';
import {
  FLEET_LATENCY_METRIC,
  FLEET_QUANTILES,
  LATENCY_SKETCH,
  type DeviceState,
  type FleetSketchSummary,
} from './fleet-state.js';

/**
 * Builds the families.
 *
 * @param states - per (model, version, device) state.
 * @param perDevice - windows and latest end per device label.
 * @param overflow - distinct values folded into `_overflow`, by label kind.
 * @param fleet - fleet sketch summaries.
 * @returns families with at least one point.
 */
export function renderFleetFamilies(
  states: Iterable<DeviceState>,
  perDevice: ReadonlyMap<string, { windows: number; lastEnd: number }>,
  overflow: Readonly<Record<string, number>>,
  fleet: readonly FleetSketchSummary[],
): MetricFamily[] {
  const M = EDGEWATCH_METRICS;
  const predictions: CounterPoint[] = [];
  const latency: HistogramPoint[] = [];
  const accuracy: GaugePoint[] = [];
  const perf: GaugePoint[] = [];
  const drift: GaugePoint[] = [];
  const driftP: GaugePoint[] = [];
  const driftD: GaugePoint[] = [];
  const driftShare: GaugePoint[] = [];
  const outDrift: GaugePoint[] = [];
  const outDriftP: GaugePoint[] = [];
  const outDriftD: GaugePoint[] = [];
  const alerts: CounterPoint[] = [];
  const drops: CounterPoint[] = [];
  const les = LATENCY_BUCKETS_MS.map((b) => b / MS_PER_SECOND);
  for (const s of states) {
    const base = { model: s.model, model_version: s.version, device: s.device };
    predictions.push({ labels: base, value: s.counters.get('predictions') ?? 0 });
    if (s.latency) {
      const { cumulative, count, sum } = s.latency;
      const buckets = les.map((le, i) => ({ le, count: cumulative[i] as number }));
      buckets.push({ le: Infinity, count });
      latency.push({ labels: base, count, sum: sum / MS_PER_SECOND, buckets });
    }
    const acc = s.performance.get('accuracy');
    if (acc !== undefined) accuracy.push({ labels: base, value: acc });
    for (const [metric, value] of s.performance) perf.push({ labels: { ...base, metric }, value });
    for (const x of s.drift.values()) {
      const output = x.source === 'output';
      const l = output
        ? { ...base, method: x.method }
        : { ...base, feature: x.feature, method: x.method };
      (output ? outDrift : drift).push({ labels: l, value: x.statistic });
      if (x.pValue !== undefined)
        (output ? outDriftP : driftP).push({ labels: l, value: x.pValue });
      (output ? outDriftD : driftD).push({ labels: l, value: x.isDrift ? 1 : 0 });
    }
    if (s.driftShare !== undefined) driftShare.push({ labels: base, value: s.driftShare });
    for (const a of s.alerts.values()) {
      alerts.push({
        labels: { model: s.model, device: s.device, alert: a.alert, severity: a.severity },
        value: a.count,
      });
    }
    for (const [reason, value] of s.drops)
      drops.push({ labels: { model: s.model, device: s.device, reason }, value });
  }
  const ingested: CounterPoint[] = [];
  const last: GaugePoint[] = [];
  for (const [device, d] of perDevice) {
    ingested.push({ labels: { device }, value: d.windows });
    last.push({ labels: { device }, value: d.lastEnd / MS_PER_SECOND });
  }
  const fleetPoints: SummaryPoint[] = fleet
    .filter((f) => f.sketch === LATENCY_SKETCH)
    .map((f) => ({
      labels: { model: f.model, model_version: f.version },
      count: f.count,
      sum: f.sum / MS_PER_SECOND,
      quantiles: FLEET_QUANTILES.map((q) => ({
        quantile: q,
        value: (f.quantiles[String(q)] ?? NaN) / MS_PER_SECOND,
      })),
    }));
  const out: MetricFamily[] = [
    {
      name: M.windowsIngested,
      help: 'Windows ingested by the collector.',
      type: 'counter',
      points: ingested,
    },
    {
      name: M.lastWindow,
      help: 'Unix time (s) of the end of the latest window received.',
      type: 'gauge',
      points: last,
    },
    {
      name: M.predictions,
      help: 'Predictions observed on devices.',
      type: 'counter',
      points: predictions,
    },
    {
      name: M.latency,
      help: 'Prediction latency (exact from merged sketches at power-of-two bounds).',
      type: 'histogram',
      points: latency,
    },
    {
      name: FLEET_LATENCY_METRIC,
      help: 'Prediction latency quantiles over the fleet (exact sketch merge).',
      type: 'summary',
      points: fleetPoints,
    },
    { name: M.accuracy, help: 'Accuracy in the latest window.', type: 'gauge', points: accuracy },
    {
      name: M.performance,
      help: 'Performance metric in the latest window.',
      type: 'gauge',
      points: perf,
    },
    {
      name: M.drift,
      help: 'Drift statistic or distance in the latest window.',
      type: 'gauge',
      points: drift,
    },
    {
      name: M.driftPValue,
      help: 'Drift test p-value in the latest window.',
      type: 'gauge',
      points: driftP,
    },
    {
      name: M.driftDetected,
      help: 'Drift detected (0/1) in the latest window.',
      type: 'gauge',
      points: driftD,
    },
    {
      name: M.driftShare,
      help: 'Share of drifted features in the latest window.',
      type: 'gauge',
      points: driftShare,
    },
    {
      name: M.outputDrift,
      help: 'Output (prediction) drift statistic or distance in the latest window.',
      type: 'gauge',
      points: outDrift,
    },
    {
      name: M.outputDriftPValue,
      help: 'Output (prediction) drift test p-value in the latest window.',
      type: 'gauge',
      points: outDriftP,
    },
    {
      name: M.outputDriftDetected,
      help: 'Output (prediction) drift detected (0/1) in the latest window.',
      type: 'gauge',
      points: outDriftD,
    },
    { name: M.alertsFired, help: 'Alerts fired on devices.', type: 'counter', points: alerts },
    {
      name: M.valuesDropped,
      help: 'Input values dropped on devices.',
      type: 'counter',
      points: drops,
    },
    {
      name: M.seriesOverflow,
      help: 'Distinct label values folded into the _overflow label (cardinality caps), by label.',
      type: 'counter',
      points: Object.entries(overflow).map(([metric, value]) => ({ labels: { metric }, value })),
    },
  ];
  return out.filter((f) => f.points.length > 0);
}
