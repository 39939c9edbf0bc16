/**
 * The `edgewatch-collector` command line (`node:util` `parseArgs`). `--help`
 * lists every flag and environment variable with its default; `--version`
 * prints the package version; neither loads SQLite (it loads when the store opens). An invalid value is a
 * `ConfigError` (the launcher exits 2 with the reason). Stops gracefully on
 * SIGINT/SIGTERM.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ConfigError } from '../errors.js';
import type { CollectorOptions } from './options.js';
import { startCollector } from './server.js';
import { isPostgresUrl, redactDbUrl } from './store.js';

interface Flag {
  type: 'string' | 'boolean';
  multiple?: boolean;
  arg?: string;
  help: string;
  def?: string;
}

const FLAGS: Record<string, Flag> = {
  port: { type: 'string', arg: '<n>', help: 'TCP port (0 picks a free one)', def: '9464' },
  host: { type: 'string', arg: '<addr>', help: 'interface to listen on', def: '127.0.0.1' },
  db: {
    type: 'string',
    arg: '<path|url>',
    help: "SQLite file (':memory:' for none), or a postgres:// URL shared by several collectors (needs `npm install pg`; prefer EDGEWATCH_DB to keep its password out of ps)",
    def: './edgewatch.db',
  },
  synchronous: {
    type: 'string',
    arg: 'full|normal',
    help: 'full: a 2xx means fsynced; normal: faster, NOT power-safe (may lose acknowledged windows)',
    def: 'full',
  },
  'sqlite-writer': {
    type: 'string',
    arg: 'main|worker',
    help: 'SQLite: run ingest commits on the main thread (lowest latency up to ~2,000 windows/s) or in a worker thread (the event loop keeps serving during each fsync; about twice the rate at saturation)',
    def: 'main',
  },
  retention: {
    type: 'string',
    arg: '<duration>',
    help: 'SQLite: windows ending longer ago (e.g. 30d, 12h, 90m) are merged into hourly aggregates per model/version/device and deleted; off: keep every window',
    def: '30d',
  },
  'hourly-retention': {
    type: 'string',
    arg: '<duration>',
    help: 'SQLite: hourly aggregates of hours that ended longer ago (e.g. 400d; at least --retention) are deleted, in small batches; off: keep them',
    def: '400d',
  },
  'snapshot-interval': {
    type: 'string',
    arg: '<s>',
    help: 'SQLite: save the fleet aggregates every this many seconds (and every 20,000 windows, and on shutdown) so a restart replays only newer windows; 0: off',
    def: '30',
  },
  token: {
    type: 'string',
    arg: '<secret>',
    help: 'bearer token for ingest and every read of stored data (prefer EDGEWATCH_TOKEN)',
    def: 'none: no auth',
  },
  'scrape-token': {
    type: 'string',
    arg: '<secret>',
    help: 'separate bearer token that opens /metrics only (prefer EDGEWATCH_SCRAPE_TOKEN)',
    def: 'none',
  },
  'cors-origin': {
    type: 'string',
    multiple: true,
    arg: '<origin>',
    help: "browser origin allowed by CORS; repeat for several, '*' for any",
    def: 'none: CORS off',
  },
  'remote-write': {
    type: 'string',
    arg: '<url>',
    help: 'Prometheus remote-write endpoint',
    def: 'off',
  },
  'remote-write-sketches': {
    type: 'string',
    arg: '<classic|native>',
    help: 'sketches as classic le buckets, or Prometheus native histograms',
    def: 'classic',
  },
  'max-devices': {
    type: 'string',
    arg: '<n>',
    help: 'distinct device labels before _overflow',
    def: '1000',
  },
  'max-models': {
    type: 'string',
    arg: '<n>',
    help: 'distinct model names before _overflow',
    def: '100',
  },
  'max-versions': {
    type: 'string',
    arg: '<n>',
    help: 'versions per model before _overflow',
    def: '20',
  },
  'max-features': {
    type: 'string',
    arg: '<n>',
    help: 'names per model (drift features, sketches, metrics, alerts, drop reasons) before _overflow',
    def: '200',
  },
  'series-ttl': {
    type: 'string',
    arg: '<s>',
    help: 'drop series not updated for this many seconds',
    def: '86400',
  },
  'rate-limit': {
    type: 'string',
    arg: '<n>',
    help: 'ingest requests per second per device (0: off)',
    def: '10',
  },
  'rate-burst': { type: 'string', arg: '<n>', help: 'burst per device', def: '100' },
  'max-body-bytes': { type: 'string', arg: '<n>', help: 'largest request body', def: '1048576' },
  'max-windows-per-request': {
    type: 'string',
    arg: '<n>',
    help: 'windows per request',
    def: '1000',
  },
  'max-connections': { type: 'string', arg: '<n>', help: 'open connections', def: '1000' },
  'max-buffered-bytes': {
    type: 'string',
    arg: '<n>',
    help: 'request body bytes buffered at once over all requests (503 beyond)',
    def: '16777216',
  },
  'request-timeout': {
    type: 'string',
    arg: '<ms>',
    help: 'time to receive a whole request',
    def: '30000',
  },
  'headers-timeout': {
    type: 'string',
    arg: '<ms>',
    help: 'time to receive the headers',
    def: '10000',
  },
  help: { type: 'boolean', help: 'print this help and exit' },
  version: { type: 'boolean', help: 'print the version and exit' },
};

const ENV: Array<[string, string]> = [
  ['EDGEWATCH_TOKEN', 'bearer token (as --token; the flag wins)'],
  ['EDGEWATCH_SCRAPE_TOKEN', 'scrape token (as --scrape-token; the flag wins)'],
  ['EDGEWATCH_DB', 'store path or postgres:// URL (as --db; the flag wins)'],
];

/**
 * The `--help` text: every flag and environment variable with its default.
 *
 * @returns the usage text.
 */
