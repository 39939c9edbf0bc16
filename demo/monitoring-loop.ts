/**
 * The live loop: sensor batches → model (in its worker) → `EdgeMonitor`. The
 * monitor closes a window every `windowSize` predictions: drift per feature
 * against the model's training data, output drift, latency percentiles,
 * accuracy from the late labels vs the holdout baseline, alert rules, the
 * retraining trigger, and one record into the outbox.
 *
 * Main-thread work per step is O(batch): generating rows and handing them to
 * the monitor. Statistics run in edgewatch's engine worker.
 */
import {
  TransportError,
  type EdgeMonitor,
  type Observation,
  type RetrainEvidence,
  type TableDriftResult,
  type WindowEvent,
} from '../src/index.js';
import { createPerformanceEstimator, type EstimatorPort, type RegistryPort } from './edgewatch.js';
import { createMonitor, switchModel } from './monitor.js';
import { OutboxStatus, type DemoOutboxStatus } from './outbox.js';
import type { TaggedAlert } from '../src/index.js';
import type { DemoConfig } from './config.js';
import type { ModelClient } from './model-client.js';
import { accuracy } from './model.js';
import { RetrainJob, type Promotion, type RetrainRun } from './retrain-job.js';
import { createRng, type Rng } from './rng.js';
import {
  FEATURES,
  NUM_CLASSES,
  NUM_FEATURES,
  normalScenario,
  sampleBatch,
  type Batch,
  type Scenario,
} from './sensor-data.js';
import { summarizeWindow, type WindowSummary } from './window-summary.js';
import { WindowBuffer, type WindowRows } from './window-buffer.js';

/** A predicted batch waiting for its labels. */
interface LabelledBatch {
  /** The id of its first row (`observe({ id })`; the rows follow in order). */
  firstId: number;
  rows: Float64Array;
  labels: Int32Array;
  /** The active model's predictions. */
  active: Int32Array;
  /** The shadow candidate's predictions, when one ran. */
  shadowPreds: Int32Array | null;
  /** The model version that predicted, and the retraining run at the time. */
  version: number;
  job: RetrainJob | null;
}

/** What the page kept of a sealed window until the monitor reports it. */
interface KeptWindow {
  rows: WindowRows;
  /** The label-free estimator of the model the window ran under. */
  estimator: Promise<EstimatorPort> | undefined;
}

/** What the loop reports to the page. */
export interface LoopEvents {
  onWindow(s: WindowSummary): void;
  onAlert(kind: 'fire' | 'resolve', alert: TaggedAlert): void;
  onRetrain(run: RetrainRun): void;
  onModel(info: { version: number; baseline: number; trainMs: number }): void;
  onError(message: string): void;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** The monitoring loop of the page. */
export class MonitoringLoop {
  /** What is injected right now (the controls write it). */
  scenario: Scenario = normalScenario();
  /** Rows predicted so far. */
  rowsSeen = 0;
  windowsClosed = 0;
  private rng: Rng = createRng(20261128);
  private running = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private monitor!: EdgeMonitor;
  private readonly outbox = new OutboxStatus();
  private activeVersion = 1;
  private nextVersion = 2;
  /** Holdout accuracy of each model version. */
  private readonly baselines = new Map<number, number>();
  private estimator: Promise<EstimatorPort> | undefined;
  private job: RetrainJob | null = null;
  private runs = 0;
  private nextId = 0;
  private readonly win: WindowBuffer;
  /** Sealed windows waiting for their `window` event, by start (epoch ms). */
  private readonly kept = new Map<number, KeptWindow>();
  private chain: Promise<void> = Promise.resolve();
  private readonly startedAt = Date.now();
  private readonly awaitingLabels: LabelledBatch[] = [];
  private pendingLabelRows = 0;

  constructor(
    private readonly config: DemoConfig,
    private readonly model: ModelClient,
    private readonly registry: RegistryPort,
    private readonly events: LoopEvents,
  ) {
    this.win = new WindowBuffer(config.windowSize + config.batchSize);
  }

