/** Test helpers: a real collector on a free port, requests against it, promtool. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import {
  startCollector,
  type Collector,
  type CollectorOptions,
} from '../../src/collector/server.js';

const open: Collector[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A temporary directory, removed after the test (after the collectors it started closed). */
export function tempDir(prefix = 'ew-col-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}

/** Starts a collector (in-memory by default) closed after the test. */
export async function start(o: CollectorOptions = {}): Promise<Collector> {
  const c = await startCollector({ port: 0, dbPath: ':memory:', ...o });
  open.push(c);
  return c;
}

/** POSTs a body (objects as JSON, strings verbatim) to `/v1/windows`. */
export function post(
  c: Collector,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${c.url}/v1/windows`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** `promtool check metrics` output for an exposition ('' when clean); throws on a parse failure. */
export function promtool(text: string): string {
  return execFileSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
}
