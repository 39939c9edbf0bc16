/**
 * The one typed event emitter of the library (browser and Node alike; no
 * `EventTarget` allocation per event). A throwing listener never stops the
 * others: the failure goes to the `onListenerError` hook the owner supplies.
 */

/** Map from event name to listener signature. */
export type EventMap<E> = { [K in keyof E]: (...args: any[]) => void };

/** Listener signatures for a map of event name → single payload type. */
export type PayloadListeners<P> = { [K in keyof P]: (payload: P[K]) => void };

/**
 * Typed emitter used by every class with `on(event, fn)` (AlertSystem,
 * RetrainTrigger, EdgeMonitor, ABTest, ModelRegistry).
 *
 * @typeParam E - event name -> listener signature.
 * @example
 * ```ts
 * const em = new TypedEmitter<{ tick: (n: number) => void }>((event, error) => console.error(event, error));
 * const off = em.on('tick', (n) => console.log(n));
 * em.emit('tick', 1);
 * off();
 * ```
 */
export class TypedEmitter<E extends EventMap<E>> {
  private readonly listeners = new Map<keyof E, Set<E[keyof E]>>();

  /**
   * @param onListenerError - called when a listener throws (event name, thrown value).
   */
  constructor(private readonly onListenerError: (event: keyof E, error: unknown) => void) {}

  /**
   * Adds a listener.
   *
   * @param event - the event name.
   * @param fn - the listener.
   * @returns a function that removes this listener (idempotent).
   */
  on<K extends keyof E>(event: K, fn: E[K]): () => void {
    let set = this.listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(event, set);
    }
    // Wrap so that adding the same function twice yields two independent subscriptions.
    const entry = ((...args: unknown[]) => fn(...args)) as E[K];
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  }

  /** Removes every listener (the owner is closing). */
  clear(): void {
    this.listeners.clear();
  }

  /** Number of listeners of `event`. */
  listenerCount(event: keyof E): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  /**
   * Calls every listener of `event` in subscription order. Never throws.
   *
   * @param event - the event name.
   * @param args - the listener arguments.
   */
  emit<K extends keyof E>(event: K, ...args: Parameters<E[K]>): void {
    const set = this.listeners.get(event);
    if (set === undefined) return;
    for (const fn of [...set]) {
      try {
        fn(...args);
      } catch (error) {
        try {
          this.onListenerError(event, error);
        } catch {
          // The error hook itself failed: nothing sane is left to report to.
        }
      }
    }
  }
}
