/**
 * The real command line, spawned as a child process: help, version, start (memory and data folder), port 0,
 * refused options, and a port already in use.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, readFile, realpath, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SANDBOX_VERSION } from '../sandbox/version.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = ['--import', 'tsx', join(ROOT, 'sandbox', 'cli.ts')];

/** The environment without the variables the CLI reads, so the machine's settings do not leak in. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k === 'PORT' || k === 'HOST' || k.startsWith('SANDBOX_')) delete env[k];
  return env;
}

const running = new Set<ChildProcessWithoutNullStreams>();
const temps: string[] = [];

afterEach(async () => {
  for (const p of running) {
    if (p.exitCode === null && p.signalCode === null) {
      p.kill('SIGKILL');
      await new Promise((ok) => p.once('exit', ok));
    }
  }
  running.clear();
  for (const d of temps.splice(0)) await rm(d, { recursive: true, force: true });
});

function spawnCli(args: string[]): ChildProcessWithoutNullStreams {
  const p = spawn(process.execPath, [...CLI, ...args], { cwd: ROOT, env: cleanEnv(), stdio: 'pipe' });
  running.add(p);
  return p;
}

interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Run the CLI to completion. */
function run(args: string[], timeoutMs = 300_000): Promise<Finished> {
  const p = spawnCli(args);
  let stdout = '';
  let stderr = '';
  p.stdout.on('data', (d) => (stdout += d));
  p.stderr.on('data', (d) => (stderr += d));
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`cli ${args.join(' ')} did not finish in ${timeoutMs} ms; stdout: ${stdout}; stderr: ${stderr}`)), timeoutMs);
    p.once('exit', (code, signal) => {
      clearTimeout(timer);
      // Let the pipes drain.
      setImmediate(() => ok({ code, signal, stdout, stderr }));
    });
  });
}

interface Started {
  proc: ChildProcessWithoutNullStreams;
  line: string;
  url: string;
  port: number;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Start the server and wait for its "listening on" line. */
function start(args: string[], timeoutMs = 300_000): Promise<Started> {
  const p = spawnCli(['start', ...args]);
  let stdout = '';
  let stderr = '';
  p.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((ok) => p.once('exit', (code, signal) => ok({ code, signal })));
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`no "listening on" line in ${timeoutMs} ms; stdout: ${stdout}; stderr: ${stderr}`)), timeoutMs);
    void exited.then(({ code }) => fail(new Error(`exited (${code}) before listening; stdout: ${stdout}; stderr: ${stderr}`)));
    p.stdout.on('data', (d) => {
      stdout += d;
      const line = stdout.split('\n').find((l) => l.includes('listening on'));
      const m = line && /listening on (http:\/\/[^\s]+?:(\d+))\b/.exec(line);
      if (line && m) {
        clearTimeout(timer);
        ok({
          proc: p,
          line,
          url: m[1]!,
          port: Number(m[2]),
          output: () => stdout + stderr,
          stop: (signal = 'SIGTERM') => {
            p.kill(signal);
            return exited;
          },
        });
      }
    });
  });
}

async function tempDir(): Promise<string> {
  // realpath: on some systems tmpdir() is a symlink, and the CLI prints the resolved folder.
  const d = await realpath(await mkdtemp(join(tmpdir(), 'inkasso-cli-')));
  temps.push(d);
  return d;
}

describe('help and version', () => {
  it('--help prints usage with the start command and exits 0', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: inkasso-sandbox/);
    expect(r.stdout).toMatch(/\bstart\b/);
    expect(r.stderr).toBe('');
  });

  it('start --help prints its options and exits 0', async () => {
    const r = await run(['start', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: inkasso-sandbox start/);
    for (const option of ['--port', '--host', '--data-dir', '--memory', '--admin-token', '--validate-responses', '--strict']) expect(r.stdout).toContain(option);
  });

  it('--version prints the package version', async () => {
    const r = await run(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(SANDBOX_VERSION);
  });

  it('an unknown command or option exits non-zero', async () => {
    expect((await run(['launch'])).code).not.toBe(0);
    const r = await run(['start', '--no-such-option']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/unknown option/i);
  });
});

