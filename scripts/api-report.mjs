// The API report: the public surface of every package entry (package.json
// `exports`), written as one Markdown file per entry under api/ — each exported
// name with its kind and declaration (comments removed), sorted by name — so a
// change to the surface shows up in review as a diff of api/*.api.md.
//
//   node scripts/api-report.mjs          check: exit 1 and print a diff summary
//                                        when api/ differs from the sources
//   node scripts/api-report.mjs --write  regenerate api/ (after an intended change)
//   --api-dir <dir>                      compare with / write to another folder (tests)
//
// Read from the TypeScript sources with the compiler API (no build needed).
import ts from 'typescript';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const write = process.argv.includes('--write');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** package.json export key -> source entry, from the `types` target (dist/types/x.d.ts -> src/x.ts). */
const entries = Object.entries(pkg.exports)
  .filter(([, target]) => typeof target === 'object' && typeof target.types === 'string')
  .map(([key, target]) => ({
    key,
    name: key === '.' ? 'edgewatch' : `edgewatch${key.slice(1)}`,
    source: join(root, target.types.replace(/^\.\/dist\/types\//, 'src/').replace(/\.d\.ts$/, '.ts')),
  }))
  .filter((e) => existsSync(e.source));

const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, {
  ...ts.sys,
  onUnRecoverableConfigFileDiagnostic: (d) => {
    throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  },
});
const program = ts.createProgram(
  entries.map((e) => e.source),
  { ...config.options, noEmit: true },
);
const checker = program.getTypeChecker();
const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });

/** The declaration text of one exported symbol, comments removed, bodies dropped. */
function describe(symbol) {
  const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  const decls = target.declarations ?? [];
  const parts = [];
  for (const decl of decls) {
    const sf = decl.getSourceFile();
    if (ts.isFunctionDeclaration(decl)) {
      const sig = checker.getSignatureFromDeclaration(decl);
      parts.push(`function ${target.name}${checker.signatureToString(sig, decl, ts.TypeFormatFlags.NoTruncation)}`);
    } else if (ts.isVariableDeclaration(decl)) {
      const type = checker.getTypeOfSymbolAtLocation(target, decl);
      parts.push(`const ${target.name}: ${checker.typeToString(type, decl, ts.TypeFormatFlags.NoTruncation)}`);
    } else if (ts.isClassDeclaration(decl)) {
      parts.push(printClass(decl, sf));
    } else {
      parts.push(printer.printNode(ts.EmitHint.Unspecified, decl, sf));
    }
  }
  return parts.join('\n');
}

/** A class with its public members' declarations (bodies and private members dropped). */
function printClass(decl, sf) {
  const members = decl.members
    .filter((m) => {
      const mods = ts.getCombinedModifierFlags(m);
      if (mods & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) return false;
      return !(m.name && ts.isPrivateIdentifier(m.name));
    })
    .map((m) => {
      const clone = ts.isMethodDeclaration(m)
        ? ts.factory.updateMethodDeclaration(m, publicModifiers(m), m.asteriskToken, m.name, m.questionToken, m.typeParameters, m.parameters.map(signatureParameter), m.type, undefined)
        : ts.isConstructorDeclaration(m)
          ? ts.factory.updateConstructorDeclaration(m, m.modifiers, m.parameters.map(signatureParameter), undefined)
          : ts.isGetAccessorDeclaration(m)
            ? ts.factory.updateGetAccessorDeclaration(m, m.modifiers, m.name, m.parameters, m.type, undefined)
            : ts.isSetAccessorDeclaration(m)
              ? ts.factory.updateSetAccessorDeclaration(m, m.modifiers, m.name, m.parameters, undefined)
              : ts.isPropertyDeclaration(m)
                ? ts.factory.updatePropertyDeclaration(m, m.modifiers, m.name, m.questionToken, m.type ?? inferredType(m), undefined)
                : m;
      return `  ${printer.printNode(ts.EmitHint.Unspecified, clone, sf).replace(/\n/g, '\n  ')}`;
    });
  const head = printer
    .printNode(
      ts.EmitHint.Unspecified,
      ts.factory.updateClassDeclaration(decl, decl.modifiers, decl.name, decl.typeParameters, decl.heritageClauses, []),
      sf,
    )
    .replace(/\{\s*\}$/, '');
  return `${head}{\n${members.join('\n')}\n}`;
}

