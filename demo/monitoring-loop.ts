/**
 * The live loop: sensor batches → model (in its worker) → edgewatch. Every
 * `windowSize` rows a window closes: drift per feature against the model's
 * training data, latency percentiles, accuracy vs the holdout baseline, alert
 * rules, the retraining trigger, and one record into the outbox.
 *
 * Main-thread work per step is O(batch): generating rows, copying them into the
 * window buffer and `record`-style calls. Statistics run in edgewatch's engine.
 */
import {
  createAlerts,
  createDriftDetector,
  createLatencyTracker,
  createOutputDriftDetector,
  createPerformanceMonitor,
  createRetrainTrigger,
  type AlertsPort,
  type DriftPort,
  type LatencyPort,
  type OutputDriftPort,
  type PerformancePort,
  type RegistryPort,
  type RetrainPort,
  type Table,
} from './edgewatch.js';
import type { OutboxPort } from './outbox.js';
import type { DemoAlert } from './edgewatch-types.js';
import type { DemoConfig } from './config.js';
import type { ModelClient } from './model-client.js';
import { RetrainJob, type Promotion, type RetrainRun } from './retrain-job.js';
import { createRng, type Rng } from './rng.js';
import {
  NUM_CLASSES,
  NUM_FEATURES,
  normalScenario,
  sampleBatch,
  toColumns,
  type Scenario,
} from './sensor-data.js';
import { installAlertRules } from './alert-rules.js';
import { summarizeWindow, toWindowRecord, type WindowSummary } from './window-summary.js';
import { WindowBuffer } from './window-buffer.js';
import { deviceId } from './device-id.js';

/** A predicted batch waiting for its labels. */
interface LabelledBatch {
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

/** What the loop reports to the page. */
export interface LoopEvents {
  onWindow(s: WindowSummary): void;
  onAlert(kind: 'fire' | 'resolve', alert: DemoAlert): void;
  onRetrain(run: RetrainRun): void;
  onModel(info: { version: number; baseline: number; trainMs: number }): void;
  onError(message: string): void;
}

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
  private activeVersion = 1;
  private nextVersion = 2;
  private baseline = Number.NaN;
  private detector!: DriftPort;
  private outputDetector: OutputDriftPort | undefined;
  private perf!: PerformancePort;
  private readonly latency: LatencyPort = createLatencyTracker();
  private readonly alerts: AlertsPort = createAlerts();
  private readonly trigger: RetrainPort<Table>;
  private job: RetrainJob | null = null;
  private runs = 0;
  private lastDrifted: string[] = [];
  private readonly win: WindowBuffer;
  private chain: Promise<void> = Promise.resolve();
  private firedInWindow: DemoAlert[] = [];
  private readonly startedAt = Date.now();
  private readonly deviceId: string;
  private readonly awaitingLabels: LabelledBatch[] = [];
  private pendingLabelRows = 0;

  constructor(
    private readonly config: DemoConfig,
    private readonly model: ModelClient,
    private readonly outbox: OutboxPort,
    private readonly registry: RegistryPort,
    private readonly events: LoopEvents,
  ) {
    this.win = new WindowBuffer(config.windowSize + config.batchSize);
    this.deviceId = deviceId();
    installAlertRules(this.alerts, config);
    this.alerts.on('fire', (a) => {
      this.firedInWindow.push(a);
      events.onAlert('fire', a);
    });
    this.alerts.on('resolve', (a) => events.onAlert('resolve', a));
    this.alerts.onError((e) =>
      events.onError(`alert rule failed: ${String((e as { error?: unknown }).error ?? e)}`),
    );
    this.trigger = createRetrainTrigger<Table>({
      // The trigger runs the current detector (it is replaced when a new model takes over).
      detector: { detect: (table) => this.detector.detect(table) },
      run: () => this.startRetraining(),
      cooldownMs: config.cooldownMs,
    });
  }

  /** Trains model v1 on clean data and measures its holdout baseline. */
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
    const [preds] = await this.model.predict([1], hold.rows, 0);
    // The holdout baseline is measured with the same monitor class the stream uses.
    const holdoutMonitor = createPerformanceMonitor(this.config.holdoutSize, { accuracy: 1 });
    preds!.forEach((p, i) => holdoutMonitor.update(p, hold.labels[i]!));
    this.baseline = holdoutMonitor.getMetrics().accuracy;
    this.adopt(train.rows, this.baseline, preds!);
    await this.registry.register(1, this.baseline, { trainedOn: this.config.trainSize, trainMs });
    await this.registry.activate(1);
    this.events.onModel({ version: 1, baseline: this.baseline, trainMs });
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

