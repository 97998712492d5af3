import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADDRESS, advance, agency, newClient, newCustomer, newInvoice, testSandbox, worldText, type TestSandbox } from '../harness.js';

let t: TestSandbox;
beforeAll(async () => {
  t = await testSandbox();
});
afterAll(() => t.close());

const explain = async (clientId: string, id: string) => (await t.http.get(`/_sandbox/clients/${clientId}/invoices/${id}/explain`)).body;

describe('snapshots', () => {
  it('save, list, restore (time goes back only this way), delete', async () => {
    const c = await newClient(t);
    const cu = await newCustomer(t, c.id);
    const inv = await newInvoice(t, c.id, { customerId: cu.id, invoiceDate: '2025-12-22', dueDate: '2026-01-05' });
    const saved = await t.http.post(`/_sandbox/clients/${c.id}/snapshots`).send({ name: 'start' });
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({ name: 'start', clock: '2026-01-05T08:00:00+01:00', invoices: 1 });
    await advance(t, c.id, { days: 14 });
    expect((await t.http.get(`/_sandbox/clients/${c.id}/invoices/${inv.id}`)).body.status).toBe('Draft');

    const list = await t.http.get(`/_sandbox/clients/${c.id}/snapshots`);
    expect(list.body.snapshots.map((s: any) => s.name)).toEqual(['start']);
    const restored = await t.http.post(`/_sandbox/clients/${c.id}/snapshots/start/restore`);
    expect(restored.body).toMatchObject({ today: '2026-01-05', now: '2026-01-05T08:00:00+01:00' });
    expect((await t.http.get(`/_sandbox/clients/${c.id}/invoices/${inv.id}`)).body.status).toBe('None');
    // The snapshot is still there: restore twice gives the same world.
    await advance(t, c.id, { days: 3 });
    await t.http.post(`/_sandbox/clients/${c.id}/snapshots/start/restore`).expect(200);
    expect((await t.http.get(`/_sandbox/clients/${c.id}/clock`)).body.today).toBe('2026-01-05');

    expect((await t.http.delete(`/_sandbox/clients/${c.id}/snapshots/start`)).status).toBe(204);
    expect((await t.http.get(`/_sandbox/clients/${c.id}/snapshots`)).body.snapshots).toEqual([]);
  });

  it('restoring an unknown snapshot is a 404 and changes nothing; unsafe names are refused', async () => {
    const c = await newClient(t);
    await newCustomer(t, c.id);
    const before = await worldText(t, c.id);
    const res = await t.http.post(`/_sandbox/clients/${c.id}/snapshots/nope/restore`);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ status: 404, errors: { name: [expect.stringContaining('snapshot nope does not exist')] } });
    const bad = await t.http.post(`/_sandbox/clients/${c.id}/snapshots`).send({ name: '../../etc' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toHaveProperty('name');
    expect(await worldText(t, c.id)).toBe(before);
  });
});

