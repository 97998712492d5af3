/**
 * The vendor's nullability on the v2 request bodies the sandbox accepts (contracts/vendor/v2-fields.json): a field
 * the vendor's DTO marks nullable takes null; where the sandbox still needs a value (a line's AccountId, the lines,
 * a draft's VoucherDate) null is a 400 naming the field, as a missing one is; a field the vendor does not mark
 * nullable (PostingDate, CurrencyAmount) refuses null. Through the real server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agency, newClient, newCustomer, newInvoice, testSandbox, type TestSandbox } from '../harness.js';

const BANK = 5_001_920;

describe('v2 request nullability', () => {
  let t: TestSandbox;
  let a: Awaited<ReturnType<typeof agency>>;
  let subledger: number;
  let invoiceNo: number;
  beforeAll(async () => {
    t = await testSandbox();
    const client = await newClient(t);
    const customer = await newCustomer(t, client.id);
    invoiceNo = (await newInvoice(t, client.id, { customerId: customer.id, invoiceDate: '2025-12-22', dueDate: '2026-01-05', amount: 1000 })).invoiceNo;
    a = await agency(t, client.integration);
    subledger = (await a.get('/v2/Customers')).body[0].SubledgerAccountId as number;
  });
  afterAll(() => t.close());

  const line = (extra: Record<string, unknown> = {}) => ({ PostingDate: '2026-01-05', AccountId: subledger, CurrencyAmount: -100, VatId: null, ...extra });
  const bank = (body: Record<string, unknown>) =>
    a.post('/v2/Vouchers/BankJournals', { VoucherDate: '2026-01-05', CurrencyCode: 'NOK', VoucherLines: [line(), { PostingDate: '2026-01-05', AccountId: BANK, CurrencyAmount: 100, VatId: null }], ...body });
  const errorFields = (res: { body: any }) => Object.keys(res.body?.errors ?? {});

  it('a bank journal takes null in every field the vendor marks nullable', async () => {
    const res = await bank({
      CurrencyCode: null,
      Description: null,
      ExternalImportReference: null,
      ImportedVoucherNo: null,
      SaftBatchId: null,
      SaftSourceId: null,
      VoucherLines: [
        line({ CurrencyCode: null, InvoiceNo: String(invoiceNo), Cid: null, CustomMatchingReference: null, Description: null, ExternalLineReference: null, CurrencyExchangeRate: null, DepartmentId: null, ProjectId: null, Quantity: null }),
        { PostingDate: '2026-01-05', AccountId: BANK, CurrencyAmount: 100, VatId: null, Description: null },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ CurrencyCode: 'NOK', ExternalImportReference: null, ImportedVoucherNo: null });
    expect(res.body.VoucherLines[0]).toMatchObject({ InvoiceNo: String(invoiceNo), CurrencyAmount: -100 });
  });

  it("null where the sandbox needs a value is 400 naming the field: a line's AccountId, the lines", async () => {
    const noAccount = await bank({ VoucherLines: [line({ AccountId: null }), { PostingDate: '2026-01-05', AccountId: BANK, CurrencyAmount: 100, VatId: null }] });
    expect(noAccount.status).toBe(400);
    expect(errorFields(noAccount)).toEqual(['VoucherLines[0].AccountId']);
    // The lines themselves refuse null (allow-listed in test/contracts/vendor-fields.test.ts): 400 naming them.
    const noLines = await bank({ VoucherLines: null });
    expect(noLines.status).toBe(400);
    expect(errorFields(noLines)).toEqual(['VoucherLines']);
  });

  it('a field the vendor does not mark nullable refuses null: PostingDate, CurrencyAmount, VoucherDate', async () => {
    for (const body of [
      { VoucherLines: [line({ PostingDate: null }), { PostingDate: '2026-01-05', AccountId: BANK, CurrencyAmount: 100, VatId: null }] },
      { VoucherLines: [line({ CurrencyAmount: null }), { PostingDate: '2026-01-05', AccountId: BANK, CurrencyAmount: 100, VatId: null }] },
      { VoucherDate: null },
    ]) {
      const res = await bank(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
  });

  it('a manual journal draft takes null where the vendor does; a null VoucherDate or lines is 400 naming the field', async () => {
    const draft = (body: Record<string, unknown>) =>
      a.post('/v2/JournalEntryVouchers/ManualJournals', {
        VoucherDate: '2026-01-05',
        CurrencyCode: 'NOK',
        ManualVoucherLines: [{ DebitAccountId: BANK, CreditAccountId: null, DebitVatId: null, CreditVatId: null, CurrencyAmount: 50, CurrencyCode: null, Description: null, PostingDate: null }, { CreditAccountId: 5_007_770, CurrencyAmount: 50 }],
        ...body,
      });
    const ok = await draft({ CurrencyCode: null, Description: null, Comment: null, DepartmentId: null, ProjectId: null });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.ManualVoucherLines[0]).toMatchObject({ DebitAccountId: BANK, CreditAccountId: null, PostingDate: '2026-01-05' });
    const noDate = await draft({ VoucherDate: null });
    expect(noDate.status).toBe(400);
    expect(errorFields(noDate)).toEqual(['VoucherDate']);
    const noLines = await draft({ ManualVoucherLines: null });
    expect(noLines.status).toBe(400);
    expect(errorFields(noLines)).toEqual(['ManualVoucherLines']);
    const noAmount = await draft({ ManualVoucherLines: [{ DebitAccountId: BANK, CurrencyAmount: null }] });
    expect(noAmount.status).toBe(400);
  });
});
