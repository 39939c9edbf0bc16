/**
 * One retraining run turned into a value: the job's result or its error,
 * with timing, so `RetrainTrigger` records failures instead of rejecting.
 */
import { EdgewatchError } from '../errors.js';
import type { RetrainOutcome, RetrainReason } from './types.js';

/**
 * Runs `run(evidence)` and returns its outcome; never rejects.
 *
 * @param id - the run's id.
 * @param evidence - why it runs (passed to `run`).
 * @param startedAt - when it started (clock of `now`).
 * @param run - the retraining job (sync or async).
 * @param now - the clock for `finishedAt`.
 * @param timeoutMs - abandon the run after this many ms (undefined: wait for ever).
 * @returns `status: 'completed'` with the result, `status: 'failed'` with the
 *   error, or `status: 'timeout'` with an `EdgewatchError` of code `TIMEOUT`.
 * @example await runToOutcome(1, evidence, 0, async () => 'ok', () => 5) // => { id: 1, status: 'completed', result: 'ok', finishedAt: 5, … }
 */
export async function runToOutcome<E extends { reason: RetrainReason }, T>(
  id: number,
  evidence: E,
  startedAt: number,
  run: (evidence: E) => Promise<T> | T,
  now: () => number,
  timeoutMs?: number,
): Promise<RetrainOutcome<T>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const job = Promise.resolve().then(() => run(evidence));
    const timedOut = Symbol('timeout');
    const result =
      timeoutMs === undefined
        ? await job
        : await Promise.race([
            job,
            new Promise<typeof timedOut>((resolve) => {
              timer = setTimeout(() => resolve(timedOut), timeoutMs);
            }),
          ]);
    if (result === timedOut) {
      // Abandoned: a late rejection must not surface as an unhandled one.
      job.catch(() => undefined);
      return {
        id,
        reason: evidence.reason,
        startedAt,
        finishedAt: now(),
        status: 'timeout',
        error: new EdgewatchError(
          `RetrainTrigger: expected run ${id} to settle within ${timeoutMs} ms, it did not`,
          'TIMEOUT',
        ),
      };
    }
    return {
      id,
      reason: evidence.reason,
      startedAt,
      finishedAt: now(),
      status: 'completed',
      result,
    };
  } catch (error) {
    return {
      id,
      reason: evidence.reason,
      startedAt,
      finishedAt: now(),
      status: 'failed',
      error,
    };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}
