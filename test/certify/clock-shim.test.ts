/**
 * The clock trap and its Node fix: with the shim preloaded (node --import), Date in the agency's process follows the
 * client's sandbox clock, so a cursor taken from `new Date()` is the sandbox's time. Shown on a bare process against a
 * running sandbox, and through `certify --shim-clock` with the careless agency: its wall-clock cursor check passes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, type RunningServer } from '../../sandbox/server.js';
import type { CertifyReport } from '../../sandbox/certify/types.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHIM = join(ROOT, 'sandbox', 'certify', 'clock-shim.mjs');

function cleanEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('SANDBOX_') || k.startsWith('POWEROFFICE_') || k.startsWith('INKASSO_') || k === 'NODE_OPTIONS') delete env[k];
  return { ...env, ...extra };
}

describe('the clock shim on its own', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ memory: true, port: 0 });
  });
  afterAll(() => server.close());

  it('sets Date to the sandbox time at start, and follows the clock when it is advanced', async () => {
    const created = await fetch(`${server.url}/_sandbox/clients`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Shim AS', startDate: '2026-03-02' }) });
    const client = (await created.json()) as { id: string; now: string };
    const child = spawn(process.execPath, ['--import', SHIM, '-e', 'setInterval(() => console.log(new Date().toISOString(), Date.now(), new Date(Date()).toISOString(), new Date() instanceof Date), 50)'], {
      env: cleanEnv({ INKASSO_SANDBOX_URL: server.url, INKASSO_SANDBOX_CLIENT: client.id, POWEROFFICE_SANDBOX_TIME: client.now }),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const seen = async (text: string) => {
      for (let i = 0; i < 400 && !out.includes(text); i++) await new Promise((ok) => setTimeout(ok, 50));
      return out.includes(text);
    };
    try {
      expect(await seen('2026-03-02T07:00:00.000Z')).toBe(true);
      // Date() as a function (second precision) and instanceof follow too.
      expect(out.split('\n')[0]).toBe(`2026-03-02T07:00:00.000Z ${Date.parse('2026-03-02T07:00:00Z')} 2026-03-02T07:00:00.000Z true`);
      await fetch(`${server.url}/_sandbox/clients/${client.id}/clock/advance`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ days: 3, hours: 2 }) });
      expect(await seen('2026-03-05T09:00:00.000Z')).toBe(true);
      // Never the machine's time: the sandbox's is months away from it.
      expect(out).not.toContain(new Date().toISOString().slice(0, 10));
    } finally {
      child.kill('SIGTERM');
    }
  });
});

describe('certify --shim-clock', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'certify-shim-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("puts the careless agency's wall-clock cursor on the sandbox clock", async () => {
    const json = join(dir, 'report.json');
    const agency = `node ${JSON.stringify(join(ROOT, 'examples', 'careless-agency', 'agency.mjs'))}`;
    const p = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'sandbox', 'cli.ts'), 'certify', '--agency-cmd', agency, '--shim-clock', '--json', json, '--step-timeout', '20'], {
      cwd: ROOT,
      env: cleanEnv({ AGENCY_POLL_MS: '200' }),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    p.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((ok) => p.once('exit', ok));
    expect(code, stderr).toBe(1);
    const report: CertifyReport = JSON.parse(await readFile(json, 'utf8'));
    const clock = report.checks.find((c) => c.id === 'sandbox-clock')!;
    expect(clock.verdict).toBe('pass');
    // The shim fixes the clock, not the other shortcuts.
    expect(report.checks.find((c) => c.id === 'token-reuse')!.verdict).toBe('fail');
  });
});
