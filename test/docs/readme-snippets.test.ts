/**
 * Every ```ts / ```js block of README.md runs as written, in its own Node
 * process (tsx; `edgewatch` resolves to the sources through tsconfig paths), and
 * the process ends by itself with exit code 0. A block preceded by
 * `<!-- snippet: not runnable (reason) -->` is skipped; there must be a reason.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repo = join(import.meta.dirname, '../..');

interface Snippet {
  line: number;
  lang: string;
  code: string;
  skip: string | undefined;
}

/**
 * The fenced code blocks of a Markdown text.
 *
 * @param text - Markdown.
 * @returns each block with its opening line (1-based), language and skip reason.
 */
function fencedBlocks(text: string): Snippet[] {
  const lines = text.split('\n');
  const out: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!);
    // The comments right above the fence (blank lines between them allowed, as prettier writes them).
    let top = start;
    while (top > 0 && /^\s*(<!--.*-->)?\s*$/.test(lines[top - 1]!)) top--;
    const before = lines.slice(top, start).join('\n');
    const skip = /<!-- snippet: not runnable \(([^)]+)\) -->/.exec(before)?.[1];
    out.push({ line: start + 1, lang: open[1]!, code: body.join('\n'), skip });
  }
  return out;
}

const runnable = fencedBlocks(readFileSync(join(repo, 'README.md'), 'utf8')).filter((s) =>
  ['ts', 'js', 'typescript', 'javascript'].includes(s.lang),
);

describe('README snippets', () => {
  it('finds the code blocks (and a fence parser that sees them all)', () => {
    expect(runnable.length).toBeGreaterThanOrEqual(3);
    expect(
      fencedBlocks(
        'a\n```ts\nx\n```\n<!-- snippet: not runnable (needs a GPU) -->\n<!-- other -->\n\n```js\ny\n```',
      ),
    ).toEqual([
      { line: 2, lang: 'ts', code: 'x', skip: undefined },
      { line: 8, lang: 'js', code: 'y', skip: 'needs a GPU' },
    ]);
  });

  it.each(runnable.map((s) => [s.line, s] as const))(
    'the block at README.md:%i runs and ends cleanly',
    (_line, s) => {
      if (s.skip !== undefined) return;
      const dir = mkdtempSync(join(tmpdir(), 'edgewatch-readme-'));
      try {
        const file = join(dir, `snippet.${s.lang.startsWith('t') ? 'mts' : 'mjs'}`);
        writeFileSync(file, s.code);
        const r = spawnSync(process.execPath, ['--import', 'tsx', file], {
          cwd: repo,
          env: { ...process.env, EDGEWATCH_DATA_DIR: join(dir, 'data') },
          encoding: 'utf8',
          timeout: 60_000,
        });
        expect(r.error, 'the process did not end by itself within 60 s').toBeUndefined();
        expect({ status: r.status, stderr: r.stderr }).toMatchObject({ status: 0 });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    90_000,
  );
});
