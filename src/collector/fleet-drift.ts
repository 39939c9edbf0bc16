/**
 * Fleet drift: the fleet's profiles merged over a time range and compared with the
 * reference profiles, feature by feature — KS from the sketches (with its error
 * bound), PSI and Jensen–Shannon on shared bins for numeric features, chi-square
 * (plus PSI / JS) for categorical ones — and the same comparison per device, which
 * names the drifted subgroup. A feature drifts when its test's p-value is below
 * `alpha`; for KS the p-value is that of the bound's lower end, so a drift verdict
 * holds for the exact statistic too. Per-device verdicts use `alpha / devices`
 * (Bonferroni over the devices): looking for a subgroup among many devices would
 * otherwise flag about `alpha × devices` healthy ones by chance.
 */
import { profileCounts } from '../profile/feature-profiler.js';
import {
  compareCategorical,
  compareNumeric,
  type ChiSquareResult,
  type SketchKs,
} from '../profile/profile-drift.js';
import { hllEstimate } from '../profile/hyperloglog.js';
import { profileQuality, type ProfileQuality } from '../profile/profile-quality.js';
import type { FeatureProfile } from '../profile/profile-types.js';
import { EDGEWATCH_METRICS } from '../export/metric-names.js';
import type { GaugePoint, MetricFamily } from '../export/prom-model.js';
import type { FleetProfiles } from './fleet-profiles.js';

/** What {@link fleetDrift} compares. */
export interface FleetDriftQuery {
  /** Model name. */
  model: string;
  /** Model version. */
  version: string;
  /** Range start, epoch ms. */
  from: number;
  /** Range end, epoch ms, exclusive. */
  to: number;
  /** Significance level of the fleet verdicts (devices: alpha / devices). */
  alpha: number;
  /** Timeline step, ms (a whole number of buckets); no timeline without it. */
  step?: number;
}

/** One feature's fleet comparison. */
export interface FeatureDrift {
  /** Feature name. */
  feature: string;
  /** Profile kind. */
  kind: 'numeric' | 'categorical';
  /** Values present in the range (fleet). */
  count: number;
  /** Missing values / all values seen. */
  missingShare: number;
  /** The test that decides `drift`: `'ks'` or `'chi_square'`. */
  method: 'ks' | 'chi_square';
  /** Its statistic. */
  statistic: number;
  /** Its p-value. */
  pValue: number;
  /** KS only: the exact statistic lies in [statistic, statistic + errorBound]. */
  errorBound?: number;
  /** Population stability index on shared bins (numeric) or the reference top-K plus "other". */
  psi: number;
  /** Jensen–Shannon distance on the same bins. */
  jensenShannon: number;
  /** Categorical only: categories the reference never listed. */
  newCategories?: string[];
  /** Categorical only: HyperLogLog distinct-count estimate. */
  distinct?: number;
  /** Whether the deciding test's p-value is below alpha. */
  drift: boolean;
  /** Data quality of the fleet-merged profile against the reference. */
  quality: ProfileQuality;
}

/** One step of {@link FleetDriftReport.timeline}. */
export interface TimelineStep {
  /** Step start, epoch ms. */
  from: number;
  /** Step end, epoch ms, exclusive. */
  to: number;
  /** Per feature: KS (numeric) or Jensen–Shannon (categorical), and the verdict. */
  features: Record<string, StepCell>;
}

/** One cell of the feature × time view. */
export interface StepCell {
  /** KS statistic (numeric) or Jensen–Shannon distance (categorical). */
  statistic: number;
  /** Whether the step's test drifted. */
  drift: boolean;
}

/** One feature of one device. */
export interface DeviceFeature {
  /** The deciding test's statistic. */
  statistic: number;
  /** Its p-value. */
  pValue: number;
  /** Whether it is below the per-device alpha. */
  drift: boolean;
}

/** One device's comparison. */
export interface DeviceDrift {
  /** Device id. */
  device: string;
  /** Windows of the device in the range. */
  windows: number;
  /** Drifted features / features compared. */
  driftShare: number;
  /** Names of the drifted features. */
  drifted: string[];
  /** Per feature: the deciding statistic and p-value. */
  features: Record<string, DeviceFeature>;
}