export function collectorUsage(): string {
  const rows = Object.entries(FLAGS).map(([name, f]) => [
    `--${name}${f.arg ? ` ${f.arg}` : ''}`,
    `${f.help}${f.def ? ` (default ${f.def})` : ''}`,
  ]);
  const env = ENV.map(([k, v]) => [k, v]);
  const width = Math.max(...[...rows, ...env].map(([a]) => a!.length)) + 2;
  const fmt = (r: string[]) => `  ${r[0]!.padEnd(width)}${r[1]}`;
  return [
    'usage: edgewatch-collector [options]',
    '',
    'The edgewatch reference collector: ingests device windows (POST /v1/windows), stores them',
    'in SQLite, serves /metrics for Prometheus, /v1/windows, /v1/fleet and /healthz.',
    '',
    'Options:',
    ...rows.map(fmt),
    '',
    'Environment:',
    ...env.map(fmt),
    '',
  ].join('\n');
}

/**
 * The package version (read from the package's `package.json`).
 *
 * @returns e.g. `0.1.0`.
 */
export function collectorVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'edgewatch' && pkg.version) return pkg.version;
    } catch {
      // not here: look one level up
    }
    dir = dirname(dir);
  }
  return 'unknown';
}

function int(values: Record<string, unknown>, name: string, min: number): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const x = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isInteger(x) || x < min)
    throw new ConfigError(
      `expected --${name} to be an integer >= ${min}, got ${JSON.stringify(v)}`,
    );
  return x;
}

