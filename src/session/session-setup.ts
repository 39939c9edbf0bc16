/**
 * Setting up an `EdgeMonitor`'s parts: the model tag (fixed, or a registry's
 * active version), the store (given, or opened), and the drift pair (the
 * reference prepared in the engine, the buffer of the window's feature rows).
 */
import { ConfigError } from '../errors.js';
import { DriftDetector } from '../drift/drift-detector.js';
import { modelTag, type ModelTag } from '../lifecycle/model-tag.js';
import { WindowStore } from '../storage/window-store.js';
import type { StoreEvent } from '../storage/store-types.js';
import { AlertSystem } from '../alerts/alert-system.js';
import {
  defaultRules,
  type EdgeModelOption,
  type EdgeMonitorOptions,
  type ResolvedEdgeOptions,
} from './edge-monitor-options.js';
import type { AlertEvent } from './finish-window.js';
import { FeatureBuffer, columnKinds, type FeatureTable } from './feature-buffer.js';

/**
 * The tag of the model option.
 *
 * @param m - `{ name, version }` or `{ registry, name }`.
 * @returns the tag (the registry's active version).
 * @throws ConfigError for empty names, or a registry model with no active version.
 * @example
 * resolveModelTag({ name: 'perception', version: '2' }); // => { model: 'perception', modelVersion: '2' }
 */
export function resolveModelTag(m: EdgeModelOption): ModelTag {
  if (!('registry' in m)) return modelTag(m.name, m.version);
  const active = m.registry.getActive(m.name);
  if (active === undefined)
    throw new ConfigError(`expected an active version of "${m.name}" in the registry, got none`);
  return modelTag(active.name, active.version);
}

/**
 * The given store, or one opened from options (default name `'edgewatch'`).
 *
 * @param given - a store or store options.
 * @param onError - receives the store's `error` events (the user's `onEvent` still gets all).
 * @returns the store and whether the caller owns (must close) it.
 * @throws what `WindowStore.open` throws.
 */
export async function openSessionStore(
  given: EdgeMonitorOptions['store'],
  onError: (e: unknown) => void,
): Promise<{ store: WindowStore; owned: boolean }> {
  if (given instanceof WindowStore) return { store: given, owned: false };
  const store = await WindowStore.open({
    name: 'edgewatch',
    ...given,
    onEvent: (e: StoreEvent) => {
      given?.onEvent?.(e);
      if (e.type === 'error') onError(e.error);
    },
  });
  return { store, owned: true };
}

/**
 * The drift detector and the feature buffer, when a reference is given.
 *
 * @param options - reference, drift options, engine.
 * @param maxRows - rows buffered per window.
 * @returns both, or undefined without a reference.
 * @throws ConfigError for a bad reference or drift options.
 */
export function createDrift(
  options: Pick<EdgeMonitorOptions, 'reference' | 'drift' | 'engine'>,
  maxRows: number,
): { detector: DriftDetector<FeatureTable>; buffer: FeatureBuffer } | undefined {
  if (options.reference === undefined) return undefined;
  const detector = new DriftDetector<FeatureTable>(options.reference as FeatureTable, {
    ...options.drift,
    ...(options.engine ? { engine: options.engine } : {}),
  });
  const kinds = columnKinds(options.reference, options.drift?.categorical);
  return { detector, buffer: new FeatureBuffer(kinds, maxRows) };
}

/**
 * The alert system with the given rules (or the defaults). Fired and resolved
 * alerts are queued in `events`: rules run only while a window finishes, and
 * that window reports them under its own model tag.
 *
 * @param options - rules, baseline, reference.
 * @param o - resolved options (clock, latency threshold).
 * @param events - the queue.
 * @param onError - receives rule and notifier failures.
 * @returns the alert system.
 * @throws ConfigError for a bad rule or duplicate rule names.
 */
export function createAlertSystem(
  options: Pick<EdgeMonitorOptions, 'rules' | 'baseline' | 'reference'>,
  o: Pick<ResolvedEdgeOptions, 'now' | 'latencyP99Ms'>,
  events: AlertEvent[],
  onError: (e: unknown) => void,
): AlertSystem {
  const alerts = new AlertSystem({ now: o.now, onError: (e) => onError(e.error) });
  const rules =
    options.rules ??
    defaultRules(options.baseline, o.latencyP99Ms, options.reference !== undefined);
  for (const r of rules) alerts.addRule(r);
  alerts.on('fire', (alert) => events.push({ fired: true, alert }));
  alerts.on('resolve', (alert) => events.push({ fired: false, alert }));
  return alerts;
}
