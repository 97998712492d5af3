/**
 * The container without Docker, as far as that goes: the Dockerfile, .dockerignore and compose.yaml have the
 * properties the README promises; the image's file layout, rebuilt here from the Dockerfile's own COPY lines, starts
 * with the Dockerfile's ENV and CMD; /health, the HEALTHCHECK command and the README tour (with the admin token)
 * work against it. Where a Docker daemon answers, a last test builds the real image and runs the tour against it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parse as parseYaml } from 'yaml';

const root = resolve('.');
const run = promisify(execFile);

interface Instruction {
  op: string;
  args: string;
}

/** Dockerfile -> stages of instructions (line continuations joined, comments dropped). */
function parseDockerfile(text: string): Array<{ from: string; name?: string; steps: Instruction[] }> {
  const logical: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!current && (line.startsWith('#') || !line)) continue;
    if (line.startsWith('#')) continue;
    if (line.endsWith('\\')) current += `${line.slice(0, -1).trim()} `;
    else {
      logical.push(current + line);
      current = '';
    }
  }
  const stages: Array<{ from: string; name?: string; steps: Instruction[] }> = [];
  for (const l of logical) {
    const [op, ...rest] = l.split(/\s+/);
    const args = rest.join(' ');
    if (op!.toUpperCase() === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args)!;
      stages.push({ from: m[1]!, ...(m[2] ? { name: m[2] } : {}), steps: [] });
    } else stages.at(-1)!.steps.push({ op: op!.toUpperCase(), args });
  }
  return stages;
}

/** ENV lines (KEY=value pairs) of a stage. */
function envOf(steps: Instruction[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const s of steps.filter((x) => x.op === 'ENV')) for (const m of s.args.matchAll(/(\w+)=(\S+)/g)) env[m[1]!] = m[2]!;
  return env;
}

const stages = parseDockerfile(readFileSync('Dockerfile', 'utf8'));
const runtime = stages.at(-1)!;
const one = (op: string) => runtime.steps.filter((s) => s.op === op);
const ignored = readFileSync('.dockerignore', 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));

/** Repo files a COPY source names (a plain path, or a * pattern in its last segment). */
function expand(source: string): string[] {
  const dir = dirname(source);
  const pattern = basename(source);
  if (!pattern.includes('*')) return existsSync(join(root, source)) ? [source] : [];
  const re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);
  return readdirSync(join(root, dir))
    .filter((f) => re.test(f))
    .map((f) => join(dir, f));
}

describe('Dockerfile', () => {
  it('builds in one stage and runs from a small Node 20 base in another', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const s of stages) expect(s.from).toMatch(/^node:20-(slim|alpine)$/);
    expect(stages[0]!.name).toBe('build');
    expect(stages[0]!.steps.some((s) => s.op === 'RUN' && /npm run build/.test(s.args))).toBe(true);
  });

  it('installs production dependencies only, and runs as a non-root user', () => {
    expect(one('RUN').some((s) => /npm ci\b.*--omit=dev/.test(s.args))).toBe(true);
    const user = one('USER').at(-1)?.args;
    expect(user).toBeDefined();
    expect(['root', '0', '0:0']).not.toContain(user);
  });

  it('exposes 4010, binds all interfaces, keeps data in /data, and checks /health', () => {
    expect(one('EXPOSE').map((s) => s.args)).toContain('4010');
    const env = envOf(runtime.steps);
    expect(env).toMatchObject({ HOST: '0.0.0.0', PORT: '4010', SANDBOX_DATA_DIR: '/data' });
    expect(env.SANDBOX_ADMIN_TOKEN).toBeUndefined(); // never baked into the image
    const health = one('HEALTHCHECK')[0]!.args;
    expect(health).toMatch(/CMD \[.*\/health/);
    expect(JSON.parse(one('CMD').at(-1)!.args)).toEqual(['node', 'dist/sandbox/cli.js', 'start']);
  });

  it('copies only files that exist and that .dockerignore lets into the build context', () => {
    for (const stage of stages)
      for (const s of stage.steps.filter((x) => x.op === 'COPY' && !x.args.startsWith('--from'))) {
        const sources = s.args.split(/\s+/).slice(0, -1);
        for (const src of sources) {
          const files = expand(src);
          expect(files.length, `COPY ${src}`).toBeGreaterThan(0);
          for (const f of files) expect(ignored.some((i) => f === i || f.startsWith(`${i}/`)), `${f} is ignored`).toBe(false);
        }
      }
  });

  it('.dockerignore keeps out node_modules, the git folder, builds, tests and local data', () => {
    for (const p of ['node_modules', '.git', 'dist', 'test', '.sandbox-data']) expect(ignored).toContain(p);
  });
});

