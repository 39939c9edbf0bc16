/** The PostgreSQL server a test file shares (Node only: it starts a process). */
import { afterAll, beforeAll } from 'vitest';
import { startPostgres, type TestPostgres } from './postgres.js';

/**
 * One throwaway PostgreSQL server (fsync off) for the test file, handed to
 * `set`; none where `missing` (the reason PostgreSQL cannot run here).
 */
export function usePostgres(
  missing: string | undefined,
  set: (server: TestPostgres) => void,
): void {
  let server: TestPostgres | undefined;
  beforeAll(async () => {
    if (missing) return;
    server = await startPostgres({ fsync: 'off' });
    set(server);
  }, 120_000);
  afterAll(() => server?.stop());
}