/** The answer of `GET /v1/fleet/drift`. */
export interface FleetDriftReport {
  /** Model name. */
  model: string;
  /** Model version. */
  version: string;
  /** Range start, epoch ms (time buckets starting from its bucket count). */
  from: number;
  /** Range end, epoch ms, exclusive. */
  to: number;
  /** Significance level of the fleet verdicts. */
  alpha: number;
  /** Significance level of each device's verdicts: alpha / devices. */
  deviceAlpha: number;
  /** Width of the per-device buckets: `perDevice` covers whole device buckets. */
  deviceBucketMs: number;
  /** Devices with windows in the range (at device-bucket granularity). */
  devices: number;
  /** Windows in the range. */
  windows: number;
  /** Drifted features / features compared (fleet-merged). */
  driftShare: number;
  /** Per feature of the reference, the fleet-merged comparison. */
  features: FeatureDrift[];
  /** Devices, most drifted first. */
  perDevice: DeviceDrift[];
  /** Devices with at least one drifted feature. */
  driftedDevices: string[];
  /** With `step`: the fleet comparison per step, for a feature × time view. */
  timeline?: TimelineStep[];
}

/**
 * Compares one feature's profile with its reference.
 * @param feature - the feature name.
 * @param ref - the reference profile.
 * @param cur - the current profile (same kind).
 * @param alpha - significance level.
 * @returns the comparison, or undefined when the kinds differ or either side is empty.
 */
export function compareFeature(
  feature: string,
  ref: FeatureProfile,
  cur: FeatureProfile,
  alpha: number,
): FeatureDrift | undefined {
  const c = profileCounts(cur);
  const seen = c.present + c.missing + c.invalid;
  const missingShare = seen === 0 ? 0 : c.missing / seen;
  if (c.present === 0 || profileCounts(ref).present === 0) return undefined;
  /** The verdict of the deciding test, with what both profile kinds report (`extra`: the kind's own). */
  const verdict = (
    kind: FeatureDrift['kind'],
    method: FeatureDrift['method'],
    test: SketchKs | ChiSquareResult,
    r: { psi: number; jensenShannon: number },
    extra: Pick<FeatureDrift, 'newCategories' | 'distinct'> = {},
  ): FeatureDrift => ({
    feature,
    kind,
    count: c.present,
    missingShare,
    method,
    statistic: test.statistic,
    pValue: test.pValue,
    ...('errorBound' in test ? { errorBound: test.errorBound } : {}),
    psi: r.psi,
    jensenShannon: r.jensenShannon,
    ...extra,
    drift: test.pValue < alpha,
    quality: profileQuality(cur, ref),
  });
  if (ref.kind === 'numeric' && cur.kind === 'numeric') {
    const r = compareNumeric(ref, cur);
    return verdict('numeric', 'ks', r.ks, r);
  }
  if (ref.kind === 'categorical' && cur.kind === 'categorical') {
    const r = compareCategorical(ref, cur);
    return verdict('categorical', 'chi_square', r.chiSquare, r, {
      newCategories: r.newCategories,
      distinct: hllEstimate(cur.hll),
    });
  }
  return undefined;
}

function compareAll(
  reference: Map<string, FeatureProfile>,
  current: Map<string, FeatureProfile>,
  alpha: number,
): FeatureDrift[] {
  const out: FeatureDrift[] = [];
  for (const [feature, ref] of reference) {
    const cur = current.get(feature);
    if (!cur) continue;
    const d = compareFeature(feature, ref, cur, alpha);
    if (d) out.push(d);
  }
  return out;
}

/** Most steps a timeline may have. */
export const MAX_TIMELINE_STEPS = 500;

/**
 * Builds the fleet drift report. O(devices × buckets × features), plus the same per step.
 * @param store - the fleet profiles.
 * @param q - model, version, range [from, to), alpha, optional step (ms).
 * @returns the report, or undefined when the model version has no reference.
 */
