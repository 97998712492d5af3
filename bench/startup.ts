/**
 * npm run bench (part): cold start as a user meets it, against bare node on the same machine in the same run.
 *   first answer  spawn `node dist/sandbox/cli.js start` (memory, and a fresh data folder) until GET /_sandbox answers
 *   --help, --version  spawn until exit
 *   bare node     `node -e 0`, and a bare http server's first answer: the floor no CLI gets under
 * BENCH_STARTS runs each (default 5), interleaved; medians with min-max. Writes bench/results/startup.json.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './fixture.js';
import { writeResults } from './results.js';

const RUNS = Number(process.env.BENCH_STARTS ?? 5);

function answers(port: number, path: string): Promise<boolean> {
  return new Promise((ok) => {
    const req = request({ host: '127.0.0.1', port, path, timeout: 1000 }, (res) => {
      res.resume();
      res.on('end', () => ok((res.statusCode ?? 0) < 500));
    });
    req.on('error', () => ok(false));
    req.on('timeout', () => {
      req.destroy();
      ok(false);
    });
    req.end();
  });
}

/** ms from spawn until the server at `port` answers `path` (polled every 5 ms); then the process is stopped. */
async function firstAnswer(args: string[], port: number, path: string): Promise<{ ms: number; banner: string }> {
  const t0 = performance.now();
  const proc = spawn('node', args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PORT: String(port) } });
  let out = '';
  proc.stdout.on('data', (d) => (out += d));
  proc.stderr.on('data', (d) => (out += d));
  let exited = false;
  proc.on('exit', () => (exited = true));
  try {
    for (;;) {
      if (exited) throw new Error(`${args.join(' ')} exited before answering:\n${out}`);
      if (performance.now() - t0 > 60_000) throw new Error(`${args.join(' ')}: no answer in 60 s:\n${out}`);
      if (await answers(port, path))
        return { ms: performance.now() - t0, banner: out.split('\n').find((l) => l.includes('listening on')) ?? '' };
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    if (!exited) {
      proc.kill('SIGKILL');
      await new Promise((r) => proc.once('exit', r));
    }
  }
}

async function toExit(args: string[]): Promise<number> {
  const t0 = performance.now();
  const proc = spawn('node', args, { stdio: 'ignore' });
  const code = await new Promise<number | null>((r) => proc.once('exit', r));
  if (code !== 0) throw new Error(`node ${args.join(' ')} exited ${code}`);
  return performance.now() - t0;
}

function spread(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median: Math.round(median), min: Math.round(s[0]!), max: Math.round(s.at(-1)!) };
}

const BARE_HTTP = "require('http').createServer((q,s)=>s.end('ok')).listen(process.env.PORT,'127.0.0.1')";
const samples: Record<string, number[]> = {};
const banners: string[] = [];
const add = (k: string, v: number) => (samples[k] ??= []).push(v);
const temps: string[] = [];
try {
  for (let i = 0; i < RUNS; i++) {
    process.stdout.write(`start ${i + 1}/${RUNS}… `);
    add('bare node (node -e 0)', await toExit(['-e', '0']));
    add('bare node http server, first answer', (await firstAnswer(['-e', BARE_HTTP], await freePort(), '/')).ms);
    add('--version', await toExit(['dist/sandbox/cli.js', '--version']));
    add('--help', await toExit(['dist/sandbox/cli.js', '--help']));
    const memory = await firstAnswer(['dist/sandbox/cli.js', 'start', '--memory'], await freePort(), '/_sandbox');
    add('start --memory, first answer', memory.ms);
    banners.push(memory.banner);
    const dir = await mkdtemp(join(tmpdir(), 'bench-start-'));
    temps.push(dir);
    add(
      'start (fresh data folder), first answer',
      (await firstAnswer(['dist/sandbox/cli.js', 'start', '--data-dir', dir], await freePort(), '/_sandbox')).ms,
    );
  }
  console.log('done');
} finally {
  for (const d of temps) await rm(d, { recursive: true, force: true });
}
const rows = Object.entries(samples).map(([what, xs]) => ({ what, ...spread(xs) }));
console.table(rows);
console.log(`banner (last run): ${banners.at(-1)}`);
await writeResults('bench/results/startup.json', { runs: RUNS, rows, banner: banners.at(-1) });
console.log('wrote bench/results/startup.json');
