/**
 * The memory store keeps a write that changes most of the world (a year's advance over every invoice) as a copy of
 * the world after it instead of a copy of the record: what it hands back must still equal the live world, and the
 * next ordinary write must follow on as a record.
 */
import { describe, expect, it } from 'vitest';
import { Engine, replayRecord } from '../../sandbox/engine.js';
import { MemoryStore } from '../../sandbox/storage/memory-store.js';
import { ACTORS } from '../../sandbox/domain/context.js';
import { createCustomer } from '../../sandbox/domain/commands/customers.js';
import { postInvoice } from '../../sandbox/domain/commands/invoices.js';
import { updateSettings } from '../../sandbox/domain/commands/settings.js';
import { addDays } from '../../sandbox/domain/time.js';

async function bigWorld(): Promise<{ store: MemoryStore; engine: Engine }> {
  const store = new MemoryStore();
  const engine = await Engine.create({ store });
  await engine.createClient({ id: 'big', startDate: '2026-01-01' });
  await engine.write('big', ACTORS.erpUser, (ctx) => {
    updateSettings(ctx, { reminderSteps: { paymentReminder: { enabled: true }, collectionNotice: { enabled: true } } });
    for (let i = 0; i < 300; i++) createCustomer(ctx, { name: `Kunde ${i}`, mailAddress: { addressLine1: `Gate ${i}`, zipCode: '0150', city: 'Oslo', countryCode: 'NO' } });
    for (let i = 0; i < 1500; i++) {
      const invoiceDate = addDays('2025-12-01', i % 300);
      postInvoice(ctx, { customerId: 1 + (i % 300), amount: 10_000 + i, invoiceDate, dueDate: addDays(invoiceDate, 14) });
    }
  });
  return { store, engine };
}

describe('memory store, a write that changes most of the world', () => {
  it('hands back the world after it, and later writes follow as records', async () => {
    const { store, engine } = await bigWorld();
    const year = await engine.advance('big', ACTORS.sandbox, { days: 365 });
    expect(year.events.length).toBeGreaterThan(3000);
    const afterYear = await store.load('big');
    expect(afterYear!.records).toEqual([]);
    expect(structuredClone(afterYear!.world)).toEqual(await engine.read('big', (w) => structuredClone(w)));

    await engine.write('big', ACTORS.erpUser, (ctx) => createCustomer(ctx, { name: 'Etter året AS' }));
    const later = await store.load('big');
    expect(later!.records).toHaveLength(1);
    // The store kept a copy, not the live world: the customer made after the year is only in the record.
    expect(Object.values(later!.world.customers).some((c) => c.name === 'Etter året AS')).toBe(false);
    for (const r of later!.records) replayRecord(later!.world, r);
    expect(structuredClone(later!.world)).toEqual(await engine.read('big', (w) => structuredClone(w)));
  });

  it('keeps the world after it apart from the live world: entries changed in place next reach only the record', async () => {
    const { store, engine } = await bigWorld();
    await engine.advance('big', ACTORS.sandbox, { days: 365 });
    // The world as the year left it (not loaded from the store: a load itself would share the entries copy-on-write).
    const kept = await engine.read('big', (w) => structuredClone(w));
    const [firstId] = Object.keys(kept.invoices);
    // Straight after the year, before anything loads the kept copy: an invoice, one of its reminders and a
    // customer's address changed in place.
    await engine.write('big', ACTORS.erpUser, (ctx) => {
      const invoice = ctx.world.invoices[firstId!]!;
      invoice.collection.nextAction = 'Wait';
      invoice.reminders[0]!.fee = 1;
      ctx.world.customers['1']!.mailAddress.city = 'Bergen';
    });
    const later = await store.load('big');
    expect(later!.records).toHaveLength(1);
    expect(structuredClone(later!.world)).toEqual(kept);
    for (const r of later!.records) replayRecord(later!.world, r);
    const live = await engine.read('big', (w) => structuredClone(w));
    expect(live.invoices[firstId!]!.collection.nextAction).toBe('Wait');
    expect(live.invoices[firstId!]!.reminders[0]!.fee).toBe(1);
    expect(live.customers['1']!.mailAddress.city).toBe('Bergen');
    expect(structuredClone(later!.world)).toEqual(live);
  });
});
