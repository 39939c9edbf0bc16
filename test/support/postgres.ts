/**
 * A real, throwaway PostgreSQL server for tests: `initdb` and `pg_ctl` from the
 * Debian `postgresql` package (binaries under /usr/lib/postgresql/<major>/bin,
 * not on PATH) in a temporary directory, listening on a free loopback port.
 * initdb refuses to run as root, so under root the server runs as the
 * `postgres` user. `stop()` shuts it down and removes the directory.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from '../e2e/prom-process.js';

/** A running test server. */
export interface TestPostgres {
  /** Port on 127.0.0.1. */
  port: number;
  /** Connection URL of the `postgres` database. */
  url: string;
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server (immediate mode) and deletes its files. Idempotent. */
  stop(): void;
}

/** The newest installed PostgreSQL `bin` directory, or undefined. */
export function postgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const majors = readdirSync(root)
    .filter((d) => existsSync(join(root, d, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return majors.length > 0 ? join(root, majors[0]!, 'bin') : undefined;
}

/** Why PostgreSQL tests cannot run here, or undefined when they can. */
export function postgresMissing(): string | undefined {
  if (!postgresBin())
    return 'PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb; Debian package `postgresql`)';
  return undefined;
}

function uidOf(user: string): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

/**
 * Starts a server.
 *
 * @param settings - extra `postgres -c` settings (e.g. `{ fsync: 'off' }`).
 * @returns the running server.
 */
export async function startPostgres(settings: Record<string, string> = {}): Promise<TestPostgres> {
  const bin = postgresBin();
  if (!bin) throw new Error(postgresMissing());
  const dir = mkdtempSync(join(tmpdir(), 'ew-pg-'));
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]): string => {
    const full = join(bin, cmd);
    return asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', full, ...args], { encoding: 'utf8' })
      : execFileSync(full, args, { encoding: 'utf8' });
  };
  if (asRoot) {
    const { uid, gid } = uidOf('postgres');
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  let started = false;
  const stop = (): void => {
    if (started) {
      started = false;
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // already gone
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
    const port = await freePort();
    const opts = [
      `-p ${port}`,
      `-k ${dir}`,
      '-c listen_addresses=127.0.0.1',
      '-c max_connections=200',
      ...Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`),
    ].join(' ');
    try {
      run('pg_ctl', ['-D', data, '-l', log, '-o', opts, '-w', '-t', '60', 'start']);
    } catch (e) {
      const tail = existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : '';
      throw new Error(`pg_ctl start failed: ${(e as Error).message}\n${tail}`);
    }
    started = true;
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    return {
      port,
      url,
      async createDatabase(name: string): Promise<string> {
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        try {
          await c.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
        } finally {
          await c.end();
        }
        return `postgres://postgres@127.0.0.1:${port}/${name}`;
      },
      stop,
    };
  } catch (e) {
    stop();
    throw e;
  }
}
