/**
 * `EdgeMonitor`: the whole on-device loop in one object. Per prediction,
 * `observe()` feeds the latency sketch, the performance monitor, the feature
 * buffer and (optionally) the prediction log — synchronously, never throwing.
 * When a window closes (by time or count) the drift check, metrics, latency
 * sketch, alert evaluation and drop counters become one `WindowRecord`, tagged
 * with the model's name and version, sealed to the store and flushed when an
 * endpoint is set.
 */
import type { AlertSystem } from '../alerts/alert-system.js';
import { TypedEmitter } from '../util/typed-emitter.js';
import type { DriftDetector } from '../drift/drift-detector.js';
import { ConfigError } from '../errors.js';
import { modelLabels, modelTag, type ModelLabels, type ModelTag } from '../lifecycle/model-tag.js';
import { LatencyTracker } from '../metrics/latency-tracker.js';
import type { PerformanceMonitor } from '../performance/performance-monitor.js';
import type { RetrainTrigger } from '../retrain/retrain-trigger.js';
import type { TableDriftResult } from '../stats/drift/types.js';
import type { WindowStore } from '../storage/window-store.js';
import type { Flusher } from '../transport/flusher.js';
import { WINDOW_LIMITS, type WindowRecord } from '../window/window-record.js';
import {
  resolveEdgeOptions,
  type EdgeMonitorOptions,
  type ResolvedEdgeOptions,
} from './edge-monitor-options.js';
import type { EdgeMonitorEvents, Observation } from './edge-monitor-types.js';
import type { FeatureBuffer, FeatureTable } from './feature-buffer.js';
import { finishWindow, type AlertEvent, type WindowCapture } from './finish-window.js';
import type { LogBatcher } from './log-batcher.js';
import {
  createAlertSystem,
  createDrift,
  createPerformance,
  followRegistry,
  openSessionStore,
  resolveDeviceId,
  resolveModelTag,
} from './session-setup.js';
import type { RetrainFeed, createRetrain } from './session-retrain.js';
import type { sessionFlusher } from './session-flusher.js';
import { releaseParts } from './release-parts.js';
import { WindowClock, WindowTally, captureWindow, routeObservation } from './open-window.js';
import {
  OutputDrift,
  registryPredictionReference,
  type PredictionReference,
} from './output-drift.js';
import type { MultivariateWatch } from './multivariate-watch.js';
import type { WindowProfiles } from './window-profiles.js';

/**
 * The parts of a monitor that only some options use, loaded by `create` when
 * the options ask for them, so a page that does not configure them never
 * downloads them.
 */
interface OptionalParts {
  /** With `embedding`, `multivariate` or `estimatePerformance`. */
  watch?: typeof MultivariateWatch;
  /** With `profiles`. */
  profiler?: typeof WindowProfiles;
  /** With `retrain`: sets up the retraining trigger. */
  retrain?: typeof createRetrain;
  /** With `endpoint`: builds the flusher. */
  flusher?: typeof sessionFlusher;
  /** With `predictionLog`. */
  logBatcher?: typeof LogBatcher;
}

/**
 * Loads the optional parts the options ask for.
 *
 * @param options - the monitor's options.
 * @param o - the resolved options (whether predictions are logged).
 * @returns the loaded classes.
 */
async function loadOptionalParts(
  options: EdgeMonitorOptions,
  o: ResolvedEdgeOptions,
): Promise<OptionalParts> {
  const [watch, profiler, retrain, flusher, logBatcher] = await Promise.all([
    options.embedding !== undefined ||
    options.multivariate !== undefined ||
    options.estimatePerformance !== undefined
      ? import('./multivariate-watch.js').then((m) => m.MultivariateWatch)
      : undefined,
    options.profiles !== undefined
      ? import('./window-profiles.js').then((m) => m.WindowProfiles)
      : undefined,
    options.retrain !== undefined
      ? import('./session-retrain.js').then((m) => m.createRetrain)
      : undefined,
    options.endpoint !== undefined
      ? import('./session-flusher.js').then((m) => m.sessionFlusher)
      : undefined,
    o.logPredictions ? import('./log-batcher.js').then((m) => m.LogBatcher) : undefined,
  ]);
  return { watch, profiler, retrain, flusher, logBatcher };
}

