/**
 * v1 OutgoingInvoice/List and OutgoingInvoice/{id}: invoices and credit notes with each invoice's debt-collection
 * status, case status and case code, in the v1 envelope (HTTP 200 with success false on a failure).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advance, agency, invoice, newClient, newCustomer, newInvoice, testSandbox, type TestSandbox } from '../harness.js';

describe('v1 OutgoingInvoice', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await testSandbox();
  });
  afterAll(() => t.close());

  /** One invoice in a case, one on the draft list, one credited in full. */
  async function setup() {
    const client = await newClient(t);
    const customer = await newCustomer(t, client.id);
    const inCase = await newInvoice(t, client.id, { customerId: customer.id, invoiceDate: '2025-12-22', dueDate: '2026-01-05', amount: 1250, vatCode: '3' });
    const drafted = await newInvoice(t, client.id, { customerId: customer.id, invoiceDate: '2025-12-23', dueDate: '2026-01-06', amount: 500 });
    const credited = await newInvoice(t, client.id, { customerId: customer.id, invoiceDate: '2026-01-05', dueDate: '2026-02-05', amount: 300 });
    const note = await t.http.post(`/_sandbox/clients/${client.id}/credit-notes`).send({ invoiceId: credited.id, amount: 300 });
    expect(note.status).toBe(201);
    await advance(t, client.id, { days: 15 });
    expect((await invoice(t, client.id, inCase.id)).status).toBe('Draft');
    expect((await invoice(t, client.id, drafted.id)).status).toBe('Draft');
    expect((await t.http.post(`/_sandbox/clients/${client.id}/collection/approve`).send({ invoiceIds: [inCase.id] })).status).toBe(200);
    const a = await agency(t, client.integration);
    expect((await a.v1.post('/DebtCollection', { code: 'K-7001', invoices: [inCase.id] })).status).toBe(200);
    return { client, customer, inCase, drafted, credited, a };
  }

  it('lists invoices and credit notes with their collection status, case status and case code', async () => {
    const { customer, inCase, drafted, credited, a } = await setup();
    const res = await a.v1.get('/OutgoingInvoice/List');
    expect(res.status).toBe(200);
    expect(res.body.success).toBe(true);
    expect(res.body.count).toBe(4);
    const byNo = new Map<number, any>(res.body.data.map((r: any) => [r.invoiceNo, r]));
    expect(byNo.get(inCase.invoiceNo)).toMatchObject({
      id: inCase.id,
      customerCode: customer.number,
      documentNo: String(inCase.invoiceNo),
      totalAmount: 1250,
      netAmount: 1000,
      balance: 1250,
      status: 2,
      invoiceDebtCollectionStatus: 4,
      debtCollectionCaseStatus: 0,
      debtCollectionCode: 'K-7001',
      voucherDate: '2025-12-22T00:00:00',
      dueDate: '2026-01-05T00:00:00',
      paymentTerms: 14,
      relatedDocumentNo: null,
      orderNo: null,
      isInvoiceBeingProcessed: false,
    });
    expect(byNo.get(drafted.invoiceNo)).toMatchObject({ invoiceDebtCollectionStatus: 1, debtCollectionCaseStatus: null, debtCollectionCode: null, balance: 500 });
    expect(byNo.get(credited.invoiceNo)).toMatchObject({ status: 3, balance: 0, invoiceDebtCollectionStatus: 0 });
    const note = res.body.data.find((r: any) => r.relatedDocumentNo === String(credited.invoiceNo));
    expect(note).toMatchObject({ totalAmount: -300, balance: 0, status: 2 });
    // Every documented field is present (null where the sandbox keeps nothing), as Newtonsoft writes nulls.
    expect(Object.keys(byNo.get(inCase.invoiceNo))).toEqual(expect.arrayContaining(['invoiceDeliveryType', 'expectedDueDate', 'customMatchingReference', 'sentDate', 'voucherNo', 'invoiceDeliveryDate']));
  });

  it('filters with OData, directly or in the older ?options= form', async () => {
    const { inCase, a } = await setup();
    const direct = await a.v1.get(`/OutgoingInvoice/List?$filter=${encodeURIComponent("debtCollectionCode eq 'K-7001'")}`);
    expect(direct.body.data.map((r: any) => r.id)).toEqual([inCase.id]);
    const older = await a.v1.get(`/OutgoingInvoice/List?options=${encodeURIComponent(`$filter=invoiceNo eq ${inCase.invoiceNo}&$top=1`)}`);
    expect(older.body).toMatchObject({ success: true, count: 1, data: [expect.objectContaining({ id: inCase.id })] });
  });

  it('gets one invoice with its lines; an unknown id is 200 with success false', async () => {
    const { inCase, a } = await setup();
    const res = await a.v1.get(`/OutgoingInvoice/${inCase.id}`);
    expect(res.status).toBe(200);
    expect(res.body.success).toBe(true);
    expect(res.body.data).toMatchObject({ id: inCase.id, debtCollectionCode: 'K-7001', invoiceDebtCollectionStatus: 4, debtCollectionCaseStatus: 0 });
    expect(res.body.data.outgoingInvoiceLines).toEqual([
      expect.objectContaining({ quantity: 1, netAmount: 1000, totalAmount: 1250, unitPrice: 1000, salesAccount: 3000, vatCode: '3', vatRate: 0.25, lineType: 0, isDeleted: false }),
    ]);
    const missing = await a.v1.get('/OutgoingInvoice/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(200);
    expect(missing.body).toMatchObject({ success: false, validation: { summary: expect.stringMatching(/does not exist/) } });
  });

  it("names enum members when the client's enumFormat is 'names'", async () => {
    const { client, inCase, a } = await setup();
    expect((await t.http.put(`/_sandbox/clients/${client.id}/settings`).send({ enumFormat: 'names' })).status).toBe(200);
    const one = (await a.v1.get(`/OutgoingInvoice/${inCase.id}`)).body.data;
    expect(one).toMatchObject({ status: 'Sent', invoiceDebtCollectionStatus: 'Exported', debtCollectionCaseStatus: 'Active' });
    expect(one.outgoingInvoiceLines[0].lineType).toBe('Normal');
  });
});
