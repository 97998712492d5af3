/**
 * The v2 read-backs agencies use: a bank voucher after a timeout, an invoice's lines, customer balances and the
 * integration's privileges; DTO shapes as in the vendor's OpenAPI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advance, agency, invoice, newClient, newCustomer, newInvoice, testSandbox, type TestSandbox } from '../harness.js';

const BANK = 5_001_920;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('v2 read-backs', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await testSandbox();
  });
  afterAll(() => t.close());

  /** An invoice in a case, a second customer with a paid-in-full invoice and one with none. */
  async function setup() {
    const client = await newClient(t);
    const customer = await newCustomer(t, client.id);
    const other = await newCustomer(t, client.id, { name: 'Fjord Bygg AS' });
    await newCustomer(t, client.id, { name: 'Uten Bilag AS' });
    const inv = await newInvoice(t, client.id, { customerId: customer.id, invoiceDate: '2025-12-22', dueDate: '2026-01-05', amount: 1250, vatCode: '3' });
    await newInvoice(t, client.id, { customerId: other.id, invoiceDate: '2025-12-23', dueDate: '2026-01-06', amount: 500 });
    await advance(t, client.id, { days: 14 });
    expect((await invoice(t, client.id, inv.id)).status).toBe('Draft');
    expect((await t.http.post(`/_sandbox/clients/${client.id}/collection/approve`).send({ invoiceIds: [inv.id] })).status).toBe(200);
    const a = await agency(t, client.integration);
    expect((await a.post('/DebtCollection', { code: 'K-5001', invoices: [inv.id] })).status).toBe(200);
    const subledger = (await a.v2.get(`/Customers/${customer.id}`)).body.SubledgerAccountId as number;
    return { client, customer, other, inv, a, subledger };
  }

  it('reads a posted bank voucher back by Id, as the POST answered it', async () => {
    const { client, a, subledger } = await setup();
    const posted = await a.v2.post('/Vouchers/BankJournals', {
      VoucherDate: '2026-01-20',
      CurrencyCode: 'NOK',
      Description: 'Innbetaling inkasso K-5001',
      ExternalImportReference: 'readback-1',
      VoucherLines: [
        { PostingDate: '2026-01-20', AccountId: subledger, CurrencyAmount: -400, InvoiceNo: '10001', VatId: null, Description: 'Debitor' },
        { PostingDate: '2026-01-20', AccountId: BANK, CurrencyAmount: 400, VatId: null, Description: 'Bank' },
      ],
    });
    expect(posted.status).toBe(201);
    const read = await a.v2.get(`/Vouchers/BankJournals/${posted.body.Id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(posted.body);
    // Unknown ids are 404 ProblemDetails.
    // Another integration on the same client does not see it (the vendor: only the integration's own vouchers).
    const second = await t.http.post(`/_sandbox/clients/${client.id}/integrations`).send({ name: 'Revisor', kind: 'debtCollection', rights: { read: true, write: false } });
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    const other = await agency(t, second.body);
    expect((await other.v2.get(`/Vouchers/BankJournals/${posted.body.Id}`)).status).toBe(404);
    const missing = await a.v2.get('/Vouchers/BankJournals/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ status: 404, title: expect.any(String) });
  });

  it('finds no voucher of another type by the bank-voucher read-back', async () => {
    const { client, a, inv } = await setup();
    // An invoice voucher is not a bank voucher.
    const invoiceDto = (await a.v2.get(`/OutgoingInvoices/${inv.id}`)).body;
    expect(invoiceDto.Id).toMatch(UUID);
    const voucherIds = (await t.http.get(`/_sandbox/clients/${client.id}/vouchers`)).body;
    const anyVoucher = (voucherIds.vouchers ?? voucherIds)[0];
    expect((await a.v2.get(`/Vouchers/BankJournals/${anyVoucher.id}`)).status).toBe(404);
  });

  it("lists an invoice's lines: net, VAT and total per line, with the sales account and VAT code", async () => {
    const { a, inv } = await setup();
    const res = await a.v2.get(`/OutgoingInvoices/${inv.id}/Lines`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      expect.objectContaining({ SortOrder: 0, LineType: 'Normal', AccountNo: 3000, AccountId: 5_003_000, Quantity: 1, NetAmount: 1000, VatAmount: 250, TotalAmount: 1250, NetPostedAmount: 1000, TotalPostedAmount: 1250, VatCode: '3', VatRate: 0.25, ProductUnitPrice: 1000 }),
    ]);
    const sum = res.body.reduce((s: number, l: { TotalAmount: number }) => s + l.TotalAmount, 0);
    expect(sum).toBe((await a.v2.get(`/OutgoingInvoices/${inv.id}`)).body.TotalAmount);
    expect((await a.v2.get('/OutgoingInvoices/00000000-0000-4000-8000-000000000000/Lines')).status).toBe(404);
  });

  it('gives customer balances as of a date; customers without ledger entries are not shown', async () => {
    const { a, customer, other, subledger } = await setup();
    let res = await a.v2.get('/Customerledger/CustomerBalances?date=2026-01-19');
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      { Balance: 1250, CustomerAccountNo: customer.number, CustomerExternalNo: null, CustomerId: customer.id, CustomerName: customer.name },
      { Balance: 500, CustomerAccountNo: other.number, CustomerExternalNo: null, CustomerId: other.id, CustomerName: 'Fjord Bygg AS' },
    ]);
    // Before any invoice: nothing.
    expect((await a.v2.get('/Customerledger/CustomerBalances?date=2025-12-01')).status).toBe(204);
    // Paid in full on 2026-01-20: a zero balance, left out with includeOnlyOpenItems.
    const paid = await a.v2.post('/Vouchers/BankJournals', {
      VoucherDate: '2026-01-20',
      CurrencyCode: 'NOK',
      VoucherLines: [
        { PostingDate: '2026-01-20', AccountId: subledger, CurrencyAmount: -1250, InvoiceNo: '10001', VatId: null },
        { PostingDate: '2026-01-20', AccountId: BANK, CurrencyAmount: 1250, VatId: null },
      ],
    });
    expect(paid.status).toBe(201);
    res = await a.v2.get('/Customerledger/CustomerBalances?date=2026-01-20');
    expect(res.body.map((b: { Balance: number }) => b.Balance)).toEqual([0, 500]);
    res = await a.v2.get('/Customerledger/CustomerBalances?date=2026-01-20&includeOnlyOpenItems=true');
    expect(res.body.map((b: { CustomerId: number }) => b.CustomerId)).toEqual([other.id]);
    // The day before, still owed.
    res = await a.v2.get('/Customerledger/CustomerBalances?date=2026-01-19&includeOnlyOpenItems=true');
    expect(res.body).toHaveLength(2);
    // The date is required, named in the ProblemDetails.
    const bad = await a.v2.get('/Customerledger/CustomerBalances');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.errors)).toMatch(/date/i);
  });

  it("names the client and the integration's valid and invalid privileges", async () => {
    const { client, a } = await setup();
    const res = await a.v2.get('/ClientIntegrationInformation');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      ClientId: client.id,
      ClientName: expect.any(String),
      ActiveClientSubscriptions: expect.any(Array),
      ValidPrivileges: expect.arrayContaining(['Customer', 'CustomerLedger', 'OutgoingInvoice', 'BankVoucher_Full', 'JournalEntryVoucher_Full']),
      InvalidPrivileges: [],
    });
    const readOnly = await t.http.post(`/_sandbox/clients/${client.id}/integrations`).send({ name: 'Lesetilgang', kind: 'debtCollection', rights: { read: true, write: false } });
    expect(readOnly.status, JSON.stringify(readOnly.body)).toBe(201);
    const r = await agency(t, readOnly.body);
    const info = (await r.v2.get('/ClientIntegrationInformation')).body;
    expect(info.InvalidPrivileges).toEqual(['BankVoucher_Full', 'JournalEntryVoucher_Full']);
    expect(info.ValidPrivileges).not.toContain('BankVoucher_Full');
  });
});
