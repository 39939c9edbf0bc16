/**
 * Sliding-window classification counts: a sparse confusion matrix with O(1)
 * add and remove, from which accuracy, per-class and macro precision / recall
 * / F1 are derived on demand (O(k²) for k classes in the window).
 */
import type { ClassMetrics, ConfusionMatrix, Label } from './types.js';

/** Classification metrics of a window. */
export interface ClassificationMetrics {
  accuracy: number;
  macroPrecision: number;
  macroRecall: number;
  macroF1: number;
  perClass: Record<string, ClassMetrics>;
  confusionMatrix: ConfusionMatrix;
}

const TYPE_ORDER = { boolean: 0, number: 1, string: 2 } as const;

/**
 * Orders labels: booleans (false < true), numbers ascending, strings by code unit.
 *
 * @param a - a label.
 * @param b - a label.
 * @returns negative, zero or positive.
 */
export function compareLabels(a: Label, b: Label): number {
  const ta = TYPE_ORDER[typeof a as keyof typeof TYPE_ORDER];
  const tb = TYPE_ORDER[typeof b as keyof typeof TYPE_ORDER];
  if (ta !== tb) return ta - tb;
  if (typeof a === 'string') return a < (b as string) ? -1 : a > (b as string) ? 1 : 0;
  return Number(a) - Number(b);
}

/**
 * Classification metrics for the given per-class counts (zero division -> 0,
 * as scikit-learn's `zero_division=0`).
 *
 * @param tp - true positives of the class.
 * @param predicted - times the class was predicted (TP + FP).
 * @param support - times the class occurred (TP + FN).
 * @returns precision, recall, F1 and support.
 * @example
 * ```ts
 * classMetrics(3, 4, 6); // => { precision: 0.75, recall: 0.5, f1: 0.6, support: 6 }
 * ```
 */
export function classMetrics(tp: number, predicted: number, support: number): ClassMetrics {
  const precision = predicted === 0 ? 0 : tp / predicted;
  const recall = support === 0 ? 0 : tp / support;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, support };
}

/**
 * Confusion counts of the samples in a window.
 *
 * @example
 * ```ts
 * const c = new ConfusionStats();
 * c.add('cat', 'cat'); c.add('dog', 'cat');
 * c.metrics().accuracy; // => 0.5
 * ```
 */
export class ConfusionStats {
  private n = 0;
  private correct = 0;
  /** actual -> predicted -> count */
  private readonly cells = new Map<Label, Map<Label, number>>();
  private readonly actualCount = new Map<Label, number>();
  private readonly predCount = new Map<Label, number>();

  /** Samples held. */
  get size(): number {
    return this.n;
  }

  /** Adds a (predicted, actual) pair. O(1). */
  add(pred: Label, actual: Label): void {
    this.n++;
    if (pred === actual) this.correct++;
    let row = this.cells.get(actual);
    if (row === undefined) {
      row = new Map();
      this.cells.set(actual, row);
    }
    row.set(pred, (row.get(pred) ?? 0) + 1);
    this.actualCount.set(actual, (this.actualCount.get(actual) ?? 0) + 1);
    this.predCount.set(pred, (this.predCount.get(pred) ?? 0) + 1);
  }

  /** Removes a pair previously added. O(1). Classes that leave the window are forgotten. */
  remove(pred: Label, actual: Label): void {
    const row = this.cells.get(actual);
    const c = row?.get(pred);
    if (row === undefined || c === undefined) return;
    this.n--;
    if (pred === actual) this.correct--;
    if (c === 1) row.delete(pred);
    else row.set(pred, c - 1);
    if (row.size === 0) this.cells.delete(actual);
    decrement(this.actualCount, actual);
    decrement(this.predCount, pred);
  }

  /** Removes everything. */
  clear(): void {
    this.n = 0;
    this.correct = 0;
    this.cells.clear();
    this.actualCount.clear();
    this.predCount.clear();
  }

  /** Exact-match rate; NaN when empty. O(1). */
  accuracy(): number {
    return this.n === 0 ? NaN : this.correct / this.n;
  }

  /**
   * Per-class metrics of one label (e.g. the positive class of a binary task). O(1).
   *
   * @param label - the class.
   */
  classMetrics(label: Label): ClassMetrics {
    return classMetrics(
      this.cells.get(label)?.get(label) ?? 0,
      this.predCount.get(label) ?? 0,
      this.actualCount.get(label) ?? 0,
    );
  }

  /**
   * All metrics. Classes are those seen among actuals or predictions in the
   * window (scikit-learn's default `labels`). O(k²).
   *
   * @param extraLabels - labels always listed (e.g. both classes of a binary task).
   */
  metrics(extraLabels: readonly Label[] = []): ClassificationMetrics {
    const set = new Set<Label>([
      ...this.actualCount.keys(),
      ...this.predCount.keys(),
      ...extraLabels,
    ]);
    const labels = [...set].sort(compareLabels);
    const perClass: Record<string, ClassMetrics> = {};
    let sp = 0;
    let sr = 0;
    let sf = 0;
    for (const l of labels) {
      const m = this.classMetrics(l);
      perClass[String(l)] = m;
      sp += m.precision;
      sr += m.recall;
      sf += m.f1;
    }
    const k = labels.length;
    const matrix = labels.map((a) => labels.map((p) => this.cells.get(a)?.get(p) ?? 0));
    return {
      accuracy: this.accuracy(),
      macroPrecision: k === 0 || this.n === 0 ? NaN : sp / k,
      macroRecall: k === 0 || this.n === 0 ? NaN : sr / k,
      macroF1: k === 0 || this.n === 0 ? NaN : sf / k,
      perClass,
      confusionMatrix: { labels, matrix },
    };
  }
}

function decrement(map: Map<Label, number>, key: Label): void {
  const c = map.get(key) ?? 0;
  if (c <= 1) map.delete(key);
  else map.set(key, c - 1);
}