export function fleetDrift(store: FleetProfiles, q: FleetDriftQuery): FleetDriftReport | undefined {
  const reference = store.reference(q.model, q.version);
  if (!reference) return undefined;
  const devices = store.perDevice(q.model, q.version, q.from, q.to);
  const { profiles: fleet, windows } = store.fleetProfiles(q.model, q.version, q.from, q.to);
  const perDevice: DeviceDrift[] = [];
  const deviceAlpha = q.alpha / Math.max(1, devices.length);
  for (const d of devices) {
    const cmp = compareAll(reference, d.profiles, deviceAlpha);
    const drifted = cmp.filter((f) => f.drift).map((f) => f.feature);
    const features: DeviceDrift['features'] = {};
    for (const f of cmp)
      features[f.feature] = { statistic: f.statistic, pValue: f.pValue, drift: f.drift };
    perDevice.push({
      device: d.device,
      windows: d.windows,
      driftShare: cmp.length === 0 ? 0 : drifted.length / cmp.length,
      drifted,
      features,
    });
  }
  perDevice.sort((a, b) => b.driftShare - a.driftShare || (a.device < b.device ? -1 : 1));
  const features = compareAll(reference, fleet, q.alpha);
  const report: FleetDriftReport = {
    model: q.model,
    version: q.version,
    from: q.from,
    to: q.to,
    alpha: q.alpha,
    deviceAlpha,
    deviceBucketMs: store.deviceBucketMs,
    devices: devices.length,
    windows,
    driftShare:
      features.length === 0 ? 0 : features.filter((f) => f.drift).length / features.length,
    features,
    perDevice,
    driftedDevices: perDevice.filter((d) => d.drifted.length > 0).map((d) => d.device),
  };
  if (q.step !== undefined) {
    report.timeline = [];
    const first = Math.floor(q.from / store.bucketMs) * store.bucketMs;
    const steps = store.perStep(q.model, q.version, first, q.to, q.step);
    for (let k = 0; k < steps.length; k++) {
      const t = first + k * q.step;
      const end = Math.min(q.to, t + q.step);
      const merged = steps[k] as Map<string, FeatureProfile>;
      const row: Record<string, StepCell> = {};
      for (const f of compareAll(reference, merged, q.alpha))
        row[f.feature] = {
          statistic: f.method === 'ks' ? f.statistic : f.jensenShannon,
          drift: f.drift,
        };
      report.timeline.push({ from: t, to: end, features: row });
    }
  }
  return report;
}

/** Name of the fleet feature drift gauge. */
export const FLEET_FEATURE_DRIFT_METRIC = EDGEWATCH_METRICS.fleetFeatureDrift;
/** Name of the fleet drift share gauge. */
export const FLEET_DRIFT_SHARE_METRIC = EDGEWATCH_METRICS.fleetDriftShare;
/** Name of the drifted devices gauge. */
export const FLEET_DRIFTED_DEVICES_METRIC = EDGEWATCH_METRICS.fleetDriftedDevices;

/**
 * Fleet drift over the trailing `windowMs` for every model version with a reference,
 * as gauges: `edgewatch_fleet_feature_drift{model,version,feature,method}` (methods
 * `ks`, `psi`, `jensen_shannon` for numeric features; `chi_square`, `psi`,
 * `jensen_shannon` for categorical), the drift share and the count of drifted devices.
 * Features are capped per model version by {@link FleetProfiles}; at most
 * `maxReferences` model versions are rendered.
 * @param store - the fleet profiles.
 * @param nowMs - now.
 * @param windowMs - trailing range.
 * @param maxReferences - most model versions.
 * @returns the families (empty when no reference is set).
 */
export function fleetDriftFamilies(
  store: FleetProfiles,
  nowMs: number,
  windowMs: number,
  maxReferences: number,
): MetricFamily[] {
  const drift: GaugePoint[] = [];
  const share: GaugePoint[] = [];
  const devices: GaugePoint[] = [];
  for (const { model, version } of store.referenced().slice(0, maxReferences)) {
    const r = fleetDrift(store, {
      model,
      version,
      from: nowMs - windowMs,
      to: nowMs + 1,
      alpha: 0.01,
    });
    if (!r || r.devices === 0) continue;
    const base = { model, version };
    share.push({ labels: base, value: r.driftShare });
    devices.push({ labels: base, value: r.driftedDevices.length });
    for (const f of r.features) {
      const add = (method: string, value: number): void => {
        if (Number.isFinite(value))
          drift.push({ labels: { ...base, feature: f.feature, method }, value });
      };
      add(f.method, f.statistic);
      add('psi', f.psi);
      add('jensen_shannon', f.jensenShannon);
    }
  }
  const out: MetricFamily[] = [];
  if (drift.length > 0)
    out.push({
      name: FLEET_FEATURE_DRIFT_METRIC,
      help: 'Fleet-merged feature profiles vs the reference over the last hour: KS (lower bound), PSI, Jensen-Shannon, chi-square.',
      type: 'gauge',
      points: drift,
    });
  if (share.length > 0) {
    out.push({
      name: FLEET_DRIFT_SHARE_METRIC,
      help: 'Share of features drifted in the fleet-merged profiles over the last hour.',
      type: 'gauge',
      points: share,
    });
    out.push({
      name: FLEET_DRIFTED_DEVICES_METRIC,
      help: 'Devices with at least one drifted feature over the last hour.',
      type: 'gauge',
      points: devices,
    });
  }
  return out;
}