/** Modifiers that belong to the surface (`async` is an implementation detail). */
function publicModifiers(m) {
  return m.modifiers?.filter((x) => x.kind !== ts.SyntaxKind.AsyncKeyword);
}

/** A parameter as callers see it: a default value becomes `?`, parameter properties lose their modifiers. */
function signatureParameter(p) {
  const optional = p.questionToken ?? (p.initializer ? ts.factory.createToken(ts.SyntaxKind.QuestionToken) : undefined);
  return ts.factory.updateParameterDeclaration(p, undefined, p.dotDotDotToken, p.name, optional, p.type, undefined);
}

function inferredType(m) {
  const type = checker.getTypeAtLocation(m);
  return ts.factory.createTypeReferenceNode(checker.typeToString(type, m, ts.TypeFormatFlags.NoTruncation));
}

function kindOf(symbol) {
  const s = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  const f = s.flags;
  if (f & ts.SymbolFlags.Class) return 'class';
  if (f & ts.SymbolFlags.Function) return 'function';
  if (f & ts.SymbolFlags.Enum) return 'enum';
  if (f & ts.SymbolFlags.Variable) return f & (ts.SymbolFlags.TypeAlias | ts.SymbolFlags.Interface) ? 'const + type' : 'const';
  if (f & ts.SymbolFlags.Interface) return 'interface';
  if (f & ts.SymbolFlags.TypeAlias) return 'type';
  return 'other';
}

function report(entry) {
  const sf = program.getSourceFile(entry.source);
  const moduleSymbol = checker.getSymbolAtLocation(sf);
  const exports = checker.getExportsOfModule(moduleSymbol).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const values = exports.filter((s) => !['interface', 'type'].includes(kindOf(s))).length;
  const lines = [
    `# API report: \`${entry.name}\``,
    '',
    `Generated by \`node scripts/api-report.mjs --write\` from \`${entry.source.slice(root.length + 1)}\`; checked by \`npm run api:check\`.`,
    `${exports.length} exports: ${values} values, ${exports.length - values} types.`,
    '',
  ];
  for (const s of exports) {
    lines.push(`## ${s.name} (${kindOf(s)})`, '', '```ts', describe(s), '```', '');
  }
  return lines.join('\n');
}

const dirArg = process.argv.includes('--api-dir')
  ? process.argv[process.argv.indexOf('--api-dir') + 1]
  : undefined;
const dir = dirArg === undefined ? join(root, 'api') : resolve(root, dirArg);
const expected = new Map(entries.map((e) => [`${e.name.replace('/', '.')}.api.md`, report(e)]));
if (write) {
  mkdirSync(dir, { recursive: true });
  for (const f of existsSync(dir) ? readdirSync(dir) : []) if (f.endsWith('.api.md') && !expected.has(f)) rmSync(join(dir, f));
  for (const [f, text] of expected) writeFileSync(join(dir, f), text);
  console.log(`api-report: wrote ${expected.size} files to api/`);
} else {
  const problems = [];
  const present = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.api.md')) : [];
  for (const f of present) if (!expected.has(f)) problems.push(`api/${f}: no such entry in package.json exports`);
  for (const [f, text] of expected) {
    const path = join(dir, f);
    if (!existsSync(path)) {
      problems.push(`api/${f}: missing`);
      continue;
    }
    const old = readFileSync(path, 'utf8');
    if (old === text) continue;
    const before = new Set(old.split('\n').filter((l) => l.startsWith('## ')));
    const after = new Set(text.split('\n').filter((l) => l.startsWith('## ')));
    const added = [...after].filter((l) => !before.has(l)).map((l) => `+ ${l.slice(3)}`);
    const removed = [...before].filter((l) => !after.has(l)).map((l) => `- ${l.slice(3)}`);
    problems.push(`api/${f}: differs${added.length + removed.length ? `\n    ${[...added, ...removed].join('\n    ')}` : ' (declarations changed)'}`);
  }
  if (problems.length > 0) {
    console.error(`api-report: the public API differs from api/:\n  ${problems.join('\n  ')}`);
    console.error('api-report: if the change is intended, run `npm run api:update` and commit api/.');
    process.exit(1);
  }
  console.log(`api-report: ${expected.size} entries match api/`);
}
