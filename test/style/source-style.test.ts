/**
 * House style that review would otherwise have to catch: every source module opens with a comment saying what it
 * owns, no line is 140 characters or longer, and the README's Layout names every folder that holds source.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const ROOTS = ['sandbox', 'sdk', 'contracts', 'scenarios', 'bench', 'scripts', 'examples'];
const tracked = execFileSync('git', ['ls-files', '--', ...ROOTS], { encoding: 'utf8' })
  .split('\n')
  .filter((f) => /\.(ts|mts|mjs)$/.test(f));

describe('source style', () => {
  it('finds the source files (run from the repository)', () => {
    expect(tracked.length).toBeGreaterThan(100);
  });

  it('every module opens with a comment', () => {
    const bare = tracked.filter((f) => !/^(#![^\n]*\n)?\s*(\/\*|\/\/)/.test(readFileSync(f, 'utf8')));
    expect(bare).toEqual([]);
  });

  it('no line is 140 characters or longer', () => {
    const long: string[] = [];
    for (const f of tracked)
      readFileSync(f, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (line.length >= 140) long.push(`${f}:${i + 1} (${line.length})`);
        });
    expect(long).toEqual([]);
  });

  it("the README's Layout names every top-level source folder", () => {
    const readme = readFileSync('README.md', 'utf8');
    const layout = /## Layout\n+```\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const folders = new Set(tracked.map((f) => f.split('/').slice(0, f.startsWith('sandbox/') ? 2 : 1).join('/')).filter((d) => !d.includes('.')));
    const missing = [...folders].filter((d) => !layout.includes(`${d}/`) && !layout.includes(`${d},`));
    expect(missing).toEqual([]);
  });
});
