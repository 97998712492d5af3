/**
 * Restores on PostgreSQL reuse the snapshot this process saved or last read while its row is unchanged (by the
 * row's xmin), and the restored checkpoint names the snapshot row instead of holding a copy. Two stores on one
 * database stand for two processes: a snapshot saved over or deleted by the other must win, a write after a restore
 * must not reach the kept snapshot, saving over or deleting the named snapshot must keep the restored world, and the
 * restored checkpoint must be what a fresh process loads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { Engine, QUIET_LOGGER } from '../../sandbox/engine.js';
import { PgStore } from '../../sandbox/storage/pg-store.js';
import { ACTORS } from '../../sandbox/domain/context.js';
import { createCustomer } from '../../sandbox/domain/commands/customers.js';
import { postInvoice } from '../../sandbox/domain/commands/invoices.js';
import { DomainRejection } from '../../sandbox/domain/errors.js';
import { PG_AVAILABLE, createTestDatabase, type TestDatabase } from './pg-test-db.js';

let db: TestDatabase | undefined;

async function admin(url: string, sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows;
  } finally {
    await c.end();
  }
}
const engines: Engine[] = [];

/** A sandbox process of its own on the test database (an engine over its own store). */
async function aProcess(): Promise<Engine> {
  const engine = await Engine.create({ store: await PgStore.open(db!.url), logger: QUIET_LOGGER });
  engines.push(engine);
  return engine;
}

/** The world as text, without the parts a restore or a read itself moves (none today; kept explicit). */
const textOf = async (e: Engine, id: string) => JSON.stringify((await e.exportWorld(id)).world);

async function newClient(e: Engine, id: string, name: string): Promise<void> {
  await e.createClient({ id, name, startDate: '2026-01-05' });
}

async function addInvoice(e: Engine, id: string, amount: number): Promise<void> {
  await e.write(id, ACTORS.erpUser, (ctx) => {
    const customer = createCustomer(ctx, { name: `Kunde ${amount}` });
    postInvoice(ctx, { customerId: customer.id, amount, invoiceDate: '2026-01-05', dueDate: '2026-01-19' });
  });
}

beforeAll(async () => {
  if (PG_AVAILABLE) db = await createTestDatabase('snaprestore');
});
afterAll(async () => {
  for (const e of engines) await e.close();
  await db?.drop();
});

