/**
 * The type-check of the whole project (sandbox, sdk, contracts, scripts, tests), as a test file so that it runs
 * beside the other files instead of before all of them (`npm test` used to wait for it first).
 */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';

const root = resolve('.');

describe('tsc --noEmit -p tsconfig.json', () => {
  it('finds no type error', async () => {
    const result = await new Promise<{ code: number; out: string }>((ok) =>
      execFile(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', 'tsconfig.json'], { cwd: root, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
        ok({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` }),
      ),
    );
    expect(result.out.trim()).toBe('');
    expect(result.code).toBe(0);
  });
});
