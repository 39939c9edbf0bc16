// The package as a user installs it: build dist/ (without declarations unless
// asked), `npm pack` it, and unpack the tarball into a fresh consumer project's
// node_modules/edgewatch, with the package's dependencies linked from this
// repository's node_modules (offline: the same versions npm would install).
// Used by scripts/size.mjs and test/dist/tarball.test.ts.
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Builds and packs the package.
 *
 * @param {{ types?: boolean }} [options] - `types`: emit declarations (slower).
 * @returns {{ tarball: string, files: { path: string, size: number }[], size: number, unpackedSize: number }}
 */
export function packPackage({ types = false } = {}) {
  const stage = mkdtempSync(join(root, 'build', 'pack-'));
  execFileSync(process.execPath, ['scripts/build-wasm.mjs'], { cwd: root, stdio: 'pipe' });
  execFileSync(
    process.execPath,
    ['scripts/build.mjs', '--outdir', join(stage, 'dist'), ...(types ? [] : ['--no-types'])],
    { cwd: root, stdio: 'pipe', timeout: 300_000 },
  );
  for (const f of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'bin', 'schemas']) {
    if (existsSync(join(root, f))) cpSync(join(root, f), join(stage, f), { recursive: true });
  }
  const out = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', stage], {
    cwd: stage,
    encoding: 'utf8',
  });
  const [info] = JSON.parse(out);
  return {
    tarball: join(stage, info.filename),
    stage,
    files: info.files.map((f) => ({ path: f.path, size: f.size })),
    size: info.size,
    unpackedSize: info.unpackedSize,
  };
}

/**
 * Creates a consumer project with the tarball unpacked as node_modules/edgewatch.
 *
 * @param {string} tarball - from {@link packPackage}.
 * @param {string} [dir] - the project folder (a new temp folder under build/ by default).
 * @param {string[]} [extraLinks] - more packages to link from this repository's node_modules.
 * @returns {string} the project folder.
 */
export function installConsumer(tarball, dir = mkdtempSync(join(root, 'build', 'consumer-')), extraLinks = []) {
  const modules = join(dir, 'node_modules');
  const target = join(modules, 'edgewatch');
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
  const pkg = JSON.parse(readFileSync(join(target, 'package.json'), 'utf8'));
  const deps = [
    ...Object.keys(pkg.dependencies ?? {}),
    ...Object.keys(pkg.optionalDependencies ?? {}),
    ...extraLinks,
  ];
  for (const dep of deps) {
    const from = join(root, 'node_modules', dep);
    const to = join(modules, dep);
    if (!existsSync(from) || existsSync(to)) continue;
    mkdirSync(dirname(to), { recursive: true });
    symlinkSync(from, to, 'dir');
  }
  // A project of its own: without this file, tools that look upwards for a
  // tsconfig.json (webpack 5 does) would find this repository's, whose `paths`
  // map `edgewatch` to src/.
  if (!existsSync(join(dir, 'tsconfig.json'))) writeFileSync(join(dir, 'tsconfig.json'), '{}\n');
  if (!existsSync(join(dir, 'package.json')))
    writeFileSync(
      join(dir, 'package.json'),
      `${JSON.stringify({ name: 'edgewatch-consumer', private: true, type: 'module' }, null, 2)}\n`,
    );
  return dir;
}

/** Lists files under `dir`, relative, recursively. */
export function listFiles(dir) {
  return readdirSync(dir, { recursive: true }).map(String);
}