function secret(
  flag: unknown,
  env: string | undefined,
  name: string,
  envName: string,
): string | undefined {
  const v = typeof flag === 'string' ? flag : env;
  if (v === undefined) return undefined;
  if (v.trim() === '')
    throw new ConfigError(
      `expected ${typeof flag === 'string' ? `--${name}` : envName} to be a non-empty token, got an empty one (unset it to run without auth)`,
    );
  return v;
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * A `--retention` (or `--hourly-retention`) value in ms.
 *
 * @param v - a whole number with a unit (`30d`, `12h`, `90m`, `3600s`), or `off` / `0`.
 * @param flag - the flag's name, for the error.
 * @returns ms (0 for off).
 * @throws ConfigError on anything else.
 */
function parseDuration(v: string, flag = 'retention'): number {
  if (v === 'off' || v === '0') return 0;
  const m = /^(\d+)([smhd])$/.exec(v);
  const n = m ? Number(m[1]) * UNIT_MS[m[2]!]! : NaN;
  if (!(n > 0) || !Number.isSafeInteger(n))
    throw new ConfigError(
      `expected --${flag} to be a duration such as 30d, 12h, 90m or 3600s, or off, got ${JSON.stringify(v)}`,
    );
  return n;
}

/**
 * Parses command-line arguments (and the token and store environment variables).
 *
 * @param argv - arguments after the script name.
 * @param env - the environment (`EDGEWATCH_TOKEN`, `EDGEWATCH_SCRAPE_TOKEN`, `EDGEWATCH_DB`). Default `process.env`.
 * @returns collector options.
 * @throws ConfigError on an unknown flag or a bad value, naming it.
 * @example
 * parseCollectorArgs(['--port', '0', '--db', ':memory:']); // => { port: 0, dbPath: ':memory:' }
 */
export function parseCollectorArgs(
  argv: readonly string[],
  env: Record<string, string | undefined> = process.env,
): CollectorOptions {
  let values: Record<string, unknown>;
  try {
    const options = Object.fromEntries(
      Object.entries(FLAGS).map(([k, f]) => [k, { type: f.type, multiple: f.multiple ?? false }]),
    );
    values = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (e) {
    throw new ConfigError(`${(e as Error).message}; see --help`);
  }
  const o: CollectorOptions = {};
  const port = int(values, 'port', 0);
  if (port !== undefined) {
    if (port > 65535) throw new ConfigError(`expected --port in 0..65535, got ${port}`);
    o.port = port;
  }
  if (values.host !== undefined) o.host = values.host as string;
  const db = (values.db as string | undefined) ?? env.EDGEWATCH_DB;
  if (db !== undefined) o.dbPath = db;
  const sync = values.synchronous;
  if (sync !== undefined) {
    if (sync !== 'full' && sync !== 'normal')
      throw new ConfigError(`expected --synchronous full|normal, got ${JSON.stringify(sync)}`);
    o.synchronous = sync;
  }
  const writer = values['sqlite-writer'];
  if (writer !== undefined) {
    if (writer !== 'worker' && writer !== 'main')
      throw new ConfigError(`expected --sqlite-writer main|worker, got ${JSON.stringify(writer)}`);
    o.sqliteWriter = writer;
  }
  const token = secret(values.token, env.EDGEWATCH_TOKEN, 'token', 'EDGEWATCH_TOKEN');
  if (token !== undefined) o.token = token;
  const scrape = secret(
    values['scrape-token'],
    env.EDGEWATCH_SCRAPE_TOKEN,
    'scrape-token',
    'EDGEWATCH_SCRAPE_TOKEN',
  );
  if (scrape !== undefined) o.scrapeToken = scrape;
  if (values['cors-origin'] !== undefined) o.corsOrigin = values['cors-origin'] as string[];
  const rw = values['remote-write'];
  if (rw !== undefined) {
    if (!/^https?:\/\/\S+$/.test(rw as string))
      throw new ConfigError(
        `expected --remote-write to be an http(s) URL, got ${JSON.stringify(rw)}`,
      );
    o.remoteWrite = { url: rw as string };
  }
  const rws = values['remote-write-sketches'];
  if (rws !== undefined) {
    if (rws !== 'classic' && rws !== 'native')
      throw new ConfigError(
        `expected --remote-write-sketches to be classic or native, got ${JSON.stringify(rws)}`,
      );
    if (!o.remoteWrite)
      throw new ConfigError('expected --remote-write with --remote-write-sketches, got none');
    o.remoteWrite.sketches = rws;
  }
  const ints: Array<[string, keyof CollectorOptions, number, number]> = [
    ['max-devices', 'maxDevices', 1, 1],
    ['max-models', 'maxModels', 1, 1],
    ['max-versions', 'maxVersions', 1, 1],
    ['max-features', 'maxFeatures', 1, 1],
    ['series-ttl', 'seriesTtlMs', 1, 1000],
    ['snapshot-interval', 'snapshotIntervalMs', 0, 1000],
    ['max-body-bytes', 'maxBodyBytes', 1, 1],
    ['max-windows-per-request', 'maxWindowsPerRequest', 1, 1],
    ['max-connections', 'maxConnections', 1, 1],
    ['max-buffered-bytes', 'maxBufferedBytes', 1, 1],
    ['request-timeout', 'requestTimeoutMs', 1, 1],
    ['headers-timeout', 'headersTimeoutMs', 1, 1],
  ];
  for (const [flag, key, min, scale] of ints) {
    const v = int(values, flag, min);
    if (v !== undefined) (o as Record<string, unknown>)[key] = v * scale;
  }
  if (values.retention !== undefined) o.retentionMs = parseDuration(values.retention as string);
  if (values['hourly-retention'] !== undefined)
    o.hourlyRetentionMs = parseDuration(values['hourly-retention'] as string, 'hourly-retention');
  const rate = int(values, 'rate-limit', 0);
  const burst = int(values, 'rate-burst', 1);
  if (rate === 0) o.rateLimit = false;
  else if (rate !== undefined || burst !== undefined) {
    o.rateLimit = {};
    if (rate !== undefined) o.rateLimit.perSecond = rate;
    if (burst !== undefined) o.rateLimit.burst = burst;
  }
  return o;
}

/** The store as the start-up line names it (a PostgreSQL URL without its password). */
function storeDescription(o: CollectorOptions): string {
  const path = o.dbPath ?? './edgewatch.db';
  return isPostgresUrl(path)
    ? `${redactDbUrl(path)} (PostgreSQL, shared)`
    : `${path} (synchronous ${o.synchronous ?? 'full'})`;
}

/**
 * The start-up line: address, store, windows reloaded, auth, remote-write target, CORS.
 *
 * @param url - where it listens.
 * @param o - the options it runs with.
 * @param reloaded - windows reloaded from the store.
 * @returns one line.
 */
export function startupLine(url: string, o: CollectorOptions, reloaded: number): string {
  const cors = o.corsOrigin === undefined ? 'off' : [o.corsOrigin].flat().join(' ');
  return (
    `edgewatch-collector ${collectorVersion()} listening on ${url}; ` +
    `store ${storeDescription(o)}, ${reloaded} windows reloaded; ` +
    `auth ${o.token ? 'on' : 'off'}${o.scrapeToken ? ' (+ scrape token)' : ''}; ` +
    `remote write ${o.remoteWrite?.url ?? 'off'}; CORS ${cors}`
  );
}

/**
 * Runs the collector until SIGINT/SIGTERM (`--help` and `--version` print and return).
 *
 * @param argv - arguments after the script name.
 * @returns resolves once the server listens.
 * @throws ConfigError on a bad flag or value (exit 2); StorageError when the store cannot open.
 */
export async function runCollectorCli(argv: readonly string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(collectorUsage());
    return;
  }
  if (argv.includes('--version')) {
    console.log(collectorVersion());
    return;
  }
  const options = parseCollectorArgs(argv);
  options.onError = (e) =>
    console.error(`edgewatch-collector: ${(e as Error)?.message ?? String(e)}`);
  const c = await startCollector(options);
  console.log(startupLine(c.url, options, c.stats().windows));
  const stop = (sig: string): void => {
    console.log(`edgewatch-collector: ${sig}, shutting down`);
    c.close().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}
