/**
 * Collects main-thread long tasks (> 50 ms) with `PerformanceObserver('longtask')`,
 * so the page (and the e2e test) can show the loop never blocks the UI.
 */

/** One observed long task. */
export interface LongTask {
  startTime: number;
  duration: number;
}

/**
 * Starts observing long tasks into `sink`.
 *
 * @param sink - receives every long task.
 * @returns whether the browser supports the `longtask` entry type.
 */
export function observeLongTasks(sink: (t: LongTask) => void): boolean {
  if (!PerformanceObserver.supportedEntryTypes?.includes('longtask')) return false;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) sink({ startTime: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask' });
  return true;
}