describe('lazy loading (what each command imports, not how long it takes)', () => {
  /** The module URLs a CLI run resolved, recorded by a resolve hook. */
  async function modulesLoaded(args: string[]): Promise<{ code: number | null; stdout: string; modules: string[] }> {
    const dir = await tempDir();
    const log = join(dir, 'imports.log');
    const p = spawn(process.execPath, ['--import', 'tsx', '--import', join(ROOT, 'test', 'fixtures', 'record-imports.mjs'), join(ROOT, 'sandbox', 'cli.ts'), ...args], {
      cwd: ROOT,
      env: { ...cleanEnv(), IMPORT_LOG: log },
      stdio: 'pipe',
    });
    running.add(p);
    let stdout = '';
    p.stdout.on('data', (d) => (stdout += d));
    const code = await new Promise<number | null>((ok) => p.once('exit', ok));
    const modules = (await readFile(log, 'utf8').catch(() => '')).split('\n').filter(Boolean);
    return { code, stdout, modules };
  }
  const loads = (modules: string[], part: string) => modules.some((m) => m.includes(part));

  it('--help and --version load neither the server, the scenario runner, Pact nor pdf-lib', async () => {
    for (const args of [['--help'], ['--version']]) {
      const r = await modulesLoaded(args);
      expect(r.code).toBe(0);
      expect(loads(r.modules, '/sandbox/cli.ts'), 'the hook saw the CLI').toBe(true);
      for (const part of ['/sandbox/server.', '/sandbox/engine.', '/sandbox/scenarios/', '/contracts/pact/', '@pact-foundation', 'pdf-lib', 'express']) expect(loads(r.modules, part), `${args[0]} loads ${part}`).toBe(false);
    }
  });

  it('--help still lists scenario and verify; each loads its code only when named, with its full help', async () => {
    const top = await run(['--help']);
    expect(top.stdout).toMatch(/scenario\s+List, validate and play scenario timelines/);
    expect(top.stdout).toMatch(/verify\s+Verify an agency's pact files/);
    const scenario = await modulesLoaded(['scenario', 'run', '--help']);
    expect(scenario.code).toBe(0);
    expect(scenario.stdout).toContain('--base-url');
    expect(loads(scenario.modules, '/sandbox/cli/scenario-command.')).toBe(true);
    expect(loads(scenario.modules, '@pact-foundation')).toBe(false);
    const verify = await run(['help', 'verify']);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toContain('--junit');
  });
});

describe('start', () => {
  it('--memory --port 0 listens on a real port, says the data is in memory, serves requests, and stops on SIGTERM', async () => {
    const s = await start(['--memory', '--port', '0']);
    expect(s.port).toBeGreaterThan(0);
    expect(s.url).toBe(`http://127.0.0.1:${s.port}`);
    expect(s.line).toMatch(new RegExp(`inkasso-sandbox ${SANDBOX_VERSION.replace(/\./g, '\\.')} listening on`));
    expect(s.line).toMatch(/data in memory/);

    const created = await fetch(`${s.url}/_sandbox/clients`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'CLI AS', startDate: '2026-01-05' }),
    });
    expect(created.status).toBe(201);
    const body = (await created.json()) as any;
    expect(body).toMatchObject({ name: 'CLI AS', today: '2026-01-05' });
    expect(body.integrations[0].clientKey).toEqual(expect.any(String));

    const listed = (await (await fetch(`${s.url}/_sandbox/clients`)).json()) as any;
    expect(listed.clients.map((c: any) => c.id)).toEqual([body.id]);

    const { code } = await s.stop('SIGTERM');
    expect(code).toBe(0);
  });

  it('with a data folder, the start-up message names the folder and its client count, and data survives a restart', async () => {
    const dir = await tempDir();
    const first = await start(['--data-dir', dir, '--port', '0']);
    expect(first.line).toContain(`data in ${dir} (0 clients)`);
    const created = await fetch(`${first.url}/_sandbox/clients`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'cli-persist', name: 'Persist AS', startDate: '2026-01-05' }),
    });
    expect(created.status).toBe(201);
    expect((await first.stop()).code).toBe(0);

    const second = await start(['--data-dir', dir, '--port', '0']);
    expect(second.line).toContain(`data in ${dir} (1 client)`);
    const got = await fetch(`${second.url}/_sandbox/clients/cli-persist`);
    expect(got.status).toBe(200);
    expect(((await got.json()) as any).name).toBe('Persist AS');
    expect((await second.stop('SIGINT')).code).toBe(0);
  });

  it('the PORT environment variable is honoured', async () => {
    const p = spawn(process.execPath, [...CLI, 'start', '--memory'], { cwd: ROOT, env: { ...cleanEnv(), PORT: '0' }, stdio: 'pipe' });
    running.add(p);
    const line = await new Promise<string>((ok, fail) => {
      let out = '';
      const timer = setTimeout(() => fail(new Error(`no listening line: ${out}`)), 600_000);
      p.stdout.on('data', (d) => {
        out += d;
        const l = out.split('\n').find((x) => x.includes('listening on'));
        if (l) {
          clearTimeout(timer);
          ok(l);
        }
      });
    });
    const port = Number(/:(\d+)\b/.exec(line)?.[1]);
    expect(port).toBeGreaterThan(0);
    expect(port).not.toBe(4010);
  });

  it.each([['abc'], ['70000'], ['-1'], ['1.5'], ['65536']])('an invalid --port %s exits non-zero with a clear message', async (value) => {
    const r = await run(['start', '--memory', `--port=${value}`]);
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBeNull();
    expect(r.stderr).toContain('--port must be a number from 0 to 65535');
    expect(r.stderr).toContain(`'${value}'`);
    expect(r.stdout).not.toMatch(/listening on/);
  });

  it('a port already in use exits non-zero and says so', async () => {
    const blocker = createServer();
    await new Promise<void>((ok) => blocker.listen(0, '127.0.0.1', ok));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const r = await run(['start', '--memory', '--port', String(port)]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(`port ${port} is in use`);
    } finally {
      await new Promise<void>((ok) => blocker.close(() => ok()));
    }
  });
});
