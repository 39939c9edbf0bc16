/**
 * Per-arm running statistics of an A/B test: O(1) per record, O(1) memory
 * for accuracy and error, a bucketed sketch for latency.
 */
import { LatencyHistogram } from './latency-histogram.js';
import type { SampleMoments } from './two-sample-tests.js';

/** Running statistics of one arm. */
export class ArmStats {
  /** Samples counted. */
  n = 0;
  /** Correct predictions (accuracy). */
  successes = 0;
  /** Welford moments of the recorded values (error). */
  readonly moments: SampleMoments = { n: 0, mean: 0, m2: 0 };
  /** Latency sketch (latency). */
  readonly latency = new LatencyHistogram();

  /**
   * Records a correct/incorrect outcome. O(1).
   * @param correct - whether the prediction matched.
   */
  recordOutcome(correct: boolean): void {
    this.n++;
    if (correct) this.successes++;
  }

  /**
   * Records a numeric value (an error) with Welford's update. O(1).
   * @param value - a finite number.
   */
  recordValue(value: number): void {
    this.n++;
    const m = this.moments;
    m.n++;
    const delta = value - m.mean;
    m.mean += delta / m.n;
    m.m2 += delta * (value - m.mean);
  }

  /**
   * Records a latency in ms (finite, ≥ 0). O(1).
   * @param ms - the latency.
   */
  recordLatency(ms: number): void {
    this.n++;
    this.latency.record(ms);
  }
}
