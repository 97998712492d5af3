/**
 * Concurrent writers on one client, over real HTTP (a keep-alive pool of up to 64 sockets): no update is lost,
 * no state is left invalid, duplicate references are posted once. The engine serialises writes per client;
 * these tests check that holds end to end, in memory and through the lowdb files (re-read from disk by a
 * second sandbox on the same folder).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listeningSandbox, type ListeningSandbox, type RawResponse } from './http-client.js';
import { ADDRESS, BANK, buildFixture, expectStatus, fetchToken } from './fixture.js';
import { mulberry32 } from './fuzz-gen.js';

const N = 50;

function statuses(responses: RawResponse[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const r of responses) out[r.status] = (out[r.status] ?? 0) + 1;
  return out;
}

async function newClient(s: ListeningSandbox, name = 'Samtidig AS'): Promise<any> {
  return expectStatus(s.client.json('POST', '/_sandbox/clients', { name, startDate: '2026-01-05' }), 201, 'createClient');
}

async function ledgerOk(s: ListeningSandbox, clientId: string): Promise<void> {
  const check = await expectStatus(s.client.request({ method: 'GET', path: `/_sandbox/clients/${clientId}/ledger/check` }), 200, 'ledger check');
  expect(check, JSON.stringify(check)).toMatchObject({ ok: true, breaches: [] });
  expect(check.receivables).toBe(check.customerLedgerTotal);
}

/** 50 customers posted at once: 50 answers of 201 with distinct ids and numbers, and 50 on the list. */
async function fiftyCustomers(s: ListeningSandbox, clientId: string) {
  const responses = await Promise.all(
    Array.from({ length: N }, (_, i) => s.client.json('POST', `/_sandbox/clients/${clientId}/customers`, { name: `Samtidig kunde ${i}`, mailAddress: ADDRESS })),
  );
  expect(statuses(responses)).toEqual({ 201: N });
  const ids = new Set(responses.map((r) => r.body.id));
  const numbers = new Set(responses.map((r) => r.body.number));
  expect(ids.size).toBe(N);
  expect(numbers.size).toBe(N);
  const list = await expectStatus(s.client.request({ method: 'GET', path: `/_sandbox/clients/${clientId}/customers` }), 200, 'customers');
  const mine = list.customers.filter((c: any) => c.name.startsWith('Samtidig kunde '));
  expect(mine).toHaveLength(N);
  expect(new Set(mine.map((c: any) => c.name)).size).toBe(N);
  expect(new Set(mine.map((c: any) => c.number)).size).toBe(N);
  return responses.map((r) => r.body);
}

