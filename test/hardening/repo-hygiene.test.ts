/** Issue 10 item 23: the licence package.json names exists, the README stands alone, packed tarballs are ignored. */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { ROOT } from './cli-spawn.js';

const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');

describe('repository hygiene', () => {
  it('LICENSE holds the MIT licence package.json names', () => {
    expect(JSON.parse(read('package.json')).license).toBe('MIT');
    expect(existsSync(join(ROOT, 'LICENSE'))).toBe(true);
    expect(read('LICENSE')).toMatch(/^MIT License/);
    expect(read('LICENSE')).toContain('THE SOFTWARE IS PROVIDED "AS IS"');
  });

  it.each(['README.md', 'SECURITY.md', 'docs/verify-in-ci.md', 'docs/pact-pipeline.md', 'examples/agency-poller/README.md'])('%s names nothing outside the repository, and its relative links resolve', (file) => {
    const text = read(file);
    for (const m of text.matchAll(/\]\(([^)#\s]+)[^)]*\)/g)) {
      const target = m[1]!;
      if (/^[a-z]+:/i.test(target)) continue; // http(s), mailto
      const path = resolve(ROOT, dirname(file), target);
      expect(path.startsWith(ROOT + '/'), `${file} links ${target}, outside the repository`).toBe(true);
      expect(existsSync(path), `${file} links ${target}, which does not exist`).toBe(true);
    }
    expect(text, `${file} refers to the spec folder outside the repository`).not.toMatch(/\.\.\/shared\//);
  });

  it('the README says docs/tour.sh needs a running server and reads SANDBOX_URL', () => {
    const readme = read('README.md');
    const line = readme.split('\n\n').find((p) => p.includes('docs/tour.sh'));
    expect(line).toBeDefined();
    expect(line).toContain('SANDBOX_URL');
    expect(read('docs/tour.sh')).toContain('SANDBOX_URL');
  });

  it('npm pack tarballs are ignored by git', () => {
    const out = execFileSync('git', ['check-ignore', '-v', 'inkasso-sandbox-0.1.0.tgz'], { cwd: ROOT, encoding: 'utf8' });
    expect(out).toContain('*.tgz');
  });
});
