/**
 * Exact ROC AUC over a sliding window, updated in O(log n) per sample.
 *
 * AUC = U / (P·N) where U counts (positive, negative) pairs ordered correctly,
 * ties counting 1/2 (the Mann–Whitney statistic). Adding a positive with score
 * s adds `#neg < s + ½·#neg = s` to U; adding a negative adds
 * `#pos > s + ½·#pos = s`; removal subtracts the same. U stays a multiple of
 * ½, exact in float64, so the windowed value equals a from-scratch computation.
 */
import { OrderStatisticTree } from './order-statistic-tree.js';

/**
 * Incremental exact AUC of a multiset of (score, label) pairs.
 *
 * @example
 * ```ts
 * const auc = new WindowedAuc();
 * auc.add(0.9, 1); auc.add(0.1, 0); auc.add(0.5, 0);
 * auc.value(); // => 1
 * auc.remove(0.1, 0);
 * ```
 */
export class WindowedAuc {
  private readonly pos = new OrderStatisticTree();
  private readonly neg = new OrderStatisticTree();
  private u = 0;

  /** Positives held. */
  get positives(): number {
    return this.pos.size;
  }

  /** Negatives held. */
  get negatives(): number {
    return this.neg.size;
  }

  /**
   * Adds a scored sample. O(log n).
   *
   * @param score - the model's score (finite; higher = more positive).
   * @param label - 1 for positive, 0 for negative.
   */
  add(score: number, label: 0 | 1): void {
    if (label === 1) {
      this.u += this.neg.countLess(score) + 0.5 * this.neg.countEqual(score);
      this.pos.insert(score);
    } else {
      this.u += this.pos.countGreater(score) + 0.5 * this.pos.countEqual(score);
      this.neg.insert(score);
    }
  }

  /**
   * Removes a sample previously added (same score and label). O(log n).
   *
   * @param score - the score it was added with.
   * @param label - the label it was added with.
   */
  remove(score: number, label: 0 | 1): void {
    if (label === 1) {
      if (this.pos.remove(score))
        this.u -= this.neg.countLess(score) + 0.5 * this.neg.countEqual(score);
    } else if (this.neg.remove(score)) {
      this.u -= this.pos.countGreater(score) + 0.5 * this.pos.countEqual(score);
    }
  }

  /** Removes everything. */
  clear(): void {
    this.pos.clear();
    this.neg.clear();
    this.u = 0;
  }

  /**
   * The AUC of the samples held.
   *
   * @returns U/(P·N) in [0, 1]; NaN when there is no positive or no negative.
   */
  value(): number {
    const pn = this.pos.size * this.neg.size;
    return pn === 0 ? NaN : this.u / pn;
  }
}
