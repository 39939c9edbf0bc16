/**
 * What a browser bundle of some source modules loads at start and what it
 * loads only through `import()`: a real esbuild build (ESM, code splitting),
 * its chunks split into those reached from the entry by static imports and the rest.
 */
import { build } from 'esbuild';
import { expect } from 'vitest';
import { join } from 'node:path';

const root = join(import.meta.dirname, '../..');

/**
 * Bundles `modules` (paths from the repository root) as one browser entry.
 *
 * @param modules - the source files the entry re-exports.
 * @param outName - a folder name under build/ (nothing is written).
 * @returns the source files in chunks loaded at start (`eager`) and in chunks loaded lazily (`lazy`).
 */
export async function eagerAndLazyModules(
  modules: readonly string[],
  outName: string,
): Promise<{ eager: string[]; lazy: string[] }> {
  const result = await build({
    stdin: {
      contents: modules.map((m, i) => `export * as m${i} from './${m}';`).join('\n'),
      resolveDir: root,
      sourcefile: 'entry.ts',
      loader: 'ts',
    },
    outdir: join(root, 'build', outName),
    write: false,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    metafile: true,
    logLevel: 'silent',
  });
  const outputs = result.metafile.outputs;
  // Each `import()` target is an entry point too: the page's entry is the stdin module, `entry.ts`.
  const entry = Object.keys(outputs).find((f) => outputs[f]?.entryPoint === 'entry.ts');
  if (entry === undefined) throw new Error('esbuild produced no entry chunk');
  const started = new Set<string>();
  const visit = (file: string): void => {
    if (started.has(file)) return;
    started.add(file);
    for (const imp of outputs[file]?.imports ?? [])
      if (imp.kind === 'import-statement') visit(imp.path);
  };
  visit(entry);
  const inputsOf = (files: string[]): string[] =>
    files.flatMap((f) => Object.keys(outputs[f]?.inputs ?? {}));
  return {
    eager: inputsOf([...started]),
    lazy: inputsOf(Object.keys(outputs).filter((f) => !started.has(f))),
  };
}

/** Expects each of `modules` to be out of the chunks loaded at start and in a chunk loaded through `import()`. */
export function expectOnlyLazy(
  split: { eager: string[]; lazy: string[] },
  modules: readonly string[],
): void {
  for (const m of modules) {
    expect(split.eager, m).not.toContain(m);
    expect(split.lazy, m).toContain(m);
  }
}
