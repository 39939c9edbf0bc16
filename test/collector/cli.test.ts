/** The `edgewatch-collector` command line, run as a real process. */
import { describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseCollectorArgs } from '../../src/collector/cli.js';
import { ConfigError } from '../../src/errors.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = `${root}bin/edgewatch-collector.js`;
const noSqlite = fileURLToPath(new URL('./no-sqlite.cjs', import.meta.url));
const { EDGEWATCH_TOKEN: _t, EDGEWATCH_SCRAPE_TOKEN: _s, ...cleanEnv } = process.env;

function run(
  args: string[],
  env: Record<string, string> = {},
  node: string[] = [],
): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...node, bin, ...args],
      { cwd: root, env: { ...cleanEnv, ...env }, timeout: 60_000 },
      (e, out, err) => resolve({ code: e ? ((e as { code?: number }).code ?? 1) : 0, out, err }),
    );
  });
}

describe('edgewatch-collector CLI', () => {
  it('--help lists every flag and environment variable with defaults, without SQLite installed', async () => {
    const { code, out } = await run(['--help'], {}, ['--require', noSqlite]);
    expect(code).toBe(0);
    for (const flag of [
      '--port',
      '--host',
      '--db',
      '--token',
      '--scrape-token',
      '--cors-origin',
      '--remote-write',
      '--max-devices',
      '--rate-limit',
      '--synchronous',
      '--version',
    ])
      expect(out).toContain(flag);
    expect(out).toMatch(/EDGEWATCH_TOKEN/);
    expect(out).toMatch(/EDGEWATCH_SCRAPE_TOKEN/);
    expect(out).toMatch(/--port <n>\s+.*\(default 9464\)/);
    expect(out).toMatch(/NOT power-safe/);
  }, 60_000);

  it('--version prints the package version; importing the collector never loads SQLite', async () => {
    const v = await run(['--version'], {}, ['--require', noSqlite]);
    expect(v.code).toBe(0);
    expect(v.out.trim()).toMatch(/^\d+\.\d+\.\d+/);
    // Starting one without better-sqlite3 says which package to install.
    const s = await run(['--port', '0', '--db', ':memory:'], {}, ['--require', noSqlite]);
    expect(s.code).toBe(1);
    expect(s.err).toMatch(/npm install better-sqlite3/);
    // A postgres:// store without the pg client says so, and never shows the URL's password.
    const p = await run(
      ['--port', '0', '--db', 'postgres://edge:s3cret@127.0.0.1:1/fleet'],
      { EW_HIDE_MODULES: 'pg' },
      ['--require', noSqlite],
    );
    expect(p.code).toBe(1);
    expect(p.err).toMatch(/npm install pg/);
    expect(p.out + p.err).not.toContain('s3cret');
  }, 60_000);

  it('invalid values exit 2 with the reason; an empty token refuses to start', async () => {
    const cases: Array<[string[], Record<string, string>, RegExp]> = [
      [['--max-devices', 'abc'], {}, /--max-devices to be an integer >= 1, got "abc"/],
      [['--port', '70000'], {}, /--port in 0\.\.65535/],
      [['--synchronous', 'off'], {}, /--synchronous full\|normal/],
      [['--nope'], {}, /Unknown option '--nope'/],
      [['--remote-write', 'ftp://x'], {}, /http\(s\) URL/],
      [['--token', ''], {}, /--token to be a non-empty token/],
      [[], { EDGEWATCH_TOKEN: ' ' }, /EDGEWATCH_TOKEN to be a non-empty token/],
    ];
    for (const [args, env, re] of cases) {
      const { code, err } = await run(args, env);
      expect(code, args.join(' ')).toBe(2);
      expect(err, args.join(' ')).toMatch(re);
    }
  }, 120_000);

  it('prints a start-up line with address, store, windows reloaded, auth and remote-write target', async () => {
    const child = spawn(
      process.execPath,
      [bin, '--port', '0', '--db', ':memory:', '--remote-write', 'http://127.0.0.1:9/api/v1/write'],
      { cwd: root, env: { ...cleanEnv, EDGEWATCH_TOKEN: 'secret' } },
    );
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        if (out.includes('\n')) resolve(out.split('\n')[0]!);
      });
      child.on('exit', (c) => reject(new Error(`exited ${c}`)));
    });
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    expect(line).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(line).toMatch(/store :memory: \(synchronous full\), 0 windows reloaded/);
    expect(line).toMatch(/auth on/);
    expect(line).toMatch(/remote write http:\/\/127\.0\.0\.1:9\/api\/v1\/write/);
    expect(line).toMatch(/CORS off/);
  }, 60_000);

  it('parses repeated origins, rate limits and the TTL in seconds', () => {
    expect(
      parseCollectorArgs(
        [
          '--cors-origin',
          'http://a',
          '--cors-origin',
          'http://b',
          '--rate-limit',
          '0',
          '--series-ttl',
          '60',
        ],
        {},
      ),
    ).toEqual({ corsOrigin: ['http://a', 'http://b'], rateLimit: false, seriesTtlMs: 60_000 });
    expect(parseCollectorArgs(['--rate-limit', '3', '--rate-burst', '9'], {}).rateLimit).toEqual({
      perSecond: 3,
      burst: 9,
    });
    expect(() => parseCollectorArgs(['--rate-limit', '-1'], {})).toThrow(ConfigError);
  });
});
