/**
 * Renders the collector's fleet state as Prometheus metric families: per
 * device (capped label) counters, gauges of the latest window and latency
 * histograms with exact classic buckets at power-of-two bounds (summed at
 * ingest), plus the fleet latency summary from the exact cross-device sketch
 * merge. Reads aggregates only: O(series).
 *
 * The exposition of one (model, version, device) series set is the same text
 * until a window for it arrives, so {@link renderFleetExposition} keeps it on
 * the state and re-renders only the states changed since the last scrape: a
 * scrape costs O(changed series) of formatting plus the copy of the text.
 */
import { EDGEWATCH_METRICS, LATENCY_BUCKETS_MS, MS_PER_SECOND } from '../export/metric-names.js';
import { formatFamilyHeader, formatSamples, type ExpositionFormat } from '../export/exposition.js';
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

type FamilyMeta = Pick<MetricFamily, 'name' | 'help' | 'type'>;

const M = EDGEWATCH_METRICS;
const LES = LATENCY_BUCKETS_MS.map((b) => b / MS_PER_SECOND);

/** The families with one point set per (model, version, device) state, in output order. */
const STATE_FAMILIES = [
  { name: M.predictions, help: 'Predictions observed on devices.', type: 'counter' },
  {
    name: M.latency,
    help: 'Prediction latency (exact from merged sketches at power-of-two bounds).',
    type: 'histogram',
  },
  { name: M.accuracy, help: 'Accuracy in the latest window.', type: 'gauge' },
  { name: M.performance, help: 'Performance metric in the latest window.', type: 'gauge' },
  { name: M.drift, help: 'Drift statistic or distance in the latest window.', type: 'gauge' },
  { name: M.driftPValue, help: 'Drift test p-value in the latest window.', type: 'gauge' },
  { name: M.driftDetected, help: 'Drift detected (0/1) in the latest window.', type: 'gauge' },
  { name: M.driftShare, help: 'Share of drifted features in the latest window.', type: 'gauge' },
  {
    name: M.outputDrift,
    help: 'Output (prediction) drift statistic or distance in the latest window.',
    type: 'gauge',
  },
  {
    name: M.outputDriftPValue,
    help: 'Output (prediction) drift test p-value in the latest window.',
    type: 'gauge',
  },
  {
    name: M.outputDriftDetected,
    help: 'Output (prediction) drift detected (0/1) in the latest window.',
    type: 'gauge',
  },
  { name: M.alertsFired, help: 'Alerts fired on devices.', type: 'counter' },
  { name: M.valuesDropped, help: 'Input values dropped on devices.', type: 'counter' },
] as const satisfies readonly FamilyMeta[];

type StatePoints = [
  predictions: CounterPoint[],
  latency: HistogramPoint[],
  accuracy: GaugePoint[],
  perf: GaugePoint[],
  drift: GaugePoint[],
  driftP: GaugePoint[],
  driftD: GaugePoint[],
  driftShare: GaugePoint[],
  outDrift: GaugePoint[],
  outDriftP: GaugePoint[],
  outDriftD: GaugePoint[],
  alerts: CounterPoint[],
  drops: CounterPoint[],
];

