/**
 * A growable FIFO ring of samples: O(1) push and shift, oldest first. Holds
 * the window's samples so that evicted ones can be subtracted exactly.
 */

/**
 * FIFO queue backed by a circular array that doubles when full.
 *
 * @example
 * ```ts
 * const r = new SampleRing<number>(4);
 * r.push(1); r.push(2);
 * r.shift(); // => 1
 * ```
 */
export class SampleRing<T> {
  private buf: (T | undefined)[];
  private head = 0;
  private len = 0;

  /** @param initialCapacity - starting capacity (grows as needed; default 64). */
  constructor(initialCapacity = 64) {
    this.buf = new Array<T | undefined>(Math.max(1, Math.floor(initialCapacity)));
  }

  /** Number of samples held. */
  get length(): number {
    return this.len;
  }

  /** Appends at the newest end. Amortised O(1). */
  push(item: T): void {
    if (this.len === this.buf.length) this.grow();
    this.buf[(this.head + this.len) % this.buf.length] = item;
    this.len++;
  }

  /** The oldest sample, or undefined when empty. */
  peek(): T | undefined {
    return this.len === 0 ? undefined : this.buf[this.head];
  }

  /** Removes and returns the oldest sample, or undefined when empty. O(1). */
  shift(): T | undefined {
    if (this.len === 0) return undefined;
    const item = this.buf[this.head];
    this.buf[this.head] = undefined;
    this.head = (this.head + 1) % this.buf.length;
    this.len--;
    return item;
  }

  /** Removes everything. */
  clear(): void {
    this.buf = new Array<T | undefined>(Math.min(this.buf.length, 64));
    this.head = 0;
    this.len = 0;
  }

  /** Iterates oldest to newest. */
  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = 0; i < this.len; i++) yield this.buf[(this.head + i) % this.buf.length] as T;
  }

  private grow(): void {
    const next = new Array<T | undefined>(this.buf.length * 2);
    for (let i = 0; i < this.len; i++) next[i] = this.buf[(this.head + i) % this.buf.length];
    this.buf = next;
    this.head = 0;
  }
}
