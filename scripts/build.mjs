// Builds dist/ (run after build-wasm; `npm run build` does both): one ES module
// per source module, so a consumer's bundler keeps or drops whole modules
// (tree shaking by module, not only by statement) and lazy `import()`s stay lazy.
//   dist/index.js, dist/<subpath>.js   the entries package.json `exports` names
//   dist/<folder>/<module>.js(.map)    every module of src/, with a source map
//                                      (sources embedded: no src/ in the package)
//   dist/engine/worker.js              the engine worker (wasm-worker.js, sketch-worker.js, multivariate-worker.js
//                                      likewise), found by bundlers through
//                                      `new Worker(new URL('./worker.js', import.meta.url), { type: 'module' })`
//                                      and started by Node's worker_threads
//   dist/platform/node-builtins*.js    the Node built-in loader in two variants,
//                                      chosen by the `#node-builtins` import condition
//   dist/platform/node-parent*.js      a worker's `worker_threads` parent port (Comlink's
//                                      node adapter) and its browser stub, chosen by `#node-parent`
//   dist/engine/node-worker*.js        starting a worker script as a `worker_threads` worker, and
//                                      its browser stub, chosen by `#node-worker`
//   dist/package.json                  `type`, `sideEffects` and those `imports` maps,
//                                      so dist/ resolves the same wherever it is built
//   dist/types/**.d.ts                 declarations matching package.json `exports`
// The WASM modules are embedded (deflated, as base64) in dist/kernel/generated/kernels-wasm.js
// drift-kernels-wasm.js and sketch-kernels-wasm.js, so there is no asset to locate at run time. Dependencies stay bare imports: the
// consumer's install provides them.
//
// Flags: --outdir <dir> (default dist), --no-types (skip tsc; used by test/dist).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outdirArg = args.includes('--outdir') ? args[args.indexOf('--outdir') + 1] : undefined;
const outdir = resolve(root, outdirArg ?? 'dist');
const withTypes = !args.includes('--no-types');
const started = performance.now();

for (const generated of ['kernels-wasm.ts', 'drift-kernels-wasm.ts', 'sketch-kernels-wasm.ts']) {
  if (!existsSync(join(root, 'src/kernel/generated', generated))) {
    console.error(
      `build: src/kernel/generated/${generated} is missing; run \`npm run build:wasm\` first`,
    );
    process.exit(1);
  }
}

