/**
 * `EdgeMonitor`: the whole on-device loop in one object. Per prediction,
 * `observe()` feeds the latency sketch, the performance monitor, the feature
 * buffer and (optionally) the prediction log — synchronously, never throwing.
 * When a window closes (by time or count) the drift check, metrics, latency
 * sketch, alert evaluation and drop counters become one `WindowRecord`, tagged
 * with the model's name and version, sealed to the store and flushed when an
 * endpoint is set.
 */
import { ConfigError, describeValue } from '../errors.js';
import type { AlertSystem } from '../alerts/alert-system.js';
import { TypedEmitter } from '../alerts/typed-emitter.js';
import type { DriftDetector } from '../drift/drift-detector.js';
import { modelLabels, modelTag, type ModelLabels, type ModelTag } from '../lifecycle/model-tag.js';
import { LatencyTracker } from '../metrics/latency-tracker.js';
import { PerformanceMonitor } from '../performance/performance-monitor.js';
import type { PerformanceMetrics } from '../performance/types.js';
import { RetrainTrigger } from '../retrain/retrain-trigger.js';
import type { TableDriftResult } from '../stats/drift/types.js';
import type { WindowStore } from '../storage/window-store.js';
import type { Flusher } from '../transport/flusher.js';
import type { WindowRecord } from '../window/window-record.js';
import { randomUuid } from '../window/window-sealer.js';
import {
  resolveEdgeOptions,
  type EdgeMonitorOptions,
  type ResolvedEdgeOptions,
} from './edge-monitor-options.js';
import type { EdgeMonitorEvents, Observation } from './edge-monitor-types.js';
import type { FeatureBuffer, FeatureTable } from './feature-buffer.js';
import { finishWindow, type AlertEvent, type WindowCapture } from './finish-window.js';
import { LogBatcher } from './log-batcher.js';
import { sessionFlusher } from './session-flusher.js';
import {
  createAlertSystem,
  createDrift,
  openSessionStore,
  resolveModelTag,
} from './session-setup.js';
import { WindowTally } from './window-tally.js';

/**
 * Watches one model on one device.
 *
 * @example
 * const monitor = await EdgeMonitor.create({
 *   model: { name: 'perception', version: '3' },
 *   reference: { speed: trainSpeeds, gear: trainGears },
 *   baseline: { accuracy: 0.93 },
 *   endpoint: 'https://collector.example/v1/windows',
 * });
 * monitor.on('alert', (a) => console.warn(a.name, a.labels.model_version));
 * monitor.observe({ features: { speed: 12, gear: 'b' }, prediction: 'stop', label: 'stop', latencyMs: 8 });
 * await monitor.close(); // seals the last window
 */
export class EdgeMonitor {
  /** The outbox and prediction log. */
  readonly store: WindowStore;
  /** The flusher, when an endpoint was given. */
  readonly flusher: Flusher | undefined;
  /** The alert system (add rules or notifiers here). */
  readonly alerts: AlertSystem;
  /** The latency tracker (ms; reset at every window). */
  readonly latency: LatencyTracker;
  /** The retraining trigger, when `retrain` was given. */
  readonly retrain: RetrainTrigger<FeatureTable, TableDriftResult> | undefined;
  /** This device's id. */
  readonly deviceId: string;
  private perf: PerformanceMonitor;
  private baseline: EdgeMonitorOptions['baseline'];
  private readonly perfOptions: EdgeMonitorOptions['performance'];
  private readonly detector: DriftDetector<FeatureTable> | undefined;
  private readonly buffer: FeatureBuffer | undefined;
  private readonly driftOf = new WeakMap<FeatureTable, TableDriftResult>();
  private tag: ModelTag;
  private windowStart: number;
  private readonly tally = new WindowTally();
  private readonly alertEvents: AlertEvent[] = [];
  private readonly log: LogBatcher | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closing: Promise<void> | undefined;
  private closed = false;
  private readonly emitter: TypedEmitter<EdgeMonitorEvents>;
  private readonly cleanups: Array<() => void> = [];