  private adopt(trainRows: Float64Array, baseline: number, holdoutPreds?: Int32Array): void {
    const old = this.detector as DriftPort | undefined;
    // Windows already queued against the old detector finish first, then it is freed.
    if (old !== undefined) this.chain = this.chain.then(() => old.dispose()).catch(() => undefined);
    if (holdoutPreds !== undefined) {
      const oldOutput = this.outputDetector;
      if (oldOutput !== undefined)
        this.chain = this.chain.then(() => oldOutput.dispose()).catch(() => undefined);
      this.outputDetector = createOutputDriftDetector(
        holdoutPreds,
        this.config.outputDriftThreshold,
      );
    }
    this.detector = createDriftDetector(toColumns(trainRows), {
      threshold: this.config.driftThreshold,
      driftShare: this.config.driftShare,
    });
    this.perf = createPerformanceMonitor(this.config.windowSize, { accuracy: baseline });
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.step().then(
        () => {
          if (this.running) this.schedule();
        },
        (err: unknown) => {
          this.events.onError(
            `stream step failed: ${err instanceof Error ? err.message : String(err)}`,
          );
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
    const preds = await this.model.predict(versions, batch.rows, this.scenario.latencyMs);
    const rtt = performance.now() - t;
    // Every row of a batched step waited for the whole step.
    this.latency.recordMany(new Float64Array(n).fill(rtt));
    const active = preds[0]!;
    const shadowPreds = shadow === null ? null : preds[1]!;
    // The labels arrive `labelDelayRows` later; whatever scores a prediction waits for them.
    this.awaitingLabels.push({
      rows: batch.rows,
      labels: batch.labels,
      active,
      shadowPreds,
      version: this.activeVersion,
      job: this.job,
    });
    this.pendingLabelRows += n;
    while (
      this.pendingLabelRows - this.awaitingLabels[0]!.labels.length >=
      this.config.labelDelayRows
    )
      this.labelArrived(this.awaitingLabels.shift()!);
    this.rowsSeen += n;

    this.win.append(batch.rows, batch.labels, active);
    if (this.win.count >= this.config.windowSize) this.closeWindow();
  }

  /** Scores a batch whose labels just arrived: accuracy, the shadow A/B test, retraining rows. */
  private labelArrived(b: LabelledBatch): void {
    this.pendingLabelRows -= b.labels.length;
    // A model promoted meanwhile starts its accuracy from its own predictions only.
    if (b.version === this.activeVersion)
      for (let i = 0; i < b.labels.length; i++) this.perf.update(b.active[i]!, b.labels[i]!);
    if (b.job === null || b.job !== this.job) return;
    if (b.shadowPreds !== null) b.job.offerShadow(b.active, b.shadowPreds, b.labels);
    b.job.offerLabelled(b.rows, b.labels);
  }

  private closeWindow(): void {
    const { rows, labels, preds, start, end } = this.win.take();
    // Taken now, synchronously, so the window's latency is exactly its own steps.
    const latency = this.latency.takeWindow();
    const metrics = this.perf.getMetrics();
    const version = this.activeVersion;
    const baseline = this.baseline;
    const index = this.windowsClosed++;
    const detector = this.detector;
    const outputDetector = this.outputDetector;
    this.chain = this.chain
      .then(async () => {
        const table = toColumns(rows);
        const drift = await detector.detect(table);
        const outputDrift = await outputDetector?.detect(preds);
        const lat = await latency;
        const summary = summarizeWindow({
          index,
          t: (end - this.startedAt) / 1000,
          start,
          end,
          version,
          baseline,
          rows,
          labels,
          preds,
          drift,
          outputDrift,
          accuracy: metrics.accuracy,
          // edgewatch's relative drop vs the holdout baseline (positive = worse).
          degradation: metrics.degradation?.accuracy ?? Number.NaN,
          latency: lat.percentiles,
        });
        this.lastDrifted = Object.keys(drift.features).filter((f) => drift.features[f]!.isDrift);
        summary.firing = this.alerts.evaluate({
          accuracy: summary.accuracy,
          baseline,
          degradation: summary.degradation,
          driftShare: drift.driftShare,
          driftedFeatures: this.lastDrifted,
          outputDrift: outputDrift?.isDrift ?? false,
          p50: summary.latency.p50,
          p95: summary.latency.p95,
          p99: summary.latency.p99,
          missingRate: summary.missingRate,
          modelVersion: version,
        });
        if (this.job === null) {
          this.trigger
            .check(table)
            .catch((err: unknown) => this.events.onError(`retrain trigger failed: ${String(err)}`));
        }
        const fired = this.firedInWindow;
        this.firedInWindow = [];
        await this.outbox.append(toWindowRecord(summary, this.deviceId, fired, lat.sketch));
        this.events.onWindow(summary);
      })
      .catch((err: unknown) =>
        this.events.onError(
          `window ${index} failed: ${err instanceof Error ? err.message : String(err)}`,
        ),
      );
  }

  /** The trigger's `run`: starts a retraining run and settles when it ends. */
  private startRetraining(): Promise<void> {
    const job = new RetrainJob({
      id: ++this.runs,
      reason: this.lastDrifted.length > 0 ? `drift in ${this.lastDrifted.join(', ')}` : 'drift',
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
    this.activeVersion = p.model.version;
    this.baseline = p.holdoutAccuracy;
    this.adopt(p.rows, p.holdoutAccuracy, p.holdoutPredictions);
    // Predictions switch now; the page reports the new version once the registry has it active.
    this.registry.activate(p.model.version).then(
      () =>
        this.events.onModel({ version: p.model.version, baseline: p.holdoutAccuracy, trainMs: 0 }),
      (err: unknown) => this.events.onError(`registry: ${String(err)}`),
    );
    void this.model.drop(old).catch(() => undefined);
  }
}
