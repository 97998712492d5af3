import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agency, advance, invoice, newClient, newCustomer, newInvoice, testSandbox, type TestSandbox } from '../harness.js';

describe('the README tour, end to end over HTTP', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await testSandbox();
  });
  afterAll(() => t.close());

  it('creates a client, drafts an overdue invoice on day 14, and takes it through a case to the archive', async () => {
    const client = await newClient(t, { name: 'Demo AS', startDate: '2026-01-05' });
    expect(client.body.today).toBe('2026-01-05');
    const customer = await newCustomer(t, client.id, { organizationNumber: '974760673' });
    const inv = await newInvoice(t, client.id, { customerId: customer.id, invoiceDate: '2025-12-22', dueDate: '2026-01-05', amount: 1250 });
    expect(inv).toMatchObject({ invoiceNo: 10001, status: 'None', openAmount: 1250 });

    await advance(t, client.id, { days: 13 });
    expect((await invoice(t, client.id, inv.id)).status).toBe('None');
    const day14 = await advance(t, client.id, { days: 1 });
    expect(day14.today).toBe('2026-01-19');
    expect(day14.events.map((e: any) => e.type)).toContain('invoice.drafted');
    expect((await invoice(t, client.id, inv.id)).status).toBe('Draft');

    const approved = await t.http.post(`/_sandbox/clients/${client.id}/collection/approve`).send({ invoiceIds: [inv.id] });
    expect(approved.status).toBe(200);
    expect(approved.body.changed[0]).toMatchObject({ id: inv.id, status: 'Approved' });

    const a = await agency(t, client.integration);
    const available = await a.get('/DebtCollection/Invoices/AvailableInvoices');
    expect(available.status).toBe(200);
    expect(available.body).toMatchObject({ success: true, count: 1 });
    expect(available.body.data[0]).toMatchObject({ id: inv.id, invoiceNo: 10001, customerCode: customer.number, originalAmount: 1250, remainingAmount: 1250 });

    const created = await a.post('/DebtCollection', { code: 'K-1001' });
    expect(created.status).toBe(200);
    const caseId = created.body.data.id;
    const added = await a.post('/DebtCollection/AddInvoicesToCase', { caseId, invoiceIds: [inv.id] });
    expect(added.status).toBe(200);
    expect(added.body.data.invoices).toHaveLength(1);
    expect((await invoice(t, client.id, inv.id)).status).toBe('Exported');

    const paid = await t.http.post(`/_sandbox/clients/${client.id}/payments`).send({ invoiceId: inv.id, amount: 400 });
    expect(paid.status).toBe(201);
    const matched = await a.get(`/DebtCollection/MatchedItems/${inv.id}`);
    expect(matched.body.data).toEqual([expect.objectContaining({ amount: -400, isWriteOff: false, voucherType: 19 })]);

    const writeOff = await t.http.post(`/_sandbox/clients/${client.id}/write-offs`).send({ invoiceIds: [inv.id] });
    expect(writeOff.status).toBe(201);
    const all = await a.get('/DebtCollection/GetAllMatchedItems').query({ fromDateTime: '2026-01-01T00:00:00' });
    expect(all.body.data[0].matchedItems).toEqual([
      expect.objectContaining({ amount: -400, isWriteOff: false }),
      expect.objectContaining({ amount: -850, isWriteOff: true }),
    ]);

    const closed = await a.post('/DebtCollection/UpdateStatus', { caseId, statusText: 'Saken er avsluttet', isCaseClosed: true, updatedBalanceAgency: 0 });
    expect(closed.body.data.status).toBe(10);
    const lists = await t.http.get(`/_sandbox/clients/${client.id}/collection`);
    expect(lists.body.archived).toEqual([expect.objectContaining({ code: 'K-1001', status: 'Closed', balanceAgency: 0 })]);
    expect(lists.body.open).toEqual([]);
    const check = await t.http.get(`/_sandbox/clients/${client.id}/ledger/check`);
    expect(check.body).toMatchObject({ ok: true, breaches: [] });
  });
});
