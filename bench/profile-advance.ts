/** CPU profile of one clock year over a reminder-heavy world (`npx tsx bench/profile-advance.ts`): where advance() spends its time. */
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { Engine } from '../sandbox/engine.js';
import { MemoryStore } from '../sandbox/storage/memory-store.js';
import { ACTORS } from '../sandbox/domain/context.js';
import { createCustomer } from '../sandbox/domain/commands/customers.js';
import { postInvoice } from '../sandbox/domain/commands/invoices.js';
import { updateSettings } from '../sandbox/domain/commands/settings.js';
import { addDays } from '../sandbox/domain/time.js';
const engine = await Engine.create({ store: new MemoryStore() });
await engine.createClient({ id: 'p', startDate: '2026-01-01' });
await engine.write('p', ACTORS.erpUser, (ctx) => {
  updateSettings(ctx, { reminderSteps: { paymentReminder: { enabled: true }, collectionNotice: { enabled: true } } });
  for (let i = 0; i < 10000; i++) createCustomer(ctx, { name: `K${i}` });
  for (let i = 0; i < 50000; i++) {
    const d = addDays('2025-12-01', i % 330);
    postInvoice(ctx, { customerId: 1 + (i % 10000), amount: 10000 + i, invoiceDate: d, dueDate: addDays(d, 14) });
  }
});
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.start');
const t = performance.now();
const r = await engine.advance('p', ACTORS.sandbox, { days: 365 });
console.log('advance', Math.round(performance.now() - t), 'ms', r.events.length, 'events');
const { profile } = await session.post('Profiler.stop');
writeFileSync('/tmp/prof/advance.cpuprofile', JSON.stringify(profile));
