/**
 * Where the e2e tests save their screenshots. The docs show the ones in
 * docs/screenshots/; a test run writes to build/screenshots/ so it leaves the
 * working tree clean, and `UPDATE_SCREENSHOTS=1` writes the docs' copies.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The path for a screenshot, its folder created.
 *
 * @param name - the file name without `.png`, e.g. `'demo-drift'`.
 * @returns docs/screenshots/<name>.png with `UPDATE_SCREENSHOTS=1`, else build/screenshots/<name>.png.
 * @example await page.screenshot({ path: screenshotPath('fleet-page'), fullPage: true });
 */
export function screenshotPath(name: string): string {
  const dir = `${repo}${process.env.UPDATE_SCREENSHOTS === '1' ? 'docs' : 'build'}/screenshots/`;
  mkdirSync(dir, { recursive: true });
  return `${dir}${name}.png`;
}