const entryPoints = readdirSync(join(root, 'src'), { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
  .map((f) => join(root, 'src', f));

/** The specifiers dist/ modules use for the Node-only platform modules (see dist/package.json). */
const NODE_BUILTINS = '#node-builtins';
const NODE_PARENT = '#node-parent';
const NODE_WORKER = '#node-worker';
const nodeBuiltinsImport = /(['"])(?:\.\.?\/)+platform\/node-builtins\.js\1/g;
const nodeParentImport = /(['"])(?:\.\.?\/)+platform\/node-parent\.js\1/g;
const nodeWorkerImport = /(['"])\.\/node-worker\.js\1/g;

/**
 * Source rewrites for dist: the worker's file name (the sources name the
 * TypeScript file, which Vite's dev server and Vitest load directly) and the
 * Node-only platform modules, imported through their condition-mapped specifiers.
 */
const distRewrites = {
  name: 'edgewatch-dist-rewrites',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, (file) => {
      let source = readFileSync(file.path, 'utf8');
      if (/[\\/]engine[\\/]worker-spawn\.ts$/.test(file.path)) {
        for (const name of ['worker', 'wasm-worker', 'wasm-core-worker', 'sketch-worker', 'multivariate-worker', 'profile-worker']) {
          const literal = `new URL('./${name}.ts', import.meta.url)`;
          if (!source.includes(literal))
            throw new Error(`build: expected ${literal} in ${file.path}`);
          source = source.replaceAll(literal, `new URL('./${name}.js', import.meta.url)`);
        }
      }
      if (/[\\/]engine[\\/]worker-spawn\.ts$/.test(file.path))
        source = source.replace(nodeWorkerImport, `'${NODE_WORKER}'`);
      if (!/[\\/]platform[\\/]node-/.test(file.path))
        source = source
          .replace(nodeBuiltinsImport, `'${NODE_BUILTINS}'`)
          .replace(nodeParentImport, `'${NODE_PARENT}'`);
      return { contents: source, loader: 'ts' };
    });
  },
};

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
const result = await build({
  entryPoints,
  outbase: join(root, 'src'),
  outdir,
  bundle: false,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  sourcemap: true,
  sourcesContent: true,
  minify: false,
  legalComments: 'none',
  // Keep the embedded WASM text (characters U+0100–U+01FF) as UTF-8, not \u escapes.
  charset: 'utf8',
  metafile: true,
  logLevel: 'warning',
  plugins: [distRewrites],
});

// The Node variant of the built-in loader: literal specifiers, which Node and
// bundlers targeting Node resolve without a "Critical dependency" warning.
const nodeVariant = join(outdir, 'platform/node-builtins.js');
writeFileSync(
  nodeVariant,
  [
    '// Node variant of src/platform/node-builtins.ts (generated by scripts/build.mjs).',
    'export function importNodeBuiltin(name) {',
    '  switch (name) {',
    "    case 'node:worker_threads': return import('node:worker_threads');",
    "    case 'node:http': return import('node:http');",
    "    case 'node:fs/promises': return import('node:fs/promises');",
    '    default: return Promise.reject(new TypeError(`edgewatch: unknown Node builtin ${name}`));',
    '  }',
    '}',
    '',
  ].join('\n'),
);
rmSync(`${nodeVariant}.map`, { force: true });

const distPackage = {
  type: 'module',
  // Every module only declares, except the workers (register their message
  // handler when loaded) and node-only.js (throws when loaded).
  sideEffects: [
    './engine/worker.js',
    './engine/wasm-worker.js',
    './engine/wasm-core-worker.js',
    './engine/sketch-worker.js',
    './engine/multivariate-worker.js',
    './engine/profile-worker.js',
    './collector/sqlite-writer-worker.js',
    './platform/node-only.js',
  ],
  imports: {
    [NODE_BUILTINS]: {
      node: './platform/node-builtins.js',
      default: './platform/node-builtins.browser.js',
    },
    [NODE_PARENT]: {
      node: './platform/node-parent.js',
      default: './platform/node-parent.browser.js',
    },
    [NODE_WORKER]: {
      node: './engine/node-worker.js',
      default: './engine/node-worker.browser.js',
    },
  },
};
writeFileSync(join(outdir, 'package.json'), `${JSON.stringify(distPackage, null, 2)}\n`);

const leftover = Object.keys(result.metafile.outputs)
  .filter((f) => f.endsWith('.js'))
  .filter((f) => {
    const text = readFileSync(join(root, f), 'utf8');
    return (
      text.includes('"./worker.ts"') ||
      text.includes('"./wasm-worker.ts"') ||
      text.includes('"./wasm-core-worker.ts"') ||
      text.includes('"./multivariate-worker.ts"') ||
      text.includes('"./sketch-worker.ts"') ||
      text.includes('"./profile-worker.ts"') ||
      /platform\/node-(builtins|parent)\.js/.test(text) ||
      (f.endsWith('engine/worker-spawn.js') && text.includes('"./node-worker.js"'))
    );
  });
if (leftover.length > 0) throw new Error(`build: unrewritten paths in ${leftover.join(', ')}`);

if (withTypes) {
  const tsconfig = join(root, 'build/tsconfig.types.json');
  mkdirSync(dirname(tsconfig), { recursive: true });
  writeFileSync(
    tsconfig,
    JSON.stringify(
      {
        extends: '../tsconfig.json',
        compilerOptions: {
          noEmit: false,
          declaration: true,
          emitDeclarationOnly: true,
          outDir: relative(dirname(tsconfig), join(outdir, 'types')),
          rootDir: '../src',
        },
        include: ['../src'],
        exclude: [],
      },
      null,
      2,
    ),
  );
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', tsconfig], {
    cwd: root,
    stdio: 'inherit',
  });
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  for (const target of Object.values(pkg.exports)) {
    const types = typeof target === 'object' ? target.types : undefined;
    if (types !== undefined && !existsSync(join(outdir, types.replace(/^\.\/dist\//, ''))))
      throw new Error(`build: expected ${types} under ${outdir}`);
  }
}

const outputs = Object.entries(result.metafile.outputs).filter(([f]) => f.endsWith('.js'));
const total = outputs.reduce((s, [, o]) => s + o.bytes, 0);
console.log(
  `build: ${outputs.length} modules, ${(total / 1024).toFixed(1)} KiB (+ source maps) in ` +
    `${Math.round(performance.now() - started)} ms${withTypes ? ' (with types)' : ''} -> ${relative(root, outdir) || '.'}`,
);
