/**
 * npx tsx bench/storage.ts — what a write costs as a client's world grows, measured from outside: a real server on a
 * loopback port, sequential POST /payments (each on its own invoice) over keep-alive, in worlds of 200 and 20,000
 * invoices, on the file store (lowdb checkpoints + fsynced log), in memory, and on PostgreSQL when one answers.
 * Also: the start-up replay of a log at its bound (1000 records since the checkpoint) in the 20,000-invoice world,
 * and the checkpoint itself. Writes bench/results/storage.json and prints a markdown table.
 * Knobs: BENCH_WRITES (default 200), BENCH_SIZES (default 200,20000), BENCH_STORES (file,memory,postgres).
 */
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withDatabase } from './pg.js';
import { startServer, type RunningServer } from '../sandbox/server.js';
import { Engine } from '../sandbox/engine.js';
import { LowdbStore } from '../sandbox/storage/lowdb-store.js';
import { ACTORS } from '../sandbox/domain/context.js';
import { benchCustomers } from './world.js';
import { writeResults } from './results.js';
import { postInvoice } from '../sandbox/domain/commands/invoices.js';
import { postPayment } from '../sandbox/domain/commands/payments.js';
import { addDays } from '../sandbox/domain/time.js';

type StoreKind = 'file' | 'memory' | 'postgres';
const WRITES = Number(process.env.BENCH_WRITES ?? 200);
const SIZES = (process.env.BENCH_SIZES ?? '200,20000').split(',').map(Number);
const STORES = (process.env.BENCH_STORES ?? 'file,memory,postgres').split(',') as StoreKind[];

interface Row {
  store: StoreKind;
  invoices: number;
  writes: number;
  medianMs: number;
  p95Ms: number;
  meanMs: number;
  maxMs: number;
  /** Start-up on the stored world: open the store and load the client (checkpoint plus whatever log is left). */
  loadMs: number;
}

/** A world of `invoices` invoices (one customer per five) made in one engine write. */
function populate(engine: Engine, id: string, invoices: number): Promise<unknown> {
  return engine.write(id, ACTORS.erpUser, (ctx) => {
    const customers = benchCustomers(ctx, invoices);
    for (let i = 0; i < invoices; i++) {
      const invoiceDate = addDays('2025-11-01', i % 60);
      postInvoice(ctx, { customerId: 1 + (i % customers), amount: 1000_00 + i, invoiceDate, dueDate: addDays(invoiceDate, 14) });
    }
  });
}

