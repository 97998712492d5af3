/**
 * Persistence through the lowdb files: a sandbox closed and opened again on the same folder is the same sandbox
 * (worlds, journals, snapshots, even the access tokens it issued); crash leftovers are repaired on open; an export
 * imported elsewhere is the same world with new keys, and a damaged export is refused whole.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { advance, agency, invoice, newClient, newCustomer, newInvoice, testSandbox, token, worldText, type TestSandbox } from '../harness.js';
import { LowdbStore } from '../../sandbox/storage/lowdb-store.js';

let dir: string;
const open: TestSandbox[] = [];

async function openSandbox(): Promise<TestSandbox> {
  const t = await testSandbox({ memory: false, dataDir: dir });
  open.push(t);
  return t;
}

async function closeSandbox(t: TestSandbox): Promise<void> {
  open.splice(open.indexOf(t), 1);
  await t.close();
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'inkasso-persistence-'));
});

afterEach(async () => {
  for (const t of open.splice(0)) await t.close();
  await rm(dir, { recursive: true, force: true });
});

/** A client with a customer, an invoice drafted by the clock, approved, in a case, and a snapshot. */
async function populated(t: TestSandbox) {
  const client = await newClient(t, { name: 'Persist AS', startDate: '2026-01-05' });
  const customer = await newCustomer(t, client.id, { emailAddress: 'post@persist.no' });
  const inv = await newInvoice(t, client.id, { customerId: customer.id, invoiceDate: '2025-12-22', dueDate: '2026-01-05', amount: 1250 });
  await advance(t, client.id, { days: 14 });
  expect((await invoice(t, client.id, inv.id)).status).toBe('Draft');
  const approved = await t.http.post(`/_sandbox/clients/${client.id}/collection/approve`).send({ invoiceIds: [inv.id] });
  expect(approved.status).toBe(200);
  const snap = await t.http.post(`/_sandbox/clients/${client.id}/snapshots`).send({ name: 'approved' });
  expect(snap.status).toBe(201);
  return { client, customer, inv };
}

async function getJson(t: TestSandbox, path: string): Promise<any> {
  const res = await t.http.get(path);
  expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(200);
  // A client's endpoints name the address it was asked on (supertest listens on a new port per request): not state.
  if (res.body?.endpoints) {
    expect(res.body.endpoints.v1.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\.poweroffice\.net$/);
    delete res.body.endpoints;
  }
  return res.body;
}

