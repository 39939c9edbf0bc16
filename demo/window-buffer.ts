/**
 * What the page keeps of the open window beside the monitor: the labels, the
 * active model's predictions and class probabilities (the predicted / actual
 * class mix chart and the CBPE estimate). Preallocated typed arrays that each
 * step appends a batch to, handed over as exact-size copies when the window closes.
 */
import { NUM_CLASSES } from './sensor-data.js';

/** A closed window's labels, predictions and probabilities. */
export interface WindowRows {
  labels: Int32Array;
  preds: Int32Array;
  /** The active model's class probabilities, row-major. */
  probabilities: Float64Array;
}

/** Rows of the open window, room for `windowSize + batchSize`. */
export class WindowBuffer {
  private readonly labels: Int32Array;
  private readonly preds: Int32Array;
  private readonly probabilities: Float64Array;
  private n = 0;

  /** @param capacity - most rows held (a window plus one batch). */
  constructor(capacity: number) {
    this.labels = new Int32Array(capacity);
    this.preds = new Int32Array(capacity);
    this.probabilities = new Float64Array(capacity * NUM_CLASSES);
  }

  /** Rows held. */
  get count(): number {
    return this.n;
  }

  /** Appends one batch (labels, the active model's predictions and probabilities). O(batch). */
  append(labels: Int32Array, preds: Int32Array, probabilities: Float64Array): void {
    this.probabilities.set(probabilities, this.n * NUM_CLASSES);
    this.labels.set(labels, this.n);
    this.preds.set(preds, this.n);
    this.n += labels.length;
  }

  /** Copies out the window and starts the next one. O(rows). */
  take(): WindowRows {
    const out = {
      labels: this.labels.slice(0, this.n),
      preds: this.preds.slice(0, this.n),
      probabilities: this.probabilities.slice(0, this.n * NUM_CLASSES),
    };
    this.n = 0;
    return out;
  }
}
