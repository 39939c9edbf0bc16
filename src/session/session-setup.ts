/**
 * Setting up an `EdgeMonitor`'s parts: the model tag (fixed, or a registry's
 * active version), the store (given, or opened), the drift pair (the
 * reference prepared in the engine, the buffer of the window's feature rows),
 * the alert system and the performance window. The retraining trigger and the
 * flusher, which only some options use, are set up in session-retrain.ts and
 * session-flusher.ts.
 */
import { ConfigError } from '../errors.js';
import { randomUuid } from '../util/random-uuid.js';
import { DriftDetector } from '../drift/drift-detector.js';
import { modelTag, type ModelTag } from '../lifecycle/model-tag.js';
import { WindowStore } from '../storage/window-store.js';
import type { StoreEvent, WindowStoreOptions } from '../storage/store-types.js';
import { isNode } from '../engine/worker-spawn.js';
import { AlertSystem } from '../alerts/alert-system.js';
import { PerformanceMonitor } from '../performance/performance-monitor.js';
import {
  defaultRules,
  type EdgeModelOption,
  type EdgeMonitorOptions,
  type ResolvedEdgeOptions,
} from './edge-monitor-options.js';
import type { AlertEvent } from './finish-window.js';
import {
  FeatureBuffer,
  columnKinds,
  type ColumnKinds,
  type FeatureTable,
} from './feature-buffer.js';
import { nonEmptyString } from '../util/options.js';

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
 * The given store, or one opened from options. Without a store or a backend
 * choice, Node gets a durable file store in the data directory
 * (`<dataDir>/<model>.outbox.json`) and a page gets IndexedDB; `'memory'` only
 * when asked. Logs one line: the file store's path, or a warning when a page
 * fell back to memory.
 *
 * @param options - `store`, `dataDir`, `logger`.
 * @param model - the model name (names the default file).
 * @param onError - receives the store's `error` events (the user's `onEvent` still gets all).
 * @returns the store and whether the caller owns (must close) it.
 * @throws ConfigError for `dataDir` outside Node or no data directory; what `WindowStore.open` throws.
 * @example
 * await openSessionStore({ dataDir: '/var/lib/robot' }, 'perception', console.error);
 * // Node: a file store at /var/lib/robot/perception.outbox.json
 */
export async function openSessionStore(
  options: Pick<EdgeMonitorOptions, 'store' | 'dataDir' | 'logger'>,
  model: string,
  onError: (e: unknown) => void,
): Promise<{ store: WindowStore; owned: boolean }> {
  const given = options.store;
  if (given instanceof WindowStore) return { store: given, owned: false };
  const logger = options.logger ?? console;
  const asked: WindowStoreOptions = given === 'memory' ? { backend: 'memory' } : (given ?? {});
  const node = isNode();
  if (options.dataDir !== undefined && !node)
    throw new ConfigError('expected dataDir only in Node, got one in a browser or Web Worker');
  const fileDefault = node && asked.path === undefined && asked.backend === undefined;
  // The data directory matters only in Node: a page's bundle loads none of it.
  const dirs = fileDefault ? await import('../storage/data-dir.js') : undefined;
  const path = dirs
    ? dirs.defaultOutboxPath(options.dataDir ?? dirs.defaultDataDir(), model)
    : asked.path;
  const store = await WindowStore.open({
    name: 'edgewatch',
    ...asked,
    ...(path === undefined ? {} : { path }),
    onEvent: (e: StoreEvent) => {
      asked.onEvent?.(e);
      if (e.type === 'error') onError(e.error);
    },
  });
  if (fileDefault)
    logger.info(
      `edgewatch: outbox of "${model}" is a file store at ${path} (set dataDir, EDGEWATCH_DATA_DIR or store to change)`,
    );
  else if (store.degraded)
    logger.warn(
      `edgewatch: outbox of "${model}" is in memory (IndexedDB unavailable): windows not yet delivered are lost when the page closes`,
    );
  return { store, owned: true };
}

