/**
 * An order-statistic multiset of numbers (a treap with subtree sizes):
 * insert, remove, and rank queries (`countLess`, `countEqual`, `countGreater`)
 * in O(log n) expected time. Used for the exact windowed AUC.
 */

interface TreapNode {
  key: number;
  /** Multiplicity of `key`. */
  mult: number;
  /** Total multiplicity of the subtree. */
  size: number;
  prio: number;
  left: TreapNode | null;
  right: TreapNode | null;
}

const size = (n: TreapNode | null): number => (n === null ? 0 : n.size);

function update(n: TreapNode): void {
  n.size = n.mult + size(n.left) + size(n.right);
}

/**
 * Multiset of finite numbers with rank queries. Callers must not insert NaN
 * (it has no order); `-0` and `0` are the same key.
 *
 * Cost: O(log n) expected per operation, O(distinct keys) memory.
 *
 * @example
 * ```ts
 * const t = new OrderStatisticTree();
 * t.insert(0.2); t.insert(0.7); t.insert(0.7);
 * t.countLess(0.7);    // => 1
 * t.countEqual(0.7);   // => 2
 * t.countGreater(0.2); // => 2
 * ```
 */
export class OrderStatisticTree {
  private root: TreapNode | null = null;
  // xorshift32 state: deterministic priorities make runs reproducible.
  private seed = 0x9e3779b9;

  /** Number of values held (with multiplicity). */
  get size(): number {
    return size(this.root);
  }

  /** Removes every value. */
  clear(): void {
    this.root = null;
  }

  /**
   * Adds one occurrence of `key`.
   *
   * @param key - a finite number (not NaN).
   */
  insert(key: number): void {
    this.root = this.insertAt(this.root, key);
  }

  /**
   * Removes one occurrence of `key`.
   *
   * @param key - the value.
   * @returns whether an occurrence was present.
   */
  remove(key: number): boolean {
    const before = size(this.root);
    this.root = this.removeAt(this.root, key);
    return size(this.root) !== before;
  }

  /** Number of values strictly less than `key`. O(log n). */
  countLess(key: number): number {
    let n = this.root;
    let acc = 0;
    while (n !== null) {
      if (key <= n.key) n = n.left;
      else {
        acc += size(n.left) + n.mult;
        n = n.right;
      }
    }
    return acc;
  }

  /** Number of values equal to `key`. O(log n). */
  countEqual(key: number): number {
    let n = this.root;
    while (n !== null) {
      if (key === n.key) return n.mult;
      n = key < n.key ? n.left : n.right;
    }
    return 0;
  }

  /** Number of values strictly greater than `key`. O(log n). */
  countGreater(key: number): number {
    let n = this.root;
    let acc = 0;
    while (n !== null) {
      if (key >= n.key) n = n.right;
      else {
        acc += size(n.right) + n.mult;
        n = n.left;
      }
    }
    return acc;
  }

  private nextPrio(): number {
    let x = this.seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.seed = x >>> 0;
    return this.seed;
  }

  private insertAt(n: TreapNode | null, key: number): TreapNode {
    if (n === null)
      return { key, mult: 1, size: 1, prio: this.nextPrio(), left: null, right: null };
    if (key === n.key) {
      n.mult++;
      n.size++;
      return n;
    }
    if (key < n.key) {
      const l = this.insertAt(n.left, key);
      n.left = l;
      if (l.prio > n.prio) {
        n.left = l.right;
        update(n);
        l.right = n;
        update(l);
        return l;
      }
    } else {
      const r = this.insertAt(n.right, key);
      n.right = r;
      if (r.prio > n.prio) {
        n.right = r.left;
        update(n);
        r.left = n;
        update(r);
        return r;
      }
    }
    update(n);
    return n;
  }

  private removeAt(n: TreapNode | null, key: number): TreapNode | null {
    if (n === null) return null;
    if (key === n.key) {
      if (n.mult > 1) {
        n.mult--;
        n.size--;
        return n;
      }
      return merge(n.left, n.right);
    }
    if (key < n.key) n.left = this.removeAt(n.left, key);
    else n.right = this.removeAt(n.right, key);
    update(n);
    return n;
  }
}

/** Merges two treaps where every key of `a` is below every key of `b`. */
function merge(a: TreapNode | null, b: TreapNode | null): TreapNode | null {
  if (a === null) return b;
  if (b === null) return a;
  if (a.prio > b.prio) {
    a.right = merge(a.right, b);
    update(a);
    return a;
  }
  b.left = merge(a, b.left);
  update(b);
  return b;
}
