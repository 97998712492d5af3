/**
 * npm run bench (part): the read and write paths from outside, side by side in one run, loopback only.
 *   sandbox  node dist/sandbox/cli.js start on a temp data folder (the default lowdb store), full stack
 *   bare     express answering each path with the bytes the sandbox sent (bench/bare-server.mjs)
 *   prism    @stoplight/prism-cli mocking the same operations from contracts/openapi.json
 * Each (operation, server) pair: one warm-up, then BENCH_RUNS runs of BENCH_SECONDS with autocannon (10
 * connections), servers rotated per round so drift hits all alike. Medians with min-max; ratios carry the verdict.
 * Writes bench/results/http.json. BENCH_PROFILE=1 also writes the sandbox's CPU profile to bench/results/profile/.
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setUp, call, freePort, type Target } from './fixture.js';
import { writeResults } from './results.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const CONNECTIONS = 10;
const PROFILE = process.env.BENCH_PROFILE === '1';

type ServerName = 'sandbox' | 'bare' | 'prism';
interface Spread {
  median: number;
  min: number;
  max: number;
}
interface ServerResult {
  status: number;
  bytes: number;
  rps: Spread;
  p50: Spread;
  p99: Spread;
  non2xx: number;
  errors: number;
}

/** Start a server process and wait for the line saying it listens; the match gives the port. */
function launch(
  cmd: string,
  args: string[],
  ready: RegExp,
  env: NodeJS.ProcessEnv = {},
): Promise<{ proc: ChildProcess; match: RegExpExecArray }> {
  return new Promise((ok, fail) => {
    const proc = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => fail(new Error(`${cmd} ${args.join(' ')} not ready in 60 s:\n${out}`)), 60_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = ready.exec(out);
      if (m) {
        clearTimeout(timer);
        ok({ proc, match: m });
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`${cmd} exited with ${code}:\n${out}`));
    });
  });
}

function stop(proc: ChildProcess): Promise<void> {
  return new Promise((ok) => {
    if (proc.exitCode !== null) return ok();
    proc.removeAllListeners('exit');
    proc.once('exit', () => ok());
    proc.kill('SIGINT');
    setTimeout(() => proc.kill('SIGKILL'), 10_000).unref();
  });
}

function spread(xs: number[]): Spread {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median: Math.round(median * 10) / 10, min: Math.round(s[0]! * 10) / 10, max: Math.round(s.at(-1)! * 10) / 10 };
}

async function cannon(base: string, t: Target, seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url: base + t.path,
    method: t.method,
    headers: t.headers,
    ...(t.body ? { body: t.body } : {}),
    connections: CONNECTIONS,
    duration: seconds,
  });
}

async function probe(base: string, t: Target): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  const res = await fetch(base + t.path, { method: t.method, headers: t.headers, ...(t.body ? { body: t.body } : {}) });
  const headers: Record<string, string> = {};
  for (const k of ['content-type', 'x-pagination']) {
    const v = res.headers.get(k);
    if (v) headers[k] = v;
  }
  return { status: res.status, headers, body: Buffer.from(await res.arrayBuffer()) };
}

