/**
 * The boundaries of an `EdgeMonitor`'s windows in time: where the open window
 * started, whether it is due, and the timer that closes it when no
 * observation arrives to notice.
 */

/** Tracks the open window's start and arms a timer for its end. */
export class WindowClock {
  private startMs: number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  /**
   * @param now - the clock (epoch ms).
   * @param windowMs - window length in ms.
   * @param onDue - called by the timer when the open window is due.
   * @example new WindowClock(Date.now, 60_000, () => void monitor.sealWindow())
   */
  constructor(
    private readonly now: () => number,
    private readonly windowMs: number,
    private readonly onDue: () => void,
  ) {
    this.startMs = now();
  }

  /** Start of the open window (epoch ms). */
  get start(): number {
    return this.startMs;
  }

  /**
   * Whether the open window has reached its length. O(1).
   * @returns true when it should be closed.
   */
  due(): boolean {
    return this.now() - this.startMs >= this.windowMs;
  }

  /** (Re)arms the timer for the open window's end; a no-op once stopped. */
  arm(): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    const wait = Math.max(0, this.startMs + this.windowMs - this.now());
    this.timer = setTimeout(this.onDue, Math.min(wait, 2 ** 31 - 1));
  }

  /**
   * Ends the open window now (never before its start), starts the next and re-arms.
   * @returns the closed window's `[start, end]`.
   */
  advance(): { start: number; end: number } {
    const start = this.startMs;
    const end = Math.max(this.now(), start);
    this.startMs = end;
    this.arm();
    return { start, end };
  }

  /** Clears the timer for good (idempotent). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}
