/**
 * The pieces the stores share to turn a {@link WindowQuery} into SQL: the
 * page size and the optional equality and range filters.
 */
import type { WindowQuery } from './window-db.js';

/** A WHERE condition and its value; an undefined value means no such filter. */
export type QueryFilter = [clause: string, value: string | number | undefined];

/** Rows in one page: the query's `limit` clamped to 1..1000, 100 when unset. */
export function pageLimit(q: WindowQuery): number {
  return Math.min(1000, Math.max(1, q.limit ?? 100));
}

/**
 * A `?`-placeholder WHERE clause: `base` and each filter whose value is
 * defined, joined with AND, with the arguments in placeholder order.
 */
export function whereClause(
  base: string,
  baseArgs: readonly (string | number)[],
  filters: readonly QueryFilter[],
): { sql: string; args: (string | number)[] } {
  const where = [base];
  const args = [...baseArgs];
  for (const [clause, value] of filters) {
    if (value === undefined) continue;
    where.push(clause);
    args.push(value);
  }
  return { sql: where.join(' AND '), args };
}