  private constructor(
    private readonly o: ResolvedEdgeOptions,
    options: EdgeMonitorOptions,
    tag: ModelTag,
    store: WindowStore,
    private readonly ownsStore: boolean,
  ) {
    this.emitter = new TypedEmitter<EdgeMonitorEvents>((event, error) => {
      if (event !== 'error') this.emitter.emit('error', error);
    });
    this.tag = tag;
    this.store = store;
    this.deviceId = options.deviceId ?? `device-${randomUuid().slice(0, 8)}`;
    if (typeof this.deviceId !== 'string' || this.deviceId.length === 0)
      throw new ConfigError(
        `expected deviceId to be a non-empty string, got ${describeValue(options.deviceId)}`,
      );
    const onError = (e: unknown): void => this.emitter.emit('error', e);
    // Everything that only validates comes first; the drift reference (engine memory) last.
    this.alerts = createAlertSystem(options, o, this.alertEvents, onError);
    if (options.retrain !== undefined) {
      this.retrain = new RetrainTrigger<FeatureTable, TableDriftResult>({
        ...options.retrain,
        detector: { detect: (t) => this.driftOf.get(t) as TableDriftResult },
        now: options.retrain.now ?? o.now,
      });
      this.cleanups.push(this.retrain.on('error', onError));
    }
    if (o.logPredictions) this.log = new LogBatcher(store.predictionLog, onError);
    if (options.endpoint !== undefined)
      this.flusher = sessionFlusher(options.endpoint, store, onError, () => this.sealWindow());
    this.baseline = options.baseline;
    this.perfOptions = options.performance;
    this.perf = this.makePerf(options);
    this.latency = new LatencyTracker({
      ...(options.engine ? { engine: options.engine } : {}),
      onError,
    });
    const drift = createDrift(options, o.maxBufferedRows);
    this.detector = drift?.detector;
    this.buffer = drift?.buffer;
    this.windowStart = o.now();
  }

  /**
   * Creates a monitor: opens the store (unless one is given), prepares the
   * drift reference in the engine, starts the window timer and the flusher.
   *
   * @param options - see {@link EdgeMonitorOptions}.
   * @returns the running monitor.
   * @throws ConfigError on bad options (including a registry model with no active
   *   version); StorageError when an explicitly requested store backend fails.
   */
  static async create(options: EdgeMonitorOptions): Promise<EdgeMonitor> {
    const o = resolveEdgeOptions(options);
    const m = options.model;
    const tag = resolveModelTag(m);
    let self: EdgeMonitor | undefined;
    const { store, owned } = await openSessionStore(options.store, (e) =>
      self?.emitter.emit('error', e),
    );
    try {
      self = new EdgeMonitor(o, options, tag, store, owned);
    } catch (error) {
      if (owned) await store.close();
      throw error;
    }
    const monitor = self;
    if ('registry' in m) {
      monitor.cleanups.push(
        m.registry.on('activate', (a) => {
          if (a.name === m.name) void monitor.setModel(a.version);
        }),
      );
    }
    monitor.armTimer();
    monitor.flusher?.start();
    return monitor;
  }

  /** The model now watched. */
  get model(): ModelTag {
    return this.tag;
  }

  /** The model as Prometheus labels (`model`, `model_version`). */
  get labels(): ModelLabels {
    return modelLabels(this.tag);
  }

  /** Start of the open window (epoch ms). */
  get windowStartMs(): number {
    return this.windowStart;
  }

  /**
   * Subscribes to `window`, `alert`, `drift` or `error`.
   *
   * @param event - the event name.
   * @param fn - the listener (a throwing listener is reported as `error`).
   * @returns an unsubscribe function.
   */
  on<K extends keyof EdgeMonitorEvents>(event: K, fn: EdgeMonitorEvents[K]): () => void {
    return this.emitter.on(event, fn);
  }

  /**
   * Records one prediction. Synchronous, never throws: a malformed observation
   * (not an object, no `prediction`), latency (NaN, negative) or feature map is
   * dropped and counted in the window's `drops`. Closes the window when its
   * time or count is reached. Cost: O(reference columns).
   *
   * @param obs - features, prediction, label, latencyMs, id.
   * @example
   * monitor.observe({ features: { speed: 3.2 }, prediction: 1, label: 1, latencyMs: 4.1 });
   */
  observe(obs: Observation): void {
    const t = this.tally;
    if (this.closed) return;
    if (obs === null || typeof obs !== 'object' || obs.prediction === undefined)
      return t.drop('observation_invalid');
    t.predictions++;
    const lat = obs.latencyMs;
    if (typeof lat === 'number' && lat >= 0 && lat < Infinity) this.latency.record(lat);
    else if (lat !== undefined) t.drop('latency_invalid');
    if (obs.label !== undefined) {
      if (this.perf.update(obs.prediction, obs.label)) t.count('labelled');
    } else if (obs.id !== undefined) this.perf.recordPrediction(obs.id, obs.prediction);
    const f = obs.features;
    if (f !== undefined) {
      if (f === null || typeof f !== 'object' || Array.isArray(f)) t.drop('features_invalid');
      else if (this.buffer !== undefined) {
        const r = this.buffer.push(f);
        if (!r.stored) t.drop('features_buffer_full');
        t.drop('feature_unknown', r.unknown);
      }
    }
    this.log?.add(obs, this.o.now());
    const count = this.o.windowCount;
    if ((count !== undefined && t.predictions >= count) || this.due()) void this.closeWindow();
  }

  /**
   * Supplies a delayed label for a prediction observed with an `id`. Never
   * throws; an unknown or expired id is counted (`drops.label_unmatched`).
   *
   * @param id - the observation's id.
   * @param actual - the ground truth.
   * @returns whether the pair entered the performance window.
   */
  label(id: string | number, actual: unknown): boolean {
    if (this.closed) return false;
    const ok = this.perf.recordLabel(id, actual);
    if (ok) this.tally.count('labelled');
    if (this.due()) void this.closeWindow();
    return ok;
  }

