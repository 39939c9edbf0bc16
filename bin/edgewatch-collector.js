#!/usr/bin/env node
// edgewatch-collector: runs the built collector (dist/collector/index.js, after
// `npm run build`); in a source checkout without dist it runs the TypeScript
// source through tsx (a devDependency), so `npm run collector` works from a
// fresh clone either way.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'collector', 'index.js');
let mod;
if (existsSync(built)) {
  mod = await import(pathToFileURL(built).href);
} else {
  try {
    const { register } = await import('tsx/esm/api');
    register();
  } catch {
    console.error(
      'edgewatch-collector: dist/collector/index.js is missing and tsx is not installed; run `npm run build` first.',
    );
    process.exit(1);
  }
  mod = await import(pathToFileURL(join(root, 'src', 'collector', 'index.ts')).href);
}
try {
  await mod.runCollectorCli(process.argv.slice(2));
} catch (e) {
  // A bad flag or value (ConfigError) exits 2, like other CLIs' usage errors; anything else 1.
  console.error(`edgewatch-collector: ${e?.message ?? e}`);
  process.exit(e?.name === 'ConfigError' ? 2 : 1);
}
