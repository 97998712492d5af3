/**
 * The log replays exactly: a client driven through the HTTP API with something of everything (settings, customers,
 * invoices approved, held and written off, a payment, a fault, snapshots, clock advances through reminders and
 * drafts, a restore), then the same world is rebuilt from its checkpoint and log by a new
 * store on the same data, and must equal the live one field for field. On the file store (a restart after a kill,
 * no checkpoint since creation) and on the memory store (the copy it keeps for a dropped cache).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../sandbox/server.js';
import { Engine, replayRecord } from '../../sandbox/engine.js';
import { LowdbStore } from '../../sandbox/storage/lowdb-store.js';
import { HttpClient } from '../robustness/http-client.js';
import { ADDRESS, expectStatus } from '../robustness/fixture.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** Drive a client through many kinds of writes (control API); answers its id. */
async function drive(server: RunningServer): Promise<string> {
  const http = new HttpClient('127.0.0.1', server.port);
  try {
    const client = await expectStatus(http.json('POST', '/_sandbox/clients', { name: 'Replay AS', startDate: '2026-01-05' }), 201, 'client');
    const base = `/_sandbox/clients/${client.id}`;
    const post = (path: string, body: unknown, status = 201) => expectStatus(http.json('POST', `${base}${path}`, body), status, `POST ${path}`);
    await expectStatus(http.json('PUT', `${base}/settings`, { reminderSteps: { paymentReminder: { enabled: true } } }), 200, 'settings');
    const ola = await post('/customers', { name: 'Ola Nordmann AS', organizationNumber: '974760673', mailAddress: ADDRESS });
    const kari = await post('/customers', { name: 'Kari Nordmann AS', mailAddress: ADDRESS });
    const overdue = (customerId: number, amount: number) => post('/invoices', { customerId, amount, invoiceDate: '2025-12-01', dueDate: '2025-12-15' });
    const a = await overdue(ola.id, 1000);
    const b = await overdue(ola.id, 1250);
    const c = await overdue(kari.id, 800);
    for (const inv of [a, b, c]) await post('/collection/override', { invoiceIds: [inv.id], nextAction: 'Inkasso' }, 200);
    await post('/collection/approve', { invoiceIds: [a.id] }, 200);
    await post('/collection/hold', { invoiceIds: [b.id] }, 200);
    await post('/payments', { invoiceId: a.id, amount: 100, externalImportReference: 'bank-1' });
    await post('/write-offs', { invoiceIds: [c.id], description: 'Konkurs' });
    await post('/faults', { match: { operationId: 'neverMatches' }, effect: { status: 503 }, count: 1 });
    await post('/snapshots', { name: 'base' });
    await post('/invoices', { customerId: kari.id, amount: 500, invoiceDate: '2026-01-05', dueDate: '2026-01-19' });
    await post('/clock/advance', { days: 40 }, 200);
    await post('/snapshots', { name: 'after-advance' });
    await post('/customers', { name: 'Etter snapshot AS' });
    await post('/snapshots/base/restore', {}, 200);
    await post('/clock/advance', { days: 10 }, 200);
    await post('/customers', { name: 'Etter restore AS' });
    return client.id;
  } finally {
    http.close();
  }
}

describe('the log replays to exactly the world that answered', () => {
  it('file store: a new store on the folder (no checkpoint since the restore) rebuilds the live world', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'inkasso-replay-'));
    dirs.push(dir);
    const server = await startServer({ port: 0, dataDir: dir, rateLimits: false, checkpointIdleMs: 0 });
    try {
      const id = await drive(server);
      const live = structuredClone(await server.engine.read(id, (w) => w));
      // As after a kill: the running server never wrote a checkpoint past the restore; the log has the rest.
      const store = await LowdbStore.open(dir);
      const stored = await store.load(id);
      expect(stored!.records.length).toBeGreaterThan(0);
      const engine = await Engine.create({ store, checkpointIdleMs: 0 });
      expect(await engine.read(id, (w) => structuredClone(w))).toEqual(live);
      expect(engine.replayStats.records).toBe(stored!.records.length);
      await store.close();
    } finally {
      await server.close();
    }
  });

  it('memory store: its checkpoint plus records equal the live world', async () => {
    const server = await startServer({ port: 0, memory: true, rateLimits: false });
    try {
      const id = await drive(server);
      const live = structuredClone(await server.engine.read(id, (w) => w));
      const stored = await server.engine.store.load(id);
      expect(stored!.records.length).toBeGreaterThan(0);
      for (const r of stored!.records) replayRecord(stored!.world, r);
      expect(structuredClone(stored!.world)).toEqual(live);
    } finally {
      await server.close();
    }
  });
});