const procs: ChildProcess[] = [];
const dataDir = await mkdtemp(join(tmpdir(), 'bench-http-'));
try {
  const t0 = performance.now();
  const profileDir = join(process.cwd(), 'bench/results/profile');
  if (PROFILE) await mkdir(profileDir, { recursive: true });
  const sandbox = await launch(
    'node',
    [
      ...(PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
      'dist/sandbox/cli.js',
      'start',
      '--port',
      '0',
      '--data-dir',
      dataDir,
    ],
    /listening on (http:\/\/\S+)/,
  );
  procs.push(sandbox.proc);
  const bases: Record<ServerName, string> = { sandbox: sandbox.match[1]!.replace('localhost', '127.0.0.1'), bare: '', prism: '' };
  const targets = await setUp(bases.sandbox);
  const setupMs = performance.now() - t0;

  const fixtures = [];
  const samples = new Map<string, Awaited<ReturnType<typeof probe>>>();
  for (const t of targets) {
    const r = await probe(bases.sandbox, t);
    if (r.status >= 300) throw new Error(`${t.name}: sandbox answered ${r.status}: ${r.body.toString().slice(0, 300)}`);
    samples.set(`sandbox ${t.name}`, r);
    fixtures.push({ method: t.method, path: t.path.split('?')[0], status: r.status, headers: r.headers, body: r.body.toString('base64') });
  }
  const fixtureFile = join(dataDir, 'bare-fixtures.json');
  await writeFile(fixtureFile, JSON.stringify(fixtures));
  const bare = await launch('node', ['bench/bare-server.mjs', fixtureFile], /listening (\d+)/);
  procs.push(bare.proc);
  bases.bare = `http://127.0.0.1:${bare.match[1]}`;
  const prismPort = await freePort();
  const prism = await launch(
    'node_modules/.bin/prism',
    ['mock', 'contracts/openapi.json', '-h', '127.0.0.1', '-p', String(prismPort)],
    /Prism is listening/,
  );
  procs.push(prism.proc);
  bases.prism = `http://127.0.0.1:${prismPort}`;
  for (const name of ['bare', 'prism'] as const) for (const t of targets) samples.set(`${name} ${t.name}`, await probe(bases[name], t));

  const servers: ServerName[] = ['sandbox', 'bare', 'prism'];
  const raw = new Map<string, autocannon.Result[]>();
  for (const t of targets) for (const s of servers) await cannon(bases[s], t, 1); // warm-up (JIT, caches)
  for (let round = 0; round < RUNS; round++) {
    process.stdout.write(`round ${round + 1}/${RUNS}… `);
    for (const t of targets) {
      const order = servers.map((_, i) => servers[(i + round) % servers.length]!);
      for (const s of order) {
        const key = `${s} ${t.name}`;
        raw.set(key, [...(raw.get(key) ?? []), await cannon(bases[s], t, SECONDS)]);
      }
    }
  }
  console.log('done');

  const results = targets.map((t) => {
    const per = {} as Record<ServerName, ServerResult>;
    for (const s of servers) {
      const runs = raw.get(`${s} ${t.name}`)!;
      const sample = samples.get(`${s} ${t.name}`)!;
      per[s] = {
        status: sample.status,
        bytes: sample.body.length,
        rps: spread(runs.map((r) => r.requests.average)),
        p50: spread(runs.map((r) => r.latency.p50)),
        p99: spread(runs.map((r) => r.latency.p99)),
        non2xx: runs.reduce((n, r) => n + r.non2xx, 0),
        errors: runs.reduce((n, r) => n + r.errors + r.timeouts, 0),
      };
    }
    return {
      name: t.name,
      kind: t.kind,
      servers: per,
      ratios: {
        vsBare: Math.round((per.sandbox.rps.median / per.bare.rps.median) * 100) / 100,
        vsPrism: Math.round((per.sandbox.rps.median / per.prism.rps.median) * 100) / 100,
        p99VsBare: Math.round((per.sandbox.p99.median / Math.max(1, per.bare.p99.median)) * 100) / 100,
      },
    };
  });
  const writes = (await call(bases.sandbox, 'GET', '/_sandbox/clients/writes/vouchers')).vouchers.length;
  for (const r of results) {
    console.log(
      `\n${r.name}  (sandbox/bare ${r.ratios.vsBare}x, sandbox/prism ${r.ratios.vsPrism}x, p99 sandbox/bare ${r.ratios.p99VsBare}x)`,
    );
    for (const s of servers) {
      const x = r.servers[s];
      console.log(
        `  ${s.padEnd(8)} ${String(x.rps.median).padStart(8)} req/s (${x.rps.min}-${x.rps.max})  ` +
          `p50 ${x.p50.median} ms  p99 ${x.p99.median} ` +
          `ms (${x.p99.min}-${x.p99.max})  ${x.status} ${x.bytes} B` +
          `${x.non2xx ? `  non-2xx ${x.non2xx}` : ''}${x.errors ? `  errors ${x.errors}` : ''}`,
      );
    }
  }
  await writeResults('bench/results/http.json', {
    runs: RUNS,
    seconds: SECONDS,
    connections: CONNECTIONS,
    setupMs: Math.round(setupMs),
    vouchersWritten: writes,
    results,
  });
  console.log(`\nwrote bench/results/http.json (set-up ${Math.round(setupMs)} ms; ${writes} vouchers written on the lowdb store)`);
} finally {
  for (const p of procs.reverse()) await stop(p);
  await rm(dataDir, { recursive: true, force: true });
}
