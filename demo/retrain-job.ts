/**
 * One retraining run, as a small state machine the stream feeds:
 * collecting fresh labelled rows → training a candidate in the model worker →
 * shadow A/B against the active model (same inputs, outputs only recorded) →
 * promoted or kept. The run's promise (handed to `RetrainTrigger` as `run`)
 * settles when it ends, so the trigger never starts a second run concurrently.
 */
import { ABTest, type ABDecision } from '../src/index.js';
import type { RegistryPort } from './edgewatch.js';
import type { ModelClient } from './model-client.js';
import type { SoftmaxModel } from './model.js';
import { accuracy, predictAll, predictProbaAll } from './model.js';
import { NUM_CLASSES, NUM_FEATURES } from './sensor-data.js';

/** Where a run is. */
export type RetrainPhase = 'collecting' | 'training' | 'shadow' | 'promoted' | 'kept' | 'failed';

/** What the page shows about a run. */
export interface RetrainRun {
  id: number;
  startedAt: number;
  endedAt?: number;
  /** Why it started (drifted features). */
  reason: string;
  phase: RetrainPhase;
  collected: number;
  need: number;
  candidateVersion: number;
  trainMs?: number;
  /** Candidate accuracy on the held-out quarter of the fresh rows (its new baseline). */
  holdoutAccuracy?: number;
  decision?: ABDecision;
  error?: string;
}

/** What a promotion hands to the stream. */
export interface Promotion {
  model: SoftmaxModel;
  /** The candidate's training rows (the new drift reference). */
  rows: Float64Array;
  holdoutAccuracy: number;
  /** The candidate's predictions on its holdout quarter (the new output drift reference). */
  holdoutPredictions: Int32Array;
  /** Its class probabilities and the labels on that quarter (the new performance-estimation reference). */
  holdoutProbabilities: Float64Array;
  holdoutLabels: Int32Array;
}

/** Settings and hooks of a run. */
export interface RetrainJobOptions {
  id: number;
  reason: string;
  candidateVersion: number;
  samples: number;
  shadowMin: number;
  shadowMax: number;
  model: ModelClient;
  /** Where the candidate is registered (not active) once trained. */
  registry: RegistryPort;
  /** Called on every phase change (and on progress while collecting). */
  onChange: (run: RetrainRun) => void;
  /** Makes the candidate the active model. */
  promote: (p: Promotion) => void;
}

/** A retraining run. Create one per trigger; feed it from the stream. */
export class RetrainJob {
  readonly run: RetrainRun;
  private readonly rows: Float64Array;
  private readonly labels: Int32Array;
  private ab: ABTest | null = null;
  private trained: Promotion | null = null;
  private settle: (() => void) | null = null;
  /** Settles when the run ends (promoted, kept or failed). */
  readonly done: Promise<void>;

  constructor(private readonly opts: RetrainJobOptions) {
    this.run = {
      id: opts.id,
      startedAt: Date.now(),
      reason: opts.reason,
      phase: 'collecting',
      collected: 0,
      need: opts.samples,
      candidateVersion: opts.candidateVersion,
    };
    this.rows = new Float64Array(opts.samples * NUM_FEATURES);
    this.labels = new Int32Array(opts.samples);
    this.done = new Promise((resolve) => {
      this.settle = resolve;
    });
    opts.onChange(this.run);
  }

  /** The candidate version while it runs in shadow, else null. */
  get shadowVersion(): number | null {
    return this.run.phase === 'shadow' ? this.opts.candidateVersion : null;
  }

  /** Feeds fresh labelled rows while collecting. */
  offerLabelled(rows: Float64Array, labels: Int32Array): void {
    if (this.run.phase !== 'collecting') return;
    const take = Math.min(labels.length, this.opts.samples - this.run.collected);
    this.rows.set(rows.subarray(0, take * NUM_FEATURES), this.run.collected * NUM_FEATURES);
    this.labels.set(labels.subarray(0, take), this.run.collected);
    this.run.collected += take;
    this.opts.onChange(this.run);
    if (this.run.collected === this.opts.samples) void this.train();
  }

  /** Feeds one shadow step: active and candidate predictions on the same rows. */
  offerShadow(control: Int32Array, candidate: Int32Array, labels: Int32Array): void {
    if (this.run.phase !== 'shadow' || this.ab === null || this.trained === null) return;
    for (let i = 0; i < labels.length; i++) {
      this.ab.record('control', control[i]!, labels[i]!);
      this.ab.record('candidate', candidate[i]!, labels[i]!);
    }
    const d = this.ab.decide();
    this.run.decision = d;
    if (
      d.decision === 'continue' &&
      Math.min(d.samples.control, d.samples.candidate) < this.opts.shadowMax
    ) {
      this.opts.onChange(this.run);
      return;
    }
    if (d.decision === 'promote') {
      this.opts.promote(this.trained);
      this.finish('promoted');
    } else {
      void this.opts.model.drop(this.opts.candidateVersion).catch(() => undefined);
      this.finish('kept');
    }
  }

  private async train(): Promise<void> {
    this.run.phase = 'training';
    this.opts.onChange(this.run);
    try {
      // Three quarters train the candidate; the last quarter is its holdout baseline.
      const nTrain = Math.floor(this.opts.samples * 0.75);
      const trainRows = this.rows.slice(0, nTrain * NUM_FEATURES);
      const { model, trainMs } = await this.opts.model.train(
        this.opts.candidateVersion,
        trainRows,
        this.labels.slice(0, nTrain),
        NUM_FEATURES,
        NUM_CLASSES,
      );
      const holdRows = this.rows.subarray(nTrain * NUM_FEATURES);
      const holdLabels = this.labels.subarray(nTrain);
      const preds = predictAll(model, holdRows);
      this.trained = {
        model,
        rows: trainRows,
        holdoutAccuracy: accuracy(preds, holdLabels),
        holdoutPredictions: Int32Array.from(preds),
        holdoutProbabilities: predictProbaAll(model, holdRows),
        holdoutLabels: Int32Array.from(holdLabels),
      };
      this.run.trainMs = trainMs;
      this.run.holdoutAccuracy = this.trained.holdoutAccuracy;
      await this.opts.registry.register(this.opts.candidateVersion, this.trained.holdoutAccuracy, {
        trainedOn: nTrain,
        trainMs,
        reason: this.run.reason,
      });
      // mSPRT (edgewatch's default rule): always valid, so deciding after every step is fine.
      this.ab = new ABTest({
        metric: 'accuracy',
        minSamples: this.opts.shadowMin,
        maxSamples: this.opts.shadowMax,
        mode: 'shadow',
      });
      this.run.phase = 'shadow';
      this.opts.onChange(this.run);
    } catch (err) {
      this.run.error = err instanceof Error ? err.message : String(err);
      this.finish('failed');
    }
  }

  private finish(phase: 'promoted' | 'kept' | 'failed'): void {
    this.run.phase = phase;
    this.run.endedAt = Date.now();
    this.opts.onChange(this.run);
    this.settle?.();
  }
}
