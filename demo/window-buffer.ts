/**
 * The open window's rows, labels and predictions on the page: preallocated
 * typed arrays that each step appends a batch to, handed over as exact-size
 * copies when the window closes.
 */
import { NUM_CLASSES, NUM_FEATURES } from './sensor-data.js';

/** A closed window's contents. */
export interface WindowRows {
  rows: Float64Array;
  labels: Int32Array;
  preds: Int32Array;
  /** The active model's class probabilities, row-major. */
  probabilities: Float64Array;
  /** Epoch ms. */
  start: number;
  end: number;
}

/** Rows of the open window, room for `windowSize + batchSize`. */
export class WindowBuffer {
  private readonly rows: Float64Array;
  private readonly labels: Int32Array;
  private readonly preds: Int32Array;
  private readonly probabilities: Float64Array;
  private n = 0;
  private start = Date.now();

  /** @param capacity - most rows held (a window plus one batch). */
  constructor(capacity: number) {
    this.rows = new Float64Array(capacity * NUM_FEATURES);
    this.labels = new Int32Array(capacity);
    this.preds = new Int32Array(capacity);
    this.probabilities = new Float64Array(capacity * NUM_CLASSES);
  }

  /** Rows held. */
  get count(): number {
    return this.n;
  }

  /** Appends one batch (row-major features, labels, the active model's predictions and probabilities). O(batch). */
  append(
    rows: Float64Array,
    labels: Int32Array,
    preds: Int32Array,
    probabilities: Float64Array,
  ): void {
    this.rows.set(rows, this.n * NUM_FEATURES);
    this.probabilities.set(probabilities, this.n * NUM_CLASSES);
    this.labels.set(labels, this.n);
    this.preds.set(preds, this.n);
    this.n += labels.length;
  }

  /** Copies out the window and starts the next one now. O(rows). */
  take(): WindowRows {
    const end = Date.now();
    const out = {
      rows: this.rows.slice(0, this.n * NUM_FEATURES),
      labels: this.labels.slice(0, this.n),
      preds: this.preds.slice(0, this.n),
      probabilities: this.probabilities.slice(0, this.n * NUM_CLASSES),
      start: this.start,
      end,
    };
    this.n = 0;
    this.start = end;
    return out;
  }
}