describe.skipIf(!PG_AVAILABLE)('snapshot restore on PostgreSQL, two processes', () => {
  it('restores what was saved, again and again, though the restored world is written between restores', async () => {
    const a = await aProcess();
    await newClient(a, 'again', 'Again AS');
    await addInvoice(a, 'again', 100_00);
    await a.saveSnapshot('again', 'start');
    const saved = await textOf(a, 'again');
    for (let round = 0; round < 3; round++) {
      await addInvoice(a, 'again', 200_00 + round);
      await a.advance('again', ACTORS.sandbox, { days: 40 });
      expect(await textOf(a, 'again')).not.toBe(saved);
      await a.restoreSnapshot('again', 'start');
      expect(await textOf(a, 'again')).toBe(saved);
    }
    // A process that never saw the snapshot loads the restored checkpoint from the database: the same world.
    const fresh = await aProcess();
    expect(await textOf(fresh, 'again')).toBe(saved);
  });

  it('a snapshot saved over by the other process is the one restored; one it deleted is not found', async () => {
    const [a, b] = [await aProcess(), await aProcess()];
    await newClient(a, 'shared', 'Shared AS');
    await addInvoice(a, 'shared', 100_00);
    await a.saveSnapshot('shared', 'point');
    const first = await textOf(a, 'shared');

    await addInvoice(b, 'shared', 300_00);
    await b.saveSnapshot('shared', 'point'); // saved over, by B
    const second = await textOf(b, 'shared');
    expect(second).not.toBe(first);
    await a.restoreSnapshot('shared', 'point');
    expect(await textOf(a, 'shared')).toBe(second);
    expect(await textOf(b, 'shared')).toBe(second);

    await a.saveSnapshot('shared', 'later');
    await b.deleteSnapshot('shared', 'later');
    const gone = await a.restoreSnapshot('shared', 'later').catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(DomainRejection);
    expect((gone as DomainRejection).message).toMatch(/later/);
    expect(await textOf(a, 'shared')).toBe(second);
  });

  it('a snapshot the other process saved is read from the database, then restored again from what was read', async () => {
    const [a, b] = [await aProcess(), await aProcess()];
    await newClient(b, 'theirs', 'Theirs AS');
    await addInvoice(b, 'theirs', 700_00);
    await b.saveSnapshot('theirs', 'base');
    const base = await textOf(b, 'theirs');
    for (let round = 0; round < 2; round++) {
      await addInvoice(a, 'theirs', 800_00 + round);
      await a.restoreSnapshot('theirs', 'base');
      expect(await textOf(a, 'theirs')).toBe(base);
      expect(await textOf(b, 'theirs')).toBe(base);
    }
  });

  it('a snapshot saved over between the read and the restore: the world read is the one written, not the new row', async () => {
    const [a, b] = [await aProcess(), await aProcess()];
    await newClient(a, 'race', 'Race AS');
    await a.saveSnapshot('race', 'snap');
    const read = await a.store.loadSnapshot('race', 'snap');
    await addInvoice(b, 'race', 900_00);
    await b.saveSnapshot('race', 'snap'); // lands after A read the row, before A writes
    const head = (await a.store.head('race'))!;
    await a.store.write('race', (tx) => tx.replace(read!, head + 1, { snapshot: 'snap' }));
    const loaded = await b.store.load('race');
    expect(JSON.stringify(loaded!.world)).toBe(JSON.stringify(read));
    expect(Object.keys(loaded!.world.invoices)).toHaveLength(0);
  });

  it('a restored checkpoint names the snapshot row; saving over or deleting that snapshot keeps the restored world', async () => {
    const [a, b] = [await aProcess(), await aProcess()];
    await newClient(a, 'named', 'Named AS');
    await addInvoice(a, 'named', 100_00);
    await a.saveSnapshot('named', 'one');
    await a.saveSnapshot('named', 'two');
    const saved = await textOf(a, 'named');
    await addInvoice(a, 'named', 200_00);
    await a.restoreSnapshot('named', 'one');
    const row = async () =>
      (await admin(db!.url, 'SELECT checkpoint_snapshot, length(checkpoint) AS n FROM sandbox_clients WHERE id = $1', ['named']))[0];
    expect(await row()).toEqual({ checkpoint_snapshot: 'one', n: 0 });

    // Writes after the restore are records on top of the named snapshot.
    await addInvoice(a, 'named', 300_00);
    const written = await textOf(a, 'named');
    expect(await textOf(await aProcess(), 'named')).toBe(written);

    await addInvoice(b, 'named', 400_00);
    const latest = await textOf(b, 'named');
    await b.saveSnapshot('named', 'one'); // saved over: the checkpoint takes the old row's world first
    expect((await row())!.checkpoint_snapshot).toBeNull();
    expect(await textOf(await aProcess(), 'named')).toBe(latest);

    await a.restoreSnapshot('named', 'two');
    expect(await textOf(a, 'named')).toBe(saved);
    await b.deleteSnapshot('named', 'two'); // deleted: the same
    expect((await row())!.checkpoint_snapshot).toBeNull();
    expect(await textOf(await aProcess(), 'named')).toBe(saved);
    expect(await textOf(b, 'named')).toBe(saved);
  });

  it('a checkpoint written after a restore holds the world again', async () => {
    const a = await aProcess();
    await newClient(a, 'later', 'Later AS');
    await a.saveSnapshot('later', 'snap');
    await a.restoreSnapshot('later', 'snap');
    await addInvoice(a, 'later', 500_00);
    const head = (await a.store.head('later'))!;
    const world = JSON.parse(await textOf(a, 'later'));
    await a.store.checkpoint('later', world, head);
    const [row] = await admin(db!.url, 'SELECT checkpoint_snapshot, checkpoint_seq FROM sandbox_clients WHERE id = $1', ['later']);
    expect(row).toEqual({ checkpoint_snapshot: null, checkpoint_seq: String(head) });
    await a.deleteSnapshot('later', 'snap');
    expect(await textOf(await aProcess(), 'later')).toBe(JSON.stringify(world));
  });

  it('a database at migration 1 takes migration 2 at start and serves its clients as before', async () => {
    const a = await aProcess();
    await newClient(a, 'old', 'Old AS');
    await addInvoice(a, 'old', 600_00);
    const before = await textOf(a, 'old');
    await admin(db!.url, 'ALTER TABLE sandbox_clients DROP COLUMN checkpoint_snapshot');
    await admin(db!.url, 'DELETE FROM sandbox_migrations WHERE version = 2');
    const upgraded = await aProcess();
    expect(await textOf(upgraded, 'old')).toBe(before);
    expect(await admin(db!.url, 'SELECT max(version) AS v FROM sandbox_migrations')).toEqual([{ v: 2 }]);
    await upgraded.saveSnapshot('old', 's');
    await upgraded.restoreSnapshot('old', 's');
    expect(await textOf(await aProcess(), 'old')).toBe(before);
  });

  it('a client deleted and made again under the same id does not get the old snapshot back', async () => {
    const a = await aProcess();
    await newClient(a, 'again-id', 'First AS');
    await a.saveSnapshot('again-id', 'snap');
    await a.deleteClient('again-id');
    await newClient(a, 'again-id', 'Second AS');
    const missing = await a.restoreSnapshot('again-id', 'snap').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(DomainRejection);
    expect(JSON.parse(await textOf(a, 'again-id')).name).toBe('Second AS');
  });
});