  /**
   * Closes the open window now (an empty one only with `sealEmpty`).
   *
   * @returns the sealed record once stored, or undefined (empty, or failed: see `error`).
   */
  sealWindow(): Promise<WindowRecord | undefined> {
    return this.closeWindow();
  }

  /**
   * Switches the watched model version: seals the open window under the old
   * version first, then starts a fresh performance window (with `baseline`, or
   * the current one). Called automatically when a registry activates a version.
   *
   * @param version - the new version.
   * @param options - `baseline` of the new version.
   * @returns the window sealed under the old version (undefined when it was empty).
   * @throws ConfigError (as a rejection) for an empty version.
   */
  async setModel(
    version: string,
    options: { baseline?: EdgeMonitorOptions['baseline'] } = {},
  ): Promise<WindowRecord | undefined> {
    const next = modelTag(this.tag.model, version);
    if (this.closed || (next.modelVersion === this.tag.modelVersion && !options.baseline))
      return undefined;
    const sealed = this.closeWindow();
    this.tag = next;
    if (options.baseline !== undefined) this.baseline = options.baseline;
    this.perf = this.makePerf({ baseline: this.baseline, performance: this.perfOptions });
    this.tally.restartPerformance();
    return sealed;
  }

  /**
   * Seals the last window, waits for every window to be stored, tries one
   * final delivery, and frees the sketches, the drift reference and (when the
   * monitor opened it) the store. Idempotent.
   *
   * @returns when done.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const last = this.closeWindow();
      this.closed = true;
      clearTimeout(this.timer);
      for (const c of this.cleanups.splice(0)) c();
      await last;
      await this.chain;
      if (this.flusher !== undefined) {
        try {
          await this.flusher.flush({ force: true });
        } catch (e) {
          this.emitter.emit('error', e);
        }
        await this.flusher.stop();
      }
      await this.alerts.settled();
      await this.latency.close();
      await this.detector?.dispose().catch((e: unknown) => this.emitter.emit('error', e));
      if (this.ownsStore) await this.store.close();
    })();
    return this.closing;
  }

  private makePerf(
    options: Pick<EdgeMonitorOptions, 'baseline' | 'performance'>,
  ): PerformanceMonitor {
    return new PerformanceMonitor({
      windowSize: this.o.windowCount ?? 1000,
      ...options.performance,
      ...(options.baseline ? { baseline: options.baseline } : {}),
      now: this.o.now,
    });
  }

  private due(): boolean {
    return this.o.now() - this.windowStart >= this.o.windowMs;
  }

  private armTimer(): void {
    clearTimeout(this.timer);
    if (this.closed) return;
    const wait = Math.max(0, this.windowStart + this.o.windowMs - this.o.now());
    this.timer = setTimeout(() => void this.closeWindow(), Math.min(wait, 2 ** 31 - 1));
  }

  /** Captures the open window synchronously, then finishes it in order after earlier windows. */
  private closeWindow(): Promise<WindowRecord | undefined> {
    const start = this.windowStart;
    const end = Math.max(this.o.now(), start);
    this.windowStart = end;
    this.armTimer();
    const metrics: PerformanceMetrics = this.perf.getMetrics();
    const { counters, drops, empty } = this.tally.take(metrics);
    if (empty && !this.o.sealEmpty) return Promise.resolve(undefined);
    const rows = this.buffer?.size ?? 0;
    const table = this.buffer?.take();
    const latencyLost = this.latency.dropped;
    // Posted in this order in the same tick: the snapshot sees exactly this window's values.
    const latency = this.latency.snapshot();
    latency.catch(() => undefined);
    this.latency.reset().catch((e: unknown) => this.emitter.emit('error', e));
    if (latencyLost > 0) drops.latency_lost = latencyLost;
    this.log?.write();
    const capture: WindowCapture = {
      start,
      end,
      tag: this.tag,
      metrics,
      counters,
      drops,
      table: rows >= this.o.minDriftRows ? table : undefined,
      rows,
      latency,
    };
    const job = this.chain.then(() => this.finish(capture));
    this.chain = job;
    return job;
  }

  private async finish(c: WindowCapture): Promise<WindowRecord | undefined> {
    try {
      return await finishWindow(c, {
        deviceId: this.deviceId,
        now: this.o.now,
        detector: this.detector,
        alerts: this.alerts,
        takeAlertEvents: () => this.alertEvents.splice(0),
        store: this.store,
        drainPredictions: this.o.flushPredictions,
        retrain: (table, drift) => {
          if (this.retrain === undefined) return;
          this.driftOf.set(table, drift);
          this.retrain.check(table).catch((e: unknown) => this.emitter.emit('error', e));
        },
        emit: this.emitter,
      });
    } catch (e) {
      this.emitter.emit('error', e);
      return undefined;
    }
  }
}