function post(agent: http.Agent, port: number, path: string, body: unknown): Promise<{ status: number; body: string }> {
  const data = Buffer.from(JSON.stringify(body));
  return new Promise((ok, fail) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': data.length },
      },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => ok({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', fail);
    req.end(data);
  });
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
const r1 = (n: number) => Math.round(n * 10) / 10;

async function measure(store: StoreKind, invoices: number, databaseUrl?: string): Promise<Row> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-storage-'));
  const options = {
    port: 0,
    dataDir: dir,
    rateLimits: false,
    ...(store === 'memory' ? { memory: true } : {}),
    ...(databaseUrl ? { databaseUrl } : {}),
  };
  try {
    let server: RunningServer = await startServer(options);
    const id = `bench-${invoices}`;
    await server.engine.createClient({ id, name: 'Bench AS', startDate: '2026-01-05' });
    await populate(server.engine, id, invoices);
    let loadMs = 0;
    if (store !== 'memory') {
      // A clean restart: the world comes back from its checkpoint.
      await server.close();
      const t = performance.now();
      server = await startServer(options);
      await server.engine.read(id, (w) => Object.keys(w.invoices).length);
      loadMs = performance.now() - t;
    }
    const invoiceIds = await server.engine.read(id, (w) => Object.keys(w.invoices).slice(0, WRITES + 10));
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const times: number[] = [];
    for (let i = 0; i < WRITES + 10; i++) {
      const t = performance.now();
      const res = await post(agent, server.port, `/_sandbox/clients/${id}/payments`, {
        invoiceId: invoiceIds[i % invoiceIds.length],
        amount: 1,
      });
      const ms = performance.now() - t;
      if (res.status !== 201) throw new Error(`payment ${i}: ${res.status} ${res.body.slice(0, 300)}`);
      if (i >= 10) times.push(ms); // the first ten warm the process up
    }
    agent.destroy();
    await server.close();
    const sorted = [...times].sort((a, b) => a - b);
    return {
      store,
      invoices,
      writes: times.length,
      medianMs: r1(pct(sorted, 50)),
      p95Ms: r1(pct(sorted, 95)),
      meanMs: r1(times.reduce((a, b) => a + b, 0) / times.length),
      maxMs: r1(sorted.at(-1)!),
      loadMs: Math.round(loadMs),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The replay bound: a crash with 999 records since the checkpoint (the default bound is 1000), then a start. */
async function replay(
  invoices: number,
): Promise<{ records: number; checkpointMs: number; loadCheckpointOnlyMs: number; loadWithLogMs: number; replayMs: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-replay-'));
  try {
    const engine = await Engine.create({ store: await LowdbStore.open(dir), checkpointIdleMs: 0 });
    await engine.createClient({ id: 'r', name: 'Replay AS', startDate: '2026-01-05' });
    await populate(engine, 'r', invoices);
    const store = engine.store;
    // A checkpoint of the whole world, timed on its own.
    const world = await engine.read('r', (w) => w);
    const seq = (await store.head('r'))!;
    let t = performance.now();
    await store.checkpoint('r', world, seq);
    const checkpointMs = performance.now() - t;

    t = performance.now();
    const e2 = await Engine.create({ store: await LowdbStore.open(dir), checkpointIdleMs: 0 });
    await e2.read('r', (w) => w.id);
    const loadCheckpointOnlyMs = performance.now() - t;
    await e2.store.close();

    const ids = await engine.read('r', (w) => Object.keys(w.invoices));
    const records = 999;
    for (let i = 0; i < records; i++)
      await engine.write('r', ACTORS.erpUser, (ctx) => postPayment(ctx, { lines: [{ invoiceId: ids[i % ids.length]!, amount: 100 }] }));
    // No close: as after a SIGKILL, the log holds every record since the checkpoint.
    t = performance.now();
    const e3 = await Engine.create({ store: await LowdbStore.open(dir), checkpointIdleMs: 0 });
    await e3.read('r', (w) => w.id);
    const loadWithLogMs = performance.now() - t;
    await e3.store.close();
    await store.close();
    return {
      records: e3.replayStats.records,
      checkpointMs: Math.round(checkpointMs),
      loadCheckpointOnlyMs: Math.round(loadCheckpointOnlyMs),
      loadWithLogMs: Math.round(loadWithLogMs),
      replayMs: Math.round(e3.replayStats.maxMs),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const rows: Row[] = [];
for (const store of STORES) {
  const run = async (url?: string) => {
    for (const n of SIZES) {
      process.stdout.write(`${store} ${n} invoices… `);
      const row = await measure(store, n, url);
      rows.push(row);
      console.log(`median ${row.medianMs} ms, p95 ${row.p95Ms} ms`);
    }
  };
  if (store === 'postgres') await withDatabase(run);
  else await run();
}
const bigN = Math.max(...SIZES);
process.stdout.write(`replay of 999 records in a ${bigN}-invoice world… `);
const replayRow = await replay(bigN);
console.log(`${replayRow.loadWithLogMs} ms`);

const ratio: Record<string, number> = {};
for (const store of STORES) {
  const small = rows.find((r) => r.store === store && r.invoices === Math.min(...SIZES));
  const big = rows.find((r) => r.store === store && r.invoices === bigN);
  if (small && big) ratio[store] = Math.round((big.medianMs / small.medianMs) * 100) / 100;
}

console.log('\n| store | invoices | writes | median | p95 | mean | max | start-up load |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows)
  console.log(
    `| ${r.store} | ${r.invoices.toLocaleString('en')} | ${r.writes} | ${r.medianMs} ms | ${r.p95Ms} ms | ${r.meanMs} ms | ${r.maxMs} ` +
      `ms | ${r.store === 'memory' ? '–' : `${r.loadMs} ms`} |`,
  );
console.log(
  `\nMedian write, ${bigN.toLocaleString('en')} vs ${Math.min(...SIZES)} invoices: ${Object.entries(ratio)
    .map(([s, x]) => `${s} ${x}x`)
    .join(', ')} (target: at most 2x and under 20 ms).`,
);
console.log(
  `\n| ${bigN.toLocaleString('en')}-invoice world, file store | ms |\n|---|---:|\n` +
    `| checkpoint (serialise, write, fsync, rename) | ${replayRow.checkpointMs} ` +
    `|\n| start from the checkpoint alone | ${replayRow.loadCheckpointOnlyMs} |\n| start after a crash with ${replayRow.records} ` +
    `records in the log (the bound is 1000) | ${replayRow.loadWithLogMs} |\n| of which applying the records (after reading the ` +
    `checkpoint and the log) | ${replayRow.replayMs} |`,
);
await writeResults('bench/results/storage.json', { writesPerRow: WRITES, rows, ratio, replay: replayRow });
console.log('\nwrote bench/results/storage.json');
process.exit(0);