  /** Trains model v1 on clean data, measures its holdout baseline and starts the monitor. */
  async init(): Promise<void> {
    const train = sampleBatch(this.rng, this.config.trainSize, normalScenario());
    const hold = sampleBatch(this.rng, this.config.holdoutSize, normalScenario());
    const { trainMs } = await this.model.train(
      1,
      train.rows,
      train.labels,
      NUM_FEATURES,
      NUM_CLASSES,
    );
    const {
      predictions: [preds],
      probabilities,
    } = await this.model.predict([1], hold.rows, 0);
    const baseline = accuracy(preds!, hold.labels);
    this.baselines.set(1, baseline);
    this.monitor = await createMonitor(
      this.config,
      { version: 1, trainRows: train.rows, baseline, holdoutPredictions: preds! },
      { retrain: (evidence) => this.startRetraining(evidence), onFlush: this.outbox.onEvent },
    );
    this.monitor.on('window', (e) => this.onWindow(e));
    this.monitor.on('alert', (a) =>
      this.events.onAlert(a.state === 'firing' ? 'fire' : 'resolve', a),
    );
    this.monitor.on('error', (e) => {
      // Delivery failures are retried and shown in the outbox state (offline is a
      // normal mode here); anything else (storage, engine, a rule) goes to the page.
      if (!(e instanceof TransportError)) this.events.onError(`edgewatch: ${message(e)}`);
    });
    this.estimator = this.createEstimator(probabilities, hold.labels);
    await this.registry.register(1, baseline, { trainedOn: this.config.trainSize, trainMs });
    await this.registry.activate(1);
    this.events.onModel({ version: 1, baseline, trainMs });
  }

