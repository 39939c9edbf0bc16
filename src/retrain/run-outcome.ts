/**
 * One retraining run turned into a value: the job's result or its error,
 * with timing, so `RetrainTrigger` records failures instead of rejecting.
 */
import type { RetrainOutcome, RetrainReason } from './types.js';

/**
 * Runs `run(evidence)` and returns its outcome; never rejects.
 *
 * @param id - the run's id.
 * @param evidence - why it runs (passed to `run`).
 * @param startedAt - when it started (clock of `now`).
 * @param run - the retraining job (sync or async).
 * @param now - the clock for `finishedAt`.
 * @returns `status: 'completed'` with the result, or `status: 'failed'` with the error.
 * @example await runToOutcome(1, evidence, 0, async () => 'ok', () => 5) // => { id: 1, status: 'completed', result: 'ok', finishedAt: 5, … }
 */
export async function runToOutcome<E extends { reason: RetrainReason }, T>(
  id: number,
  evidence: E,
  startedAt: number,
  run: (evidence: E) => Promise<T> | T,
  now: () => number,
): Promise<RetrainOutcome<T>> {
  try {
    const result = await run(evidence);
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
  }
}
