/**
 * The real `promtool` (Debian package `prometheus`): tests that need it skip
 * where it is missing, except on CI, which must have it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { expect } from 'vitest';

/** Path of promtool (`PROMTOOL` overrides). */
export const PROMTOOL = process.env['PROMTOOL'] ?? '/usr/bin/promtool';

/** Whether to skip the promtool tests: no promtool here, and not on CI. */
export const promtoolMissing = !existsSync(PROMTOOL) && !process.env.CI;

/** `promtool check metrics` of an exposition: exit status and all it printed. */
export function promtoolCheck(text: string): { status: number | null; output: string } {
  const r = spawnSync(PROMTOOL, ['check', 'metrics'], {
    input: text,
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

/** The exposition passes `promtool check metrics`: exit 0, nothing printed. */
export function expectPromtoolClean(text: string): void {
  const r = promtoolCheck(text);
  expect(r.output).toBe('');
  expect(r.status).toBe(0);
}
