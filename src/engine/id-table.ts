/**
 * What a worker service holds for its callers (sketch handles, prepared drift
 * references, profilers, multivariate models), by id. Ids count up from 1 and
 * are never reused, so a stale id is an error, never somebody else's object.
 */
export class IdTable<T> {
  private readonly items = new Map<number, T>();
  private nextId = 1;

  /** @param unknown - the error for an id that is not held (never was, or released). */
  constructor(private readonly unknown: (id: unknown) => Error) {}

  /**
   * Holds `item` under a new id.
   *
   * @param item - what to hold.
   * @returns its id.
   * @example const id = table.add(model);
   */
  add(item: T): number {
    const id = this.nextId++;
    this.items.set(id, item);
    return id;
  }

  /**
   * The item held under `id`.
   *
   * @param id - an id from {@link IdTable.add}.
   * @returns the item.
   * @throws the constructor's error when `id` is not held.
   * @example table.get(id).compare(window);
   */
  get(id: number): T {
    const item = this.items.get(id);
    if (item === undefined) throw this.unknown(id);
    return item;
  }

  /**
   * Stops holding `id`. Idempotent.
   *
   * @param id - the id.
   * @returns the item it held, or undefined when it held none.
   * @example table.delete(id);
   */
  delete(id: number): T | undefined {
    const item = this.items.get(id);
    this.items.delete(id);
    return item;
  }

  /** How many items are held (for leak checks). */
  get size(): number {
    return this.items.size;
  }
}
