import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADDRESS, advance, agency, invoice, newClient, newCustomer, newInvoice, testSandbox, worldText, type ClientFixture, type TestSandbox } from '../harness.js';

const BANK = 5_001_920;
const COSTS = 5_007_770;
const INTEREST = 5_008_050;
const RECEIVABLES = 5_001_500;
const VAT_INPUT_HIGH = 7_000_001; // code '1', 25 % input VAT
/** The vendor's *DateTimeOffset: UTC with 7 fractional digits. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}\+00:00$/;

type Agency = Awaited<ReturnType<typeof agency>>;

function pagination(res: { headers: Record<string, string> }) {
  return JSON.parse(res.headers['x-pagination']!);
}

describe('v2 face', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await testSandbox();
  });
  afterAll(() => t.close());

  /** A client with three customers (10001..10003) and an invoice each, plus a credit note on the second. */
  async function world() {
    const client = await newClient(t);
    const customers = [
      await newCustomer(t, client.id, { name: 'Ola Nordmann AS', organizationNumber: '974760673', emailAddress: 'ola@example.no' }),
      await newCustomer(t, client.id, { name: 'Kari Nordmann' }),
      await newCustomer(t, client.id, { name: 'Per Hansen', number: 20000 }),
    ];
    const invoices = [
      await newInvoice(t, client.id, { customerId: customers[0].id, invoiceDate: '2025-12-22', dueDate: '2026-01-05', amount: 1250 }),
      await newInvoice(t, client.id, { customerId: customers[1].id, invoiceDate: '2025-12-28', dueDate: '2026-01-11', amount: 500 }),
      await newInvoice(t, client.id, { customerId: customers[2].id, invoiceDate: '2026-01-02', dueDate: '2026-01-16', amount: 800 }),
    ];
    const note = await t.http.post(`/_sandbox/clients/${client.id}/credit-notes`).send({ invoiceId: invoices[1].id, amount: 100 });
    expect(note.status).toBe(201);
    const a = await agency(t, client.integration);
    return { client, customers, invoices, creditNote: note.body, a };
  }

  describe('auth', () => {
    let client: ClientFixture;
    let a: Agency;
    beforeAll(async () => {
      client = await newClient(t);
      a = await agency(t, client.integration);
    });

    it('answers 401 in the APIM format without a subscription key', async () => {
      const res = await t.http.get('/v2/Customers').set('Authorization', `Bearer ${a.tokens.v2}`);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ statusCode: 401, message: expect.stringContaining('missing subscription key') });
    });

    it('answers 401 with a wrong subscription key, and without a bearer token', async () => {
      const wrong = await t.http.get('/v2/Customers').set('Authorization', `Bearer ${a.tokens.v2}`).set('Ocp-Apim-Subscription-Key', 'not-the-key');
      expect(wrong.status).toBe(401);
      expect(wrong.body).toEqual({ statusCode: 401, message: expect.stringContaining('invalid subscription key') });
      const noToken = await t.http.get('/v2/Customers').set('Ocp-Apim-Subscription-Key', client.integration.subscriptionKey);
      expect(noToken.status).toBe(401);
      expect(noToken.body).toEqual({ statusCode: 401, message: expect.stringContaining('Access token is missing or invalid') });
    });

    it('answers under the vendor /Demo prefix too', async () => {
      const res = await a.get('/Demo/v2/VatCodes');
      expect(res.status).toBe(200);
    });
  });

  describe('reads', () => {
    let w: Awaited<ReturnType<typeof world>>;
    beforeAll(async () => {
      w = await world();
    });

    it('lists customers as a bare PascalCase array with SubledgerAccountId', async () => {
      const res = await w.a.get('/v2/Customers');
      expect(res.status).toBe(200);
      expect(Array.isArray(res.body)).toBe(true);
      expect(res.body).toHaveLength(3);
      const [c] = res.body;
      expect(c).toEqual({
        Id: w.customers[0].id,
        Number: w.customers[0].number,
        Name: 'Ola Nordmann AS',
        OrganizationNumber: '974760673',
        EmailAddress: 'ola@example.no',
        MailAddress: { AddressLine1: ADDRESS.addressLine1, AddressLine2: '', ZipCode: ADDRESS.zipCode, City: ADDRESS.city, CountryCode: 'NO' },
        TransferToDebtCollectionAgency: true,
        LastChangedDateTimeOffset: expect.stringMatching(INSTANT),
        CustomerCreatedDateTimeOffset: expect.stringMatching(INSTANT),
        SubledgerAccountId: 9_000_000 + w.customers[0].id,
        IsActive: true,
        CurrencyCode: 'NOK',
        // A company: the person fields are null (person debtors: test/http/person-debtors.test.ts).
        IsPerson: false,
        FirstName: null,
        LastName: null,
        NationalIdNumber: null,
        DateOfBirth: null,
        PhoneNumber: null,
        InvoiceEmailAddress: null,
        PaymentReminderEmailAddress: null,
        ReminderDeliveryType: null,
        NoticeOfDebtCollectionDeliveryType: null,
        LegalName: 'Ola Nordmann AS',
        ExternalNumber: null,
        ExternalImportReference: null,
        IsArchived: false,
        ContactGroupIds: [],
        ContactCreatedDateTimeOffset: expect.stringMatching(INSTANT),
        CustomerSince: '2026-01-05',
        SendPaymentReminders: true,
        DoNotAddLatePaymentFees: false,
        DoNotAddLatePaymentInterest: false,
      });
      expect(c.LastChangedDateTimeOffset).toBe('2026-01-05T07:00:00.0000000+00:00');
    });

    it('gets one customer, and 404 ProblemDetails for an unknown id', async () => {
      const one = await w.a.get(`/v2/Customers/${w.customers[1].id}`);
      expect(one.status).toBe(200);
      expect(one.body).toMatchObject({ Id: w.customers[1].id, Name: 'Kari Nordmann' });
      const missing = await w.a.get('/v2/Customers/999');
      expect(missing.status).toBe(404);
      // ASP.NET's ProblemDetails: application/json, the vendor's keys only, no `errors` outside validation.
      expect(missing.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(missing.body).toEqual({
        type: 'https://tools.ietf.org/html/rfc9110#section-15.5.5',
        title: 'Not Found',
        status: 404,
        detail: expect.stringContaining('999'),
        traceId: expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/),
      });
      expect(missing.body.traceId).toContain(missing.headers['x-request-id']);
    });

    it('filters customers by number ranges (case-insensitive parameter names)', async () => {
      const numbers = async (q: string) => {
        const res = await w.a.get(`/v2/Customers?${q}`);
        return res.status === 204 ? [] : res.body.map((c: any) => c.Number);
      };
      const [n1, n2] = [w.customers[0].number, w.customers[1].number];
      expect(await numbers(`customerNos=${n1}-${n2}`)).toEqual([n1, n2]);
      expect(await numbers(`customerNos=${n2}, 20000-`)).toEqual([n2, 20000]);
      expect(await numbers('CUSTOMERNOS=20000')).toEqual([20000]);
      expect(await numbers('customerNos=30000-')).toEqual([]);
      const bad = await w.a.get('/v2/Customers?customerNos=abc');
      expect(bad.status).toBe(400);
      expect(bad.body.title).toBe('One or more validation errors occurred.');
      expect(Object.keys(bad.body.errors)).toEqual(['customerNos']);
    });

    it('filters customers changed after a moment (exclusive)', async () => {
      const before = await w.a.get('/v2/Customers?lastChangedDateTimeOffsetGreaterThan=2026-01-05T08:00:00%2B01:00');
      expect(before.status).toBe(204);
      await advance(t, w.client.id, { hours: 2 });
      w.a = await agency(t, w.client.integration); // the old token expired on the sandbox clock
      const changed = await t.http.patch(`/_sandbox/clients/${w.client.id}/customers/${w.customers[1].id}`).send({ emailAddress: 'kari@example.no' });
      expect(changed.status).toBe(200);
      const after = await w.a.get('/v2/Customers?lastChangedDateTimeOffsetGreaterThan=2026-01-05T08:00:00%2B01:00');
      expect(after.status).toBe(200);
      expect(after.body.map((c: any) => c.Id)).toEqual([w.customers[1].id]);
      expect(after.body[0].LastChangedDateTimeOffset).toBe('2026-01-05T09:00:00.0000000+00:00');
      // The vendor's own example form: a space between date and time, 6 fractional digits.
      const vendorForm = await w.a.get('/v2/Customers?lastChangedDateTimeOffsetGreaterThan=2026-01-05%2008:00:00.123456%2B01:00');
      expect(vendorForm.body.map((c: any) => c.Id)).toEqual([w.customers[1].id]);
      const byDate = await w.a.get('/v2/Customers?lastChangedDateTimeOffsetGreaterThan=2026-01-05');
      expect(byDate.body).toHaveLength(3);
      const bad = await w.a.get('/v2/Customers?lastChangedDateTimeOffsetGreaterThan=yesterday');
      expect(bad.status).toBe(400);
      expect(bad.body.errors).toHaveProperty('lastChangedDateTimeOffsetGreaterThan');
    });

    it('lists open items on a date', async () => {
      const res = await w.a.get('/v2/Customerledger/OpenItems?date=2026-01-05');
      expect(res.status).toBe(200);
      expect(res.body).toHaveLength(3);
      const first = res.body[0];
      expect(first).toEqual({
        Id: expect.any(Number),
        Amount: 1250,
        Balance: 1250,
        Cid: w.invoices[0].cid,
        CustomerAccountNo: w.customers[0].number,
        CustomerId: w.customers[0].id,
        CustomerName: 'Ola Nordmann AS',
        DueDate: '2026-01-05',
        InvoiceNo: '10001',
        MatchId: null,
        PostingDate: '2025-12-22',
        VoucherDate: '2025-12-22',
        VoucherId: w.invoices[0].voucherId,
        VoucherNo: expect.any(Number),
        VoucherType: 'OutgoingInvoice',
        IsWriteOff: false,
        CurrencyAmount: 1250,
        CurrencyCode: 'NOK',
        ExternalImportReference: null,
        CustomMatchingReference: null,
        CreatedDateTimeOffset: expect.stringMatching(INSTANT),
        LastChangedDateTimeOffset: expect.stringMatching(INSTANT),
      });
      // The credit note on the second invoice is in its balance.
      expect(res.body[1]).toMatchObject({ InvoiceNo: '10002', Amount: 500, Balance: 400, MatchId: expect.any(Number) });
      // Before the credit note (posted 2026-01-05) the whole amount was open; before any invoice, nothing.
      const earlier = await w.a.get('/v2/Customerledger/OpenItems?date=2025-12-31');
      expect(earlier.body.map((i: any) => [i.InvoiceNo, i.Balance])).toEqual([['10001', 1250], ['10002', 500]]);
      const none = await w.a.get('/v2/Customerledger/OpenItems?date=2025-01-01');
      expect(none.status).toBe(204);
      expect(none.text).toBe('');
    });

    it('filters open items by customer and invoice numbers, and requires date', async () => {
      const byCustomer = await w.a.get(`/v2/Customerledger/OpenItems?date=2026-01-05&customerNos=20000-`);
      expect(byCustomer.body.map((i: any) => i.InvoiceNo)).toEqual(['10003']);
      const byInvoice = await w.a.get(`/v2/Customerledger/OpenItems?date=2026-01-05&invoiceNos=10001,10003`);
      expect(byInvoice.body.map((i: any) => i.InvoiceNo)).toEqual(['10001', '10003']);
      const noDate = await w.a.get('/v2/Customerledger/OpenItems');
      expect(noDate.status).toBe(400);
      expect(noDate.body.errors).toHaveProperty('date');
      const badDate = await w.a.get('/v2/Customerledger/OpenItems?date=05.01.2026');
      expect(badDate.status).toBe(400);
      expect(badDate.body.errors).toHaveProperty('date');
    });

    it('lists outgoing invoices and credit notes', async () => {
      const res = await w.a.get('/v2/OutgoingInvoices');
      expect(res.status).toBe(200);
      expect(res.body).toHaveLength(4);
      expect(res.body[0]).toEqual({
        Id: w.invoices[0].id,
        InvoiceNo: 10001,
        VoucherNo: expect.any(Number),
        VoucherType: 'OutgoingInvoice',
        VoucherDate: '2025-12-22',
        DueDate: '2026-01-05',
        Balance: 1250,
        TotalAmount: 1250,
        NetAmount: 1000,
        TotalPostedAmount: 1250,
        NetPostedAmount: 1000,
        CurrencyCode: 'NOK',
        Cid: w.invoices[0].cid,
        CustomerId: w.customers[0].id,
        CustomerNo: w.customers[0].number,
        MatchId: null,
        IsReversed: false,
        ExternalImportReference: null,
        CustomMatchingReference: null,
        CreatedDateTimeOffset: expect.stringMatching(INSTANT),
        LastChangedDateTimeOffset: expect.stringMatching(INSTANT),
        // Unpaid, made in Go: the balance was set and the invoice sent when it was posted.
        BalanceLastChangedDateTimeOffset: res.body[0].CreatedDateTimeOffset,
        SentDateTimeOffset: res.body[0].CreatedDateTimeOffset,
      });
      const note = res.body[3];
      expect(note).toMatchObject({ Id: w.creditNote.id, VoucherType: 'OutgoingCreditNote', Balance: 0, TotalAmount: -100, NetAmount: -80, MatchId: res.body[1].MatchId });
      expect(res.body[1]).toMatchObject({ InvoiceNo: 10002, Balance: 400, MatchId: expect.any(Number) });
    });

    it('gets one outgoing invoice, 404 for an unknown id, 400 for a malformed one', async () => {
      const one = await w.a.get(`/v2/OutgoingInvoices/${w.invoices[2].id}`);
      expect(one.status).toBe(200);
      expect(one.body).toMatchObject({ Id: w.invoices[2].id, InvoiceNo: 10003, CustomerNo: 20000 });
      const missing = await w.a.get('/v2/OutgoingInvoices/00000000-0000-4000-8000-000000000000');
      expect(missing.status).toBe(404);
      expect(missing.body.status).toBe(404);
      const malformed = await w.a.get('/v2/OutgoingInvoices/10001');
      expect(malformed.status).toBe(400);
      expect(malformed.body.errors).toHaveProperty('id');
    });

    it('filters outgoing invoices', async () => {
      const nos = async (q: string) => {
        const res = await w.a.get(`/v2/OutgoingInvoices?${q}`);
        expect([200, 204]).toContain(res.status);
        return res.status === 204 ? [] : res.body.map((i: any) => i.InvoiceNo);
      };
      expect(await nos('onlyUnpaidInvoices=true')).toEqual([10001, 10002, 10003]);
      expect(await nos('invoiceNos=10002-10003')).toEqual([10002, 10003]);
      expect(await nos('invoiceNos=10001, 10003-')).toEqual([10001, 10003, 10004]);
      expect(await nos(`customerNos=${w.customers[1].number}`)).toEqual([10002, 10004]);
      expect(await nos('fromDate=2025-12-28&toDate=2026-01-02')).toEqual([10002, 10003]);
      expect(await nos('fromDate=2026-01-05')).toEqual([10004]);
      expect(await nos('toDate=2025-12-01')).toEqual([]);
    });

    it('lists general ledger accounts and VAT codes with the ids voucher lines use', async () => {
      const accounts = await w.a.get('/v2/GeneralLedgerAccounts');
      expect(accounts.status).toBe(200);
      expect(accounts.body).toContainEqual({ Id: BANK, AccountNo: 1920, Name: 'Bankinnskudd', IsActive: true, VatCode: null, VatCodeId: null, CurrencyCode: 'NOK' });
      expect(accounts.body).toContainEqual(expect.objectContaining({ AccountNo: 3000, VatCode: '3', VatCodeId: 7_000_003 }));
      const some = await w.a.get('/v2/GeneralLedgerAccounts?accountNos=7000-8999');
      expect(some.body.map((a: any) => a.AccountNo)).toEqual([7770, 7830, 8050]);
      const vat = await w.a.get('/v2/VatCodes');
      expect(vat.status).toBe(200);
      expect(vat.body).toContainEqual({ Id: VAT_INPUT_HIGH, Code: '1', Name: 'Inngående mva, høy sats', Rate: 0.25, IsActive: true });
      expect(vat.body).toContainEqual(expect.objectContaining({ Code: '33', Rate: 0.12 }));
    });
  });

  describe('paging', () => {
    let w: Awaited<ReturnType<typeof world>>;
    beforeAll(async () => {
      w = await world();
    });

    it('pages a list with X-Pagination and answers 204 past the end', async () => {
      const first = await w.a.get('/v2/Customers?PageSize=2');
      expect(first.status).toBe(200);
      expect(first.body.map((c: any) => c.Id)).toEqual([w.customers[0].id, w.customers[1].id]);
      const p1 = pagination(first);
      // Only the evidenced key: nextPageLink.
      expect(Object.keys(p1)).toEqual(['nextPageLink']);
      expect(p1.nextPageLink).toMatch(/\/v2\/Customers\?PageSize=2&PageNumber=2$/);

      const second = await w.a.get(new URL(p1.nextPageLink).pathname + new URL(p1.nextPageLink).search);
      expect(second.status).toBe(200);
      expect(second.body.map((c: any) => c.Id)).toEqual([w.customers[2].id]);
      expect(pagination(second)).toEqual({});

      const third = await w.a.get('/v2/Customers?pagesize=2&pagenumber=3');
      expect(third.status).toBe(204);
      expect(third.text).toBe('');
      expect(pagination(third)).toEqual({});
      expect(third.headers['x-sandbox-warning']).toBeUndefined();
    });

    it('defaults to page 1 of 5000', async () => {
      const res = await w.a.get('/v2/OutgoingInvoices');
      expect(res.body).toHaveLength(4);
      expect(pagination(res)).toEqual({});
    });

    it('adds the unverified X-Pagination counts only by setting, with a portability warning', async () => {
      const client = await newClient(t, { settings: { v2Wire: { pagination: 'extended' } } });
      for (const name of ['A AS', 'B AS', 'C AS']) await newCustomer(t, client.id, { name });
      const a = await agency(t, client.integration);
      const first = await a.get('/v2/Customers?PageSize=2');
      expect(pagination(first)).toEqual({ TotalCount: 3, PageSize: 2, CurrentPage: 1, TotalPages: 2, nextPageLink: expect.stringMatching(/PageNumber=2$/) });
      expect(first.headers['x-sandbox-warning']).toMatch(/^unverified-behaviour "X-Pagination carries TotalCount/);
      const journal = await t.http.get(`/_sandbox/clients/${client.id}/requests`);
      const entry = journal.body.requests.find((r: any) => r.path === '/v2/Customers?PageSize=2');
      expect(entry.warnings).toEqual([{ code: 'unverified-behaviour', message: expect.stringContaining('nextPageLink is evidenced'), evidence: expect.stringContaining('fidelity') }]);
    });

    it('refuses a PageSize over 20000 and a PageNumber under 1', async () => {
      const big = await w.a.get('/v2/Customers?PageSize=20001');
      expect(big.status).toBe(400);
      expect(big.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(big.body).toMatchObject({ status: 400, errors: { PageSize: [expect.stringContaining('20000')] } });
      const max = await w.a.get('/v2/Customers?PageSize=20000');
      expect(max.status).toBe(200);
      const zero = await w.a.get('/v2/VatCodes?PageNumber=0');
      expect(zero.status).toBe(400);
      expect(zero.body.errors).toHaveProperty('PageNumber');
    });
  });

  describe('settlement', () => {
    /** An invoice of 1250 in a case of this integration: drafted on day 14, approved, taken via v1. */
    async function invoiceInCase() {
      const client = await newClient(t);
      const customer = await newCustomer(t, client.id);
      const inv = await newInvoice(t, client.id, { customerId: customer.id, invoiceDate: '2025-12-22', dueDate: '2026-01-05', amount: 1250 });
      await advance(t, client.id, { days: 14 });
      expect((await invoice(t, client.id, inv.id)).status).toBe('Draft');
      const approved = await t.http.post(`/_sandbox/clients/${client.id}/collection/approve`).send({ invoiceIds: [inv.id] });
      expect(approved.status).toBe(200);
      const a = await agency(t, client.integration);
      const created = await a.post('/DebtCollection', { code: 'K-2001', invoices: [inv.id] });
      expect(created.status).toBe(200);
      expect(created.body.data.invoices).toHaveLength(1);
      const customers = await a.get('/v2/Customers');
      return { client, customer, inv, a, subledger: customers.body[0].SubledgerAccountId as number };
    }

    const payment = (subledger: number, amount: number, extra: Record<string, unknown> = {}) => ({
      VoucherDate: '2026-01-20',
      CurrencyCode: 'NOK',
      Description: 'Innbetaling inkasso K-2001',
      VoucherLines: [
        { PostingDate: '2026-01-20', AccountId: subledger, CurrencyAmount: -amount, InvoiceNo: '10001', VatId: null, Description: 'Debitor' },
        { PostingDate: '2026-01-20', AccountId: BANK, CurrencyAmount: amount, VatId: null, Description: 'Bank' },
      ],
      ...extra,
    });

    it('posts a bank journal that lowers the invoice open amount, seen in v2 and in v1 MatchedItems', async () => {
      const { client, inv, a, subledger } = await invoiceInCase();
      const res = await a.post('/v2/Vouchers/BankJournals', payment(subledger, 400, { ExternalImportReference: 'pay-1', ImportedVoucherNo: 7001 }));
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        Id: expect.any(String),
        VoucherNo: expect.any(Number),
        VoucherDate: '2026-01-20',
        CurrencyCode: 'NOK',
        Description: 'Innbetaling inkasso K-2001',
        ExternalImportReference: 'pay-1',
        ImportedVoucherNo: 7001,
        IsReversed: false,
        CreatedDateTimeOffset: expect.stringMatching(INSTANT),
        VoucherLines: [
          expect.objectContaining({ AccountId: subledger, CurrencyAmount: -400, InvoiceNo: '10001', Cid: inv.cid, PostingDate: '2026-01-20', Description: 'Debitor', VatId: null }),
          expect.objectContaining({ AccountId: BANK, CurrencyAmount: 400, InvoiceNo: null, Cid: null, Description: 'Bank' }),
        ],
      });

      const v2 = await a.get(`/v2/OutgoingInvoices/${inv.id}`);
      expect(v2.body).toMatchObject({ Balance: 850, TotalAmount: 1250, MatchId: expect.any(Number) });
      const open = await a.get('/v2/Customerledger/OpenItems?date=2026-01-20');
      expect(open.body).toEqual([expect.objectContaining({ InvoiceNo: '10001', Balance: 850, MatchId: v2.body.MatchId })]);
      const matched = await a.get(`/DebtCollection/MatchedItems/${inv.id}`);
      expect(matched.body.data).toEqual([
        expect.objectContaining({ amount: -400, voucherType: 19, voucherNo: res.body.VoucherNo, externalImportReference: 'pay-1', importedVoucherNo: 7001 }),
      ]);
      expect((await invoice(t, client.id, inv.id)).openAmount).toBe(850);

      // Paying the rest with the KID instead of the invoice number.
      const rest = payment(subledger, 850, { ExternalImportReference: 'pay-2' });
      delete (rest.VoucherLines[0] as any).InvoiceNo;
      (rest.VoucherLines[0] as any).Cid = inv.cid;
      const paid = await a.post('/v2/Vouchers/BankJournals', rest);
      expect(paid.status).toBe(201);
      expect(paid.body.VoucherLines[0]).toMatchObject({ InvoiceNo: '10001', Cid: inv.cid });
      const unpaid = await a.get('/v2/OutgoingInvoices?onlyUnpaidInvoices=true');
      expect(unpaid.status).toBe(204);
      const check = await t.http.get(`/_sandbox/clients/${client.id}/ledger/check`);
      expect(check.body).toMatchObject({ ok: true });
    });

    it('binds property names case-insensitively', async () => {
      const { inv, a, subledger } = await invoiceInCase();
      const res = await a.post('/v2/Vouchers/BankJournals', {
        voucherDate: '2026-01-20',
        currencyCode: 'NOK',
        voucherLines: [
          { accountId: subledger, currencyAmount: -100, invoiceNo: '10001', postingDate: '2026-01-20', vatId: null },
          { accountid: BANK, currencyamount: 100, POSTINGDATE: '2026-01-21', VATID: null },
        ],
      });
      expect(res.status).toBe(201);
      expect(res.body.VoucherLines.map((l: any) => l.PostingDate)).toEqual(['2026-01-20', '2026-01-21']);
      expect((await a.get(`/v2/OutgoingInvoices/${inv.id}`)).body.Balance).toBe(1150);
    });

    it('takes 0 and empty as "not set", as generated clients send them', async () => {
      const { a, subledger } = await invoiceInCase();
      const unset = { ExternalImportReference: '', ImportedVoucherNo: 0 };
      for (let i = 0; i < 2; i++) {
        const body = payment(subledger, 10, unset);
        Object.assign(body.VoucherLines[1]!, { VatId: 0, CurrencyCode: '' });
        const res = await a.post('/v2/Vouchers/BankJournals', body);
        expect(res.status).toBe(201);
        expect(res.body).toMatchObject({ ExternalImportReference: null, ImportedVoucherNo: null });
        expect(res.body.VoucherLines[1].VatId).toBeNull();
      }
    });

    it('refuses bad bank journals without changing the world', async () => {
      const { client, a, subledger } = await invoiceInCase();
      const first = await a.post('/v2/Vouchers/BankJournals', payment(subledger, 100, { ExternalImportReference: 'dup-ref', ImportedVoucherNo: 9001 }));
      expect(first.status).toBe(201);
      const before = await worldText(t, client.id);

      const refused = async (body: unknown, status: number) => {
        const res = await a.post('/v2/Vouchers/BankJournals', body);
        expect(res.status).toBe(status);
        expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
        expect(Object.keys(res.body).sort()).toEqual(['detail', 'status', 'title', 'traceId', 'type', ...(res.body.errors ? ['errors'] : [])].sort());
        expect(await worldText(t, client.id)).toBe(before);
        return res.body;
      };

      // The vendor documents no 409 on BankJournals: a duplicate ExternalImportReference is a 400 naming it.
      const duplicate = await refused(payment(subledger, 100, { ExternalImportReference: 'dup-ref' }), 400);
      expect(duplicate).toMatchObject({ status: 400, title: 'One or more validation errors occurred.', errors: { ExternalImportReference: [expect.stringContaining('dup-ref')] } });

      const unbalanced = payment(subledger, 100);
      unbalanced.VoucherLines[1]!.CurrencyAmount = 90;
      const notBalanced = await refused(unbalanced, 400);
      expect(notBalanced.errors).toHaveProperty('VoucherLines');
      expect(notBalanced.detail).toContain('balance');

      const unknownAccount = payment(subledger, 100);
      unknownAccount.VoucherLines[1]!.AccountId = 1920;
      expect((await refused(unknownAccount, 400)).errors).toHaveProperty(['VoucherLines[1].AccountId']);

      const threeDecimals = payment(subledger, 100);
      threeDecimals.VoucherLines[1]!.CurrencyAmount = 100.001;
      expect((await refused(threeDecimals, 400)).errors).toHaveProperty(['VoucherLines[1].CurrencyAmount']);

      const zero = payment(subledger, 0);
      expect((await refused(zero, 400)).errors).toHaveProperty(['VoucherLines[0].CurrencyAmount']);

      const receivables = payment(subledger, 100);
      receivables.VoucherLines[0]!.AccountId = RECEIVABLES;
      expect((await refused(receivables, 400)).errors).toHaveProperty(['VoucherLines[0].AccountId']);

      const missingKeys = payment(subledger, 100);
      delete (missingKeys.VoucherLines[0] as any).VatId;
      delete (missingKeys.VoucherLines[1] as any).PostingDate;
      expect(Object.keys((await refused(missingKeys, 400)).errors).sort()).toEqual(['VoucherLines[0].VatId', 'VoucherLines[1].PostingDate']);

      const unknownField = await refused(payment(subledger, 100, { SomethingNew: 'x' }), 400);
      expect(unknownField.errors).toEqual({ SomethingNew: ['is not a known field'] });

      const vatOnBank = payment(subledger, 100);
      (vatOnBank.VoucherLines[1] as any).VatId = VAT_INPUT_HIGH;
      expect((await refused(vatOnBank, 400)).errors).toHaveProperty(['VoucherLines[1].VatId']);

      expect((await refused(payment(subledger, 100, { CurrencyCode: 'EUR' }), 400)).errors).toHaveProperty('CurrencyCode');
      const requests = (await t.http.get(`/_sandbox/clients/${client.id}/requests`)).body.requests;
      const unknownEntry = requests.find((r: any) => r.warnings.some((w: any) => w.code === 'unknown-body-field'));
      expect(unknownEntry).toMatchObject({ status: 400, warnings: [{ code: 'unknown-body-field', message: expect.stringContaining('SomethingNew'), evidence: expect.stringContaining('additionalProperties') }] });
      const { VoucherDate: _, ...noDate } = payment(subledger, 100);
      expect((await refused(noDate, 400)).errors).toHaveProperty('VoucherDate');
    });

    it('sends costs with VAT and interest to the voucher reception as a manual journal draft', async () => {
      const { client, a } = await invoiceInCase();
      const body = {
        VoucherDate: '2026-01-20',
        CurrencyCode: 'NOK',
        Description: 'Inkasso K-2001: salær og renter',
        Comment: 'oppgjør januar',
        ManualVoucherLines: [
          { DebitAccountId: COSTS, DebitVatId: VAT_INPUT_HIGH, CreditAccountId: BANK, CurrencyAmount: 125, Description: 'Salær', PostingDate: '2026-01-20' },
          { DebitAccountId: BANK, CreditAccountId: INTEREST, CurrencyAmount: 12.5, Description: 'Renter' },
        ],
      };
      const res = await a.post('/v2/JournalEntryVouchers/ManualJournals', body);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        Id: expect.any(String),
        VoucherDate: '2026-01-20',
        CurrencyCode: 'NOK',
        Description: 'Inkasso K-2001: salær og renter',
        ManualVoucherLines: [
          expect.objectContaining({ Id: 1, DebitAccountId: COSTS, CreditAccountId: BANK, DebitVatId: VAT_INPUT_HIGH, CreditVatId: null, CurrencyAmount: 125, PostingDate: '2026-01-20' }),
          expect.objectContaining({ Id: 2, DebitAccountId: BANK, CreditAccountId: INTEREST, CurrencyAmount: 12.5, PostingDate: '2026-01-20', Description: 'Renter' }),
        ],
        // The vendor's ManualJournalEntryVoucherDto carries Pages; none attached yet.
        Pages: [],
      });

      const reception = await t.http.get(`/_sandbox/clients/${client.id}/voucher-reception`);
      expect(reception.body.drafts).toEqual([
        expect.objectContaining({
          id: res.body.Id,
          status: 'Draft',
          externalImportReference: null,
          lines: [
            expect.objectContaining({ account: 7770, amount: 125, vatCode: '1' }),
            expect.objectContaining({ account: 1920, amount: -125 }),
            expect.objectContaining({ account: 1920, amount: 12.5 }),
            expect.objectContaining({ account: 8050, amount: -12.5 }),
          ],
        }),
      ]);

      // As at the vendor, a draft has no duplicate check: the blind resend is a second draft, with a warning.
      const again = await a.post('/v2/JournalEntryVouchers/ManualJournals', body);
      expect(again.status).toBe(201);
      expect(again.body.Id).not.toBe(res.body.Id);
      expect(again.headers['x-sandbox-warning']).toMatch(/^post-retried-without-read-back "the same body was POSTed/);
      const rejected = await t.http.post(`/_sandbox/clients/${client.id}/voucher-reception/${again.body.Id}/reject`);
      expect(rejected.status).toBe(200);

      const approved = await t.http.post(`/_sandbox/clients/${client.id}/voucher-reception/${res.body.Id}/approve`);
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({ type: 'ManualJournal', externalImportReference: null });
      expect(approved.body.lines).toEqual([
        expect.objectContaining({ account: 7770, amount: 100 }),
        expect.objectContaining({ account: 2710, amount: 25 }),
        expect.objectContaining({ account: 1920, amount: -125 }),
        expect.objectContaining({ account: 1920, amount: 12.5 }),
        expect.objectContaining({ account: 8050, amount: -12.5 }),
      ]);
      const check = await t.http.get(`/_sandbox/clients/${client.id}/ledger/check`);
      expect(check.body).toMatchObject({ ok: true });
    });

    it('refuses bad manual journals naming the wire field, without changing the world', async () => {
      const { client, a, subledger } = await invoiceInCase();
      const before = await worldText(t, client.id);
      const refused = async (lines: unknown[], status = 400) => {
        const res = await a.post('/v2/JournalEntryVouchers/ManualJournals', { VoucherDate: '2026-01-20', CurrencyCode: 'NOK', ManualVoucherLines: lines });
        expect(res.status).toBe(status);
        expect(await worldText(t, client.id)).toBe(before);
        return res.body.errors;
      };
      const ok = { DebitAccountId: COSTS, CreditAccountId: BANK, CurrencyAmount: 10 };
      expect(await refused([ok, { DebitAccountId: 123, CreditAccountId: BANK, CurrencyAmount: 10 }])).toHaveProperty(['ManualVoucherLines[1].DebitAccountId']);
      expect(await refused([ok, { DebitAccountId: BANK, CreditAccountId: subledger, CurrencyAmount: 10 }])).toHaveProperty(['ManualVoucherLines[1].CreditAccountId']);
      expect(await refused([ok, { CurrencyAmount: 10 }])).toHaveProperty(['ManualVoucherLines[1].DebitAccountId']);
      expect(await refused([{ ...ok, DebitVatId: 42 }])).toHaveProperty(['ManualVoucherLines[0].DebitVatId']);
      expect(await refused([{ ...ok, CurrencyAmount: -10 }])).toHaveProperty(['ManualVoucherLines[0].CurrencyAmount']);
      expect(await refused([{ DebitAccountId: COSTS, CurrencyAmount: 10 }])).toHaveProperty('ManualVoucherLines');
    });
  });
});
