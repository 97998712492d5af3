/**
 * The v2 wire as the vendor has it, and the settings that bring back the sandbox's old inventions: no import
 * references on ManualJournals drafts, no 409 on BankJournals, unmatched customer lines refused with a warning,
 * filters as one string, the unencoded '+', and portability warnings in the journal and the X-Sandbox-Warning header.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agency, BASE, newClient, newCustomer, newInvoice, testSandbox, worldText, type TestSandbox } from '../harness.js';
import { parseWarningHeader } from '../../sandbox/http/core/warnings.js';
import { dispatcherFetch } from '../../sandbox/http/fetch.js';

const BANK = 5_001_920;
const COSTS = 5_007_770;

describe('v2 wire fidelity', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await testSandbox();
  });
  afterAll(() => t.close());

  /** A client with one open invoice of 1250 (no. 10001) and its customer's subledger id. */
  async function setup(settings: Record<string, unknown> = {}) {
    const client = await newClient(t, Object.keys(settings).length ? { settings: { v2Wire: settings } } : {});
    const customer = await newCustomer(t, client.id);
    const inv = await newInvoice(t, client.id, { customerId: customer.id, invoiceDate: '2025-12-22', dueDate: '2026-01-05', amount: 1250 });
    const a = await agency(t, client.integration);
    const subledger = (await a.get('/v2/Customers')).body[0].SubledgerAccountId as number;
    return { client, customer, inv, a, subledger };
  }

  const payment = (subledger: number, amount: number, extra: Record<string, unknown> = {}, line: Record<string, unknown> = { InvoiceNo: '10001' }) => ({
    VoucherDate: '2026-01-05',
    CurrencyCode: 'NOK',
    VoucherLines: [
      { PostingDate: '2026-01-05', AccountId: subledger, CurrencyAmount: -amount, VatId: null, ...line },
      { PostingDate: '2026-01-05', AccountId: BANK, CurrencyAmount: amount, VatId: null },
    ],
    ...extra,
  });
  const draft = (extra: Record<string, unknown> = {}) => ({
    VoucherDate: '2026-01-05',
    CurrencyCode: 'NOK',
    ManualVoucherLines: [{ DebitAccountId: COSTS, CreditAccountId: BANK, CurrencyAmount: 125 }],
    ...extra,
  });
  const journal = async (clientId: string) => (await t.http.get(`/_sandbox/clients/${clientId}/requests`)).body.requests as any[];

  describe('ManualJournals drafts', () => {
    it('refuse ExternalImportReference and ImportedVoucherNo as unknown fields (400 naming each), world unchanged', async () => {
      const { client, a } = await setup();
      const before = await worldText(t, client.id);
      for (const field of ['ExternalImportReference', 'ImportedVoucherNo'] as const) {
        const res = await a.post('/v2/JournalEntryVouchers/ManualJournals', draft({ [field]: field === 'ImportedVoucherNo' ? 7 : 'costs-1' }));
        expect(res.status).toBe(400);
        expect(res.body.errors).toEqual({ [field]: ['is not a known field'] });
        expect(parseWarningHeader(res.headers['x-sandbox-warning'])).toEqual([{ code: 'unknown-body-field', message: expect.stringContaining(field) }]);
      }
      expect(await worldText(t, client.id)).toBe(before);
      const ok = await a.post('/v2/JournalEntryVouchers/ManualJournals', draft());
      expect(ok.status).toBe(201);
      expect(ok.body).not.toHaveProperty('ExternalImportReference');
      expect(ok.body).not.toHaveProperty('Comment');
    });

    it('deduplicate on the references only by setting (the old invention), with a warning; 409 only with duplicateStatus 409', async () => {
      const { client, a } = await setup({ manualJournalImportReferences: true });
      const first = await a.post('/v2/JournalEntryVouchers/ManualJournals', draft({ ExternalImportReference: 'costs-1', ImportedVoucherNo: 42 }));
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ ExternalImportReference: 'costs-1', ImportedVoucherNo: 42 });
      expect(parseWarningHeader(first.headers['x-sandbox-warning']).map((w) => w.code)).toEqual(['sandbox-invention']);
      const before = await worldText(t, client.id);
      const again = await a.post('/v2/JournalEntryVouchers/ManualJournals', draft({ ExternalImportReference: 'costs-1' }));
      expect(again.status).toBe(400);
      expect(again.body.errors).toHaveProperty('ExternalImportReference');
      expect(await worldText(t, client.id)).toBe(before);

      const strict = await t.http.put(`/_sandbox/clients/${client.id}/settings`).send({ v2Wire: { duplicateStatus: 409 } });
      expect(strict.status).toBe(200);
      expect(strict.body.v2Wire).toMatchObject({ manualJournalImportReferences: true, duplicateStatus: 409, uniqueImportedVoucherNo: false });
      const settled = await worldText(t, client.id);
      const conflict = await a.post('/v2/JournalEntryVouchers/ManualJournals', draft({ ImportedVoucherNo: 42 }));
      expect(conflict.status).toBe(409);
      expect(conflict.body).toMatchObject({ status: 409, title: 'Conflict' });
      expect(await worldText(t, client.id)).toBe(settled);
    });
  });

  describe('BankJournals', () => {
    it('ImportedVoucherNo is not unique by default; the setting makes a repeat a 400', async () => {
      const { client, a, subledger } = await setup();
      for (const amount of [10, 20]) expect((await a.post('/v2/Vouchers/BankJournals', payment(subledger, amount, { ImportedVoucherNo: 9001 }))).status).toBe(201);
      await t.http.put(`/_sandbox/clients/${client.id}/settings`).send({ v2Wire: { uniqueImportedVoucherNo: true } });
      const before = await worldText(t, client.id);
      const repeat = await a.post('/v2/Vouchers/BankJournals', payment(subledger, 30, { ImportedVoucherNo: 9001 }));
      expect(repeat.status).toBe(400);
      expect(repeat.body.errors).toHaveProperty('ImportedVoucherNo');
      expect(await worldText(t, client.id)).toBe(before);
    });

    it('a duplicate ExternalImportReference is 400 by default and 409 by setting (with a warning)', async () => {
      const { client, a, subledger } = await setup();
      expect((await a.post('/v2/Vouchers/BankJournals', payment(subledger, 10, { ExternalImportReference: 'pay-1' }))).status).toBe(201);
      const dup = await a.post('/v2/Vouchers/BankJournals', payment(subledger, 11, { ExternalImportReference: 'pay-1' }));
      expect(dup.status).toBe(400);
      await t.http.put(`/_sandbox/clients/${client.id}/settings`).send({ v2Wire: { duplicateStatus: 409 } });
      const conflict = await a.post('/v2/Vouchers/BankJournals', payment(subledger, 12, { ExternalImportReference: 'pay-1' }));
      expect(conflict.status).toBe(409);
      expect(parseWarningHeader(conflict.headers['x-sandbox-warning']).map((w) => w.code)).toEqual(['sandbox-invention']);
    });

    it('customer lines naming no invoice of their customer, and debits, are posted as unmatched open items', async () => {
      const { client, a, subledger } = await setup();
      const cases: Array<[string, unknown, number]> = [
        ['unknown InvoiceNo', payment(subledger, 100, {}, { InvoiceNo: '99999' }), -100],
        ['unknown Cid', payment(subledger, 40, {}, { Cid: '000000000' }), -40],
        ['a debit on the customer', payment(subledger, -25), 25],
        ['no InvoiceNo or Cid (a prepayment)', payment(subledger, 300, {}, {}), -300],
      ];
      const posted: Array<{ what: string; voucherNo: number; balance: number }> = [];
      for (const [what, body, balance] of cases) {
        const res = await a.post('/v2/Vouchers/BankJournals', body);
        expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBe(201);
        expect(res.headers['x-sandbox-warning'], what).toBeUndefined();
        posted.push({ what, voucherNo: res.body.VoucherNo, balance });
      }
      const open = await a.get('/v2/Customerledger/OpenItems?date=2026-01-05');
      // The invoice is untouched (1250 open); each unmatched line is its own open item, no invoice, no match.
      expect(open.body.find((i: any) => i.InvoiceNo === '10001')).toMatchObject({ Balance: 1250 });
      for (const p of posted)
        expect(open.body.find((i: any) => i.VoucherNo === p.voucherNo), p.what).toMatchObject({ VoucherType: 'BankJournal', InvoiceNo: null, Cid: null, MatchId: null, Balance: p.balance, DueDate: null });
      const invoice = await a.get('/v2/OutgoingInvoices');
      expect(invoice.body[0]).toMatchObject({ InvoiceNo: 10001, Balance: 1250 });
      // The ledger still adds up: 1500's balance is the sum of the open items, the invariants hold.
      const check = await t.http.get(`/_sandbox/clients/${client.id}/ledger/check`);
      expect(check.status).toBe(200);
      expect(check.body).toMatchObject({ ok: true, breaches: [], receivables: 1250 - 100 - 40 + 25 - 300, customerLedgerTotal: 1250 - 100 - 40 + 25 - 300 });
      // explain: each unmatched item says what it is.
      expect(check.body.unmatched).toHaveLength(4);
      expect(check.body.unmatched[0]).toMatchObject({ voucherNo: posted[0]!.voucherNo, amount: -100, explanation: expect.stringContaining('named no invoice of this customer') });
      expect(check.body.unmatched[2]).toMatchObject({ amount: 25, explanation: expect.stringContaining('owes outside any invoice') });
      const events = await t.http.get(`/_sandbox/clients/${client.id}/events`);
      expect(JSON.stringify(events.body)).toContain('payment.unmatched');
    });

    it('with paymentMatching.overpayment "refuse", an overpayment is 400 with a vendor-would-post warning (the vendor leaves a credit), world unchanged', async () => {
      const { client, a, subledger } = await setup();
      expect((await t.http.put(`/_sandbox/clients/${client.id}/settings`).send({ paymentMatching: { overpayment: 'refuse' } })).status).toBe(200);
      const before = await worldText(t, client.id);
      const res = await a.post('/v2/Vouchers/BankJournals', payment(subledger, 1250.01));
      expect(res.status).toBe(400);
      expect(res.body.errors).toHaveProperty(['VoucherLines[0].CurrencyAmount']);
      expect(parseWarningHeader(res.headers['x-sandbox-warning'])).toEqual([{ code: 'vendor-would-post', message: expect.stringContaining('the vendor tries to match and posts') }]);
      expect(await worldText(t, client.id)).toBe(before);
      // The sandbox's own detail (the open amount it found) is in a header and the journal, never in the body.
      const over = await a.post('/v2/Vouchers/BankJournals', payment(subledger, 1300));
      expect(JSON.parse(over.headers['x-sandbox-detail']!)).toEqual({ currentState: expect.stringContaining('250') });
      expect(over.body).not.toHaveProperty('currentState');
      const entry = (await journal(client.id)).at(-1);
      expect(entry).toMatchObject({ status: 400, detail: { currentState: expect.any(String) }, warnings: [{ code: 'vendor-would-post', evidence: expect.stringContaining('tries to match') }] });
    });

    it('a blind resend warns post-retried-without-read-back; a GET in between does not', async () => {
      const { client, a, subledger } = await setup();
      const body = payment(subledger, 10, { ExternalImportReference: 'pay-retry' });
      const first = await a.post('/v2/Vouchers/BankJournals', body);
      expect(first.headers['x-sandbox-warning']).toBeUndefined();
      const resend = await a.post('/v2/Vouchers/BankJournals', body);
      expect(resend.status).toBe(400);
      expect(parseWarningHeader(resend.headers['x-sandbox-warning']).map((w) => w.code)).toEqual(['post-retried-without-read-back']);
      await a.get('/v2/OutgoingInvoices');
      const afterRead = await a.post('/v2/Vouchers/BankJournals', body);
      expect(afterRead.headers['x-sandbox-warning']).toBeUndefined();
      const entries = await journal(client.id);
      expect(entries.every((e) => !('fingerprint' in e))).toBe(true);
    });
  });

  describe('list filters', () => {
    it('a repeated key binds its first value, with a warning; unknown parameters are ignored with a warning', async () => {
      const { client, a, inv } = await setup();
      await newInvoice(t, client.id, { customerId: inv.customerId, invoiceDate: '2025-12-23', dueDate: '2026-01-06', amount: 10 });
      const repeated = await a.get('/v2/OutgoingInvoices?invoiceNos=10002&invoiceNos=10001');
      expect(repeated.body.map((i: any) => i.InvoiceNo)).toEqual([10002]);
      expect(parseWarningHeader(repeated.headers['x-sandbox-warning'])).toEqual([{ code: 'repeated-query-key', message: expect.stringContaining("binds the first value ('10002')") }]);
      const oneString = await a.get('/v2/OutgoingInvoices?invoiceNos=10001,%2010002');
      expect(oneString.body.map((i: any) => i.InvoiceNo)).toEqual([10001, 10002]);
      expect(oneString.headers['x-sandbox-warning']).toBeUndefined();

      const unknown = await a.get('/v2/OutgoingInvoices?invoiceNumbers=10002');
      expect(unknown.body).toHaveLength(2);
      expect(parseWarningHeader(unknown.headers['x-sandbox-warning'])).toEqual([{ code: 'unknown-query-parameter', message: expect.stringContaining('invoiceNumbers') }]);
      // A filter the vendor documents but the sandbox does not apply yet says so.
      const unsupported = await a.get('/v2/OutgoingInvoices?departmentCodes=100');
      expect(parseWarningHeader(unsupported.headers['x-sandbox-warning'])).toEqual([{ code: 'unsupported-query-parameter', message: expect.stringContaining('departmentCodes is a vendor parameter') }]);
      // The subscription key may travel in the query (APIM): not unknown.
      const keyInQuery = await a.get(`/v2/OutgoingInvoices?subscription-key=${client.integration.subscriptionKey}`);
      expect(keyInQuery.headers['x-sandbox-warning']).toBeUndefined();
      // The mechanism is the same on v1.
      const v1 = await a.get('/DebtCollection?top=5');
      expect(parseWarningHeader(v1.headers['x-sandbox-warning']).map((w) => w.code)).toEqual(['unknown-query-parameter']);
      const entries = await journal(client.id);
      expect(entries.find((e) => e.path.includes('invoiceNumbers')).warnings[0]).toMatchObject({ code: 'unknown-query-parameter', evidence: expect.stringContaining('ASP.NET') });
    });

    it('several warnings are separate X-Sandbox-Warning lines, on the v2 host, through express and through fetch (msw mode)', async () => {
      const { client, a } = await setup();
      const query = '/OutgoingInvoices?invoiceNos=10001&invoiceNos=10002&foo=1';
      const res = await a.v2.get(query);
      expect(res.status).toBe(200);
      const raw = (res as unknown as { res: { rawHeaders: string[] } }).res.rawHeaders;
      const lines = raw.filter((_, i) => i % 2 === 0 && raw[i]!.toLowerCase() === 'x-sandbox-warning').length;
      expect(lines).toBe(2);
      expect(parseWarningHeader(res.headers['x-sandbox-warning']).map((w) => w.code)).toEqual(['repeated-query-key', 'unknown-query-parameter']);
      const viaFetch = await dispatcherFetch(t.dispatcher)(`http://sandbox.test${BASE.v2}${query}`, {
        headers: { authorization: `Bearer ${a.tokens.v2}`, 'ocp-apim-subscription-key': client.integration.subscriptionKey },
      });
      expect(viaFetch.status).toBe(200);
      expect(parseWarningHeader(viaFetch.headers.get('x-sandbox-warning')).map((w) => w.code)).toEqual(['repeated-query-key', 'unknown-query-parameter']);
      const entry = (await journal(client.id)).at(-1);
      expect(entry).toMatchObject({ host: 'goapi.poweroffice.net', warnings: [{ code: 'repeated-query-key' }, { code: 'unknown-query-parameter' }] });
    });

    it('ranges only where the vendor documents them: OpenItems invoiceNos is a plain list', async () => {
      const { a } = await setup();
      const range = await a.get('/v2/Customerledger/OpenItems?date=2026-01-05&invoiceNos=10000-10005');
      expect(range.status).toBe(400);
      expect(range.body.errors).toHaveProperty('invoiceNos');
      const list = await a.get('/v2/Customerledger/OpenItems?date=2026-01-05&invoiceNos=1337,%2010001');
      expect(list.body.map((i: any) => i.InvoiceNo)).toEqual(['10001']);
      const customerRange = await a.get('/v2/Customerledger/OpenItems?date=2026-01-05&customerNos=10000-15999,%2012500');
      expect(customerRange.body).toHaveLength(1);
    });

    it('declares every filter as one string in the OpenAPI', async () => {
      const spec = (await t.http.get('/openapi.json')).body;
      const filters: Array<[string, string]> = [
        ['/v2/Customers', 'customerNos'],
        ['/v2/Customerledger/OpenItems', 'customerNos'],
        ['/v2/Customerledger/OpenItems', 'invoiceNos'],
        ['/v2/OutgoingInvoices', 'invoiceNos'],
        ['/v2/OutgoingInvoices', 'customerNos'],
        ['/v2/GeneralLedgerAccounts', 'accountNos'],
      ];
      for (const [path, name] of filters) {
        const param = spec.paths[path].get.parameters.find((p: any) => p.name === name);
        expect(param.schema.type, `${path} ${name}`).toBe('string');
        expect(param.explode ?? false, `${path} ${name}`).toBe(false);
      }
    });

    it("an unencoded '+' in a timestamp filter is 400 as ASP.NET answers it, with a warning; the setting repairs it", async () => {
      const { client, a } = await setup();
      const raw = await a.get('/v2/Customers?lastChangedDateTimeOffsetGreaterThan=2026-01-05T06:00:00+01:00');
      expect(raw.status).toBe(400);
      expect(raw.body.errors).toEqual({ lastChangedDateTimeOffsetGreaterThan: ["lastChangedDateTimeOffsetGreaterThan The value '2026-01-05T06:00:00 01:00' is not valid."] });
      expect(parseWarningHeader(raw.headers['x-sandbox-warning'])).toEqual([{ code: 'unencoded-plus-in-timestamp', message: expect.stringContaining('%2B') }]);
      await t.http.put(`/_sandbox/clients/${client.id}/settings`).send({ v2Wire: { repairPlusInTimestamps: true } });
      const repaired = await a.get('/v2/Customers?lastChangedDateTimeOffsetGreaterThan=2026-01-05T06:00:00+01:00');
      expect(repaired.status).toBe(200);
      expect(repaired.body).toHaveLength(1);
      expect(parseWarningHeader(repaired.headers['x-sandbox-warning'])).toEqual([{ code: 'unencoded-plus-in-timestamp', message: expect.stringContaining('repaired') }]);
    });
  });

  describe('timestamps and settings', () => {
    it("*DateTimeOffset fields are UTC with 7 fractional digits; the setting gives the client's offset", async () => {
      const { client, a } = await setup();
      const utc = (await a.get('/v2/Customers')).body[0].LastChangedDateTimeOffset;
      expect(utc).toBe('2026-01-05T07:00:00.0000000+00:00');
      await t.http.put(`/_sandbox/clients/${client.id}/settings`).send({ v2Wire: { timestamps: 'local' } });
      expect((await a.get('/v2/Customers')).body[0].LastChangedDateTimeOffset).toBe('2026-01-05T08:00:00+01:00');
    });

    it('a world exported before v2Wire existed imports with the vendor defaults', async () => {
      const { client } = await setup();
      const exported = (await t.http.get(`/_sandbox/clients/${client.id}/export`)).body;
      delete exported.world.settings.v2Wire;
      const { createHash } = await import('node:crypto');
      exported.checksum = createHash('sha256').update(JSON.stringify(exported.world)).digest('hex');
      const imported = await t.http.post('/_sandbox/clients/import').send({ export: exported });
      expect(imported.status, JSON.stringify(imported.body)).toBe(201);
      const settings = await t.http.get(`/_sandbox/clients/${imported.body.id}/settings`);
      expect(settings.body.v2Wire).toEqual({ manualJournalImportReferences: false, uniqueImportedVoucherNo: false, duplicateStatus: 400, pagination: 'nextPageLink', timestamps: 'vendor', repairPlusInTimestamps: false, nationalIdNumber: 'hidden' });
    });
  });
});
