/**
 * "A window was sealed" notices: local listeners plus a `BroadcastChannel` so
 * the flushing tab hears about seals in other tabs. Where BroadcastChannel is
 * missing, notices stay local (the flusher's interval still finds the window).
 */

/** A local + cross-context notice channel. */
export interface SealNotifier {
  notify(): void;
  subscribe(fn: () => void): () => void;
  close(): void;
}

/**
 * Creates a notifier on channel `name`.
 *
 * @param name - BroadcastChannel name.
 * @returns the notifier.
 */
export function createNotifier(name: string): SealNotifier {
  const listeners = new Set<() => void>();
  let channel: BroadcastChannel | undefined;
  const fire = (): void => {
    for (const fn of listeners) {
      try {
        fn();
      } catch {
        // A listener's failure must not stop the others.
      }
    }
  };
  const open = (): BroadcastChannel | undefined => {
    if (channel || typeof BroadcastChannel === 'undefined') return channel;
    channel = new BroadcastChannel(name);
    channel.onmessage = fire;
    // Node: do not keep the process alive for this channel.
    (channel as unknown as { unref?: () => void }).unref?.();
    return channel;
  };
  return {
    notify() {
      fire();
      open()?.postMessage({ type: 'sealed' });
    },
    subscribe(fn) {
      listeners.add(fn);
      open();
      return () => listeners.delete(fn);
    },
    close() {
      listeners.clear();
      channel?.close();
      channel = undefined;
    },
  };
}
