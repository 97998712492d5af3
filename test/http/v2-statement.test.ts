/**
 * v2 GET /Customerledger/Statement: every customer-ledger line posted between two dates, with what was open of each
 * line on toDate (or today), and the OpenItems filters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advance, agency, newClient, newCustomer, newInvoice, testSandbox, type TestSandbox } from '../harness.js';

const BANK = 5_001_920;

describe('v2 customer-ledger statement', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await testSandbox();
  });
  afterAll(() => t.close());

  /** Three invoices; on 2026-01-07 a direct payment, a credit note, a write-off and an unmatched agency payment. */
  async function setup() {
    const client = await newClient(t);
    const customer = await newCustomer(t, client.id);
    const other = await newCustomer(t, client.id, { name: 'Fjord Bygg AS' });
    const paid = await newInvoice(t, client.id, { customerId: customer.id, invoiceDate: '2025-12-22', dueDate: '2026-01-20', amount: 1000 });
    const credited = await newInvoice(t, client.id, { customerId: customer.id, invoiceDate: '2025-12-23', dueDate: '2026-01-20', amount: 500 });
    const lost = await newInvoice(t, client.id, { customerId: other.id, invoiceDate: '2025-12-24', dueDate: '2026-01-20', amount: 300 });
    await advance(t, client.id, { days: 2 });
    const c = `/_sandbox/clients/${client.id}`;
    expect((await t.http.post(`${c}/payments`).send({ invoiceId: paid.id, amount: 400 })).status).toBe(201);
    expect((await t.http.post(`${c}/credit-notes`).send({ invoiceId: credited.id, amount: 500 })).status).toBe(201);
    expect((await t.http.post(`${c}/write-offs`).send({ invoiceIds: [lost.id] })).status).toBe(201);
    const a = await agency(t, client.integration);
    const subledger = (await a.v2.get(`/Customers/${customer.id}`)).body.SubledgerAccountId as number;
    const prepaid = await a.v2.post('/Vouchers/BankJournals', {
      VoucherDate: '2026-01-07',
      CurrencyCode: 'NOK',
      VoucherLines: [
        { PostingDate: '2026-01-07', AccountId: subledger, CurrencyAmount: -250, VatId: null },
        { PostingDate: '2026-01-07', AccountId: BANK, CurrencyAmount: 250, VatId: null },
      ],
    });
    expect(prepaid.status).toBe(201);
    return { client, customer, other, paid, credited, lost, a };
  }

  type Entry = { VoucherType: string; InvoiceNo: string | null; Amount: number; Balance: number; CustomerId: number; IsWriteOff: boolean; MatchId: number | null };
  const rows = (body: Entry[]) => body.map((e) => [e.VoucherType, e.InvoiceNo, e.Amount, e.Balance]);

  it('lists every line in the period with its balance today', async () => {
    const { a, paid, credited, lost } = await setup();
    const res = await a.v2.get('/Customerledger/Statement?fromDate=2025-12-01&toDate=2026-01-31');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(rows(res.body)).toEqual([
      ['OutgoingInvoice', String(paid.invoiceNo), 1000, 600],
      ['OutgoingInvoice', String(credited.invoiceNo), 500, 0],
      ['OutgoingInvoice', String(lost.invoiceNo), 300, 0],
      ['BankJournal', String(paid.invoiceNo), -400, 0],
      ['OutgoingCreditNote', expect.any(String), -500, 0],
      ['ManualJournal', String(lost.invoiceNo), -300, 0],
      ['BankJournal', null, -250, -250],
    ]);
    const writeOff = res.body.find((e: Entry) => e.VoucherType === 'ManualJournal');
    expect(writeOff.IsWriteOff).toBe(true);
    // A payment sits in its invoice's ledger match.
    const payment = res.body.find((e: Entry) => e.VoucherType === 'BankJournal' && e.InvoiceNo);
    expect(payment.MatchId).toBe(res.body[0].MatchId);
    expect(payment.MatchId).not.toBeNull();
  });

  it('shows the balances as they were on toDate when it is before today', async () => {
    const { a, paid } = await setup();
    const res = await a.v2.get('/Customerledger/Statement?fromDate=2025-12-01&toDate=2026-01-06');
    expect(rows(res.body)).toEqual([
      ['OutgoingInvoice', String(paid.invoiceNo), 1000, 1000],
      ['OutgoingInvoice', expect.any(String), 500, 500],
      ['OutgoingInvoice', expect.any(String), 300, 300],
    ]);
    // Only the period's lines: the payments of 2026-01-07 alone.
    const day = await a.v2.get('/Customerledger/Statement?fromDate=2026-01-07&toDate=2026-01-07&voucherTypes=BankJournal');
    expect(rows(day.body)).toEqual([
      ['BankJournal', String(paid.invoiceNo), -400, 0],
      ['BankJournal', null, -250, -250],
    ]);
  });

  it('filters by customer, invoice, voucher type, matched state and creator', async () => {
    const { a, other, paid, lost } = await setup();
    const q = (s: string) => a.v2.get(`/Customerledger/Statement?fromDate=2025-12-01&toDate=2026-01-31&${s}`);
    expect(rows((await q(`customerNos=${other.number}`)).body)).toEqual([
      ['OutgoingInvoice', String(lost.invoiceNo), 300, 0],
      ['ManualJournal', String(lost.invoiceNo), -300, 0],
    ]);
    expect(rows((await q(`invoiceNos=${paid.invoiceNo}`)).body)).toEqual([
      ['OutgoingInvoice', String(paid.invoiceNo), 1000, 600],
      ['BankJournal', String(paid.invoiceNo), -400, 0],
    ]);
    expect(rows((await q('voucherTypes=outgoinginvoice&onlyBalancesLessThanAmount=true')).body)).toEqual([
      ['OutgoingInvoice', String(paid.invoiceNo), 1000, 600],
      ['OutgoingInvoice', expect.any(String), 500, 0],
      ['OutgoingInvoice', String(lost.invoiceNo), 300, 0],
    ]);
    expect(rows((await q('onlyCreatedByCurrentIntegration=true')).body)).toEqual([['BankJournal', null, -250, -250]]);
    expect((await q('contactGroupIds=1')).status).toBe(204);
    expect((await q('customMatchingReferences=abc')).status).toBe(204);
    const bad = await q('voucherTypes=Nonsense');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.errors)).toMatch(/voucherTypes/);
    const missing = await a.v2.get('/Customerledger/Statement?fromDate=2025-12-01');
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body.errors)).toMatch(/toDate/);
  });

  it('closes a reversed payment and its reversal, and reopens the invoice', async () => {
    const { a, customer, paid } = await setup();
    const subledger = (await a.v2.get(`/Customers/${customer.id}`)).body.SubledgerAccountId as number;
    const posted = await a.v2.post('/Vouchers/BankJournals', {
      VoucherDate: '2026-01-07',
      CurrencyCode: 'NOK',
      VoucherLines: [
        { PostingDate: '2026-01-07', AccountId: subledger, CurrencyAmount: -600, InvoiceNo: String(paid.invoiceNo), VatId: null },
        { PostingDate: '2026-01-07', AccountId: BANK, CurrencyAmount: 600, VatId: null },
      ],
    });
    expect(posted.status).toBe(201);
    expect((await a.v2.post(`/Vouchers/Reverse/${posted.body.Id}`)).status).toBe(202);
    const res = await a.v2.get(`/Customerledger/Statement?fromDate=2025-12-01&toDate=2026-01-31&invoiceNos=${paid.invoiceNo}`);
    expect(rows(res.body)).toEqual([
      ['OutgoingInvoice', String(paid.invoiceNo), 1000, 600],
      ['BankJournal', String(paid.invoiceNo), -400, 0],
      ['BankJournal', String(paid.invoiceNo), -600, 0],
      ['ReversalVoucher', String(paid.invoiceNo), 600, 0],
    ]);
  });
});
