/**
 * A tiny typed event emitter for the lifecycle classes. A listener that throws
 * never breaks the caller: the error goes to the `error` handler given at
 * construction (or is swallowed when none is given).
 */

/** Map of event name → payload type. */
export type EventMap = Record<string, unknown>;

/** Typed listener registry; `on` returns an unsubscribe function. */
export class Emitter<E extends EventMap> {
  private readonly listeners = new Map<keyof E, Set<(payload: never) => void>>();

  /**
   * @param onError - receives errors thrown by listeners.
   */
  constructor(private readonly onError?: (error: unknown) => void) {}

  /**
   * Subscribes to an event.
   * @param event - the event name.
   * @param fn - the listener.
   * @returns a function that unsubscribes.
   * @example const off = emitter.on('decision', (d) => console.log(d)); off();
   */
  on<K extends keyof E>(event: K, fn: (payload: E[K]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(fn as (payload: never) => void);
    return () => {
      set.delete(fn as (payload: never) => void);
    };
  }

  /**
   * Calls every listener of `event` with `payload`.
   * @param event - the event name.
   * @param payload - the payload.
   */
  emit<K extends keyof E>(event: K, payload: E[K]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const fn of [...set]) {
      try {
        (fn as (p: E[K]) => void)(payload);
      } catch (error) {
        this.onError?.(error);
      }
    }
  }
}
