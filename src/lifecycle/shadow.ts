/**
 * Shadow evaluation: the candidate model sees every input the active model
 * sees, but only the active model's output is returned; the candidate's
 * output and both latencies are recorded into A/B tests.
 */
import { ConfigError, describeValue } from '../errors.js';
import type { ABTest } from './ab-test.js';

/** Options of {@link ShadowEvaluator}. */
export interface ShadowOptions<I, O> {
  /** The active model. Its result (or error) is what `predict` returns. */
  control: (input: I) => O | Promise<O>;
  /** The candidate. Its errors are counted, never surfaced to the caller. */
  candidate: (input: I) => O | Promise<O>;
  /** Receives (pred, actual) per arm once a label is known (metric `'accuracy'` or `'error'`). */
  test?: ABTest;
  /** Receives each arm's latency in ms (metric `'latency'`). */
  latencyTest?: ABTest;
  /** Clock in ms (default `performance.now`). */
  now?: () => number;
  /** Predictions awaiting a label kept at most (default 10 000; the oldest are dropped and counted). */
  maxPending?: number;
  /** Receives candidate errors. */
  onError?: (error: unknown) => void;
}

interface Pending<O> {
  control: O;
  candidate?: O;
  candidateDone: boolean;
  candidateFailed: boolean;
  actual?: unknown;
  labelled: boolean;
}

/** Runs a candidate model in the shadow of the active one. */
export class ShadowEvaluator<I, O> {
  private readonly opts: ShadowOptions<I, O>;
  private readonly now: () => number;
  private readonly maxPending: number;
  private readonly pending = new Map<string, Pending<O>>();
  private readonly running = new Set<Promise<void>>();
  /** Candidate calls that threw or rejected. */
  candidateErrors = 0;
  /** Pending predictions evicted before their label arrived. */
  expired = 0;
  /** Labels for unknown ids. */
  unmatchedLabels = 0;

  /**
   * @param options - see {@link ShadowOptions}.
   * @throws ConfigError when `control` or `candidate` is not a function.
   */
  constructor(options: ShadowOptions<I, O>) {
    if (typeof options?.control !== 'function' || typeof options.candidate !== 'function') {
      throw new ConfigError(
        `expected control and candidate prediction functions, got ${describeValue(options?.control)} and ${describeValue(options?.candidate)}`,
      );
    }
    this.opts = options;
    this.now = options.now ?? (() => performance.now());
    this.maxPending = options.maxPending ?? 10_000;
  }

  /**
   * Predicts with the active model and runs the candidate on the same input
   * after it (the caller gets the control's output without waiting for the candidate).
   * @param input - the model input.
   * @param label - `id` to attach a label later with {@link ShadowEvaluator.label}, or `actual` when already known.
   * @returns the control model's output.
   * @throws whatever the control model throws (the candidate's errors are only counted).
   */
  async predict(input: I, label: { id?: string; actual?: unknown } = {}): Promise<O> {
    const t0 = this.now();
    const result = this.opts.control(input);
    const out = isThenable(result) ? await result : result;
    this.opts.latencyTest?.record('control', this.now() - t0);
    const entry: Pending<O> = {
      control: out,
      candidateDone: false,
      candidateFailed: false,
      labelled: false,
    };
    if ('actual' in label) {
      entry.actual = label.actual;
      entry.labelled = true;
    }
    const key = label.id;
    if (key !== undefined) {
      this.pending.set(key, entry);
      if (this.pending.size > this.maxPending) {
        const oldest = this.pending.keys().next().value as string;
        this.pending.delete(oldest);
        this.expired++;
      }
    }
    const run = this.runCandidate(input, entry, key);
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
    return out;
  }

  /**
   * Attaches the ground truth to an earlier prediction; both arms are recorded
   * once the candidate has finished.
   * @param id - the id given to `predict`.
   * @param actual - the ground truth.
   * @returns false when the id is unknown (expired or never seen; counted).
   */
  label(id: string, actual: unknown): boolean {
    const entry = this.pending.get(id);
    if (!entry) {
      this.unmatchedLabels++;
      return false;
    }
    entry.actual = actual;
    entry.labelled = true;
    if (entry.candidateDone) this.settle(entry, id);
    return true;
  }

  /** Waits for every candidate call started so far. */
  async flush(): Promise<void> {
    await Promise.all([...this.running]);
  }

  /** Predictions still waiting for a label. */
  get pendingCount(): number {
    return this.pending.size;
  }

  private async runCandidate(input: I, entry: Pending<O>, key: string | undefined): Promise<void> {
    await Promise.resolve(); // let the caller continue with the control's output first
    const t0 = this.now();
    try {
      const result = this.opts.candidate(input);
      // a synchronous candidate is timed exactly; an async one by wall time to settlement
      // (which includes any event-loop wait, as the control's async latency does)
      if (isThenable(result)) {
        entry.candidate = await result;
      } else {
        entry.candidate = result;
      }
      this.opts.latencyTest?.record('candidate', this.now() - t0);
    } catch (error) {
      this.candidateErrors++;
      entry.candidateFailed = true;
      this.opts.onError?.(error);
    }
    entry.candidateDone = true;
    if (entry.labelled) this.settle(entry, key);
  }

  private settle(entry: Pending<O>, key: string | undefined): void {
    if (key !== undefined) this.pending.delete(key);
    const test = this.opts.test;
    if (!test || entry.candidateFailed) return;
    test.record('control', entry.control, entry.actual);
    test.record('candidate', entry.candidate, entry.actual);
  }
}

function isThenable<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