describe('concurrent writers, in memory', () => {
  let s: ListeningSandbox;
  beforeAll(async () => {
    s = await listeningSandbox();
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('50 concurrent customer posts: 50 distinct customers and numbers', async () => {
    const client = await newClient(s);
    await fiftyCustomers(s, client.id);
    await ledgerOk(s, client.id);
  });

  it('50 concurrent payments of 10 NOK on one invoice of 1000: open amount exactly 500, 50 vouchers', async () => {
    const client = await newClient(s);
    const base = `/_sandbox/clients/${client.id}`;
    const customer = await expectStatus(s.client.json('POST', `${base}/customers`, { name: 'Betaler AS', mailAddress: ADDRESS }), 201, 'customer');
    const inv = await expectStatus(s.client.json('POST', `${base}/invoices`, { customerId: customer.id, amount: 1000, invoiceDate: '2026-01-05', dueDate: '2026-01-19' }), 201, 'invoice');
    const responses = await Promise.all(Array.from({ length: N }, () => s.client.json('POST', `${base}/payments`, { invoiceId: inv.id, amount: 10 })));
    expect(statuses(responses)).toEqual({ 201: N });
    expect(new Set(responses.map((r) => r.body.voucherNo)).size).toBe(N);
    const after = await expectStatus(s.client.request({ method: 'GET', path: `${base}/invoices/${inv.id}` }), 200, 'invoice');
    expect(after.openAmount).toBe(500);
    expect(after.matches.filter((m: any) => m.kind === 'payment')).toHaveLength(N);
    await ledgerOk(s, client.id);
  });

  it('concurrent payments that together exceed the open amount: exactly the ones that fit are posted', async () => {
    const client = await newClient(s);
    const base = `/_sandbox/clients/${client.id}`;
    const customer = await expectStatus(s.client.json('POST', `${base}/customers`, { name: 'Overbetaler AS', mailAddress: ADDRESS }), 201, 'customer');
    const inv = await expectStatus(s.client.json('POST', `${base}/invoices`, { customerId: customer.id, amount: 300, invoiceDate: '2026-01-05', dueDate: '2026-01-19' }), 201, 'invoice');
    // Overpayments are refused under this setting (by default they leave a credit, as a bank journal's do).
    await expectStatus(s.client.json('PUT', `${base}/settings`, { paymentMatching: { overpayment: 'refuse' } }), 200, 'settings');
    const responses = await Promise.all(Array.from({ length: N }, () => s.client.json('POST', `${base}/payments`, { invoiceId: inv.id, amount: 10 })));
    const by = statuses(responses);
    expect(Object.keys(by).every((k) => Number(k) < 500), JSON.stringify(by)).toBe(true);
    const posted = by[201] ?? 0;
    const after = await expectStatus(s.client.request({ method: 'GET', path: `${base}/invoices/${inv.id}` }), 200, 'invoice');
    expect(after.openAmount).toBe(300 - posted * 10);
    expect(after.openAmount).toBeGreaterThanOrEqual(0);
    expect(after.matches.filter((m: any) => m.kind === 'payment')).toHaveLength(posted);
    await ledgerOk(s, client.id);
  });

  it('concurrent approve, remove, hold, release and override on the same drafts: every answer 200 or 409, journal and state agree', async () => {
    const f = await buildFixture(s.client, 'Kappløp AS');
    const base = `/_sandbox/clients/${f.clientId}`;
    // 12 fresh drafts of one customer.
    const drafts: any[] = [];
    for (let i = 0; i < 12; i++) drafts.push(await expectStatus(s.client.json('POST', `${base}/invoices`, { customerId: f.customer.id, amount: 500 + i, invoiceDate: '2025-12-01', dueDate: '2025-12-15' }), 201, 'invoice'));
    expect(drafts.every((d) => d.status === 'Draft')).toBe(true);
    const { lastSeq } = await expectStatus(s.client.request({ method: 'GET', path: `${base}/events?limit=1` }), 200, 'events');

    const rng = mulberry32(4242);
    const ACTIONS = [
      { name: 'approve', path: '/collection/approve', body: (id: string) => ({ invoiceIds: [id] }), event: 'invoice.approved' },
      { name: 'remove', path: '/collection/remove', body: (id: string) => ({ invoiceIds: [id] }), event: 'invoice.removed' },
      { name: 'hold', path: '/collection/hold', body: (id: string) => ({ invoiceIds: [id] }), event: 'invoice.held' },
      { name: 'release', path: '/collection/release', body: (id: string) => ({ invoiceIds: [id] }), event: 'invoice.released' },
      { name: 'override', path: '/collection/override', body: (id: string) => ({ invoiceIds: [id], nextAction: 'Inkasso' }), event: 'invoice.drafted' },
    ];
    // Every draft gets at least an approve and a remove at the same moment, plus 150 random actions.
    const plan: Array<{ action: (typeof ACTIONS)[number]; invoice: any }> = [];
    for (const d of drafts) plan.push({ action: ACTIONS[0]!, invoice: d }, { action: ACTIONS[1]!, invoice: d });
    for (let i = 0; i < 150; i++) plan.push({ action: ACTIONS[Math.floor(rng() * ACTIONS.length)]!, invoice: drafts[Math.floor(rng() * drafts.length)] });
    for (let i = plan.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [plan[i], plan[j]] = [plan[j]!, plan[i]!];
    }
    const responses = await Promise.all(plan.map((p) => s.client.json('POST', `${base}${p.action.path}`, p.action.body(p.invoice.id))));

    const bad = responses.map((r, i) => ({ r, p: plan[i]! })).filter(({ r }) => r.status !== 200 && r.status !== 409);
    expect(bad.map(({ r, p }) => `${p.action.name} ${p.invoice.invoiceNo}: ${r.status} ${r.text.slice(0, 200)}`)).toEqual([]);
    // A 409 names the state it found; a 200 says what the invoice became.
    for (const [i, r] of responses.entries()) {
      if (r.status === 409) expect(r.body.currentState, r.text).toEqual(expect.any(String));
      else expect(r.body.changed.map((c: any) => c.id)).toEqual([plan[i]!.invoice.id]);
    }

    // The journal holds exactly one event per successful action, and nothing else happened to these invoices.
    const events = (await expectStatus(s.client.request({ method: 'GET', path: `${base}/events?since=${lastSeq}` }), 200, 'events')).events as any[];
    const draftIds = new Set(drafts.map((d) => d.id));
    const mine = events.filter((e) => draftIds.has(e.refs.invoiceId));
    for (const a of ACTIONS) {
      const ok = responses.filter((r, i) => r.status === 200 && plan[i]!.action === a).length;
      const journaled = mine.filter((e) => e.type === a.event && !(a.name === 'approve' && e.data.automatic)).length;
      expect(journaled, `${a.name}: ${ok} answered 200, ${journaled} journaled`).toBe(ok);
    }
    // Replaying the journal gives the final state of each invoice.
    const next: Record<string, string> = { 'invoice.approved': 'Approved', 'invoice.removed': 'None', 'invoice.held': 'OnHold', 'invoice.released': 'Draft', 'invoice.drafted': 'Draft' };
    const finals = await expectStatus(s.client.request({ method: 'GET', path: `${base}/invoices` }), 200, 'invoices');
    for (const d of drafts) {
      let status = 'Draft';
      for (const e of mine.filter((x) => x.refs.invoiceId === d.id).sort((a, b) => a.seq - b.seq)) status = next[e.type] ?? status;
      const final = finals.invoices.find((x: any) => x.id === d.id);
      expect(final.status, `invoice ${d.invoiceNo}`).toBe(status);
      expect(['Draft', 'OnHold', 'Approved', 'None']).toContain(final.status);
    }
    // Each draft's simultaneous approve and remove: the remove always wins (from Draft or from Approved).
    await ledgerOk(s, f.clientId);
  });

  it('concurrent approve and remove of the same selection, 20 times over: never both approved and removed state', async () => {
    const f = await buildFixture(s.client, 'Utvalg AS');
    const base = `/_sandbox/clients/${f.clientId}`;
    for (let round = 0; round < 20; round++) {
      const a = await expectStatus(s.client.json('POST', `${base}/invoices`, { customerId: f.customer.id, amount: 100, invoiceDate: '2025-12-01', dueDate: '2025-12-15' }), 201, 'invoice');
      const b = await expectStatus(s.client.json('POST', `${base}/invoices`, { customerId: f.customer.id, amount: 200, invoiceDate: '2025-12-01', dueDate: '2025-12-15' }), 201, 'invoice');
      const [approve, remove] = await Promise.all([
        s.client.json('POST', `${base}/collection/approve`, { invoiceIds: [a.id, b.id] }),
        s.client.json('POST', `${base}/collection/remove`, { invoiceIds: [b.id, a.id] }),
      ]);
      expect([200, 409]).toContain(approve.status);
      expect(remove.status, remove.text).toBe(200); // remove is allowed from Draft and from Approved
      const list = (await expectStatus(s.client.request({ method: 'GET', path: `${base}/invoices` }), 200, 'invoices')).invoices as any[];
      for (const id of [a.id, b.id]) expect(list.find((x) => x.id === id).status).toBe('None');
    }
    await ledgerOk(s, f.clientId);
  });

  it('20 concurrent identical v2 bank journals with one ExternalImportReference: one posted, 19 refused as duplicates, the invoice paid once', async () => {
    const f = await buildFixture(s.client, 'Duplikat AS');
    const body = {
      VoucherDate: '2026-01-05',
      CurrencyCode: 'NOK',
      Description: 'Innbetaling inkasso K-1',
      ExternalImportReference: 'dup-concurrent-1',
      VoucherLines: [
        { PostingDate: '2026-01-05', AccountId: f.subledger, CurrencyAmount: -100, InvoiceNo: String(f.inCase.invoiceNo), VatId: null, Description: 'Debitor' },
        { PostingDate: '2026-01-05', AccountId: BANK, CurrencyAmount: 100, VatId: null, Description: 'Bank' },
      ],
    };
    const before = await expectStatus(s.client.request({ method: 'GET', path: `/v2/OutgoingInvoices/${f.inCase.id}`, headers: f.agencyHeaders('/v2/OutgoingInvoices') }), 200, 'invoice');
    const responses = await Promise.all(Array.from({ length: 20 }, () => s.client.json('POST', '/v2/Vouchers/BankJournals', body, f.agencyHeaders('/v2/Vouchers/BankJournals'))));
    // The vendor documents no 409 here: a duplicate is a 400 naming ExternalImportReference.
    expect(statuses(responses)).toEqual({ 201: 1, 400: 19 });
    for (const r of responses.filter((x) => x.status === 400)) {
      expect(r.headers['content-type']).toMatch(/^application\/json/);
      expect(r.body).toMatchObject({ status: 400, errors: { ExternalImportReference: [expect.stringContaining('dup-concurrent-1')] } });
    }
    const after = await expectStatus(s.client.request({ method: 'GET', path: `/v2/OutgoingInvoices/${f.inCase.id}`, headers: f.agencyHeaders('/v2/OutgoingInvoices') }), 200, 'invoice');
    expect(after.Balance).toBe(before.Balance - 100);
    const vouchers = (await expectStatus(s.client.request({ method: 'GET', path: `/_sandbox/clients/${f.clientId}/vouchers` }), 200, 'vouchers')).vouchers as any[];
    expect(vouchers.filter((v) => v.externalImportReference === 'dup-concurrent-1')).toHaveLength(1);
    await ledgerOk(s, f.clientId);
  });

  it('20 concurrent v1 cases with one code: one created, the others refused, the invoice in exactly one case', async () => {
    const f = await buildFixture(s.client, 'Sakskode AS');
    const responses = await Promise.all(Array.from({ length: 20 }, () => s.client.json('POST', '/DebtCollection', { code: 'SAME-1', invoices: [f.approved.id] }, f.agencyHeaders('/DebtCollection'))));
    const created = responses.filter((r) => r.status === 200 && r.body.success === true);
    expect(created).toHaveLength(1);
    for (const r of responses.filter((x) => x !== created[0])) {
      expect(r.status).toBeLessThan(500);
      expect(r.body).toMatchObject({ success: false, validation: { summary: expect.any(String) } });
    }
    const cases = await expectStatus(s.client.request({ method: 'GET', path: '/DebtCollection', headers: f.agencyHeaders('/DebtCollection') }), 200, 'cases');
    expect(cases.data.filter((c: any) => c.code === 'SAME-1')).toHaveLength(1);
    expect(cases.data.filter((c: any) => c.invoices.some((i: any) => i.id === f.approved.id))).toHaveLength(1);
    await ledgerOk(s, f.clientId);
  });

  it('concurrent writers on different clients do not see each other', async () => {
    const [a, b] = [await newClient(s, 'Klient A'), await newClient(s, 'Klient B')];
    const post = (id: string, i: number) => s.client.json('POST', `/_sandbox/clients/${id}/customers`, { name: `Kunde ${id} ${i}` });
    const responses = await Promise.all(Array.from({ length: N }, (_, i) => post(i % 2 ? a.id : b.id, i)));
    expect(statuses(responses)).toEqual({ 201: N });
    for (const c of [a, b]) {
      const list = await expectStatus(s.client.request({ method: 'GET', path: `/_sandbox/clients/${c.id}/customers` }), 200, 'customers');
      expect(list.customers).toHaveLength(N / 2);
      expect(list.customers.every((x: any) => x.name.startsWith(`Kunde ${c.id} `))).toBe(true);
    }
  });

  it('a token fetched while 50 writes run still works afterwards (no lost integration update)', async () => {
    const client = await newClient(s, 'Token AS');
    const [token] = await Promise.all([fetchToken(s.client, client.integrations[0]), fiftyCustomers(s, client.id)]);
    const res = await s.client.request({ method: 'GET', path: '/DebtCollection/IsActiveDebtCollection', headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: true, success: true });
  });
});

describe('concurrent writers through the lowdb files', () => {
  let dir: string;
  const open: ListeningSandbox[] = [];

  async function openSandbox(): Promise<ListeningSandbox> {
    const s = await listeningSandbox({ memory: false, dataDir: dir });
    open.push(s);
    return s;
  }

  async function close(s: ListeningSandbox): Promise<void> {
    open.splice(open.indexOf(s), 1);
    await s.stop();
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'inkasso-concurrency-'));
  });
  afterEach(async () => {
    for (const s of open.splice(0)) await s.stop();
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('50 concurrent customer posts are all in the file on disk, and in a sandbox opened again on the folder', async () => {
    const s1 = await openSandbox();
    const client = await newClient(s1, 'Disk AS');
    const made = await fiftyCustomers(s1, client.id);
    await close(s1);

    // The checkpoint a clean close writes: whole JSON with all 50, at the seq of the last record.
    const file = JSON.parse(await readFile(join(dir, 'clients', `${client.id}.json`), 'utf8'));
    expect(file.seq).toBeGreaterThanOrEqual(50);
    const onDisk = Object.values(file.world.customers) as any[];
    for (const c of made) expect(onDisk.find((x) => x.id === c.id)?.name).toBe(c.name);
    expect(JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')).clients[client.id]).toBeDefined();
    expect((await readdir(join(dir, 'clients'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    // A new sandbox on the same folder.
    const s2 = await openSandbox();
    const list = await expectStatus(s2.client.request({ method: 'GET', path: `/_sandbox/clients/${client.id}/customers` }), 200, 'customers');
    expect(list.customers.map((c: any) => c.id).sort()).toEqual(made.map((c) => c.id).sort());
    await ledgerOk(s2, client.id);
  });

  it('50 concurrent payments on one invoice are all on disk: open amount 500 after a restart', async () => {
    const s1 = await openSandbox();
    const client = await newClient(s1, 'Disk betaling AS');
    const base = `/_sandbox/clients/${client.id}`;
    const customer = await expectStatus(s1.client.json('POST', `${base}/customers`, { name: 'Betaler AS', mailAddress: ADDRESS }), 201, 'customer');
    const inv = await expectStatus(s1.client.json('POST', `${base}/invoices`, { customerId: customer.id, amount: 1000, invoiceDate: '2026-01-05', dueDate: '2026-01-19' }), 201, 'invoice');
    const responses = await Promise.all(Array.from({ length: N }, () => s1.client.json('POST', `${base}/payments`, { invoiceId: inv.id, amount: 10 })));
    expect(statuses(responses)).toEqual({ 201: N });
    await close(s1);

    const s2 = await openSandbox();
    const after = await expectStatus(s2.client.request({ method: 'GET', path: `${base}/invoices/${inv.id}` }), 200, 'invoice');
    expect(after.openAmount).toBe(500);
    await ledgerOk(s2, client.id);
  });

  it('20 concurrent creations of one client id: one 201, the rest 409, one file', async () => {
    const s1 = await openSandbox();
    const responses = await Promise.all(Array.from({ length: 20 }, () => s1.client.json('POST', '/_sandbox/clients', { id: 'same-id', name: 'Samme id', startDate: '2026-01-05' })));
    expect(statuses(responses)).toEqual({ 201: 1, 409: 19 });
    const winner = responses.find((r) => r.status === 201)!.body;
    const got = await expectStatus(s1.client.request({ method: 'GET', path: '/_sandbox/clients/same-id' }), 200, 'client');
    expect(got.integrations[0].clientKey).toBe(winner.integrations[0].clientKey);
    await close(s1);
    const s2 = await openSandbox();
    const again = await expectStatus(s2.client.request({ method: 'GET', path: '/_sandbox/clients/same-id' }), 200, 'client');
    expect(again.integrations[0].clientKey).toBe(winner.integrations[0].clientKey);
  });

  it('a client deleted while 50 writes to it are under way stays deleted (no write brings its file back)', async () => {
    const s1 = await openSandbox();
    const client = await newClient(s1, 'Slettes AS');
    const writes = Array.from({ length: N }, (_, i) => s1.client.json('POST', `/_sandbox/clients/${client.id}/customers`, { name: `Før sletting ${i}` }));
    const del = s1.client.request({ method: 'DELETE', path: `/_sandbox/clients/${client.id}` });
    const responses = await Promise.all([...writes, del]);
    const by = statuses(responses);
    expect(Object.keys(by).every((k) => ['201', '204', '404'].includes(k)), JSON.stringify(by)).toBe(true);
    expect(by[204]).toBe(1);
    expect((await s1.client.request({ method: 'GET', path: `/_sandbox/clients/${client.id}` })).status).toBe(404);
    await close(s1);
    expect((await readdir(join(dir, 'clients'))).filter((f) => f.startsWith(client.id))).toEqual([]);
    expect(JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')).clients[client.id]).toBeUndefined();
    const s2 = await openSandbox();
    expect((await s2.client.request({ method: 'GET', path: `/_sandbox/clients/${client.id}` })).status).toBe(404);
  });

  it('20 clients created at once (one shared index file) are all there after a restart', async () => {
    const s1 = await openSandbox();
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => s1.client.json('POST', '/_sandbox/clients', { name: `Parallell ${i}`, startDate: '2026-01-05' })));
    expect(statuses(responses)).toEqual({ 201: 20 });
    // and a write to each of them, at once
    const writes = await Promise.all(responses.map((r) => s1.client.json('POST', `/_sandbox/clients/${r.body.id}/customers`, { name: `Kunde av ${r.body.id}` })));
    expect(statuses(writes)).toEqual({ 201: 20 });
    await close(s1);

    const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8'));
    for (const r of responses) expect(index.clients[r.body.id], `index entry of ${r.body.id}`).toBeDefined();
    const s2 = await openSandbox();
    const listed = await expectStatus(s2.client.request({ method: 'GET', path: '/_sandbox/clients' }), 200, 'clients');
    for (const r of responses) {
      expect(listed.clients.map((c: any) => c.id)).toContain(r.body.id);
      const customers = await expectStatus(s2.client.request({ method: 'GET', path: `/_sandbox/clients/${r.body.id}/customers` }), 200, 'customers');
      expect(customers.customers.map((c: any) => c.name)).toEqual([`Kunde av ${r.body.id}`]);
      // the keys still open a token
      expect(await fetchToken(s2.client, r.body.integrations[0])).toEqual(expect.any(String));
    }
  });
});
