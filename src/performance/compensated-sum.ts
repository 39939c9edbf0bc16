/**
 * Neumaier (improved Kahan) summation that supports subtraction, so sliding
 * sums lose far less to rounding as samples enter and leave the window.
 */

/**
 * A running sum with a compensation term.
 *
 * @example
 * ```ts
 * const s = new CompensatedSum();
 * s.add(1e16); s.add(1); s.add(-1e16);
 * s.value; // => 1
 * ```
 */
export class CompensatedSum {
  private s = 0;
  private c = 0;

  /** Adds `x` (use a negative value to subtract). O(1). */
  add(x: number): void {
    const t = this.s + x;
    if (Math.abs(this.s) >= Math.abs(x)) this.c += this.s - t + x;
    else this.c += x - t + this.s;
    this.s = t;
  }

  /** The compensated total. */
  get value(): number {
    return this.s + this.c;
  }

  /** Back to zero. */
  reset(): void {
    this.s = 0;
    this.c = 0;
  }
}