  /** Starts streaming. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule();
  }

  /** Pauses streaming. */
  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** @returns what the outbox panel shows now. */
  outboxStatus(): Promise<DemoOutboxStatus> {
    return this.outbox.status(this.monitor.store);
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.step().then(
        () => {
          if (this.running) this.schedule();
        },
        (err: unknown) => {
          this.events.onError(`stream step failed: ${message(err)}`);
          if (this.running) this.schedule();
        },
      );
    }, this.config.tickMs);
  }

  /** One batched inference step. */
  private async step(): Promise<void> {
    const n = this.config.batchSize;
    const batch = sampleBatch(this.rng, n, this.scenario);
    const shadow = this.job?.shadowVersion ?? null;
    const versions = shadow === null ? [this.activeVersion] : [this.activeVersion, shadow];
    const t = performance.now();
    const { predictions: preds, probabilities } = await this.model.predict(
      versions,
      batch.rows,
      this.scenario.latencyMs,
    );
    // Every row of a batched step waited for the whole step.
    const rtt = performance.now() - t;
    const active = preds[0]!;
    const firstId = this.nextId;
    this.nextId += n;
    this.observe(batch, active, probabilities, rtt, firstId);
    this.rowsSeen += n;
    // The labels arrive `labelDelayRows` later; whatever scores a prediction waits for them.
    this.awaitingLabels.push({
      firstId,
      rows: batch.rows,
      labels: batch.labels,
      active,
      shadowPreds: shadow === null ? null : preds[1]!,
      version: this.activeVersion,
      job: this.job,
    });
    this.pendingLabelRows += n;
    while (
      this.pendingLabelRows - this.awaitingLabels[0]!.labels.length >=
      this.config.labelDelayRows
    )
      this.labelArrived(this.awaitingLabels.shift()!);
  }

  /** Hands a predicted batch to the monitor (a window may close in it) and keeps the page's part. */
  private observe(
    batch: Batch,
    active: Int32Array,
    probabilities: Float64Array,
    latencyMs: number,
    firstId: number,
  ): void {
    const observations: Observation[] = [];
    for (let i = 0; i < active.length; i++) {
      const features: Record<string, number> = {};
      for (let j = 0; j < NUM_FEATURES; j++)
        features[FEATURES[j]!] = batch.rows[i * NUM_FEATURES + j]!;
      // No label yet: it arrives later, by id (see `labelArrived`).
      observations.push({ id: firstId + i, prediction: active[i], features, latencyMs });
    }
    const start = this.monitor.windowStartMs;
    this.win.append(batch.labels, active, probabilities);
    this.monitor.observeMany(observations);
    // `windowSize` is a multiple of the batch size: a window closes at the end of a batch.
    if (this.monitor.windowStartMs !== start) this.keepWindow(start);
  }

  /** Keeps the page's part of the window that started at `start` (just sealed) for its `window` event. */
  private keepWindow(start: number): void {
    if (this.win.count > 0)
      this.kept.set(start, { rows: this.win.take(), estimator: this.estimator });
  }

  /** Scores a batch whose labels just arrived: accuracy, the shadow A/B test, retraining rows. */
  private labelArrived(b: LabelledBatch): void {
    this.pendingLabelRows -= b.labels.length;
    // A model promoted meanwhile starts its accuracy from its own predictions only.
    if (b.version === this.activeVersion)
      for (let i = 0; i < b.labels.length; i++) this.monitor.label(b.firstId + i, b.labels[i]);
    if (b.job === null || b.job !== this.job) return;
    if (b.shadowPreds !== null) b.job.offerShadow(b.active, b.shadowPreds, b.labels);
    b.job.offerLabelled(b.rows, b.labels);
  }

  /** A sealed window, as the monitor reports it: adds the page's part and the estimate, in order. */
  private onWindow(e: WindowEvent): void {
    const own = this.kept.get(e.record.start);
    for (const start of this.kept.keys()) if (start <= e.record.start) this.kept.delete(start);
    const index = this.windowsClosed++;
    this.chain = this.chain
      .then(async () => {
        const estimate =
          own === undefined ? undefined : await this.estimate(own.estimator, own.rows);
        this.events.onWindow(
          summarizeWindow(e, own?.rows, {
            index,
            t: (e.record.end - this.startedAt) / 1000,
            baseline: this.baselines.get(Number(e.record.model.version)) ?? Number.NaN,
            estimate,
          }),
        );
      })
      .catch((err: unknown) => this.events.onError(`window ${index} failed: ${message(err)}`));
  }

  /** The window's accuracy estimated from its probabilities (undefined when the estimator is unavailable). */
  private async estimate(estimator: KeptWindow['estimator'], rows: WindowRows) {
    // A failed fit was reported once, when the model was adopted.
    const port = await estimator?.catch(() => undefined);
    return port?.estimate(rows.probabilities);
  }

  private createEstimator(probabilities: Float64Array, labels: Int32Array): Promise<EstimatorPort> {
    const estimator = createPerformanceEstimator(probabilities, labels, NUM_CLASSES);
    // A failure shows on the page (once per model) and leaves the other panels running.
    estimator.catch((err: unknown) =>
      this.events.onError(`performance estimation unavailable: ${String(err)}`),
    );
    return estimator;
  }

  /** The trigger's `run`: starts a retraining run and settles when it ends. */
  private startRetraining(evidence: RetrainEvidence<TableDriftResult>): Promise<void> {
    const drifted = Object.entries(evidence.drift?.features ?? {})
      .filter(([, r]) => r.isDrift)
      .map(([f]) => f);
    const job = new RetrainJob({
      id: ++this.runs,
      reason: drifted.length > 0 ? `drift in ${drifted.join(', ')}` : 'drift',
      candidateVersion: this.nextVersion++,
      samples: this.config.retrainSamples,
      shadowMin: this.config.shadowMin,
      shadowMax: this.config.shadowMax,
      model: this.model,
      registry: this.registry,
      onChange: (run) => this.events.onRetrain(run),
      promote: (p) => this.promote(p),
    });
    this.job = job;
    return job.done.finally(() => {
      if (this.job === job) this.job = null;
    });
  }

  private promote(p: Promotion): void {
    const old = this.activeVersion;
    const version = p.model.version;
    // The monitor seals the old version's window now; later windows test against v-new's data.
    this.keepWindow(this.monitor.windowStartMs);
    const oldEstimator = this.estimator;
    switchModel(this.monitor, {
      version,
      trainRows: p.rows,
      baseline: p.holdoutAccuracy,
      holdoutPredictions: p.holdoutPredictions,
    })
      .catch((err: unknown) => this.events.onError(`model switch failed: ${message(err)}`))
      // The old version's last window is reported by now: its estimator can go.
      .finally(() => {
        this.chain = this.chain
          .then(async () => (await oldEstimator)?.dispose())
          .catch(() => undefined);
      });
    this.activeVersion = version;
    this.baselines.set(version, p.holdoutAccuracy);
    this.estimator = this.createEstimator(p.holdoutProbabilities, p.holdoutLabels);
    // Predictions switch now; the page reports the new version once the registry has it active.
    this.registry.activate(version).then(
      () => this.events.onModel({ version, baseline: p.holdoutAccuracy, trainMs: 0 }),
      (err: unknown) => this.events.onError(`registry: ${String(err)}`),
    );
    void this.model.drop(old).catch(() => undefined);
  }
}
