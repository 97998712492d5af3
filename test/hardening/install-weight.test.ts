/**
 * Issue 10 item 16: an SDK-only consumer does not install Pact or msw. Both are optional peer dependencies (kept in
 * devDependencies for this repository's tests), and `verify` loads Pact only when it runs.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './cli-spawn.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

describe('install weight', () => {
  it.each(['@pact-foundation/pact', 'msw'])('%s is an optional peer dependency, not a dependency (and still a dev dependency)', (name) => {
    expect(pkg.dependencies[name]).toBeUndefined();
    expect(pkg.peerDependencies?.[name]).toBeDefined();
    expect(pkg.peerDependenciesMeta?.[name]).toEqual({ optional: true });
    expect(pkg.devDependencies[name]).toBe(pkg.peerDependencies[name]);
  });

  it('loading the verify command, the server and the SDK does not load Pact; running verify does', () => {
    const probe = `
      import { createRequire } from 'node:module';
      const req = createRequire(import.meta.url);
      await import('./sandbox/cli/verify-command.ts');
      await import('./sandbox/server.ts');
      await import('./sdk/index.ts');
      const before = Object.keys(req.cache).some((k) => k.includes('@pact-foundation'));
      const { loadVerifier } = await import('./contracts/pact/verify.ts');
      await loadVerifier();
      const after = Object.keys(req.cache).some((k) => k.includes('@pact-foundation'));
      console.log(JSON.stringify({ before, after }));
    `;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', probe], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, PACT_DO_NOT_TRACK: 'true' } });
    expect(JSON.parse(out.trim().split('\n').pop()!)).toEqual({ before: false, after: true });
  });
});