/**
 * Watches one model on one device.
 *
 * @example
 * const monitor = await EdgeMonitor.create({
 *   model: { name: 'perception', version: '3' },
 *   reference: { speed: trainSpeeds, gear: trainGears },
 *   baseline: { accuracy: 0.93 },
 *   predictionReference: holdoutPredictions, // output drift: the class mix of the holdout run
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
  private readonly outputOptions: EdgeMonitorOptions['outputDrift'];
  private readonly engine: EdgeMonitorOptions['engine'];
  private readonly driftOptions: EdgeMonitorOptions['drift'];
  private detector: DriftDetector<FeatureTable> | undefined;
  private buffer: FeatureBuffer | undefined;
  private output: OutputDrift | undefined;
  private readonly mv: MultivariateWatch | undefined;
  private readonly profiles: WindowProfiles | undefined;
  private readonly retrainFeed: RetrainFeed['feed'] | undefined;
  private tag: ModelTag;
  private readonly clock: WindowClock;
  private readonly tally = new WindowTally();
  private readonly alertEvents: AlertEvent[] = [];
  private readonly log: LogBatcher | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private closing: Promise<void> | undefined;
  private closed = false;
  private readonly emitter: TypedEmitter<EdgeMonitorEvents>;
  private readonly cleanups: Array<() => void> = [];
  /** Reports background failures as `error` events. */
  private readonly onError = (e: unknown): void => void this.emitter.emit('error', e);

  private constructor(
    private readonly o: ResolvedEdgeOptions,
    options: EdgeMonitorOptions,
    tag: ModelTag,
    store: WindowStore,
    private readonly ownsStore: boolean,
    parts: OptionalParts,
  ) {
    const { watch, profiler, retrain: setUpRetrain, flusher, logBatcher } = parts;
    this.emitter = new TypedEmitter<EdgeMonitorEvents>((event, error) => {
      if (event !== 'error') this.emitter.emit('error', error);
    });
    this.tag = tag;
    this.store = store;
    this.deviceId = resolveDeviceId(options.deviceId);
    const onError = this.onError;
    // Everything that only validates comes first; the drift reference (engine memory) last.
    const predictionReference =
      options.predictionReference ?? registryReference(options.model, tag);
    this.alerts = createAlertSystem(
      options,
      o,
      this.alertEvents,
      onError,
      predictionReference !== undefined,
    );
    const retrain = setUpRetrain?.(options.retrain, o.now, onError);
    this.retrain = retrain?.trigger;
    this.retrainFeed = retrain?.feed;
    if (retrain) this.cleanups.push(retrain.trigger.on('error', onError));
    if (logBatcher) this.log = new logBatcher(store.predictionLog, onError);
    if (options.endpoint !== undefined && flusher)
      this.flusher = flusher(options.endpoint, store, onError, () => this.sealWindow());
    this.baseline = options.baseline;
    this.perfOptions = options.performance;
    this.outputOptions = options.outputDrift;
    this.engine = options.engine;
    this.driftOptions = options.drift;
    this.perf = createPerformance(options, o);
    this.latency = new LatencyTracker({
      ...(options.engine ? { engine: options.engine } : {}),
      onError,
    });
    if (predictionReference !== undefined)
      this.output = OutputDrift.create(
        predictionReference,
        options.outputDrift,
        options.engine,
        o.maxBufferedRows,
      );
    try {
      const drift = createDrift(options, o.maxBufferedRows);
      this.detector = drift?.detector;
      this.buffer = drift?.buffer;
      this.profiles =
        profiler && options.profiles !== undefined
          ? profiler.create(
              options.profiles,
              options.reference,
              drift?.kinds ?? {},
              WINDOW_LIMITS.maxProfiles,
              options.engine,
            )
          : undefined;
      this.mv = watch?.create(
        {
          embedding: options.embedding,
          multivariate: options.multivariate,
          reference: options.reference,
          estimatePerformance: options.estimatePerformance,
        },
        options.engine,
        o.maxBufferedRows,
        onError,
      );
    } catch (error) {
      void this.output?.detector.close();
      void this.detector?.close();
      void this.profiles?.close();
      throw error;
    }
    this.clock = new WindowClock(o.now, o.windowMs, () => void this.closeWindow());
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
    const parts = await loadOptionalParts(options, o);
    let self: EdgeMonitor | undefined;
    const { store, owned } = await openSessionStore(options, tag.model, (e) =>
      self?.emitter.emit('error', e),
    );
    try {
      self = new EdgeMonitor(o, options, tag, store, owned, parts);
    } catch (error) {
      if (owned) await store.close();
      throw error;
    }
    const monitor = self;
    const unfollow = followRegistry(m, (version) => {
      const ref =
        'registry' in m ? registryPredictionReference(m.registry, m.name, version) : undefined;
      monitor
        .setModel(version, ref === undefined ? {} : { predictionReference: ref })
        .catch(monitor.onError);
    });
    if (unfollow) monitor.cleanups.push(unfollow);
    monitor.clock.arm();
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
    return this.clock.start;
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
    if (this.closed) return;
    if (!routeObservation(obs, this.tally, this.latency, this.perf, this.buffer, this.output))
      return;
    this.mv?.push(obs, (reason) => this.tally.drop(reason));
    this.log?.add(obs, this.o.now());
    const count = this.o.windowCount;
    if ((count !== undefined && this.tally.predictions >= count) || this.clock.due())
      void this.closeWindow();
  }

  /**
   * Records a batch of predictions, in order, exactly as `observe` each (a
   * window may close inside the batch). Never throws; a batch that is not
   * iterable is dropped and counted once as `observation_invalid`.
   *
   * @param batch - the observations.
   * @example
   * monitor.observeMany(outputs.map((prediction, i) => ({ prediction, features: rows[i], latencyMs })));
   */
  observeMany(batch: Iterable<Observation>): void {
    if (this.closed) return;
    if (
      batch === null ||
      typeof (batch as Partial<Iterable<Observation>>)?.[Symbol.iterator] !== 'function'
    ) {
      this.tally.drop('observation_invalid');
      return;
    }
    for (const obs of batch) this.observe(obs);
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
    if (this.clock.due()) void this.closeWindow();
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
   * the current one). With `reference`, later windows' features are tested
   * against the new version's training data (same `drift` options); with
   * `predictionReference`, later windows' predictions against the new
   * version's outputs. An old reference is freed once the windows before the
   * switch are finished (they keep the reference they were observed under;
   * their drift no longer feeds the retraining trigger).
   * Called automatically when a registry activates a version (with its
   * `metadata.predictionReference`). Synchronous up to the seal: observations
   * made after the call count under the new version.
   *
   * @param version - the new version.
   * @param options - `baseline`, `reference` and `predictionReference` of the new version.
   * @returns the window sealed under the old version (undefined when it was empty).
   * @throws ConfigError (as a rejection, nothing changed) for an empty version, a bad
   *   reference or prediction reference, or a `reference` on a monitor with `profiles`
   *   or `multivariate` (those keep the reference given at creation).
   * @example
   * await monitor.setModel('4', {
   *   baseline: { accuracy: 0.95 },
   *   reference: trainingColumns, // the new drift reference
   *   predictionReference: holdoutPredictions,
   * });
   */
  async setModel(
    version: string,
    options: {
      baseline?: EdgeMonitorOptions['baseline'];
      reference?: EdgeMonitorOptions['reference'];
      predictionReference?: PredictionReference;
    } = {},
  ): Promise<WindowRecord | undefined> {
    const next = modelTag(this.tag.model, version);
    const { baseline, reference, predictionReference } = options;
    if (
      this.closed ||
      (next.modelVersion === this.tag.modelVersion &&
        !baseline &&
        !reference &&
        !predictionReference)
    )
      return undefined;
    if (reference !== undefined && (this.profiles !== undefined || this.mv !== undefined))
      throw new ConfigError(
        'expected no reference swap on a monitor with profiles or multivariate checks (they keep the reference given at creation), got a reference',
      );
    const drift =
      reference === undefined
        ? undefined
        : createDrift(
            { reference, drift: this.driftOptions, engine: this.engine },
            this.o.maxBufferedRows,
          );
    let output: OutputDrift | undefined;
    try {
      output =
        predictionReference === undefined
          ? undefined
          : OutputDrift.create(
              predictionReference,
              this.outputOptions,
              this.engine,
              this.o.maxBufferedRows,
            );
    } catch (error) {
      void drift?.detector.close();
      throw error;
    }
    const sealed = this.closeWindow();
    if (drift !== undefined) {
      const old = this.detector;
      this.detector = drift.detector;
      this.buffer = drift.buffer;
      if (old !== undefined) this.chain = this.chain.then(() => old.close().catch(this.onError));
    }
    if (output !== undefined) {
      const old = this.output?.detector;
      this.output = output;
      if (old !== undefined) this.chain = this.chain.then(() => old.close().catch(this.onError));
    }
    this.tag = next;
    if (options.baseline !== undefined) this.baseline = options.baseline;
    this.perf = createPerformance(
      { baseline: this.baseline, performance: this.perfOptions },
      this.o,
    );
    this.tally.restartPerformance();
    return sealed;
  }

  /**
   * Seals the last window, waits for every window to be stored, tries one
   * final delivery, and frees the sketches, the drift reference, the profile
   * service and (when the monitor opened it) the store. Idempotent.
   *
   * @returns when done.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const last = this.closeWindow();
      this.closed = true;
      this.clock.stop();
      for (const c of this.cleanups.splice(0)) c();
      await last;
      await this.chain;
      await this.mv?.close();
      await this.profiles?.close();
      const { flusher, alerts, latency, detector, store } = this;
      const outputDetector = this.output?.detector;
      await releaseParts(
        { flusher, alerts, latency, detector, outputDetector, store },
        this.ownsStore,
        this.onError,
      );
    })();
    return this.closing;
  }

  /** `await using monitor = await EdgeMonitor.create(…)` closes it at scope exit. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Captures the open window synchronously, then finishes it in order after earlier windows. */
  private closeWindow(): Promise<WindowRecord | undefined> {
    const { start, end } = this.clock.advance();
    const { tally, perf, latency, buffer, output } = this;
    const bounds = { start, end, tag: this.tag };
    const parts = { tally, perf, latency, buffer, output };
    const capture = captureWindow(
      parts,
      bounds,
      { ...this.o, profiles: this.profiles !== undefined },
      this.onError,
    );
    if (capture === undefined) return Promise.resolve(undefined);
    capture.detector = this.detector;
    capture.multivariate = this.mv?.take(this.o.minDriftRows, capture.table);
    this.log?.write();
    const job = this.chain.then(() => this.finish(capture));
    this.chain = job;
    return job;
  }

  private async finish(c: WindowCapture): Promise<WindowRecord | undefined> {
    try {
      return await finishWindow(c, {
        deviceId: this.deviceId,
        now: this.o.now,
        alerts: this.alerts,
        takeAlertEvents: () => this.alertEvents.splice(0),
        store: this.store,
        drainPredictions: this.o.flushPredictions,
        // Drift against a reference that setModel has replaced says nothing about the model now watched.
        retrain: (table, drift) => {
          if (c.detector === this.detector) this.retrainFeed?.(table, drift);
        },
        multivariate: this.mv,
        profiles: this.profiles,
        emit: this.emitter,
      });
    } catch (e) {
      this.emitter.emit('error', e);
      return undefined;
    }
  }
}

/** The registry's prediction reference of the version watched at start, for a registry model. */
function registryReference(
  m: EdgeMonitorOptions['model'],
  tag: ModelTag,
): PredictionReference | undefined {
  return 'registry' in m
    ? registryPredictionReference(m.registry, m.name, tag.modelVersion)
    : undefined;
}
