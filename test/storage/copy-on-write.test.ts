/**
 * Copies of a world share its invoices, customers and cases copy-on-write (storage/world-copy.ts): a snapshot, a
 * restored world and the memory store's checkpoint and records hold the same entry objects until a command changes
 * one, which then gets a private copy first. So: whatever a command changes after a snapshot or a restore (reached
 * by key, by enumerating, or by the clock's hot loop), the snapshot and the store's copies stay as they were.
 * Checked on the memory and the file store, with ledger invariants on (strict).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine, replayRecord } from '../../sandbox/engine.js';
import { MemoryStore } from '../../sandbox/storage/memory-store.js';
import { LowdbStore } from '../../sandbox/storage/lowdb-store.js';
import { copyWorld, isShared, writable } from '../../sandbox/storage/world-copy.js';
import type { WorldStore } from '../../sandbox/storage/store.js';
import { ACTORS } from '../../sandbox/domain/context.js';
import { createCustomer, updateCustomer } from '../../sandbox/domain/commands/customers.js';
import { postInvoice } from '../../sandbox/domain/commands/invoices.js';
import { postPayment } from '../../sandbox/domain/commands/payments.js';
import { updateSettings } from '../../sandbox/domain/commands/settings.js';
import { approve, override } from '../../sandbox/domain/commands/collection.js';
import { createCase } from '../../sandbox/domain/commands/cases.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const ADDRESS = { addressLine1: 'Storgata 1', zipCode: '0155', city: 'Oslo', countryCode: 'NO' };

async function populated(store: WorldStore): Promise<Engine> {
  const engine = await Engine.create({ store, strict: true, checkpointIdleMs: 0 });
  await engine.createClient({ id: 'cow', name: 'Cow AS', startDate: '2026-01-05' });
  await engine.write('cow', ACTORS.erpUser, (ctx) => {
    updateSettings(ctx, { reminderSteps: { paymentReminder: { enabled: true }, collectionNotice: { enabled: true } } });
    for (let i = 0; i < 4; i++) createCustomer(ctx, { name: `Kunde ${i}`, mailAddress: ADDRESS });
    for (let i = 0; i < 12; i++)
      postInvoice(ctx, { customerId: 1 + (i % 4), amount: 1000_00 + i, invoiceDate: i % 2 ? '2025-11-20' : '2026-01-02', dueDate: i % 2 ? '2025-12-04' : '2026-01-16' });
  });
  return engine;
}

const text = (engine: Engine) => engine.read('cow', (w) => JSON.stringify(w));

/** Changes of every kind: the clock's rules, keyed look-ups, enumeration (approve all), a new case. */
async function changeEverything(engine: Engine, round: number): Promise<void> {
  await engine.advance('cow', ACTORS.sandbox, { days: 45 });
  const ids = await engine.read('cow', (w) => Object.keys(w.invoices));
  await engine.write('cow', ACTORS.erpUser, (ctx) => {
    postPayment(ctx, { lines: [{ invoiceId: ids[round]!, amount: 10_00 }] });
    updateCustomer(ctx, 1, { name: `Omdøpt ${round}` });
  });
  const open = await engine.read('cow', (w) => Object.values(w.invoices).filter((i) => ['None', 'Rejected'].includes(i.collection.status)).map((i) => i.id));
  if (open.length) await engine.write('cow', ACTORS.erpUser, (ctx) => override(ctx, { invoiceIds: open.slice(0, 3), nextAction: 'Inkasso' }));
  await engine.write('cow', ACTORS.erpUser, (ctx) => approve(ctx, { all: true }));
  const integrationId = await engine.read('cow', (w) => w.integrations[0]!.id);
  const approved = await engine.read('cow', (w) => Object.values(w.invoices).filter((i) => i.collection.status === 'Approved').map((i) => i.id));
  expect(open.length + approved.length).toBeGreaterThan(0); // the enumerating and case paths ran
  if (approved.length) await engine.write('cow', ACTORS.erpUser, (ctx) => createCase(ctx, integrationId, { code: `K-${round}`, invoiceIds: approved.slice(0, 1) }));
  await engine.advance('cow', ACTORS.sandbox, { days: 30 });
}

describe.each([
  ['memory', async () => new MemoryStore()],
  [
    'file',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'inkasso-cow-'));
      dirs.push(dir);
      return LowdbStore.open(dir);
    },
  ],
] as const)('copy-on-write copies (%s store)', (_kind, open) => {
  it('a snapshot and every restore of it stay exactly as saved, whatever commands change afterwards', async () => {
    const engine = await populated(await open());
    await engine.saveSnapshot('cow', 's');
    const saved = await text(engine);
    for (let round = 0; round < 3; round++) {
      await changeEverything(engine, round);
      const changed = await text(engine);
      expect(changed).not.toBe(saved);
      expect(JSON.stringify(await engine.store.loadSnapshot('cow', 's'))).toBe(saved);
      await engine.restoreSnapshot('cow', 's');
      expect(await text(engine)).toBe(saved);
    }
    // The store's own copy (checkpoint plus records) is the live world, after all of it.
    await changeEverything(engine, 3);
    const live = await text(engine);
    const stored = await engine.store.load('cow');
    for (const r of stored!.records) replayRecord(stored!.world, r);
    expect(JSON.stringify(stored!.world)).toBe(live);
    await engine.close();
  });
});

describe('world-copy', () => {
  it('copyWorld shares entries until one is made writable; the original entry is left as it was', async () => {
    const engine = await populated(new MemoryStore());
    const world = await engine.read('cow', (w) => structuredClone(w));
    const copy = copyWorld(world);
    const id = Object.keys(world.invoices)[0]!;
    expect(copy.invoices[id]).toBe(world.invoices[id]);
    expect(isShared(world.invoices[id])).toBe(true);
    const before = JSON.stringify(world.invoices[id]);
    const own = writable(copy.invoices, id);
    expect(own).not.toBe(world.invoices[id]);
    expect(isShared(own)).toBe(false);
    own.amount = 1;
    own.reminders.push({ ...own.reminders[0]!, fee: 1 } as never);
    own.collection.status = 'Changed' as never;
    expect(JSON.stringify(world.invoices[id])).toBe(before);
    expect(writable(copy.invoices, id)).toBe(own);
  });
});

describe('file store checkpoint formats', () => {
  it('a checkpoint of an unknown (newer) format is set aside with a message naming the format', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'inkasso-cow-format-'));
    dirs.push(dir);
    const engine = await Engine.create({ store: await LowdbStore.open(dir), checkpointIdleMs: 0 });
    await engine.createClient({ id: 'future', startDate: '2026-01-05' });
    await engine.close();
    await writeFile(join(dir, 'clients', 'future.json'), JSON.stringify({ checkpoint: 3, seq: 1, parts: [] }));
    const store = await LowdbStore.open(dir);
    const { damaged } = await store.list();
    expect(damaged).toHaveLength(1);
    expect(damaged[0]!.reason).toMatch(/format 3.*does not read.*newer version/);
    await store.close();
  });
});
