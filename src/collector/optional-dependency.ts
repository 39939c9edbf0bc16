/**
 * The collector's optional packages (the SQLite and PostgreSQL clients): each
 * is required on first use, not at import, so the collector runs, and
 * `edgewatch-collector --help` answers, without the ones it does not use.
 */
import { createRequire } from 'node:module';
import { StorageError } from '../errors.js';

/**
 * A loader of an optional package: requires it on the first call and keeps it.
 *
 * @param pkg - the package name.
 * @param needs - what needs it, the start of the error message.
 * @returns the loader; it throws a StorageError naming the package to install when it is missing.
 * @example const loadPg = optionalDependency<typeof PgModule>('pg', 'a postgres:// store needs the pg client');
 */
export function optionalDependency<T>(pkg: string, needs: string): () => T {
  let loaded: T | undefined;
  return () => {
    if (loaded) return loaded;
    try {
      loaded = createRequire(import.meta.url)(pkg) as T;
      return loaded;
    } catch (e) {
      throw new StorageError(
        `${needs}, which is not installed: run \`npm install ${pkg}\` (${(e as Error).message})`,
        'STORAGE',
        { cause: e },
      );
    }
  };
}
