/**
 * The WorldStore contract (sandbox/storage/store.ts): one suite, run against every adapter (memory, files,
 * PostgreSQL). A client is a checkpoint plus the records after it; `put` below stores a whole world (create, or
 * replace at a new seq) and `loaded` replays the records, so the older world-level tests keep their meaning.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../sandbox/engine.js';
import { ACTORS } from '../../sandbox/domain/context.js';
import { createWorld } from '../../sandbox/domain/world.js';
import { createCustomer } from '../../sandbox/domain/commands/customers.js';
import { postInvoice } from '../../sandbox/domain/commands/invoices.js';
import type { World } from '../../sandbox/domain/model.js';
import { MemoryStore } from '../../sandbox/storage/memory-store.js';
import { LowdbStore } from '../../sandbox/storage/lowdb-store.js';
import { PgStore } from '../../sandbox/storage/pg-store.js';
import { PG_AVAILABLE, createTestDatabase, type TestDatabase } from './pg-test-db.js';
import { StoreConflict, StoreMissing, type CommandRecord, type WorldStore } from '../../sandbox/storage/store.js';
import { replayRecord } from '../../sandbox/engine.js';

interface Harness {
  store: WorldStore;
  /** Every file below this folder is the store's; nothing may appear outside it. Undefined for memory. */
  folder?: string;
  /** The parent the folder sits in (a path-traversal canary looks here). */
  parent?: string;
  /** Another store on the same data (a restart, or a second process); undefined for memory. */
  reopen?(): Promise<WorldStore>;
  cleanup(): Promise<void>;
}

interface AdapterFactory {
  name: string;
  make(): Promise<Harness>;
}

const factories: AdapterFactory[] = [
  {
    name: 'MemoryStore',
    make: async () => ({ store: new MemoryStore(), cleanup: async () => undefined }),
  },
  {
    name: 'LowdbStore',
    make: async () => {
      // parent/ holds data/ (the store's folder): a traversal out of data/ would land in parent/.
      const parent = await mkdtemp(join(tmpdir(), 'inkasso-store-contract-'));
      const folder = join(parent, 'data');
      const store = await LowdbStore.open(folder);
      const others: WorldStore[] = [];
      return {
        store,
        folder,
        parent,
        reopen: async () => {
          const other = await LowdbStore.open(folder);
          others.push(other);
          return other;
        },
        cleanup: async () => {
          for (const o of others) await o.close();
          await store.close();
          await rm(parent, { recursive: true, force: true });
        },
      };
    },
  },
];

// PostgreSQL: one database for this file (dropped at the end), a schema per test.
let database: TestDatabase | undefined;
let schemas = 0;
afterAll(async () => {
  await database?.drop();
});
if (PG_AVAILABLE)
  factories.push({
    name: 'PgStore',
    make: async () => {
      database ??= await createTestDatabase('contract');
      const schema = `t${++schemas}`;
      const store = await PgStore.open(database.url, { schema });
      const others: WorldStore[] = [];
      return {
        store,
        reopen: async () => {
          const other = await PgStore.open(database!.url, { schema });
          others.push(other);
          return other;
        },
        cleanup: async () => {
          for (const o of others) await o.close();
          await store.close();
        },
      };
    },
  });

/** A realistic world (integration with keys, a customer, an invoice, events), made by the engine. */
async function sampleWorld(id: string, name = `Client ${id}`): Promise<World> {
  const engine = await Engine.create({ store: new MemoryStore(), strict: true });
  await engine.createClient({ id, name, startDate: '2026-01-05' });
  await engine.write(id, ACTORS.erpUser, (c) => {
    const customer = createCustomer(c, { name: 'Ola Nordmann AS', mailAddress: { addressLine1: 'Storgata 1', zipCode: '0155', city: 'Oslo', countryCode: 'NO' } });
    postInvoice(c, { customerId: customer.id, amount: 125_000, invoiceDate: '2025-12-22', dueDate: '2026-01-05' });
  });
  return structuredClone(await engine.read(id, (w) => w));
}

