/**
 * npm run bench — every bench in one run, then BENCHMARKS.md: the date, the machine, a verdict per target (ratios
 * against bare node, bare express and Prism measured in the same run carry it), and each bench's own output.
 * Parts: startup.ts, http.ts, clock.ts (50k invoices), and storage.ts / odata-filter.ts when they exist.
 * Loopback only; each part has a time limit, and the whole run is meant to stay within about five minutes.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';

interface Part {
  name: string;
  file: string;
  args?: string[];
  env?: Record<string, string>;
  limitS: number;
}

// --quick: a sanity run while working (fewer and shorter runs, 10k invoices, no storage bench); it prints the
// verdict but leaves BENCHMARKS.md alone. `--only <part>` (or BENCH_ONLY) runs the parts whose file names it.
const QUICK = process.argv.includes('--quick');
const onlyArg = process.argv.indexOf('--only');
const ONLY = onlyArg >= 0 ? process.argv[onlyArg + 1] : process.env.BENCH_ONLY;
if (QUICK) {
  process.env.BENCH_RUNS ??= '2';
  process.env.BENCH_SECONDS ??= '1';
  process.env.BENCH_STARTS ??= '2';
}
const CLOCK_SIZE = QUICK ? '10000' : '50000';

const PARTS: Part[] = [
  { name: 'Start-up', file: 'bench/startup.ts', limitS: 300 },
  { name: 'Read and write paths over HTTP', file: 'bench/http.ts', limitS: 300 },
  // 50k invoices: both rule settings in memory, restore on lowdb; the 365 one-day calls only with BENCH_DAILY=1.
  {
    name: `Clock, memory store (${Number(CLOCK_SIZE).toLocaleString('en')} invoices)`,
    file: 'bench/clock.ts',
    env: {
      BENCH_SIZES: CLOCK_SIZE,
      BENCH_STORES: 'memory',
      BENCH_DAILY: process.env.BENCH_DAILY ?? '0',
      BENCH_CLOCK_OUT: 'bench/results/clock-memory.json',
    },
    limitS: 300,
  },
  {
    name: `Clock, lowdb store (${Number(CLOCK_SIZE).toLocaleString('en')} invoices)`,
    file: 'bench/clock.ts',
    env: {
      BENCH_SIZES: CLOCK_SIZE,
      BENCH_STORES: 'lowdb',
      BENCH_SETTINGS: 'default',
      BENCH_DAILY: process.env.BENCH_DAILY ?? '0',
      BENCH_CLOCK_OUT: 'bench/results/clock-lowdb.json',
    },
    limitS: 300,
  },
  // Restore on the shared store too: a team's sandbox restores between test runs.
  {
    name: `Clock, PostgreSQL store (${Number(CLOCK_SIZE).toLocaleString('en')} invoices)`,
    file: 'bench/clock.ts',
    env: {
      BENCH_SIZES: CLOCK_SIZE,
      BENCH_STORES: 'postgres',
      BENCH_SETTINGS: 'default',
      BENCH_DAILY: '0',
      BENCH_CLOCK_OUT: 'bench/results/clock-postgres.json',
    },
    limitS: 300,
  },
  { name: 'Storage', file: 'bench/storage.ts', limitS: 180 },
  { name: 'OData $filter worst cases', file: 'bench/odata-filter.ts', limitS: 120 },
];

async function runPart(p: Part): Promise<{ output: string; code: number | null; seconds: number }> {
  const t0 = performance.now();
  // --expose-gc: the clock bench reports heap per 10k invoices after a GC.
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', p.file, ...(p.args ?? [])], {
    env: { ...process.env, ...p.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const take = (d: Buffer) => {
    output += d.toString();
    process.stdout.write(d);
  };
  child.stdout.on('data', take);
  child.stderr.on('data', take);
  const timer = setTimeout(() => {
    output += `\n(stopped after ${p.limitS} s)\n`;
    child.kill('SIGKILL');
  }, p.limitS * 1000);
  const code = await new Promise<number | null>((ok) => child.once('exit', ok));
  clearTimeout(timer);
  return { output, code, seconds: Math.round((performance.now() - t0) / 1000) };
}

async function json(file: string): Promise<any> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return undefined;
  }
}

const mark = (ok: boolean | undefined) => (ok === undefined ? '—' : ok ? 'met' : '**not met**');
const started = new Date();
const loadBefore = loadavg()
  .map((x) => x.toFixed(1))
  .join(', ');
const outputs: Array<{ part: Part; output: string; code: number | null; seconds: number }> = [];
for (const part of PARTS) {
  if (!existsSync(part.file)) continue;
  if (ONLY && !part.file.includes(ONLY)) continue;
  if (QUICK && part.file === 'bench/storage.ts') continue;
  console.log(`\n=== ${part.name} (${part.file}) ===`);
  outputs.push({ part, ...(await runPart(part)) });
}
const loadAfter = loadavg()
  .map((x) => x.toFixed(1))
  .join(', ');
const totalS = Math.round((Date.now() - started.getTime()) / 1000);

const http = await json('bench/results/http.json');
const startup = await json('bench/results/startup.json');
const clock = {
  rows: [
    ...((await json('bench/results/clock-memory.json'))?.rows ?? []),
    ...((await json('bench/results/clock-lowdb.json'))?.rows ?? []),
    ...((await json('bench/results/clock-postgres.json'))?.rows ?? []),
  ],
};
const startupRow = (what: string) => startup?.rows.find((r: { what: string }) => r.what === what);

const verdict: string[] = ['| target | measured (median) | verdict |', '|---|---|---|'];
for (const r of http?.results ?? []) {
  if (r.kind !== 'read') continue;
  verdict.push(
    `| ${r.name}: ≥ 0.7x bare express | ${r.ratios.vsBare}x (${r.servers.sandbox.rps.median} vs ${r.servers.bare.rps.median} req/s) | ` +
      `${mark(r.ratios.vsBare >= 0.7)} |`,
  );
  verdict.push(
    `| ${r.name}: ≥ 4x Prism | ${r.ratios.vsPrism}x (Prism ${r.servers.prism.rps.median} req/s, ${r.servers.prism.bytes} B per answer ` +
      `vs our ${r.servers.sandbox.bytes} B) | ${mark(r.ratios.vsPrism >= 4)} |`,
  );
  verdict.push(
    `| ${r.name}: p99 ≤ 2x bare's | ${r.ratios.p99VsBare}x (${r.servers.sandbox.p99.median} vs ${r.servers.bare.p99.median} ms) ` +
      `| ${mark(r.ratios.p99VsBare <= 2)} ` +
      `|`,
  );
}
const write = http?.results.find((r: { kind: string }) => r.kind === 'write');
if (write)
  verdict.push(
    `| ${write.name} on the lowdb store (no target) | ${write.servers.sandbox.rps.median} ` +
      `req/s, p99 ${write.servers.sandbox.p99.median} ` +
      `ms; ${write.ratios.vsBare}x bare, ${write.ratios.vsPrism}x Prism | — |`,
  );
const first = startupRow('start --memory, first answer');
const firstDisk = startupRow('start (fresh data folder), first answer');
const help = startupRow('--help');
const bareNode = startupRow('bare node (node -e 0)');
const bareHttp = startupRow('bare node http server, first answer');
if (first)
  verdict.push(
    `| cold start to first answer < 1 s | ${first.median} ms in memory, ${firstDisk?.median} ms on a fresh folder (bare node http ` +
      `server: ${bareHttp?.median} ms) | ${mark(first.median < 1000 && (firstDisk?.median ?? 0) < 1000)} |`,
  );
if (help) verdict.push(`| --help < 0.3 s | ${help.median} ms (node -e 0: ${bareNode?.median} ms) | ${mark(help.median < 300)} |`);
for (const row of clock?.rows ?? []) {
  if (row.settings === 'reminders')
    verdict.push(
      `| reminder-heavy year, ${row.invoices} invoices, ${row.store}: < 2 s | ${row.advance365Ms} ms (${row.events} events) ` +
        `| ${mark(row.advance365Ms < 2000)} ` +
        `|`,
    );
  if (row.store !== 'memory' && row.settings === 'default')
    verdict.push(`| restore at ${row.invoices} invoices (${row.store}) < 200 ms | ${row.restoreMs} ms | ${mark(row.restoreMs < 200)} |`);
}
const heap = clock?.rows.find((r: { heapMbPer10k: number | null }) => r.heapMbPer10k !== null);
if (heap)
  verdict.push(
    `| memory per 10k invoices (report) | ${heap.heapMbPer10k} MB heap (${heap.settings}, ${heap.store}, world set up, before the ` +
      `year) | — |`,
  );

const machine =
  `${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 1e9)} GB, ` +
  `Node ${process.version}, ${process.platform}`;
const fence = '```';
const partSection = (o: (typeof outputs)[number]) =>
  `### ${o.part.name}\n\n\`${o.part.file}\`, ${o.seconds} s${o.code ? `, exit code ${o.code}` : ''}\n\n` +
  `${fence}text\n${o.output.replace(/\r/g, '').trim()}\n${fence}\n`;

const md = `<!-- bench:run (generated by npm run bench; everything up to the closing mark is replaced on each run) -->

## Latest \`npm run bench\`

Written by \`npm run bench\` (bench/run.ts) on ${started.toISOString()}; the whole run took ${totalS} s.

Machine: ${machine}.
Load average (1, 5, 15 min) before: ${loadBefore}; after: ${loadAfter}. On a shared or busy machine absolute figures
swing widely; the ratios compare servers measured in the same run, interleaved, and carry the verdict.

Method: every server runs in its own process on 127.0.0.1; autocannon (10 connections) drives each
(operation, server) pair for one warm-up second, then ${http?.runs ?? '?'} runs of ${http?.seconds ?? '?'} s, servers rotated
per round; medians with min-max. *bare express* answers each path with the bytes the sandbox sent; *Prism*
(\`prism mock contracts/openapi.json\`) answers from the same contract with its own generated examples (far
fewer bytes: see the table). The sandbox runs \`node dist/sandbox/cli.js start\` on a fresh data folder (the
default lowdb store), with the rate limits of the bench clients switched off in their settings.
Repeated reads of an unchanged world are answered from the sandbox's view cache (serialised answers kept per
world revision; auth, faults, rate limits and the request journal still run per request);
\`npx tsx bench/profile-read.ts\` measures the uncached cost per answer in-process.

### Verdict

${verdict.join('\n')}

${outputs.map(partSection).join('\n')}`;
// The generated block replaces the last one; the hand-written notes around it stay.
const END = '<!-- /bench:run -->';
const block = `${md.trim()}\n\n${END}`;
const previous = existsSync('BENCHMARKS.md') ? await readFile('BENCHMARKS.md', 'utf8') : '# Benchmarks\n';
const at = previous.indexOf('<!-- bench:run');
const next =
  at >= 0
    ? previous.slice(0, at) + block + previous.slice(previous.indexOf(END) + END.length)
    : previous.replace(/^(# .*\n)/, `$1\n${block}\n`);
if (QUICK) {
  console.log(`\n--quick (${totalS} s): BENCHMARKS.md left as it is\n\n${verdict.join('\n')}`);
} else {
  await writeFile('BENCHMARKS.md', next);
  console.log(`\nwrote BENCHMARKS.md (${totalS} s)`);
}
