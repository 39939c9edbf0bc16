// Builds dist/ (run after build-wasm; `npm run build` does both):
//   dist/index.js       the `edgewatch` entry (ESM)
//   dist/worker.js      the engine worker, its own file so a consumer's bundler
//                       (Vite, webpack, esbuild) bundles it from
//                       `new Worker(new URL('./worker.js', import.meta.url), { type: 'module' })`
//                       and Node's worker_threads can start it
//   dist/collector.js   the `edgewatch/collector` entry (when src/collector/index.ts exists)
//   dist/serve.js       the `edgewatch/serve` entry (Node: serving-endpoint instrumentation)
//   dist/chunk-*.js     code shared by the entries (kept beside them: the worker
//                       URL is relative to the file that holds the client code)
//   dist/types/**.d.ts  declarations matching package.json `exports`
// The WASM is embedded (base64) in the chunk holding the kernels, so there is no
// asset to locate at run time. Dependencies (comlink, idb, better-sqlite3) stay
// external: the consumer's install provides them.
//
// Flags: --outdir <dir> (default dist), --no-types (skip tsc; used by test/dist).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outdirArg = args.includes('--outdir') ? args[args.indexOf('--outdir') + 1] : undefined;
const outdir = resolve(root, outdirArg ?? 'dist');
const withTypes = !args.includes('--no-types');
const started = performance.now();

if (!existsSync(join(root, 'src/kernel/generated/kernels-wasm.ts'))) {
  console.error(
    'build: src/kernel/generated/kernels-wasm.ts is missing; run `npm run build:wasm` first',
  );
  process.exit(1);
}

const entryPoints = {
  index: join(root, 'src/index.ts'),
  worker: join(root, 'src/engine/worker.ts'),
};
const hasCollector = existsSync(join(root, 'src/collector/index.ts'));
if (hasCollector) entryPoints.collector = join(root, 'src/collector/index.ts');
const hasServe = existsSync(join(root, 'src/serve/index.ts'));
if (hasServe) entryPoints.serve = join(root, 'src/serve/index.ts');

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const external = [
  ...Object.keys(pkg.dependencies ?? {}),
  ...Object.keys(pkg.peerDependencies ?? {}),
  ...Object.keys(pkg.optionalDependencies ?? {}),
  'comlink/*',
  'better-sqlite3',
  'node:*',
];

/** In dist the worker is `./worker.js`: rewrite the one literal Vite needs as `./worker.ts` in the sources. */
const workerUrlPlugin = {
  name: 'edgewatch-worker-url',
  setup(b) {
    b.onLoad({ filter: /src[\\/]engine[\\/]worker-spawn\.ts$/ }, (file) => {
      const source = readFileSync(file.path, 'utf8');
      const literal = "new URL('./worker.ts', import.meta.url)";
      if (!source.includes(literal)) throw new Error(`build: expected ${literal} in ${file.path}`);
      return {
        contents: source.replaceAll(literal, "new URL('./worker.js', import.meta.url)"),
        loader: 'ts',
      };
    });
  },
};

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
const result = await build({
  entryPoints,
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  external,
  chunkNames: 'chunk-[hash]',
  sourcemap: false,
  minify: false,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  plugins: [workerUrlPlugin],
});

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
  const entryTypes = [
    'index.d.ts',
    ...(hasCollector ? ['collector/index.d.ts'] : []),
    ...(hasServe ? ['serve/index.d.ts'] : []),
  ];
  for (const d of entryTypes) {
    if (!existsSync(join(outdir, 'types', d)))
      throw new Error(`build: expected ${d} under ${outdir}/types`);
  }
}

const files = Object.entries(result.metafile.outputs).map(
  ([f, o]) => `${relative(root, f)} ${(o.bytes / 1024).toFixed(1)} KiB`,
);
console.log(
  `build: ${files.length} files in ${Math.round(performance.now() - started)} ms${withTypes ? ' (with types)' : ''}`,
);
for (const f of files) console.log(`  ${f}`);