describe('compose.yaml', () => {
  const compose = parseYaml(readFileSync('compose.yaml', 'utf8'));
  const service = Object.values(compose.services as Record<string, any>)[0];

  it('builds this folder, publishes 4010, sets the admin token, keeps a volume and checks /health', () => {
    expect(service.build).toBe('.');
    expect(service.ports).toContain('4010:4010');
    expect(Object.keys(service.environment)).toContain('SANDBOX_ADMIN_TOKEN');
    expect(service.volumes.some((v: string) => v.endsWith(':/data'))).toBe(true);
    expect(service.healthcheck.test.join(' ')).toContain('/health');
  });
});

/** The image's /app, rebuilt from the Dockerfile: the build stage's output (tsc + assets), then each COPY. */
function buildLayout(src: string, app: string): void {
  // Build stage in its own folder, as `npm run build` does it (the repo's dist/ is left alone).
  execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json', '--outDir', join(src, 'dist')], { cwd: root, stdio: 'pipe' });
  mkdirSync(join(src, 'scripts'), { recursive: true });
  cpSync(join(root, 'scripts', 'copy-assets.mjs'), join(src, 'scripts', 'copy-assets.mjs'));
  for (const linked of ['node_modules', 'sandbox']) symlinkSync(join(root, linked), join(src, linked));
  execFileSync(process.execPath, ['scripts/copy-assets.mjs'], { cwd: src, stdio: 'pipe' });
  // COPY --from=build /src/dist ./dist
  cpSync(join(src, 'dist'), join(app, 'dist'), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(app, 'node_modules'));
  // Runtime stage: every COPY from the build context, to its place under WORKDIR.
  for (const s of one('COPY').filter((x) => !x.args.startsWith('--from'))) {
    const parts = s.args.split(/\s+/);
    const dest = join(app, parts.at(-1)!);
    for (const src of parts.slice(0, -1))
      for (const f of expand(src)) {
        const target = dest.endsWith('/') || parts.length > 2 || src.includes('*') ? join(dest, basename(f)) : dest;
        mkdirSync(dirname(target), { recursive: true });
        cpSync(join(root, f), target, { recursive: true });
      }
  }
}