/** The points of one state, one list per {@link STATE_FAMILIES} entry. O(entries of the state). */
function statePoints(s: DeviceState): StatePoints {
  const out: StatePoints = [[], [], [], [], [], [], [], [], [], [], [], [], []];
  const [predictions, latency, accuracy, perf, drift, driftP, driftD, driftShare] = out;
  const [, , , , , , , , outDrift, outDriftP, outDriftD, alerts, drops] = out;
  const base = { model: s.model, model_version: s.version, device: s.device };
  predictions.push({ labels: base, value: s.counters.get('predictions') ?? 0 });
  if (s.latency) {
    const { cumulative, count, sum } = s.latency;
    const buckets = LES.map((le, i) => ({ le, count: cumulative[i] as number }));
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
    if (x.pValue !== undefined) (output ? outDriftP : driftP).push({ labels: l, value: x.pValue });
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
  return out;
}

/** The families read once per scrape from fleet-wide state: O(devices + fleet sketches). */
function globalFamilies(
  perDevice: ReadonlyMap<string, { windows: number; lastEnd: number }>,
  overflow: Readonly<Record<string, number>>,
  fleet: readonly FleetSketchSummary[],
): { head: MetricFamily[]; tail: MetricFamily[] } {
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
  const nonEmpty = (fs: MetricFamily[]) => fs.filter((f) => f.points.length > 0);
  return {
    head: nonEmpty([
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
    ]),
    tail: nonEmpty([
      {
        name: FLEET_LATENCY_METRIC,
        help: 'Prediction latency quantiles over the fleet (exact sketch merge).',
        type: 'summary',
        points: fleetPoints,
      },
      {
        name: M.seriesOverflow,
        help: 'Distinct label values folded into the _overflow label (cardinality caps), by label.',
        type: 'counter',
        points: Object.entries(overflow).map(([metric, value]) => ({ labels: { metric }, value })),
      },
    ]),
  };
}

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
  const points: GaugePoint[][] = STATE_FAMILIES.map(() => []);
  for (const s of states) statePoints(s).forEach((p, i) => points[i]!.push(...(p as GaugePoint[])));
  const { head, tail } = globalFamilies(perDevice, overflow, fleet);
  const perState = STATE_FAMILIES.map(
    (meta, i) => ({ ...meta, points: points[i]! }) as MetricFamily,
  ).filter((f) => f.points.length > 0);
  return [...head, ...perState, ...tail];
}

/** Longest stretch of formatting between two yields to the event loop, ms. */
export const RENDER_SLICE_MS = 8;

/**
 * Formats one state's sample lines and keeps them on the state (`rendered`)
 * until a window changes it.
 *
 * @param s - the state.
 * @returns the lines per per-state family ('' where the state has no point).
 */
export function renderState(s: DeviceState): string[] {
  s.rendered = statePoints(s).map((points, i) =>
    formatSamples({ ...STATE_FAMILIES[i]!, points } as MetricFamily),
  );
  return s.rendered;
}

/**
 * The exposition text of the fleet families (the same samples as
 * {@link renderFleetFamilies}), as pieces to write in order. Each state's sample
 * lines are kept on the state (`rendered`) until a window changes it, so a scrape
 * formats only the states changed since the previous one, and it yields to the
 * event loop every few ms while it formats: ingest is never held for a render.
 * A state changed during the render appears as it was when it was read.
 *
 * @param states - per (model, version, device) state; `rendered` is read and filled.
 * @param perDevice - windows and latest end per device label.
 * @param overflow - distinct values folded into `_overflow`, by label kind.
 * @param fleet - fleet sketch summaries.
 * @param format - the exposition format (the sample lines are the same in both).
 * @returns the text pieces (no OpenMetrics `# EOF`: the caller ends the exposition).
 */
export async function renderFleetExposition(
  states: Iterable<DeviceState>,
  perDevice: ReadonlyMap<string, { windows: number; lastEnd: number }>,
  overflow: Readonly<Record<string, number>>,
  fleet: readonly FleetSketchSummary[],
  format: ExpositionFormat,
): Promise<string[]> {
  const text = (fs: MetricFamily[]) =>
    fs.map((f) => formatFamilyHeader(f, format) + formatSamples(f, format)).join('');
  // Fleet-wide parts first: they are read at one instant.
  const { head, tail } = globalFamilies(perDevice, overflow, fleet);
  const out = [text(head)];
  const closing = text(tail);
  const pieces: string[][] = STATE_FAMILIES.map(() => []);
  let sliceStart = performance.now();
  for (const s of [...states]) {
    let rendered = s.rendered;
    if (rendered === undefined) {
      rendered = renderState(s);
      if (performance.now() - sliceStart > RENDER_SLICE_MS) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
    }
    rendered.forEach((t, i) => {
      if (t !== '') pieces[i]!.push(t);
    });
  }
  STATE_FAMILIES.forEach((meta, i) => {
    if (pieces[i]!.length === 0) return;
    out.push(formatFamilyHeader({ ...meta, points: [] } as MetricFamily, format));
    for (const p of pieces[i]!) out.push(p);
  });
  out.push(closing);
  return out;
}