describe('restart persistence from files', () => {
  it('a sandbox opened again on the same folder has every client, invoice, event and snapshot back', async () => {
    const t1 = await openSandbox();
    const { client, inv } = await populated(t1);
    const before = {
      client: await getJson(t1, `/_sandbox/clients/${client.id}`),
      invoice: await getJson(t1, `/_sandbox/clients/${client.id}/invoices/${inv.id}`),
      invoices: await getJson(t1, `/_sandbox/clients/${client.id}/invoices`),
      events: await getJson(t1, `/_sandbox/clients/${client.id}/events`),
      snapshots: await getJson(t1, `/_sandbox/clients/${client.id}/snapshots`),
      clock: await getJson(t1, `/_sandbox/clients/${client.id}/clock`),
      world: await worldText(t1, client.id),
    };
    expect(before.invoice.status).toBe('Approved');
    expect(before.clock.today).toBe('2026-01-19');
    expect(before.snapshots.snapshots.map((s: any) => s.name)).toEqual(['approved']);
    await closeSandbox(t1);

    const t2 = await openSandbox();
    expect(await getJson(t2, `/_sandbox/clients/${client.id}`)).toEqual(before.client);
    expect(await getJson(t2, `/_sandbox/clients/${client.id}/invoices/${inv.id}`)).toEqual(before.invoice);
    expect(await getJson(t2, `/_sandbox/clients/${client.id}/invoices`)).toEqual(before.invoices);
    expect(await getJson(t2, `/_sandbox/clients/${client.id}/events`)).toEqual(before.events);
    expect(await getJson(t2, `/_sandbox/clients/${client.id}/snapshots`)).toEqual(before.snapshots);
    expect(await getJson(t2, `/_sandbox/clients/${client.id}/clock`)).toEqual(before.clock);
    expect(await worldText(t2, client.id)).toBe(before.world);
    expect((await getJson(t2, '/_sandbox/clients')).clients.map((c: any) => c.id)).toEqual([client.id]);

    // The restored sandbox keeps working: the snapshot restores, the clock moves on.
    const restored = await t2.http.post(`/_sandbox/clients/${client.id}/snapshots/approved/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body.today).toBe('2026-01-19');
    const moved = await advance(t2, client.id, { days: 1 });
    expect(moved.today).toBe('2026-01-20');
  });

  it('an access token issued before the restart still works after it (the token secret is kept in the data folder)', async () => {
    const t1 = await openSandbox();
    const { client, inv } = await populated(t1);
    const bearer = await token(t1, client.integration, 'v1');
    const first = await t1.http.get('/DebtCollection/Invoices/AvailableInvoices').set('Authorization', `Bearer ${bearer}`);
    expect(first.status).toBe(200);
    await closeSandbox(t1);
    const secret = (await readFile(join(dir, 'token-secret'), 'utf8')).trim();
    expect(secret).toMatch(/^[0-9a-f]{64}$/);

    const t2 = await openSandbox();
    expect((await readFile(join(dir, 'token-secret'), 'utf8')).trim()).toBe(secret);
    const again = await t2.http.get('/DebtCollection/Invoices/AvailableInvoices').set('Authorization', `Bearer ${bearer}`);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(again.body.data.map((i: any) => i.id)).toEqual([inv.id]);
    // And the keys still get new tokens (the credentials index was rebuilt from index.json).
    const fresh = await agency(t2, client.integration);
    expect((await fresh.get('/DebtCollection/IsActiveDebtCollection')).body).toEqual({ data: true, success: true });
  });

  it('a token from a different data folder (another secret) is refused', async () => {
    const t1 = await openSandbox();
    const { client } = await populated(t1);
    const bearer = await token(t1, client.integration, 'v1');
    await closeSandbox(t1);
    const otherDir = await mkdtemp(join(tmpdir(), 'inkasso-persistence-other-'));
    try {
      const other = await testSandbox({ memory: false, dataDir: otherDir });
      try {
        const res = await other.http.get('/DebtCollection').set('Authorization', `Bearer ${bearer}`);
        expect(res.status).toBe(401);
      } finally {
        await other.close();
      }
    } finally {
      await rm(otherDir, { recursive: true, force: true });
    }
  });

  it('a leftover temp file of an interrupted write is removed on open, and the real file is intact', async () => {
    const t1 = await openSandbox();
    const { client } = await populated(t1);
    const before = await getJson(t1, `/_sandbox/clients/${client.id}`);
    await closeSandbox(t1);

    const clientsDir = join(dir, 'clients');
    const realFile = join(clientsDir, `${client.id}.json`);
    const realBytes = await readFile(realFile, 'utf8');
    // steno writes <dir>/.<name>.tmp and renames it; a kill mid-write leaves it behind, half-written.
    const leftover = join(clientsDir, `.${client.id}.json.tmp`);
    await writeFile(leftover, realBytes.slice(0, Math.floor(realBytes.length / 2)));
    await writeFile(join(clientsDir, '.x.json.tmp'), '{"half":');

    const t2 = await openSandbox();
    const files = await readdir(clientsDir);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(files).toContain(`${client.id}.json`);
    expect(await readFile(realFile, 'utf8')).toBe(realBytes);
    expect(await getJson(t2, `/_sandbox/clients/${client.id}`)).toEqual(before);
  });

  it('a client file missing from index.json is recovered on open (with its credentials)', async () => {
    const t1 = await openSandbox();
    const { client, inv } = await populated(t1);
    const kept = await newClient(t1, { name: 'Kept AS' });
    const before = await getJson(t1, `/_sandbox/clients/${client.id}`);
    await closeSandbox(t1);

    // A crash after the world file was written but before the index named it.
    const indexFile = join(dir, 'index.json');
    const index = JSON.parse(await readFile(indexFile, 'utf8'));
    expect(Object.keys(index.clients).sort()).toEqual([client.id, kept.id].sort());
    delete index.clients[client.id];
    await writeFile(indexFile, JSON.stringify(index));

    const t2 = await openSandbox();
    expect((await getJson(t2, '/_sandbox/clients')).clients.map((c: any) => c.id).sort()).toEqual([client.id, kept.id].sort());
    expect(await getJson(t2, `/_sandbox/clients/${client.id}`)).toEqual(before);
    expect((await invoice(t2, client.id, inv.id)).status).toBe('Approved');
    // The index on disk names it again, and its keys authenticate.
    const repaired = JSON.parse(await readFile(indexFile, 'utf8'));
    expect(Object.keys(repaired.clients).sort()).toEqual([client.id, kept.id].sort());
    expect(repaired.clients[client.id].summary.credentials[0].clientKey).toBe(client.integration.clientKey);
    const a = await agency(t2, client.integration);
    expect((await a.get('/DebtCollection/Invoices/AvailableInvoices')).body.count).toBe(1);
  });

  it('an index entry whose world file is gone is dropped on open', async () => {
    const t1 = await openSandbox();
    const gone = await newClient(t1, { name: 'Gone AS' });
    const kept = await newClient(t1, { name: 'Kept AS' });
    await closeSandbox(t1);
    await rm(join(dir, 'clients', `${gone.id}.json`));

    const t2 = await openSandbox();
    expect((await getJson(t2, '/_sandbox/clients')).clients.map((c: any) => c.id)).toEqual([kept.id]);
    expect((await t2.http.get(`/_sandbox/clients/${gone.id}`)).status).toBe(404);
    // Its keys no longer authenticate.
    const res = await t2.http
      .post('/OAuth/Token')
      .set('Authorization', `Basic ${Buffer.from(`${gone.integration.applicationKey}:${gone.integration.clientKey}`).toString('base64')}`)
      .type('form')
      .send({ grant_type: 'client_credentials' });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_client');
  });

  it('the store alone reopens the same worlds (LowdbStore.open twice on one folder); a clean close left a checkpoint and no records to replay', async () => {
    const t1 = await openSandbox();
    const { client } = await populated(t1);
    const text = await worldText(t1, client.id);
    await closeSandbox(t1);
    const store = await LowdbStore.open(dir);
    try {
      const stored = await store.load(client.id);
      expect(JSON.stringify(stored?.world)).toBe(text);
      expect(stored?.records).toEqual([]);
      expect(stored?.seq).toBeGreaterThan(0);
      expect((await store.listSnapshots(client.id)).map((s) => s.name)).toEqual(['approved']);
    } finally {
      await store.close();
    }
  });
});

describe('export and import', () => {
  it('an export imported as a new client has the same invoices and journal, and new integration keys', async () => {
    const t = await openSandbox();
    const { client } = await populated(t);
    const exported = await t.http.get(`/_sandbox/clients/${client.id}/export`);
    expect(exported.status).toBe(200);
    expect(exported.body).toMatchObject({ format: 'inkasso-sandbox.world', formatVersion: 1 });
    expect(exported.body.checksum).toMatch(/^[0-9a-f]{64}$/);

    const imported = await t.http.post('/_sandbox/clients/import').send({ export: exported.body, name: 'Copy AS' });
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    const copyId = imported.body.id;
    expect(copyId).not.toBe(client.id);
    expect(imported.body.name).toBe('Copy AS');

    const original = await getJson(t, `/_sandbox/clients/${client.id}`);
    expect(imported.body.now).toBe(original.now);
    expect(imported.body.counts).toEqual(original.counts);
    expect(await getJson(t, `/_sandbox/clients/${copyId}/invoices`)).toEqual(await getJson(t, `/_sandbox/clients/${client.id}/invoices`));
    const events = await getJson(t, `/_sandbox/clients/${copyId}/events`);
    expect(events.events.length).toBeGreaterThan(0);
    expect(events).toEqual(await getJson(t, `/_sandbox/clients/${client.id}/events`));

    // New keys: none of the copy's keys is the original's, and both sets authenticate, each to its own client.
    const [o, c] = [original.integrations[0], imported.body.integrations[0]];
    expect(c.id).toBe(o.id);
    for (const k of ['applicationKey', 'clientKey', 'subscriptionKey']) expect(c[k], k).not.toBe(o[k]);
    const copyAgency = await agency(t, c);
    const origAgency = await agency(t, o);
    expect((await copyAgency.get('/DebtCollection/Invoices/AvailableInvoices')).body.count).toBe(1);
    expect((await origAgency.get('/DebtCollection/Invoices/AvailableInvoices')).body.count).toBe(1);
    // A change in the copy does not reach the original.
    const created = await copyAgency.post('/DebtCollection', { code: 'COPY-1' });
    expect(created.status).toBe(200);
    expect((await copyAgency.get('/DebtCollection')).body.count).toBe(1);
    expect((await origAgency.get('/DebtCollection')).body.count).toBe(0);
  });

  it('an import may name the new client id; an id that exists is refused', async () => {
    const t = await openSandbox();
    const { client } = await populated(t);
    const exported = (await t.http.get(`/_sandbox/clients/${client.id}/export`)).body;
    const first = await t.http.post('/_sandbox/clients/import').send({ export: exported, id: 'repro-1' });
    expect(first.status).toBe(201);
    expect(first.body.id).toBe('repro-1');
    const again = await t.http.post('/_sandbox/clients/import').send({ export: exported, id: 'repro-1' });
    expect(again.status).toBe(409);
  });

  it('a tampered export (one amount changed) is refused with an error naming the checksum, and no client is created', async () => {
    const t = await openSandbox();
    const { client, inv } = await populated(t);
    const exported = (await t.http.get(`/_sandbox/clients/${client.id}/export`)).body;
    const clientsBefore = (await getJson(t, '/_sandbox/clients')).clients;
    const filesBefore = await readdir(join(dir, 'clients'));

    const tampered = structuredClone(exported);
    const target = tampered.world.invoices[inv.id];
    expect(target.amount).toBe(125_000);
    target.amount = 125_100;
    const res = await t.http.post('/_sandbox/clients/import').send({ export: tampered, id: 'tampered-copy' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toHaveProperty('checksum');
    expect(res.body.detail).toMatch(/checksum/);
    expect(res.body.detail).toMatch(/edited|damaged|does not match/);

    expect((await getJson(t, '/_sandbox/clients')).clients).toEqual(clientsBefore);
    expect((await t.http.get('/_sandbox/clients/tampered-copy')).status).toBe(404);
    expect(await readdir(join(dir, 'clients'))).toEqual(filesBefore);
  });

  it('an export without a checksum, or with a wrong format, is refused', async () => {
    const t = await openSandbox();
    const { client } = await populated(t);
    const exported = (await t.http.get(`/_sandbox/clients/${client.id}/export`)).body;
    const { checksum: _drop, ...noChecksum } = exported;
    const missing = await t.http.post('/_sandbox/clients/import').send({ export: noChecksum });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toHaveProperty('checksum');
    const wrongFormat = await t.http.post('/_sandbox/clients/import').send({ export: { ...exported, format: 'something-else' } });
    expect(wrongFormat.status).toBe(400);
    expect(wrongFormat.body.errors).toHaveProperty('format');
    expect((await getJson(t, '/_sandbox/clients')).clients).toHaveLength(1);
  });
});

describe('snapshots over HTTP', () => {
  it('restoring an unknown snapshot is a 404 and changes nothing', async () => {
    const t = await openSandbox();
    const { client } = await populated(t);
    await advance(t, client.id, { days: 2 });
    const world = await worldText(t, client.id);
    const snapshots = await getJson(t, `/_sandbox/clients/${client.id}/snapshots`);
    const file = await readFile(join(dir, 'clients', `${client.id}.json`), 'utf8');

    const res = await t.http.post(`/_sandbox/clients/${client.id}/snapshots/no-such-snapshot/restore`);
    expect(res.status).toBe(404);
    expect(res.body.detail).toMatch(/no-such-snapshot/);
    expect(await worldText(t, client.id)).toBe(world);
    expect(await getJson(t, `/_sandbox/clients/${client.id}/snapshots`)).toEqual(snapshots);
    expect(await readFile(join(dir, 'clients', `${client.id}.json`), 'utf8')).toBe(file);
  });

  it('restoring a known snapshot rewinds the clock and the invoice, and survives a restart', async () => {
    const t1 = await openSandbox();
    const { client, inv } = await populated(t1);
    const a = await agency(t1, client.integration);
    const created = await a.post('/DebtCollection', { code: 'K-1', invoices: [inv.id] });
    expect(created.status).toBe(200);
    await advance(t1, client.id, { days: 3 });
    expect((await invoice(t1, client.id, inv.id)).status).toBe('Exported');

    const restored = await t1.http.post(`/_sandbox/clients/${client.id}/snapshots/approved/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body.today).toBe('2026-01-19');
    expect((await invoice(t1, client.id, inv.id)).status).toBe('Approved');
    await closeSandbox(t1);

    const t2 = await openSandbox();
    expect((await getJson(t2, `/_sandbox/clients/${client.id}/clock`)).today).toBe('2026-01-19');
    expect((await invoice(t2, client.id, inv.id)).status).toBe('Approved');
    expect(restored.body.counts.cases).toBe(0);
  });
});