function startCmd(app: string, env: Record<string, string>): { child: ChildProcess; output: () => string; listening: Promise<string>; exited: Promise<number | null> } {
  const [command, ...args] = JSON.parse(one('CMD').at(-1)!.args) as string[];
  const child = spawn(command === 'node' ? process.execPath : command!, args, { cwd: app, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const listening = new Promise<string>((ok, fail) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) ok(m[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => fail(new Error(`exited ${code} before listening:\n${out}`)));
  });
  const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
  listening.catch(() => undefined);
  return { child, output: () => out, listening, exited };
}

describe('the image layout started with the Dockerfile CMD and ENV', () => {
  let dir: string;
  let app: string;
  let server: ReturnType<typeof startCmd> | undefined;
  let url: string;
  const token = 'container-admin-token';

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'image-'));
    app = join(dir, 'app');
    mkdirSync(app);
    mkdirSync(join(dir, 'src'));
    buildLayout(join(dir, 'src'), app);
  });

  afterAll(async () => {
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('has the shipped assets in dist/assets and the catalogue beside it', () => {
    for (const f of ['inspector/app.js', 'inspector/index.html', 'docs/swagger-ui-bundle.js', 'fonts/DejaVuSans.ttf']) expect(existsSync(join(app, 'dist', 'assets', f)), f).toBe(true);
    expect(existsSync(join(app, 'scenarios', 'overdue-no-reminders.yaml'))).toBe(true);
  });

  it('starts with the image env plus SANDBOX_ADMIN_TOKEN and answers /health, the inspector and /docs', async () => {
    const env = { ...envOf(runtime.steps), PORT: '0', SANDBOX_DATA_DIR: join(dir, 'data'), SANDBOX_ADMIN_TOKEN: token };
    server = startCmd(app, env);
    url = (await server.listening).replace('localhost', '127.0.0.1');
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', store: expect.stringContaining(join(dir, 'data')) });
    expect((await fetch(`${url}/_sandbox/clients`)).status).toBe(401);
    expect((await fetch(`${url}/_sandbox/clients`, { headers: { 'x-sandbox-admin-token': token } })).status).toBe(200);
    const page = await fetch(`${url}/`, { headers: { accept: 'text/html' } });
    expect(await page.text()).toContain('/inspector/app.js');
    expect((await fetch(`${url}/docs/swagger-ui-bundle.js`)).status).toBe(200);
  });

  it('passes the HEALTHCHECK command while running', async () => {
    const cmd = JSON.parse(one('HEALTHCHECK')[0]!.args.replace(/^.*?CMD\s+/, '')) as string[];
    const port = new URL(url).port;
    const { stdout } = await run(process.execPath, cmd.slice(1), { env: { PATH: process.env.PATH ?? '', PORT: port } });
    expect(stdout).toBe('');
    // And fails against a port where nothing listens.
    await expect(run(process.execPath, cmd.slice(1), { env: { PATH: process.env.PATH ?? '', PORT: '1' } })).rejects.toMatchObject({ code: 1 });
  });

  const tools = ['curl', 'jq', 'bash'].every((t) => {
    try {
      execFileSync('sh', ['-c', `command -v ${t}`], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });
  it.skipIf(!tools)('runs the README tour against it with the admin token', async () => {
    const { stdout } = await run('bash', ['docs/tour.sh'], { env: { ...process.env, SANDBOX_URL: url, SANDBOX_ADMIN_TOKEN: token }, encoding: 'utf8' });
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe('["2026-01-19",["invoice.drafted","clock.advanced"]]');
    expect(lines.at(-1)).toBe('{"open":[],"archived":[{"code":"K-1001","status":"Closed","balanceAgency":0}]}');
  });

  it('stops on SIGTERM (docker stop)', async () => {
    server!.child.kill('SIGTERM');
    expect(await server!.exited).toBe(0);
  });

  // The refusal itself lives in the CLI (issue 10); this checks the image relies on it.
  const cliRefuses = readFileSync('sandbox/cli.ts', 'utf8').includes('allow-open-control');
  if (!cliRefuses) console.warn('container test: the CLI has no non-loopback refusal yet (--allow-open-control); that check is skipped');
  it.skipIf(!cliRefuses)('refuses to start on 0.0.0.0 without SANDBOX_ADMIN_TOKEN', async () => {
    const bare = startCmd(app, { ...envOf(runtime.steps), PORT: '0', SANDBOX_DATA_DIR: join(dir, 'data-bare') });
    expect(await bare.exited).not.toBe(0);
    expect(bare.output()).toMatch(/admin.token/i);
  });
});

function dockerAnswers(): string | undefined {
  try {
    execFileSync('docker', ['info', '--format', '{{.ServerVersion}}'], { stdio: 'pipe', timeout: 15_000 });
    return undefined;
  } catch (e) {
    const err = e as { code?: string; stderr?: Buffer };
    return err.code === 'ENOENT' ? 'no docker command' : (err.stderr?.toString().trim().split('\n').at(-1) ?? 'docker info failed');
  }
}

const noDocker = dockerAnswers();
if (noDocker) console.warn(`container test: image build skipped: ${noDocker}`);

describe.skipIf(Boolean(noDocker))('the real image (needs a Docker daemon)', () => {
  const tag = `inkasso-sandbox:test-${process.pid}`;
  let id = '';
  afterAll(async () => {
    if (id) await run('docker', ['rm', '-f', id]).catch(() => undefined);
    await run('docker', ['rmi', '-f', tag]).catch(() => undefined);
  });

  it('builds, becomes healthy and runs the README tour', async () => {
    await run('docker', ['build', '-t', tag, '.'], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
    id = (await run('docker', ['run', '-d', '-P', '-e', 'SANDBOX_ADMIN_TOKEN=t0ken', tag])).stdout.trim();
    const port = (await run('docker', ['port', id, '4010/tcp'])).stdout.trim().split('\n')[0]!.split(':').at(-1)!;
    const url = `http://127.0.0.1:${port}`;
    let healthy = false;
    for (let i = 0; i < 120 && !healthy; i++) {
      healthy = await fetch(`${url}/health`).then((r) => r.ok, () => false);
      if (!healthy) await new Promise((ok) => setTimeout(ok, 500));
    }
    expect(healthy).toBe(true);
    expect((await run('docker', ['exec', id, 'id', '-u'])).stdout.trim()).not.toBe('0');
    const { stdout } = await run('bash', ['docs/tour.sh'], { env: { ...process.env, SANDBOX_URL: url, SANDBOX_ADMIN_TOKEN: 't0ken' }, encoding: 'utf8' });
    expect(stdout.trim().split('\n').at(-1)).toBe('{"open":[],"archived":[{"code":"K-1001","status":"Closed","balanceAgency":0}]}');
  }, 900_000);
});