/** Store a whole world: create it, or replace it at the next seq. */
async function put(store: WorldStore, world: World): Promise<void> {
  if ((await store.head(world.id)) === undefined) await store.create(world);
  else await store.write(world.id, (tx) => tx.replace(world, tx.head + 1));
}

/** A client's world as the store has it: checkpoint plus replayed records. */
async function loaded(store: WorldStore, id: string): Promise<World | undefined> {
  const stored = await store.load(id);
  if (!stored) return undefined;
  for (const r of stored.records) replayRecord(stored.world, r);
  return stored.world;
}

/** A record that renames the client (a '$change' that sets `name`). */
function rename(seq: number, name: string): CommandRecord {
  return { seq, command: '$change', input: { set: { name } }, actor: { kind: 'sandbox' }, at: '2026-03-01T10:00:00.000Z' };
}

const ids = async (store: WorldStore) => (await store.list()).clients.map((s) => s.id);

/** Every file path below a folder (recursive), relative to it. */
async function filesBelow(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name).slice(dir.length + 1));
  }
  return out.sort();
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

const UNSAFE_NAMES = ['../x', '../../escape', 'a/../../b', '..', '.hidden', 'with/slash', 'back\\slash', '', 'x'.repeat(65)];

describe.each(factories)('WorldStore contract: $name', (factory) => {
  let h: Harness;
  beforeEach(async () => {
    h = await factory.make();
  });
  afterEach(async () => {
    await h.cleanup();
  });

  describe('clients', () => {
    it('saves and loads a world unchanged (round trip)', async () => {
      const world = await sampleWorld('acme');
      const expected = structuredClone(world);
      await put(h.store, world);
      expect(await loaded(h.store, 'acme')).toEqual(expected);
    });

    it('a second save replaces the first', async () => {
      const world = await sampleWorld('acme');
      await put(h.store, world);
      const changed = structuredClone(world);
      changed.name = 'Acme Renamed AS';
      changed.clock.now = '2026-02-01T07:00:00.000Z';
      await put(h.store, changed);
      const back = await loaded(h.store, 'acme');
      expect(back?.name).toBe('Acme Renamed AS');
      expect(back?.clock.now).toBe('2026-02-01T07:00:00.000Z');
      expect((await h.store.list()).clients).toHaveLength(1);
    });

    it('loads an unknown client as undefined', async () => {
      expect(await h.store.load('nobody')).toBeUndefined();
    });

    it('lists summaries with id, name, createdAt and every integration credential', async () => {
      const a = await sampleWorld('acme', 'Acme AS');
      const b = createWorld({ id: 'bare', name: 'Bare AS', now: '2026-01-05T07:00:00.000Z' });
      await put(h.store, a);
      await put(h.store, b);
      const list = (await h.store.list()).clients.sort((x, y) => x.id.localeCompare(y.id));
      expect(list).toEqual([
        {
          id: 'acme',
          name: 'Acme AS',
          createdAt: a.createdAt,
          credentials: [
            {
              integrationId: a.integrations[0]!.id,
              applicationKey: a.integrations[0]!.applicationKey,
              clientKey: a.integrations[0]!.clientKey,
              subscriptionKey: a.integrations[0]!.subscriptionKey,
            },
          ],
        },
        { id: 'bare', name: 'Bare AS', createdAt: '2026-01-05T07:00:00.000Z', credentials: [] },
      ]);
    });

    it('the list follows a renamed world and a new integration', async () => {
      const world = await sampleWorld('acme');
      await put(h.store, world);
      const changed = structuredClone(world);
      changed.name = 'New Name AS';
      changed.integrations.push({ ...changed.integrations[0]!, id: 'second', applicationKey: 'app-2', clientKey: 'client-2', subscriptionKey: 'sub-2', canCreateNewCases: false });
      await put(h.store, changed);
      const [summary] = (await h.store.list()).clients;
      expect(summary?.name).toBe('New Name AS');
      expect(summary?.credentials.map((c) => c.clientKey)).toEqual([world.integrations[0]!.clientKey, 'client-2']);
    });

    it('deletes a client (true), after which it is gone from load and list', async () => {
      await put(h.store, await sampleWorld('acme'));
      await put(h.store, await sampleWorld('other'));
      expect(await h.store.delete('acme')).toBe(true);
      expect(await h.store.load('acme')).toBeUndefined();
      expect(await ids(h.store)).toEqual(['other']);
      expect(await h.store.load('other')).toBeDefined();
    });

    it('deleting an unknown client answers false and changes nothing', async () => {
      await put(h.store, await sampleWorld('acme'));
      expect(await h.store.delete('nobody')).toBe(false);
      expect(await ids(h.store)).toEqual(['acme']);
    });

    it('deleting a client twice: true, then false', async () => {
      await put(h.store, await sampleWorld('acme'));
      expect(await h.store.delete('acme')).toBe(true);
      expect(await h.store.delete('acme')).toBe(false);
    });
  });

  describe('records and checkpoints', () => {
    it('a new client is at seq 0 with no records; creating it again is a StoreConflict', async () => {
      const world = await sampleWorld('acme');
      await h.store.create(world);
      expect(await h.store.head('acme')).toBe(0);
      const stored = await h.store.load('acme');
      expect(stored?.seq).toBe(0);
      expect(stored?.records).toEqual([]);
      await expect(h.store.create(world)).rejects.toBeInstanceOf(StoreConflict);
      expect(await h.store.head('nobody')).toBeUndefined();
    });

    it('writing to an unknown client is a StoreMissing', async () => {
      await expect(h.store.write('nobody', async () => 1)).rejects.toBeInstanceOf(StoreMissing);
    });

    it('appended records come back in order after the checkpoint, and replay to the written world', async () => {
      await h.store.create(await sampleWorld('acme'));
      for (const [i, name] of ['One AS', 'Two AS', 'Three AS'].entries()) await h.store.write('acme', (tx) => tx.append(rename(i + 1, name)));
      expect(await h.store.head('acme')).toBe(3);
      const stored = await h.store.load('acme');
      expect(stored?.seq).toBe(0);
      expect(stored?.records.map((r) => [r.seq, (r.input as { set: { name: string } }).set.name])).toEqual([
        [1, 'One AS'],
        [2, 'Two AS'],
        [3, 'Three AS'],
      ]);
      expect((await loaded(h.store, 'acme'))?.name).toBe('Three AS');
      expect((await h.store.recordsAfter('acme', 1))?.map((r) => r.seq)).toEqual([2, 3]);
    });

    it('a record out of sequence is refused and changes nothing', async () => {
      await h.store.create(await sampleWorld('acme'));
      await expect(h.store.write('acme', (tx) => tx.append(rename(2, 'Skipped AS')))).rejects.toThrow();
      expect(await h.store.head('acme')).toBe(0);
      expect((await h.store.load('acme'))?.records).toEqual([]);
    });

    it('a record carrying a new summary updates the list and the credential lookup', async () => {
      const world = await sampleWorld('acme');
      await h.store.create(world);
      const key = world.integrations[0]!.clientKey;
      expect(await h.store.findCredential(key)).toEqual({ clientId: 'acme', integrationId: world.integrations[0]!.id });
      const summary = { id: 'acme', name: 'Renamed AS', createdAt: world.createdAt, credentials: [{ integrationId: 'i2', applicationKey: 'a2', clientKey: 'k2', subscriptionKey: 's2' }] };
      await h.store.write('acme', (tx) => tx.append(rename(1, 'Renamed AS'), summary));
      expect((await h.store.list()).clients).toEqual([summary]);
      expect(await h.store.findCredential('k2')).toEqual({ clientId: 'acme', integrationId: 'i2' });
      expect(await h.store.findCredential(key)).toBeUndefined();
    });

    it('a checkpoint covers the records up to it: load starts there and replays only what follows', async () => {
      const world = await sampleWorld('acme');
      await h.store.create(world);
      for (let i = 1; i <= 4; i++) await h.store.write('acme', (tx) => tx.append(rename(i, `Name ${i}`)));
      const at3 = structuredClone(world);
      at3.name = 'Name 3';
      await h.store.checkpoint('acme', at3, 3);
      const stored = await h.store.load('acme');
      expect(stored?.seq).toBe(3);
      expect(stored?.world.name).toBe('Name 3');
      expect(stored?.records.map((r) => r.seq)).toEqual([4]);
      expect((await loaded(h.store, 'acme'))?.name).toBe('Name 4');
      expect(await h.store.recordsAfter('acme', 1)).toBeUndefined(); // gone into the checkpoint
      // An older checkpoint arriving late changes nothing.
      await h.store.checkpoint('acme', world, 2);
      expect((await h.store.load('acme'))?.seq).toBe(3);
      // Appends go on after it.
      await h.store.write('acme', (tx) => tx.append(rename(5, 'Name 5')));
      expect((await loaded(h.store, 'acme'))?.name).toBe('Name 5');
    });

    it('replace puts a whole world at a seq and drops the records before it', async () => {
      const world = await sampleWorld('acme');
      await h.store.create(world);
      await h.store.write('acme', (tx) => tx.append(rename(1, 'Before AS')));
      const other = structuredClone(world);
      other.name = 'Restored AS';
      await h.store.write('acme', (tx) => tx.replace(other, 7));
      expect(await h.store.head('acme')).toBe(7);
      const stored = await h.store.load('acme');
      expect([stored?.seq, stored?.records, stored?.world.name]).toEqual([7, [], 'Restored AS']);
      expect((await h.store.list()).clients[0]?.name).toBe('Restored AS');
      await h.store.write('acme', (tx) => tx.append(rename(8, 'After AS')));
      expect((await loaded(h.store, 'acme'))?.name).toBe('After AS');
    });

    it('writes to one client run one at a time: each sees the head the one before left', async () => {
      await h.store.create(await sampleWorld('acme'));
      const seen: number[] = [];
      await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          h.store.write('acme', async (tx) => {
            seen.push(tx.head);
            await new Promise((ok) => setTimeout(ok, 1));
            await tx.append(rename(tx.head + 1, `W${i}`));
          }),
        ),
      );
      expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i));
      expect(await h.store.head('acme')).toBe(12);
    });

    it('the token secret is made once and stays the same', async () => {
      const a = await h.store.secret();
      expect(a).toMatch(/^[0-9a-f]{32,}$/);
      expect(await h.store.secret()).toBe(a);
      if (h.reopen) expect(await (await h.reopen()).secret()).toBe(a);
    });

    it('what was acknowledged is there for another store on the same data (a restart)', async (ctx) => {
      if (!h.reopen) return ctx.skip();
      const world = await sampleWorld('acme');
      await h.store.create(world);
      for (let i = 1; i <= 3; i++) await h.store.write('acme', (tx) => tx.append(rename(i, `Name ${i}`)));
      await h.store.saveSnapshot(world, 's1', '2026-03-01T10:00:00.000Z');
      const other = await h.reopen();
      expect(await other.head('acme')).toBe(3);
      expect((await loaded(other, 'acme'))?.name).toBe('Name 3');
      expect((await other.listSnapshots('acme')).map((s) => s.name)).toEqual(['s1']);
      expect(await other.loadSnapshot('acme', 's1')).toEqual(world);
    });
  });

  describe('snapshots', () => {
    it('saves, lists, loads and deletes a snapshot', async () => {
      const world = await sampleWorld('acme');
      await put(h.store, world);
      const info = await h.store.saveSnapshot(world, 'before-advance', '2026-03-01T10:00:00.000Z');
      expect(info).toEqual({
        name: 'before-advance',
        clock: world.clock.now,
        events: world.events.length,
        invoices: Object.keys(world.invoices).length,
        savedAt: '2026-03-01T10:00:00.000Z',
      });
      expect(await h.store.listSnapshots('acme')).toEqual([info]);
      expect(await h.store.loadSnapshot('acme', 'before-advance')).toEqual(world);

      expect(await h.store.deleteSnapshot('acme', 'before-advance')).toBe(true);
      expect(await h.store.listSnapshots('acme')).toEqual([]);
      expect(await h.store.loadSnapshot('acme', 'before-advance')).toBeUndefined();
    });

    it('deleting an unknown snapshot answers false', async () => {
      const world = await sampleWorld('acme');
      await put(h.store, world);
      expect(await h.store.deleteSnapshot('acme', 'nope')).toBe(false);
      expect(await h.store.deleteSnapshot('nobody', 'nope')).toBe(false);
    });

    it('loading an unknown snapshot (or one of an unknown client) is undefined; listing one of an unknown client is empty', async () => {
      await put(h.store, await sampleWorld('acme'));
      expect(await h.store.loadSnapshot('acme', 'nope')).toBeUndefined();
      expect(await h.store.loadSnapshot('nobody', 'nope')).toBeUndefined();
      expect(await h.store.listSnapshots('nobody')).toEqual([]);
    });

    it('a snapshot is a copy: changing the world after saving it does not change the snapshot', async () => {
      const world = await sampleWorld('acme');
      await put(h.store, world);
      const frozen = structuredClone(world);
      await h.store.saveSnapshot(world, 's1', '2026-03-01T10:00:00.000Z');

      // Mutate the very object that was snapshotted, in place, then persist it.
      world.name = 'Mutated AS';
      world.clock.now = '2026-06-01T06:00:00.000Z';
      const invoice = Object.values(world.invoices)[0]!;
      invoice.amount = 1;
      world.events.push({ ...world.events[0]!, seq: 999 });
      await put(h.store, world);

      const snap = await h.store.loadSnapshot('acme', 's1');
      expect(snap).toEqual(frozen);
      // ...and changing a loaded snapshot does not change the stored one either.
      snap!.name = 'Changed after load';
      expect((await h.store.loadSnapshot('acme', 's1'))?.name).toBe(frozen.name);
      expect((await loaded(h.store, 'acme'))?.name).toBe('Mutated AS');
    });

    it('saving under the same name replaces the snapshot', async () => {
      const world = await sampleWorld('acme');
      await put(h.store, world);
      await h.store.saveSnapshot(world, 's1', '2026-03-01T10:00:00.000Z');
      const later = structuredClone(world);
      later.clock.now = '2026-02-01T07:00:00.000Z';
      await put(h.store, later);
      const info = await h.store.saveSnapshot(later, 's1', '2026-03-02T10:00:00.000Z');
      expect(await h.store.listSnapshots('acme')).toEqual([info]);
      expect((await h.store.loadSnapshot('acme', 's1'))?.clock.now).toBe('2026-02-01T07:00:00.000Z');
    });

    it('snapshots belong to one client: another client sees none of them', async () => {
      const a = await sampleWorld('acme');
      const b = await sampleWorld('other');
      await put(h.store, a);
      await put(h.store, b);
      await h.store.saveSnapshot(a, 's1', '2026-03-01T10:00:00.000Z');
      expect(await h.store.listSnapshots('other')).toEqual([]);
      expect(await h.store.loadSnapshot('other', 's1')).toBeUndefined();
    });

    it('several snapshots are listed, each with its own summary', async () => {
      const world = await sampleWorld('acme');
      await put(h.store, world);
      await h.store.saveSnapshot(world, 'one', '2026-03-01T10:00:00.000Z');
      const later = structuredClone(world);
      later.clock.now = '2026-02-01T07:00:00.000Z';
      await put(h.store, later);
      await h.store.saveSnapshot(later, 'two', '2026-03-01T11:00:00.000Z');
      const list = (await h.store.listSnapshots('acme')).sort((x, y) => x.name.localeCompare(y.name));
      expect(list.map((s) => [s.name, s.clock])).toEqual([
        ['one', world.clock.now],
        ['two', '2026-02-01T07:00:00.000Z'],
      ]);
    });

    it("deleting a client deletes its snapshots", async () => {
      const world = await sampleWorld('acme');
      await put(h.store, world);
      await h.store.saveSnapshot(world, 's1', '2026-03-01T10:00:00.000Z');
      expect(await h.store.delete('acme')).toBe(true);
      expect(await h.store.listSnapshots('acme')).toEqual([]);
      expect(await h.store.loadSnapshot('acme', 's1')).toBeUndefined();
      // A new client under the old id starts without the old snapshots.
      await put(h.store, await sampleWorld('acme'));
      expect(await h.store.listSnapshots('acme')).toEqual([]);
      expect(await h.store.loadSnapshot('acme', 's1')).toBeUndefined();
    });
  });

  describe('unsafe names', () => {
    it('reads with an unsafe client id or snapshot name find nothing', async () => {
      await put(h.store, await sampleWorld('acme'));
      for (const name of UNSAFE_NAMES) {
        expect(await h.store.load(name), `load(${JSON.stringify(name)})`).toBeUndefined();
        expect(await h.store.delete(name), `delete(${JSON.stringify(name)})`).toBe(false);
        expect(await h.store.loadSnapshot(name, 's1'), `loadSnapshot(${JSON.stringify(name)}, 's1')`).toBeUndefined();
        expect(await h.store.loadSnapshot('acme', name), `loadSnapshot('acme', ${JSON.stringify(name)})`).toBeUndefined();
        expect(await h.store.deleteSnapshot('acme', name), `deleteSnapshot('acme', ${JSON.stringify(name)})`).toBe(false);
      }
      expect(await ids(h.store)).toEqual(['acme']);
    });

    it('saving a world whose id is unsafe is refused, and nothing is stored', async () => {
      for (const id of ['../x', '../../escape', 'a/../../b', '.hidden', 'with/slash']) {
        const world = await sampleWorld('acme');
        world.id = id;
        await expect(put(h.store, world), `save(id ${JSON.stringify(id)})`).rejects.toThrow(/unsafe|name|id/i);
      }
      expect(await ids(h.store)).toEqual([]);
    });

    it('saving a snapshot under an unsafe name is refused, and nothing is stored', async () => {
      const world = await sampleWorld('acme');
      await put(h.store, world);
      for (const name of ['../x', '../../escape', 'a/../../b', '.hidden', 'with/slash', '..']) {
        await expect(h.store.saveSnapshot(world, name, '2026-03-01T10:00:00.000Z'), `saveSnapshot(${JSON.stringify(name)})`).rejects.toThrow(/unsafe|name/i);
      }
      expect(await h.store.listSnapshots('acme')).toEqual([]);
    });

    it('path traversal never touches files outside the store folder', async () => {
      const world = await sampleWorld('acme');
      await put(h.store, world);
      const before = h.parent ? await filesBelow(h.parent) : [];

      const evil = structuredClone(world);
      evil.id = '../x';
      await put(h.store, evil).catch(() => undefined);
      await h.store.saveSnapshot(world, '../x', '2026-03-01T10:00:00.000Z').catch(() => undefined);
      await h.store.saveSnapshot(world, '../../x', '2026-03-01T10:00:00.000Z').catch(() => undefined);
      await h.store.saveSnapshot(evil, 'fine', '2026-03-01T10:00:00.000Z').catch(() => undefined);
      await h.store.delete('../data').catch(() => undefined);
      await h.store.delete('..').catch(() => undefined);
      await h.store.deleteSnapshot('acme', '../../clients/acme').catch(() => undefined);

      if (h.parent && h.folder) {
        const after = await filesBelow(h.parent);
        // Nothing new anywhere, and nothing outside data/ at all.
        expect(after).toEqual(before);
        expect(after.every((f) => f.startsWith('data/'))).toBe(true);
        expect(await exists(join(h.parent, 'x.json'))).toBe(false);
        expect(await exists(join(h.folder, 'x.json'))).toBe(false);
        expect(await exists(join(h.folder, 'snapshots', 'x.json'))).toBe(false);
      }
      // The real client is untouched.
      expect(await loaded(h.store, 'acme')).toEqual(world);
      expect(await ids(h.store)).toEqual(['acme']);
    });
  });
});