/**
 * The drift detector and the feature buffer, when a reference is given.
 *
 * @param options - reference, drift options, engine.
 * @param maxRows - rows buffered per window.
 * @returns the detector, the buffer and the column kinds, or undefined without a reference.
 * @throws ConfigError for a bad reference or drift options.
 */
export function createDrift(
  options: Pick<EdgeMonitorOptions, 'reference' | 'drift' | 'engine'>,
  maxRows: number,
):
  { detector: DriftDetector<FeatureTable>; buffer: FeatureBuffer; kinds: ColumnKinds } | undefined {
  if (options.reference === undefined) return undefined;
  const detector = new DriftDetector<FeatureTable>(options.reference as FeatureTable, {
    ...options.drift,
    ...(options.engine ? { engine: options.engine } : {}),
  });
  const kinds = columnKinds(options.reference, options.drift?.categorical);
  return { detector, buffer: new FeatureBuffer(kinds, maxRows), kinds };
}

/**
 * The alert system with the given rules (or the defaults). Fired and resolved
 * alerts are queued in `events`: rules run only while a window finishes, and
 * that window reports them under its own model tag.
 *
 * @param options - rules, baseline, reference, profiles (adds the data-quality default rule).
 * @param o - resolved options (clock, latency threshold).
 * @param events - the queue.
 * @param onError - receives rule and notifier failures.
 * @param outputDrift - whether output drift is checked (adds its default rule).
 * @returns the alert system.
 * @throws ConfigError for a bad rule or duplicate rule names.
 */
export function createAlertSystem(
  options: Pick<EdgeMonitorOptions, 'rules' | 'baseline' | 'reference' | 'profiles'>,
  o: Pick<ResolvedEdgeOptions, 'now' | 'latencyP99Ms'>,
  events: AlertEvent[],
  onError: (e: unknown) => void,
  outputDrift = false,
): AlertSystem {
  const alerts = new AlertSystem({ now: o.now, onError: (e) => onError(e.error) });
  const rules =
    options.rules ??
    defaultRules(
      options.baseline,
      o.latencyP99Ms,
      options.reference !== undefined,
      outputDrift,
      options.profiles !== undefined,
    );
  for (const r of rules) alerts.addRule(r);
  alerts.on('fire', (alert) => events.push({ fired: true, alert }));
  alerts.on('resolve', (alert) => events.push({ fired: false, alert }));
  return alerts;
}

/**
 * A performance window for the monitor (window size: the monitor's count, else 1000).
 *
 * @param options - baseline and performance options.
 * @param o - resolved options (window count, clock).
 * @returns a fresh monitor.
 * @throws ConfigError for bad performance options or baseline.
 */
export function createPerformance(
  options: Pick<EdgeMonitorOptions, 'baseline' | 'performance'>,
  o: Pick<ResolvedEdgeOptions, 'windowCount' | 'now'>,
): PerformanceMonitor {
  return new PerformanceMonitor({
    windowSize: o.windowCount ?? 1000,
    ...options.performance,
    ...(options.baseline ? { baseline: options.baseline } : {}),
    now: o.now,
  });
}

/**
 * Follows a model registry: calls `onVersion` when the registry activates
 * another version of the watched model.
 *
 * @param m - the model option (only `{ registry, name }` is followed).
 * @param onVersion - receives the newly active version.
 * @returns an unsubscribe function, or undefined for a fixed model.
 * @example followRegistry({ registry, name: 'perception' }, (v) => void monitor.setModel(v))
 */
export function followRegistry(
  m: EdgeModelOption,
  onVersion: (version: string) => void,
): (() => void) | undefined {
  if (!('registry' in m)) return undefined;
  return m.registry.on('activate', (a) => {
    if (a.name === m.name) onVersion(a.version);
  });
}

/**
 * This device's id: the one given, or a random `device-xxxxxxxx`.
 *
 * @param deviceId - the `deviceId` option.
 * @returns the id.
 * @throws ConfigError when one is given but is not a non-empty string.
 * @example resolveDeviceId('robot-7') // => 'robot-7'
 */
export function resolveDeviceId(deviceId: unknown): string {
  const id = deviceId ?? `device-${randomUuid().slice(0, 8)}`;
  nonEmptyString('deviceId', id);
  return id;
}
