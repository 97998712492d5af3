/**
 * Issue 10 item 19: `verify` writes its reports on every exit path. When the pacts cannot be verified (exit 2) the
 * JUnit file still appears (one errored testcase saying why) and --json still prints a report, so a broken pact
 * reaches the CI report instead of vanishing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, killAll, ROOT } from './cli-spawn.js';

const UNKNOWN_STATE = join(ROOT, 'test', 'contracts', 'fixtures', 'kravia-poller.unknown-state.json');
const temps: string[] = [];
afterEach(async () => {
  await killAll();
  for (const d of temps.splice(0)) await rm(d, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'inkasso-verify-'));
  temps.push(d);
  return d;
}

describe('verify reports on exit 2', () => {
  it('an unknown provider state: exit 2, the JUnit file has an <error> naming it, --json prints ok:false with the error', async () => {
    const out = join(await tempDir(), 'reports', 'pact.xml');
    const p = cli(['verify', UNKNOWN_STATE, '--junit', out, '--json']);
    const { code } = await p.exited;
    expect(code, p.output()).toBe(2);
    const xml = await readFile(out, 'utf8');
    expect(xml).toMatch(/<testsuites name="inkasso-sandbox verify" tests="1" failures="0" skipped="0" errors="1"/);
    expect(xml).toContain('<error message="cannot verify: unknown provider state');
    const json = JSON.parse(p.stdout());
    expect(json).toMatchObject({ ok: false, error: { exitCode: 2, message: expect.stringContaining('unknown provider state') } });
  });

  it('an unreadable pact file and a bad --start-date write the report too', async () => {
    const dir = await tempDir();
    const broken = join(dir, 'broken.json');
    await writeFile(broken, '{"consumer": {"name": "x"');
    for (const [args, says] of [[[broken], 'cannot verify'], [[UNKNOWN_STATE, '--start-date', 'yesterday'], '--start-date must be a date']] as const) {
      const out = join(dir, `${says.length}.xml`);
      const p = cli(['verify', ...args, '--junit', out]);
      expect((await p.exited).code, p.output()).toBe(2);
      const xml = await readFile(out, 'utf8');
      expect(xml).toContain('errors="1"');
      expect(xml).toContain(says);
    }
  });
});
