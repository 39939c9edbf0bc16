/**
 * One flusher across tabs. With Web Locks (`navigator.locks`) the tab holding
 * the exclusive lock flushes, and the browser hands the lock on when that tab
 * dies. Without Web Locks, a lease in the store's meta (an atomic IndexedDB
 * read-modify-write, renewed every third of its term) elects the flusher. A
 * single-process store (memory, file) needs no election.
 */
import { ConfigError, describeValue } from '../errors.js';
import { optionalNumber } from '../util/options.js';
import type { WindowStore } from '../storage/window-store.js';
import type { Clock } from './clock.js';

/** How leadership is decided. */
export type LeaderMode = 'auto' | 'locks' | 'lease' | 'none';

/** Options of {@link LeaderElector}. */
export interface LeaderOptions {
  store: WindowStore;
  mode?: LeaderMode;
  /** Lease term, ms (lease mode). Default 10 000. */
  leaseMs?: number;
  clock: Clock;
  /** This contender's id. */
  id: string;
  onChange: (isLeader: boolean) => void;
  onError?: (e: unknown) => void;
}

interface Lease {
  owner: string;
  expiresAt: number;
}

interface LockManagerLike {
  request(
    name: string,
    options: { signal?: AbortSignal },
    cb: () => Promise<void>,
  ): Promise<unknown>;
}

/** Elects one leader among contenders sharing a store. */
export class LeaderElector {
  private leader = false;
  private stopped = true;
  private releaseLock: (() => void) | undefined;
  private abort: AbortController | undefined;
  private timer: unknown;
  readonly mode: Exclude<LeaderMode, 'auto'>;
  private readonly leaseMs: number;

  /**
   * @param opts - see {@link LeaderOptions}.
   * @throws ConfigError when `locks` is asked for where Web Locks are missing, or on a bad lease term.
   */
  constructor(private readonly opts: LeaderOptions) {
    const locks = LeaderElector.locks();
    const mode = opts.mode ?? 'auto';
    if (mode === 'auto')
      this.mode = locks ? 'locks' : opts.store.kind === 'indexeddb' ? 'lease' : 'none';
    else if (mode === 'locks' && !locks)
      throw new ConfigError('expected navigator.locks for leader mode "locks", got none');
    else if (mode === 'locks' || mode === 'lease' || mode === 'none') this.mode = mode;
    else
      throw new ConfigError(
        `expected leader mode 'auto' | 'locks' | 'lease' | 'none', got ${describeValue(mode)}`,
      );
    this.leaseMs = optionalNumber('leaseMs', opts.leaseMs, 10_000, { above: 0, infinite: true });
  }

  private static locks(): LockManagerLike | undefined {
    return (globalThis.navigator as unknown as { locks?: LockManagerLike } | undefined)?.locks;
  }

  /** Whether this contender is the leader now. */
  get isLeader(): boolean {
    return this.leader;
  }

  private set(v: boolean): void {
    if (v === this.leader) return;
    this.leader = v;
    this.opts.onChange(v);
  }

  /** Starts contending. Idempotent. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    if (this.mode === 'none') return this.set(true);
    if (this.mode === 'locks') {
      this.abort = new AbortController();
      const name = `edgewatch-flusher:${this.opts.store.name}`;
      LeaderElector.locks()!
        .request(name, { signal: this.abort.signal }, () => {
          if (this.stopped) return Promise.resolve();
          this.set(true);
          return new Promise<void>((resolve) => (this.releaseLock = resolve));
        })
        .catch((e: unknown) => {
          if ((e as { name?: string })?.name !== 'AbortError') this.opts.onError?.(e);
        });
      return;
    }
    void this.renew();
  }

  private async renew(): Promise<void> {
    if (this.stopped) return;
    const { id, clock, store } = this.opts;
    try {
      const now = clock.now();
      const lease = await store.updateMeta<Lease | null>('leaderLease', (old) =>
        !old || old.owner === id || old.expiresAt <= now
          ? { owner: id, expiresAt: now + this.leaseMs }
          : old,
      );
      if (!this.stopped) this.set(lease?.owner === id);
    } catch (e) {
      this.set(false);
      this.opts.onError?.(e);
    }
    if (!this.stopped) this.timer = clock.setTimeout(() => void this.renew(), this.leaseMs / 3);
  }

  /** Stops contending and gives leadership up (releases the lock or the lease). Idempotent. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.opts.clock.clearTimeout(this.timer);
    this.abort?.abort();
    this.releaseLock?.();
    this.releaseLock = undefined;
    if (this.mode === 'lease' && this.leader) {
      const id = this.opts.id;
      await this.opts.store
        .updateMeta<Lease | null>('leaderLease', (old) =>
          old?.owner === id ? null : (old ?? null),
        )
        .catch((e: unknown) => this.opts.onError?.(e));
    }
    this.set(false);
  }
}