describe('the event journal', () => {
  it('records every change with sandbox time, actor and cause, and filters by since, invoice and type', async () => {
    const c = await newClient(t);
    const cu = await newCustomer(t, c.id);
    const a1 = await newInvoice(t, c.id, { customerId: cu.id, invoiceDate: '2025-12-22', dueDate: '2026-01-05' });
    const a2 = await newInvoice(t, c.id, { customerId: cu.id, invoiceDate: '2025-12-22', dueDate: '2026-01-06' });
    const mark = (await t.http.get(`/_sandbox/clients/${c.id}/events`)).body.lastSeq;
    await advance(t, c.id, { days: 15 });
    await t.http.post(`/_sandbox/clients/${c.id}/collection/approve`).send({ invoiceIds: [a1.id] }).expect(200);
    const ag = await agency(t, c.integration);
    await ag.post('/DebtCollection', { code: 'K-9', invoices: [a1.id] }).expect(200);

    const since = (await t.http.get(`/_sandbox/clients/${c.id}/events`).query({ since: mark })).body.events;
    expect(since.map((e: any) => e.type)).toEqual(['invoice.drafted', 'invoice.drafted', 'clock.advanced', 'invoice.approved', 'case.created', 'case.invoiceAdded']);
    expect(since[0]).toMatchObject({ at: '2026-01-19T00:00:00+01:00', actor: { kind: 'clock' }, cause: expect.stringContaining('14 days after the due date 2026-01-05') });
    expect(since[1]).toMatchObject({ at: '2026-01-20T00:00:00+01:00', refs: { invoiceId: a2.id } });
    expect(since[3]).toMatchObject({ actor: { kind: 'erpUser' } });
    expect(since[4]).toMatchObject({ actor: { kind: 'agency', integrationId: c.integration.id }, cause: 'case K-9 opened' });

    const forA2 = (await t.http.get(`/_sandbox/clients/${c.id}/events`).query({ invoiceId: a2.id })).body.events;
    expect(forA2.map((e: any) => e.type)).toEqual(['invoice.posted', 'invoice.drafted']);
    const invoiceEvents = (await t.http.get(`/_sandbox/clients/${c.id}/events`).query({ type: 'invoice.' })).body.events;
    expect(new Set(invoiceEvents.map((e: any) => e.type))).toEqual(new Set(['invoice.posted', 'invoice.drafted', 'invoice.approved']));
    const exact = (await t.http.get(`/_sandbox/clients/${c.id}/events`).query({ type: 'case.created' })).body.events;
    expect(exact).toHaveLength(1);
  });

  it('journals agency API calls: method, path, status, integration, and why a call was refused', async () => {
    const c = await newClient(t);
    const ag = await agency(t, c.integration);
    await ag.get('/DebtCollection/IsActiveDebtCollection').expect(200);
    // v1 refuses the vendor's way: HTTP 200 with success false; the journal still says why.
    const refused = await ag.post('/DebtCollection/AddInvoicesToCase', { caseId: 'not-a-uuid', invoiceIds: [] }).expect(200);
    expect(refused.body.success).toBe(false);
    const journal = (await t.http.get(`/_sandbox/clients/${c.id}/requests`)).body.requests;
    const agencyCalls = journal.filter((r: any) => r.face === 'v1');
    expect(agencyCalls).toEqual([
      expect.objectContaining({ method: 'GET', path: '/DebtCollection/IsActiveDebtCollection', status: 200, integrationId: c.integration.id, problem: null }),
      expect.objectContaining({ method: 'POST', status: 200, operationId: 'addInvoicesToCase', problem: expect.stringContaining('caseId must be a valid uuid') }),
    ]);
    expect(journal.some((r: any) => r.face === 'auth' && r.status === 200)).toBe(true);
  });
});

