/**
 * npm run bench:clock — the clock over a large world: N invoices spread over a year for N/5 customers, advanced
 * 365 days in one call and in 365 one-day calls; snapshot and restore; in memory, on lowdb files, on PostgreSQL
 * (BENCH_STORES=postgres: a throw-away database).
 * Writes bench/results/clock.json and prints a table; BENCHMARKS.md quotes the figures.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../sandbox/engine.js';
import { MemoryStore } from '../sandbox/storage/memory-store.js';
import { LowdbStore } from '../sandbox/storage/lowdb-store.js';
import { PgStore } from '../sandbox/storage/pg-store.js';
import { withDatabase } from './pg.js';
import type { WorldStore } from '../sandbox/storage/world-store.js';
import { ACTORS } from '../sandbox/domain/context.js';
import { benchCustomers } from './world.js';
import { writeResults } from './results.js';
import { postInvoice } from '../sandbox/domain/commands/invoices.js';
import { updateSettings } from '../sandbox/domain/commands/settings.js';
import { addDays } from '../sandbox/domain/time.js';

type Settings = 'default' | 'reminders';

interface Row {
  settings: Settings;
  invoices: number;
  store: string;
  events: number;
  worldMb: number;
  /** Heap held by the world per 10k invoices (after a GC; needs node --expose-gc, else null). */
  heapMbPer10k: number | null;
  setupMs: number;
  advance365Ms: number;
  advance365x1Ms: number;
  perEventUs: number;
  snapshotMs: number;
  restoreMs: number;
}

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s ^ (s >>> 15), 2246822507) + 0x9e3779b9) >>> 0) / 4294967296;
}

async function build(store: WorldStore, invoices: number, id: string, settings: Settings): Promise<{ engine: Engine; setupMs: number }> {
  const engine = await Engine.create({ store });
  const t0 = performance.now();
  await engine.createClient({ id, name: 'Bench AS', startDate: '2026-01-01' });
  const rand = prng(42);
  await engine.write(id, ACTORS.erpUser, (ctx) => {
    // 'reminders': purring + inkassovarsel, so each invoice sends two reminder vouchers (fee and interest) before it drafts.
    if (settings === 'reminders')
      updateSettings(ctx, { reminderSteps: { paymentReminder: { enabled: true }, collectionNotice: { enabled: true } } });
    const customers = benchCustomers(ctx, invoices);
    for (let i = 0; i < invoices; i++) {
      const invoiceDate = addDays('2025-12-01', Math.floor(rand() * 330));
      postInvoice(ctx, {
        customerId: 1 + Math.floor(rand() * customers),
        amount: 50_00 + Math.floor(rand() * 20_000_00),
        invoiceDate,
        dueDate: addDays(invoiceDate, 14),
      });
    }
  });
  return { engine, setupMs: performance.now() - t0 };
}

const gc = (globalThis as { gc?: () => void }).gc;
const heapMb = () => {
  gc?.();
  return process.memoryUsage().heapUsed / 1e6;
};

type StoreKind = 'memory' | 'lowdb' | 'postgres';

async function measure(invoices: number, storeKind: StoreKind, settings: Settings, databaseUrl?: string): Promise<Row> {
  const heapBefore = heapMb();
  const dir = storeKind === 'lowdb' ? await mkdtemp(join(tmpdir(), 'bench-')) : undefined;
  const newStore = async (): Promise<WorldStore> =>
    dir ? LowdbStore.open(dir) : databaseUrl ? PgStore.open(databaseUrl) : new MemoryStore();
  try {
    const { engine, setupMs } = await build(await newStore(), invoices, 'one', settings);
    const heapAfter = heapMb();
    await engine.saveSnapshot('one', 'start');
    let t = performance.now();
    const year = await engine.advance('one', ACTORS.sandbox, { days: 365 });
    const advance365Ms = performance.now() - t;
    const events = year.events.length;

    t = performance.now();
    await engine.saveSnapshot('one', 'end');
    const snapshotMs = performance.now() - t;
    t = performance.now();
    await engine.restoreSnapshot('one', 'start');
    const restoreMs = performance.now() - t;

    // 365 one-day calls (each persisting the world on lowdb); BENCH_DAILY=0 skips them to bound the run.
    let advance365x1Ms = Number.NaN;
    if (process.env.BENCH_DAILY !== '0') {
      t = performance.now();
      for (let d = 0; d < 365; d++) await engine.advance('one', ACTORS.sandbox, { days: 1 });
      advance365x1Ms = performance.now() - t;
    }
    // Sized part by part: a 100k-invoice world is past V8's longest string as one JSON text.
    const worldMb =
      (await engine.read('one', (w) =>
        Object.values(w).reduce(
          (n: number, part) =>
            n + (Array.isArray(part) ? part.reduce((m: number, x) => m + JSON.stringify(x).length, 0) : JSON.stringify(part).length),
          0,
        ),
      )) / 1e6;
    await engine.close();
    return {
      settings,
      invoices,
      store: storeKind,
      events,
      worldMb: Math.round(worldMb * 10) / 10,
      heapMbPer10k: gc ? Math.round(((heapAfter - heapBefore) / (invoices / 10_000)) * 10) / 10 : null,
      setupMs: Math.round(setupMs),
      advance365Ms: Math.round(advance365Ms),
      advance365x1Ms: Math.round(advance365x1Ms),
      perEventUs: Math.round((advance365Ms * 1000) / Math.max(1, events)),
      snapshotMs: Math.round(snapshotMs),
      restoreMs: Math.round(restoreMs),
    };
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}

const sizes = (process.env.BENCH_SIZES ?? '5000,50000,100000').split(',').map(Number);
const stores = (process.env.BENCH_STORES ?? 'memory,lowdb').split(',') as StoreKind[];
const settingsList = (process.env.BENCH_SETTINGS ?? 'default,reminders').split(',') as Settings[];
const rows: Row[] = [];
for (const store of stores) {
  for (const settings of settingsList)
    for (const n of sizes) {
      process.stdout.write(`${store} ${settings} ${n} invoices… `);
      const row = store === 'postgres' ? await withDatabase((url) => measure(n, store, settings, url)) : await measure(n, store, settings);
      if (!row) continue;
      rows.push(row);
      console.log(
        `year in one call ${row.advance365Ms} ms (${row.events} events, ${row.perEventUs} µs/event), 365 calls ` +
          `${Number.isNaN(row.advance365x1Ms) ? 'skipped' : `${row.advance365x1Ms} ms`}` +
          `, snapshot ${row.snapshotMs} ms, restore ${row.restoreMs} ` +
          `ms`,
      );
    }
}
console.table(rows);
const out = process.env.BENCH_CLOCK_OUT ?? 'bench/results/clock.json';
await writeResults(out, { rows });
console.log(`wrote ${out}`);
