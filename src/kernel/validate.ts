/**
 * Input checks shared by both kernels (run in TypeScript before any kernel work,
 * so both implementations reject the same inputs with the same message).
 */
import { DataError } from '../errors.js';

/**
 * Checks bin edges for {@link Kernel.binCounts}.
 * @param edges - bin edges.
 * @throws DataError unless every edge is a number, none is NaN and they are non-decreasing.
 * @example assertEdges(new Float64Array([0, 1, 2])) // ok
 */
export function assertEdges(edges: Float64Array): void {
  if (!(edges instanceof Float64Array))
    throw new DataError(`expected edges as a Float64Array, got ${typeof edges}`);
  for (let i = 0; i < edges.length; i++) {
    const e = edges[i] as number;
    if (Number.isNaN(e)) throw new DataError(`expected non-NaN bin edges, got NaN at index ${i}`);
    if (i > 0 && e < (edges[i - 1] as number)) {
      throw new DataError(
        `expected non-decreasing bin edges, got ${edges[i - 1]} before ${e} at index ${i}`,
      );
    }
  }
}