describe('explain: why an invoice is where it is, and what happens next', () => {
  it('for the reminder steps and the draft day they lead to', async () => {
    const c = await newClient(t, { settings: { reminderSteps: { paymentReminder: { enabled: true } } } });
    const cu = await newCustomer(t, c.id);
    const inv = await newInvoice(t, c.id, { customerId: cu.id, invoiceDate: '2025-12-22', dueDate: '2026-01-05' });
    let e = await explain(c.id, inv.id);
    expect(e.next).toMatchObject({ rule: 'reminderStep', action: 'send purring', on: '2026-01-19', reason: 'purring is sent 2026-01-19: 14 days after the invoice fell due (2026-01-05)' });
    await advance(t, c.id, { to: '2026-01-19' });
    e = await explain(c.id, inv.id);
    expect(e.where).toContain('purring sent 2026-01-19, due 2026-02-02');
    expect(e.next).toMatchObject({ rule: 'draft', on: '2026-02-03', reason: 'becomes a draft on 2026-02-03: purring due 2026-02-02 and no inkassovarsel enabled' });
    expect(e.summary).toContain('Next: becomes a draft on 2026-02-03');
    await advance(t, c.id, { to: '2026-02-03' });
    e = await explain(c.id, inv.id);
    expect(e).toMatchObject({ status: 'Draft', next: null, waiting: expect.stringContaining('waits on the Draft list') });
    expect(e.history.map((h: any) => h.type)).toEqual(['invoice.posted', 'reminder.sent', 'invoice.drafted']);
  });

  it('for the approval obstacle, hold, a case, the minimum amount and an excluded customer', async () => {
    const c = await newClient(t, { settings: { minimumAmount: 500 } });
    const noAddress = await newCustomer(t, c.id, { mailAddress: { addressLine1: '' } });
    const excluded = await newCustomer(t, c.id, { name: 'Excluded AS', transferToDebtCollectionAgency: false });
    const big = await newInvoice(t, c.id, { customerId: noAddress.id, invoiceDate: '2025-12-22', dueDate: '2026-01-05', amount: 1000 });
    const small = await newInvoice(t, c.id, { customerId: noAddress.id, invoiceDate: '2025-12-22', dueDate: '2026-01-05', amount: 100 });
    const ex = await newInvoice(t, c.id, { customerId: excluded.id, invoiceDate: '2025-12-22', dueDate: '2026-01-05', amount: 1000 });
    await advance(t, c.id, { to: '2026-01-19' });

    expect((await explain(c.id, small.id)).waiting).toBe('its open amount 100.00 NOK is under the client\'s minimum 500.00 NOK');
    expect((await explain(c.id, ex.id)).waiting).toContain(`customer ${excluded.number} is excluded from debt collection`);

    await t.http.post(`/_sandbox/clients/${c.id}/collection/hold`).send({ invoiceIds: [big.id] }).expect(200);
    expect((await explain(c.id, big.id)).waiting).toContain('on hold');
    await t.http.post(`/_sandbox/clients/${c.id}/collection/release`).send({ invoiceIds: [big.id] }).expect(200);
    await t.http.post(`/_sandbox/clients/${c.id}/collection/approve`).send({ invoiceIds: [big.id] }).expect(200);
    expect((await explain(c.id, big.id)).next).toMatchObject({ rule: 'approvalObstacle', at: '2026-01-19T10:00:00+01:00' });
    await advance(t, c.id, { hours: 2 });
    const flagged = await explain(c.id, big.id);
    expect(flagged.where).toContain(`customer ${noAddress.number} has no complete postal address (missing addressLine1, zipCode, city)`);

    const ag = await agency(t, c.integration);
    await ag.post('/DebtCollection', { code: 'K-7', invoices: [big.id] }).expect(200);
    expect((await explain(c.id, big.id)).waiting).toBe('in case K-7: the agency collects it');
  });

  it('for an invoice removed from the lists, and for a client without a debt-collection integration', async () => {
    const c = await newClient(t, { integrations: [] });
    const cu = await newCustomer(t, c.id, { mailAddress: ADDRESS });
    const inv = await newInvoice(t, c.id, { customerId: cu.id, invoiceDate: '2025-12-22', dueDate: '2026-01-05' });
    await advance(t, c.id, { days: 30 });
    expect((await explain(c.id, inv.id)).waiting).toContain('no debt-collection integration');

    const d = await newClient(t);
    const du = await newCustomer(t, d.id);
    const dinv = await newInvoice(t, d.id, { customerId: du.id, invoiceDate: '2025-12-22', dueDate: '2026-01-05' });
    await advance(t, d.id, { days: 14 });
    await t.http.post(`/_sandbox/clients/${d.id}/collection/remove`).send({ invoiceIds: [dinv.id] }).expect(200);
    const e = await explain(d.id, dinv.id);
    expect(e.where).toContain('back on the reminder list with next action None');
    expect(e.waiting).toContain('next action is "None" until the user overrides it');
  });
});
