/**
 * Payments the vendor "tries to match", through the real server: an overpayment settles the invoice and leaves a
 * credit; CustomMatchingReference matches after InvoiceNo and Cid; the order and amounts follow settings.paymentMatching;
 * explain says what an unmatched item is and why. Strict invariant checks run after every write.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advance, agency, newClient, newCustomer, newInvoice, testSandbox, worldText, type TestSandbox } from '../harness.js';

const BANK = 5_001_920;

describe('payment matching', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await testSandbox();
  });
  afterAll(() => t.close());

  /** A client with invoice 10001 of 1250 (due 2026-01-05) to Ola; extra invoice fields (e.g. a matching reference) go to it. */
  async function setup(invoice: Record<string, unknown> = {}) {
    const client = await newClient(t);
    const customer = await newCustomer(t, client.id);
    const inv = await newInvoice(t, client.id, { customerId: customer.id, invoiceDate: '2025-12-22', dueDate: '2026-01-05', amount: 1250, ...invoice });
    const a = await agency(t, client.integration);
    const subledger = (await a.get('/v2/Customers')).body[0].SubledgerAccountId as number;
    const settings = (body: Record<string, unknown>) => t.http.put(`/_sandbox/clients/${client.id}/settings`).send({ paymentMatching: body });
    return { client, customer, inv, a, subledger, settings };
  }

  /** A bank journal: the customer line pays `amount` (credit) with the given references, the bank line debits it. */
  const pay = (subledger: number, amount: number, refs: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    VoucherDate: '2026-01-05',
    CurrencyCode: 'NOK',
    VoucherLines: [
      { PostingDate: '2026-01-05', AccountId: subledger, CurrencyAmount: -amount, VatId: null, Description: 'Debitor', ...refs },
      { PostingDate: '2026-01-05', AccountId: BANK, CurrencyAmount: amount, VatId: null, Description: 'Bank' },
    ],
    ...extra,
  });
  const check = async (clientId: string) => (await t.http.get(`/_sandbox/clients/${clientId}/ledger/check`)).body;
  const openItems = async (a: Awaited<ReturnType<typeof agency>>, query = '') => {
    const res = await a.get(`/v2/Customerledger/OpenItems?date=2026-01-05${query}`);
    return res.status === 204 ? [] : (res.body as any[]);
  };

  describe('overpayment', () => {
    it('settles the invoice and leaves the excess as a credit open item, in OpenItems, CustomerBalances and the ledger check', async () => {
      const { client, customer, inv, a, subledger } = await setup();
      const res = await a.post('/v2/Vouchers/BankJournals', pay(subledger, 1500, { InvoiceNo: '10001' }, { ExternalImportReference: 'over-1' }));
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.headers['x-sandbox-warning']).toBeUndefined();
      // The read-back keeps the one customer line as posted.
      expect(res.body.VoucherLines).toEqual([
        expect.objectContaining({ AccountId: subledger, CurrencyAmount: -1500, InvoiceNo: '10001', Cid: inv.cid, CustomMatchingReference: null }),
        expect.objectContaining({ AccountId: BANK, CurrencyAmount: 1500 }),
      ]);
      const readBack = await a.get(`/v2/Vouchers/BankJournals/${res.body.Id}`);
      expect(readBack.body.VoucherLines).toHaveLength(2);

      // The invoice is settled: balance 0, out of unpaid lists, matched for its open amount only.
      const invoice = (await a.get(`/v2/OutgoingInvoices/${inv.id}`)).body;
      expect(invoice).toMatchObject({ Balance: 0, MatchId: expect.any(Number) });
      expect((await a.get('/v2/OutgoingInvoices?onlyUnpaidInvoices=true')).status).toBe(204);
      const control = (await t.http.get(`/_sandbox/clients/${client.id}/invoices/${inv.id}`)).body;
      expect(control.openAmount).toBe(0);
      expect(control.matches.map((m: any) => [m.kind, m.amount])).toEqual([['payment', 1250]]);

      // The excess is the payment line's open balance: a credit the customer has.
      const items = await openItems(a);
      expect(items).toEqual([
        expect.objectContaining({ VoucherType: 'BankJournal', VoucherNo: res.body.VoucherNo, Amount: -1500, Balance: -250, InvoiceNo: '10001', MatchId: invoice.MatchId, CustomerId: customer.id, ExternalImportReference: 'over-1' }),
      ]);
      const balances = await a.get('/v2/Customerledger/CustomerBalances?date=2026-01-05');
      expect(balances.body).toEqual([expect.objectContaining({ CustomerId: customer.id, Balance: -250 })]);

      const ledger = await check(client.id);
      expect(ledger).toMatchObject({ ok: true, breaches: [], receivables: -250, customerLedgerTotal: -250 });
      expect(ledger.unmatched).toEqual([{ itemId: items[0].Id, voucherNo: res.body.VoucherNo, customerId: customer.id, amount: -250, reason: 'overpaid', explanation: expect.stringContaining('excess 250.00 NOK') }]);
      const events = (await t.http.get(`/_sandbox/clients/${client.id}/events?type=payment.unmatched`)).body.events;
      expect(events).toEqual([expect.objectContaining({ cause: expect.stringContaining("more than invoice 10001's open amount") })]);
    });

    it('reversing the overpaying settlement takes the payment off the invoice and the credit off the ledger', async () => {
      const { client, inv, a, subledger } = await setup();
      const paid = await a.post('/v2/Vouchers/BankJournals', pay(subledger, 1500, { InvoiceNo: '10001' }));
      expect(paid.status).toBe(201);
      const reversed = await a.post(`/v2/Vouchers/Reverse/${paid.body.Id}`);
      expect(reversed.status, JSON.stringify(reversed.body)).toBe(202);
      expect((await a.get(`/v2/OutgoingInvoices/${inv.id}`)).body.Balance).toBe(1250);
      expect((await openItems(a)).map((i) => [i.VoucherType, i.Balance])).toEqual([['OutgoingInvoice', 1250]]);
      expect(await check(client.id)).toMatchObject({ ok: true, breaches: [], receivables: 1250, customerLedgerTotal: 1250, unmatched: [] });
    });

    it('a payment naming an invoice already settled is a credit whole; two lines on one invoice share its open amount', async () => {
      const { client, a, subledger } = await setup();
      const twoLines = {
        VoucherDate: '2026-01-05',
        CurrencyCode: 'NOK',
        VoucherLines: [
          { PostingDate: '2026-01-05', AccountId: subledger, CurrencyAmount: -1000, VatId: null, InvoiceNo: '10001' },
          { PostingDate: '2026-01-05', AccountId: subledger, CurrencyAmount: -400, VatId: null, InvoiceNo: '10001' },
          { PostingDate: '2026-01-05', AccountId: BANK, CurrencyAmount: 1400, VatId: null },
        ],
      };
      const first = await a.post('/v2/Vouchers/BankJournals', twoLines);
      expect(first.status, JSON.stringify(first.body)).toBe(201);
      // 1000 + 250 settle the invoice; 150 of the second line is left over.
      expect((await openItems(a)).map((i) => [i.VoucherNo, i.Amount, i.Balance])).toEqual([[first.body.VoucherNo, -400, -150]]);
      const again = await a.post('/v2/Vouchers/BankJournals', pay(subledger, 100, { InvoiceNo: '10001' }));
      expect(again.status).toBe(201);
      expect((await openItems(a)).map((i) => [i.VoucherNo, i.Balance])).toEqual([[first.body.VoucherNo, -150], [again.body.VoucherNo, -100]]);
      expect(await check(client.id)).toMatchObject({ ok: true, receivables: -250 });
    });

    it('by Cid at any amount by default; with cidAmounts "exact" a Cid at another amount stays unmatched (amountDiffers)', async () => {
      const { client, inv, a, subledger, settings } = await setup();
      expect((await settings({ cidAmounts: 'exact' })).body.paymentMatching).toEqual({ cidAmounts: 'exact', matchingReferenceAmounts: 'exact', fallBack: true, overpayment: 'credit', reversalDate: 'original' });
      const partial = await a.post('/v2/Vouchers/BankJournals', pay(subledger, 400, { Cid: inv.cid }));
      expect(partial.status).toBe(201);
      expect((await a.get(`/v2/OutgoingInvoices/${inv.id}`)).body.Balance).toBe(1250);
      expect((await check(client.id)).unmatched).toEqual([expect.objectContaining({ amount: -400, reason: 'amountDiffers' })]);
      await settings({ cidAmounts: 'any' });
      const over = await a.post('/v2/Vouchers/BankJournals', pay(subledger, 1300, { Cid: inv.cid }));
      expect(over.status).toBe(201);
      expect((await a.get(`/v2/OutgoingInvoices/${inv.id}`)).body.Balance).toBe(0);
      expect((await check(client.id)).unmatched.map((u: any) => [u.reason, u.amount])).toEqual([['amountDiffers', -400], ['overpaid', -50]]);
    });
  });

  describe('CustomMatchingReference', () => {
    it('an invoice made with a reference shows it and is found by the filters; a line with that reference and the opposite amount settles it', async () => {
      const { client, inv, a, subledger } = await setup({ customMatchingReference: 'ORDER-7' });
      expect(inv.customMatchingReference).toBe('ORDER-7');
      expect((await a.get(`/v2/OutgoingInvoices/${inv.id}`)).body.CustomMatchingReference).toBe('ORDER-7');
      expect((await a.get('/v2/OutgoingInvoices?customMatchingReferences=ORDER-7')).body.map((i: any) => i.InvoiceNo)).toEqual([10001]);
      expect((await a.get('/v2/OutgoingInvoices?customMatchingReferences=ORDER-8')).status).toBe(204);
      expect((await openItems(a, '&customMatchingReferences=ORDER-7')).map((i) => [i.InvoiceNo, i.CustomMatchingReference])).toEqual([['10001', 'ORDER-7']]);
      // The statement filters by the same reference as OpenItems.
      const statement = await a.get('/v2/Customerledger/Statement?fromDate=2000-01-01&toDate=2100-12-31&customMatchingReferences=ORDER-7');
      expect(statement.status, JSON.stringify(statement.body)).toBe(200);
      expect(statement.body.map((i: any) => [i.InvoiceNo, i.CustomMatchingReference])).toEqual([['10001', 'ORDER-7']]);
      expect((await a.get('/v2/Customerledger/Statement?fromDate=2000-01-01&toDate=2100-12-31&customMatchingReferences=ORDER-8')).status).toBe(204);

      const res = await a.post('/v2/Vouchers/BankJournals', pay(subledger, 1250, { CustomMatchingReference: 'ORDER-7' }));
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.VoucherLines[0]).toMatchObject({ InvoiceNo: '10001', Cid: inv.cid, CustomMatchingReference: 'ORDER-7' });
      expect((await a.get(`/v2/Vouchers/BankJournals/${res.body.Id}`)).body.VoucherLines[0]).toMatchObject({ CustomMatchingReference: 'ORDER-7' });
      expect((await a.get(`/v2/OutgoingInvoices/${inv.id}`)).body.Balance).toBe(0);
      expect(await openItems(a)).toEqual([]);
      expect(await check(client.id)).toMatchObject({ ok: true, receivables: 0, unmatched: [] });
    });

    it('matches only the opposite of the open amount by default (the rest stays unmatched); "any" matches a part', async () => {
      const { client, inv, a, subledger, settings } = await setup({ customMatchingReference: 'ORDER-7' });
      const part = await a.post('/v2/Vouchers/BankJournals', pay(subledger, 1000, { CustomMatchingReference: 'ORDER-7' }));
      expect(part.status).toBe(201);
      expect((await a.get(`/v2/OutgoingInvoices/${inv.id}`)).body.Balance).toBe(1250);
      const unmatched = (await check(client.id)).unmatched;
      expect(unmatched).toEqual([expect.objectContaining({ amount: -1000, reason: 'amountDiffers', explanation: expect.stringContaining('matching reference ORDER-7') })]);
      // The unmatched line keeps its reference: OpenItems shows it, and the filter finds it next to the invoice.
      expect((await openItems(a, '&customMatchingReferences=ORDER-7')).map((i) => [i.VoucherType, i.Balance, i.CustomMatchingReference])).toEqual([
        ['OutgoingInvoice', 1250, 'ORDER-7'],
        ['BankJournal', -1000, 'ORDER-7'],
      ]);
      await settings({ matchingReferenceAmounts: 'any' });
      const second = await a.post('/v2/Vouchers/BankJournals', pay(subledger, 1000, { CustomMatchingReference: 'ORDER-7' }));
      expect(second.status).toBe(201);
      expect((await a.get(`/v2/OutgoingInvoices/${inv.id}`)).body.Balance).toBe(250);
      expect(await check(client.id)).toMatchObject({ ok: true, receivables: 250 - 1000 });
    });

    it('order: InvoiceNo, then Cid, then CustomMatchingReference; fallBack false: only the first reference given counts', async () => {
      const { client, customer, inv, a, subledger, settings } = await setup({ customMatchingReference: 'ORDER-7' });
      const other = await newInvoice(t, client.id, { customerId: customer.id, invoiceDate: '2025-12-23', dueDate: '2026-01-06', amount: 300 });
      // InvoiceNo wins over a CustomMatchingReference naming another invoice.
      const byNo = await a.post('/v2/Vouchers/BankJournals', pay(subledger, 300, { InvoiceNo: String(other.invoiceNo), CustomMatchingReference: 'ORDER-7' }));
      expect(byNo.status).toBe(201);
      expect((await a.get(`/v2/OutgoingInvoices/${other.id}`)).body.Balance).toBe(0);
      expect((await a.get(`/v2/OutgoingInvoices/${inv.id}`)).body.Balance).toBe(1250);
      // An unknown InvoiceNo and Cid fall back to the reference.
      const fallBack = await a.post('/v2/Vouchers/BankJournals', pay(subledger, 1250, { InvoiceNo: '99999', Cid: '000000000', CustomMatchingReference: 'ORDER-7' }));
      expect(fallBack.status).toBe(201);
      expect((await a.get(`/v2/OutgoingInvoices/${inv.id}`)).body.Balance).toBe(0);
      expect((await check(client.id)).unmatched).toEqual([]);

      const { client: c2, inv: inv2, a: a2, subledger: s2, settings: settings2 } = await setup({ customMatchingReference: 'ORDER-7' });
      await settings2({ fallBack: false });
      const stops = await a2.post('/v2/Vouchers/BankJournals', pay(s2, 1250, { InvoiceNo: '99999', CustomMatchingReference: 'ORDER-7' }));
      expect(stops.status).toBe(201);
      expect((await a2.get(`/v2/OutgoingInvoices/${inv2.id}`)).body.Balance).toBe(1250);
      expect((await check(c2.id)).unmatched).toEqual([expect.objectContaining({ amount: -1250, reason: 'unknownReference', explanation: expect.stringContaining('invoice number 99999') })]);
      void settings;
    });

    it("another customer's invoice is not matched: the payment stays on the customer it was posted to (otherCustomer)", async () => {
      const { client, a, subledger } = await setup();
      const kari = await newCustomer(t, client.id, { name: 'Kari Nordmann AS' });
      const hers = await newInvoice(t, client.id, { customerId: kari.id, amount: 500, customMatchingReference: 'K-1' });
      const res = await a.post('/v2/Vouchers/BankJournals', pay(subledger, 500, { InvoiceNo: String(hers.invoiceNo), CustomMatchingReference: 'K-1' }));
      expect(res.status).toBe(201);
      expect((await a.get(`/v2/OutgoingInvoices/${hers.id}`)).body.Balance).toBe(500);
      expect((await check(client.id)).unmatched).toEqual([expect.objectContaining({ amount: -500, reason: 'otherCustomer' })]);
    });
  });

  describe('a later entry with the CustomMatchingReference of an earlier open one', () => {
    const statement = async (a: Awaited<ReturnType<typeof agency>>) =>
      (await a.get('/v2/Customerledger/Statement?fromDate=2000-01-01&toDate=2100-12-31')).body as any[];

    it('an invoice posted after a prepayment with its reference and the opposite amount is matched with it at once; reversing the payment undoes it', async () => {
      const { client, customer, inv, a, subledger } = await setup();
      const prepaid = await a.post('/v2/Vouchers/BankJournals', pay(subledger, 800, { CustomMatchingReference: 'ORDER-9' }));
      expect(prepaid.status, JSON.stringify(prepaid.body)).toBe(201);
      const item = (await openItems(a)).find((i) => i.VoucherType === 'BankJournal');
      expect(item).toMatchObject({ Balance: -800, InvoiceNo: null, CustomMatchingReference: 'ORDER-9' });
      expect((await check(client.id)).unmatched).toEqual([expect.objectContaining({ amount: -800, reason: 'unknownReference' })]);
      const before = await t.http.get(`/_sandbox/clients/${client.id}/ledger/items/${item.Id}/explain`);
      expect(before.body.next).toContain('matching reference ORDER-9 at the opposite amount');

      // The order is invoiced later with the same reference: Go matches the two entries immediately.
      const later = await newInvoice(t, client.id, { customerId: customer.id, amount: 800, customMatchingReference: 'ORDER-9' });
      expect(later).toMatchObject({ openAmount: 0, status: 'None', customMatchingReference: 'ORDER-9' });
      expect(later.matches).toEqual([expect.objectContaining({ kind: 'payment', amount: 800, voucherNo: prepaid.body.VoucherNo, voucherType: 'BankJournal', reversed: false })]);
      const dto = (await a.get(`/v2/OutgoingInvoices/${later.id}`)).body;
      expect(dto).toMatchObject({ Balance: 0, MatchId: expect.any(Number), CustomMatchingReference: 'ORDER-9' });
      expect((await a.get('/v2/OutgoingInvoices?onlyUnpaidInvoices=true')).body.map((i: any) => i.Id)).toEqual([inv.id]);

      // Both entries are matched out: OpenItems and CustomerBalances hold only the first invoice; the ledger balances.
      expect((await openItems(a)).map((i) => [i.VoucherType, i.InvoiceNo, i.Balance])).toEqual([['OutgoingInvoice', '10001', 1250]]);
      expect((await a.get('/v2/Customerledger/CustomerBalances?date=2026-01-05')).body).toEqual([expect.objectContaining({ CustomerId: customer.id, Balance: 1250 })]);
      expect(await check(client.id)).toMatchObject({ ok: true, breaches: [], receivables: 1250, customerLedgerTotal: 1250, unmatched: [] });

      // The statement shows the payment line as posted, closed, in the invoice's match; the line itself is unchanged.
      const lines = await statement(a);
      const paymentLine = lines.find((l) => l.VoucherNo === prepaid.body.VoucherNo);
      expect(paymentLine).toMatchObject({ Amount: -800, Balance: 0, MatchId: dto.MatchId, InvoiceNo: String(later.invoiceNo), CustomMatchingReference: 'ORDER-9' });
      expect(lines.find((l) => l.VoucherNo === dto.VoucherNo)).toMatchObject({ Amount: 800, Balance: 0, MatchId: dto.MatchId });
      expect((await a.get(`/v2/Vouchers/BankJournals/${prepaid.body.Id}`)).body.VoucherLines[0]).toMatchObject({ CurrencyAmount: -800, InvoiceNo: null, CustomMatchingReference: 'ORDER-9' });

      // explain: the payment line and the invoice say what matched them.
      const explained = (await t.http.get(`/_sandbox/clients/${client.id}/ledger/items/${item.Id}/explain`)).body;
      expect(explained).toMatchObject({ open: 0, reason: 'unknownReference', invoiceNo: later.invoiceNo, what: expect.stringContaining('matched out by a later invoice'), why: expect.stringContaining(`invoice ${later.invoiceNo} (matching reference ORDER-9) was matched with 800.00 NOK`) });
      const history = (await t.http.get(`/_sandbox/clients/${client.id}/invoices/${later.id}/explain`)).body.history;
      expect(history.map((e: any) => e.type)).toContain('payment.matched');
      expect(history.find((e: any) => e.type === 'payment.matched').cause).toContain('matched against invoice');

      // Reversing the payment's voucher takes it off the later invoice: owed again, the credit gone.
      const reversed = await a.post(`/v2/Vouchers/Reverse/${prepaid.body.Id}`);
      expect(reversed.status, JSON.stringify(reversed.body)).toBe(202);
      expect((await a.get(`/v2/OutgoingInvoices/${later.id}`)).body.Balance).toBe(800);
      expect((await openItems(a)).map((i) => [i.InvoiceNo, i.Balance])).toEqual([['10001', 1250], [String(later.invoiceNo), 800]]);
      expect(await check(client.id)).toMatchObject({ ok: true, breaches: [], receivables: 2050, unmatched: [] });
      const undone = (await t.http.get(`/_sandbox/clients/${client.id}/invoices/${later.id}`)).body;
      expect(undone.matches.map((m: any) => [m.kind, m.amount, m.reversed])).toEqual([['payment', 800, true], ['paymentReversal', -800, false]]);
    });

    it('only at the opposite amount by default: another amount leaves both open; with "any" a later invoice takes what it needs', async () => {
      const { client, customer, a, subledger, settings } = await setup();
      expect((await a.post('/v2/Vouchers/BankJournals', pay(subledger, 500, { CustomMatchingReference: 'ORDER-9' }))).status).toBe(201);
      const other = await newInvoice(t, client.id, { customerId: customer.id, amount: 800, customMatchingReference: 'ORDER-9' });
      expect(other.openAmount).toBe(800);
      // Another customer's invoice with the reference never matches this customer's payment.
      const kari = await newCustomer(t, client.id, { name: 'Kari Nordmann AS' });
      expect((await newInvoice(t, client.id, { customerId: kari.id, amount: 500, customMatchingReference: 'ORDER-9' })).openAmount).toBe(500);
      expect((await check(client.id)).unmatched).toEqual([expect.objectContaining({ amount: -500 })]);

      await settings({ matchingReferenceAmounts: 'any' });
      const part = await newInvoice(t, client.id, { customerId: customer.id, amount: 300, customMatchingReference: 'ORDER-9' });
      expect(part.openAmount).toBe(0);
      const [credit] = (await check(client.id)).unmatched;
      expect(credit).toMatchObject({ amount: -200, reason: 'unknownReference' });
      expect((await openItems(a, '&customMatchingReferences=ORDER-9')).map((i) => [i.VoucherType, i.Balance])).toEqual([
        ['BankJournal', -200],
        ['OutgoingInvoice', 800],
        ['OutgoingInvoice', 500],
      ]);
      const explained = (await t.http.get(`/_sandbox/clients/${client.id}/ledger/items/${credit.itemId}/explain`)).body;
      expect(explained).toMatchObject({ open: -200, why: expect.stringContaining(`invoice ${part.invoiceNo} (matching reference ORDER-9) was matched with 300.00 NOK`) });
      const big = await newInvoice(t, client.id, { customerId: customer.id, amount: 1000, customMatchingReference: 'ORDER-9' });
      expect(big.openAmount).toBe(800);
      expect(await check(client.id)).toMatchObject({ ok: true, breaches: [], unmatched: [], receivables: 1250 + 800 + 800 + 500 });
    });

    it('an invoice given the reference later (PATCH) is matched with the earlier open payment at once, and leaves the collection flow', async () => {
      const { client, customer, subledger } = await setup();
      const drafted = await newInvoice(t, client.id, { customerId: customer.id, amount: 700, invoiceDate: '2025-11-01', dueDate: '2025-11-15', imported: true });
      await advance(t, client.id, { days: 1 });
      const before = (await t.http.get(`/_sandbox/clients/${client.id}/invoices/${drafted.id}`)).body;
      expect(before.status).toBe('Draft');
      const a = await agency(t, client.integration);
      const paid = await a.post('/v2/Vouchers/BankJournals', pay(subledger, 700, { CustomMatchingReference: 'PO-55' }));
      expect(paid.status).toBe(201);
      expect((await t.http.get(`/_sandbox/clients/${client.id}/invoices/${drafted.id}`)).body.openAmount).toBe(700);

      const res = await t.http.patch(`/_sandbox/clients/${client.id}/invoices/${drafted.id}`).send({ customMatchingReference: 'PO-55' });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ openAmount: 0, status: 'None', customMatchingReference: 'PO-55' });
      expect(res.body.matches).toEqual([expect.objectContaining({ kind: 'payment', amount: 700, voucherNo: paid.body.VoucherNo, date: '2026-01-06' })]);
      expect((await t.http.get(`/_sandbox/clients/${client.id}/collection`)).body.draft).toEqual([]);
      expect(await check(client.id)).toMatchObject({ ok: true, breaches: [], unmatched: [], receivables: 1250 });
      // As of the day before it was given the reference, both entries were open.
      const dayBefore = (await a.get('/v2/Customerledger/OpenItems?date=2026-01-05')).body as any[];
      expect(dayBefore.map((i) => [i.VoucherType, i.Balance])).toEqual([['OutgoingInvoice', 1250], ['OutgoingInvoice', 700], ['BankJournal', -700]]);

      // Set once: the same reference again changes nothing; another is 409; an unknown invoice is 404.
      expect((await t.http.patch(`/_sandbox/clients/${client.id}/invoices/${drafted.id}`).send({ customMatchingReference: 'PO-55' })).status).toBe(200);
      const again = await t.http.patch(`/_sandbox/clients/${client.id}/invoices/${drafted.id}`).send({ customMatchingReference: 'PO-56' });
      expect(again.status).toBe(409);
      expect(again.body.detail).toContain('set once');
      expect((await t.http.patch(`/_sandbox/clients/${client.id}/invoices/00000000-0000-4000-8000-000000000000`).send({ customMatchingReference: 'PO-55' })).status).toBe(404);
    });
    it('PATCH refuses a bad body with a 400 naming the field, and changes nothing', async () => {
      const { client, customer } = await setup();
      const inv = await newInvoice(t, client.id, { customerId: customer.id, amount: 700 });
      const url = `/_sandbox/clients/${client.id}/invoices/${inv.id}`;
      const before = await worldText(t, client.id);
      for (const [body, field] of [
        [{ customMatchingReference: '   ' }, 'customMatchingReference'],
        [{ customMatchingReference: 55 }, 'customMatchingReference'],
        [{ customMatchingReference: 'PO-1', amount: 5 }, 'amount'],
      ] as const) {
        const res = await t.http.patch(url).send(body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(JSON.stringify(res.body), JSON.stringify(body)).toContain(field);
      }
      expect(await worldText(t, client.id)).toBe(before);
    });
  });

  describe("the control API's direct payments", () => {
    const payments = (clientId: string, body: Record<string, unknown>) => t.http.post(`/_sandbox/clients/${clientId}/payments`).send(body);

    it('an overpayment settles the invoice and leaves the excess a credit open item, as a bank journal does', async () => {
      const { client, customer, inv, a } = await setup();
      const res = await payments(client.id, { invoiceId: inv.id, amount: 1500 });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body).toMatchObject({ type: 'BankJournal' });
      const control = (await t.http.get(`/_sandbox/clients/${client.id}/invoices/${inv.id}`)).body;
      expect(control).toMatchObject({ openAmount: 0 });
      expect(control.matches.map((m: any) => [m.kind, m.amount])).toEqual([['payment', 1250]]);
      const items = await openItems(a);
      expect(items).toEqual([expect.objectContaining({ VoucherType: 'BankJournal', VoucherNo: res.body.voucherNo, Amount: -1500, Balance: -250, InvoiceNo: '10001', CustomerId: customer.id })]);
      expect((await a.get('/v2/Customerledger/CustomerBalances?date=2026-01-05')).body).toEqual([expect.objectContaining({ CustomerId: customer.id, Balance: -250 })]);
      const ledger = await check(client.id);
      expect(ledger).toMatchObject({ ok: true, breaches: [], receivables: -250, customerLedgerTotal: -250 });
      expect(ledger.unmatched).toEqual([expect.objectContaining({ itemId: items[0].Id, amount: -250, reason: 'overpaid', explanation: expect.stringContaining('excess 250.00 NOK') })]);
      const events = (await t.http.get(`/_sandbox/clients/${client.id}/events?type=payment.unmatched`)).body.events;
      expect(events).toEqual([expect.objectContaining({ cause: expect.stringContaining("250.00 NOK more than invoice 10001's open amount") })]);
      // A second payment on the settled invoice is a credit whole; an OCR payment posts an IncomingOcrGiro with its credit.
      expect((await payments(client.id, { invoiceId: inv.id, amount: 100, kind: 'ocr' })).status).toBe(201);
      expect((await openItems(a)).map((i) => [i.VoucherType, i.Balance])).toEqual([['BankJournal', -250], ['IncomingOcrGiro', -100]]);
      expect(await check(client.id)).toMatchObject({ ok: true, receivables: -350 });
    });

    it('a line shared by invoices settles them oldest due first and leaves the rest on the last; a written-off invoice takes a credit', async () => {
      const { client, customer, inv, a } = await setup();
      const other = await newInvoice(t, client.id, { customerId: customer.id, invoiceDate: '2025-12-23', dueDate: '2026-01-06', amount: 300 });
      const res = await payments(client.id, { lines: [{ invoiceIds: [other.id, inv.id], amount: 2000 }] });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect((await t.http.get(`/_sandbox/clients/${client.id}/invoices/${inv.id}`)).body.openAmount).toBe(0);
      expect((await t.http.get(`/_sandbox/clients/${client.id}/invoices/${other.id}`)).body.openAmount).toBe(0);
      expect((await openItems(a)).map((i) => [i.InvoiceNo, i.Amount, i.Balance])).toEqual([[String(other.invoiceNo), -750, -450]]);
      expect(await check(client.id)).toMatchObject({ ok: true, breaches: [], receivables: -450 });

      const third = await newInvoice(t, client.id, { customerId: customer.id, amount: 200 });
      expect((await t.http.post(`/_sandbox/clients/${client.id}/write-offs`).send({ invoiceIds: [third.id] })).status).toBe(201);
      const late = await payments(client.id, { invoiceId: third.id, amount: 50 });
      expect(late.status, JSON.stringify(late.body)).toBe(201);
      const events = (await t.http.get(`/_sandbox/clients/${client.id}/events?type=payment.unmatched`)).body.events;
      expect(events.at(-1).cause).toContain('it is written off: reverse the write-off');
      expect(await check(client.id)).toMatchObject({ ok: true, breaches: [], receivables: -500 });
    });

    it('with paymentMatching.overpayment "refuse" an overpayment is 409 and nothing is posted', async () => {
      const { client, inv, settings } = await setup();
      await settings({ overpayment: 'refuse' });
      const before = (await check(client.id)).receivables;
      const res = await payments(client.id, { invoiceId: inv.id, amount: 1500 });
      expect(res.status).toBe(409);
      expect(res.body.detail).toContain("exceeds invoice 10001's open amount 1250.00 NOK");
      const shared = await payments(client.id, { lines: [{ invoiceIds: [inv.id], amount: 1250 }, { invoiceIds: [inv.id], amount: 1 }] });
      expect(shared.status).toBe(409);
      expect((await check(client.id)).receivables).toBe(before);
      expect((await t.http.get(`/_sandbox/clients/${client.id}/invoices/${inv.id}`)).body.openAmount).toBe(1250);
    });
  });

  describe('explain', () => {
    it('says what each unmatched item is and why, by its OpenItems Id; an invoice line points to the invoice', async () => {
      const { client, inv, a, subledger } = await setup();
      await a.post('/v2/Vouchers/BankJournals', pay(subledger, 100, { InvoiceNo: '99999' }));
      await a.post('/v2/Vouchers/BankJournals', pay(subledger, 300, {}));
      await a.post('/v2/Vouchers/BankJournals', pay(subledger, -25, {}));
      await a.post('/v2/Vouchers/BankJournals', pay(subledger, 1300, { InvoiceNo: '10001' }));
      const items = await openItems(a);
      const explain = async (id: number) => t.http.get(`/_sandbox/clients/${client.id}/ledger/items/${id}/explain`);
      const byReason: Record<string, any> = {};
      for (const item of items.filter((i) => i.VoucherType === 'BankJournal')) {
        const res = await explain(item.Id);
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body).toMatchObject({ itemId: item.Id, voucherNo: item.VoucherNo, voucherType: 'BankJournal', open: item.Balance, amount: item.Amount });
        byReason[res.body.reason] = res.body;
      }
      expect(Object.keys(byReason).sort()).toEqual(['debit', 'noReference', 'overpaid', 'unknownReference']);
      expect(byReason.unknownReference).toMatchObject({ invoiceNo: null, what: expect.stringContaining('naming invoice number 99999'), why: expect.stringContaining('named no invoice of this customer') });
      expect(byReason.noReference.why).toContain('a prepayment');
      expect(byReason.debit).toMatchObject({ open: 25, why: expect.stringContaining('not a payment') });
      expect(byReason.overpaid).toMatchObject({ invoiceNo: 10001, invoiceId: inv.id, open: -50, what: expect.stringContaining('excess 50.00 NOK'), summary: expect.stringContaining('Unmatched because') });
      // The invoice's own line, settled now, is explained as the invoice; an id that is no customer-ledger line is 404.
      const invoiceLine = await explain((await a.get(`/v2/OutgoingInvoices/${inv.id}`)).body.VoucherNo * 1000);
      expect(invoiceLine.status).toBe(200);
      expect(invoiceLine.body).toMatchObject({ reason: null, invoiceNo: 10001, open: 0, next: expect.stringContaining(`/invoices/${inv.id}/explain`) });
      const bank = await explain(items.find((i) => i.VoucherType === 'BankJournal').VoucherNo * 1000 + 1);
      expect(bank.status).toBe(404);
      expect((await explain(999_999_000)).status).toBe(404);
    });
  });
});
