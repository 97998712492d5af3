/**
 * v2 POST /Vouchers/Reverse/{id}: an agency reverses a settlement it posted. A reversal voucher nullifies it, the
 * invoice it paid is owed again, an unmatched line stops being open, and its ExternalImportReference is free again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advance, agency, newClient, newCustomer, newInvoice, testSandbox, type TestSandbox } from '../harness.js';

const BANK = 5_001_920;

describe('v2 voucher reversal', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await testSandbox();
  });
  afterAll(() => t.close());

  async function setup() {
    const client = await newClient(t);
    const customer = await newCustomer(t, client.id);
    const inv = await newInvoice(t, client.id, { customerId: customer.id, invoiceDate: '2025-12-22', dueDate: '2026-01-05', amount: 1000 });
    const a = await agency(t, client.integration);
    const subledger = (await a.v2.get(`/Customers/${customer.id}`)).body.SubledgerAccountId as number;
    const settle = (reference: string, lines: Array<Record<string, unknown>>) =>
      a.v2.post('/Vouchers/BankJournals', { VoucherDate: '2026-01-05', CurrencyCode: 'NOK', ExternalImportReference: reference, VoucherLines: lines });
    return { client, customer, inv, a, subledger, settle };
  }

  it('reverses a settlement: the invoice is owed again, the voucher reads back IsReversed, the reference is free', async () => {
    const { client, inv, a, subledger, settle } = await setup();
    const paid = await settle('rev-1', [
      { PostingDate: '2026-01-05', AccountId: subledger, CurrencyAmount: -1000, InvoiceNo: String(inv.invoiceNo), VatId: null },
      { PostingDate: '2026-01-05', AccountId: BANK, CurrencyAmount: 1000, VatId: null },
    ]);
    expect(paid.status).toBe(201);
    const before = (await a.v2.get(`/OutgoingInvoices/${inv.id}`)).body;
    expect(before.Balance).toBe(0);
    expect((await a.v2.get('/Customerledger/OpenItems?date=2026-01-05')).status).toBe(204);

    const res = await a.v2.post(`/Vouchers/Reverse/${paid.body.Id}`);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.text).toBe('');

    const after = (await a.v2.get(`/OutgoingInvoices/${inv.id}`)).body;
    expect(after.Balance).toBe(1000);
    expect(after.BalanceLastChangedDateTimeOffset >= before.BalanceLastChangedDateTimeOffset).toBe(true);
    const open = await a.v2.get('/Customerledger/OpenItems?date=2026-01-05');
    expect(open.body).toEqual([expect.objectContaining({ InvoiceNo: String(inv.invoiceNo), Balance: 1000 })]);
    expect((await a.v2.get(`/Vouchers/BankJournals/${paid.body.Id}`)).body.IsReversed).toBe(true);

    // The ledger: a ReversalVoucher on the original's date negates every line, and the invariants hold.
    const vouchers = (await t.http.get(`/_sandbox/clients/${client.id}/vouchers`)).body.vouchers as Array<{ id: string; type: string; date: string; lines: Array<{ account: number; amount: number }>; reversesVoucherId: string | null; reversedByVoucherId: string | null }>;
    const original = vouchers.find((v) => v.id === paid.body.Id)!;
    const reversal = vouchers.find((v) => v.type === 'ReversalVoucher')!;
    expect(reversal).toMatchObject({ date: '2026-01-05', reversesVoucherId: original.id });
    expect(original.reversedByVoucherId).toBe(reversal.id);
    expect(reversal.lines.map((l) => [l.account, l.amount])).toEqual(original.lines.map((l) => [l.account, -l.amount]));
    const check = (await t.http.get(`/_sandbox/clients/${client.id}/ledger/check`)).body;
    expect(check).toMatchObject({ ok: true, receivables: 1000, customerLedgerTotal: 1000 });

    // The reference may be used again on a corrected voucher.
    const corrected = await settle('rev-1', [
      { PostingDate: '2026-01-05', AccountId: subledger, CurrencyAmount: -600, InvoiceNo: String(inv.invoiceNo), VatId: null },
      { PostingDate: '2026-01-05', AccountId: BANK, CurrencyAmount: 600, VatId: null },
    ]);
    expect(corrected.status, JSON.stringify(corrected.body)).toBe(201);
    expect((await a.v2.get(`/OutgoingInvoices/${inv.id}`)).body.Balance).toBe(400);

    // Twice is refused; a reversal voucher cannot be reversed.
    const again = await a.v2.post(`/Vouchers/Reverse/${paid.body.Id}`);
    expect(again.status).toBe(400);
    expect(again.body.detail).toMatch(/already reversed/);
  });

  it('reverses an unmatched line: it is no longer an open item', async () => {
    const { customer, a, subledger, settle } = await setup();
    const prepaid = await settle('rev-2', [
      { PostingDate: '2026-01-05', AccountId: subledger, CurrencyAmount: -250, VatId: null },
      { PostingDate: '2026-01-05', AccountId: BANK, CurrencyAmount: 250, VatId: null },
    ]);
    expect(prepaid.status).toBe(201);
    const open = () => a.v2.get(`/Customerledger/OpenItems?date=2026-01-05&customerNos=${customer.number}`);
    expect((await open()).body.map((i: { Balance: number }) => i.Balance).sort()).toEqual([-250, 1000]);
    expect((await a.v2.post(`/Vouchers/Reverse/${prepaid.body.Id}`)).status).toBe(202);
    expect((await open()).body.map((i: { Balance: number }) => i.Balance)).toEqual([1000]);
  });

  it("finds only this integration's own API vouchers: others are 404", async () => {
    const { client, inv, a, subledger, settle } = await setup();
    const paid = await settle('rev-3', [
      { PostingDate: '2026-01-05', AccountId: subledger, CurrencyAmount: -100, InvoiceNo: String(inv.invoiceNo), VatId: null },
      { PostingDate: '2026-01-05', AccountId: BANK, CurrencyAmount: 100, VatId: null },
    ]);
    const second = await t.http.post(`/_sandbox/clients/${client.id}/integrations`).send({ name: 'Annen', kind: 'debtCollection', rights: { read: true, write: true } });
    const other = await agency(t, second.body);
    expect((await other.v2.post(`/Vouchers/Reverse/${paid.body.Id}`)).status).toBe(404);
    // The invoice's own voucher was posted by the ERP user, not the integration.
    const first = (await t.http.get(`/_sandbox/clients/${client.id}/vouchers`)).body.vouchers[0] as { id: string; type: string };
    expect(first.type).toBe('OutgoingInvoice');
    expect((await a.v2.post(`/Vouchers/Reverse/${first.id}`)).status).toBe(404);
    expect((await a.v2.post('/Vouchers/Reverse/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    // A read-only integration may not reverse.
    const readOnly = await t.http.post(`/_sandbox/clients/${client.id}/integrations`).send({ name: 'Les', kind: 'debtCollection', rights: { read: true, write: false } });
    expect((await (await agency(t, readOnly.body)).v2.post(`/Vouchers/Reverse/${paid.body.Id}`)).status).toBe(403);
  });
  it('with paymentMatching.reversalDate "today" the reversal is dated the day it is made: as of the days between, the payment stands', async () => {
    const { client, customer, inv, subledger, settle } = await setup();
    const paid = await settle('rev-today', [
      { PostingDate: '2026-01-05', AccountId: subledger, CurrencyAmount: -1000, InvoiceNo: String(inv.invoiceNo), VatId: null },
      { PostingDate: '2026-01-05', AccountId: subledger, CurrencyAmount: -200, VatId: null },
      { PostingDate: '2026-01-05', AccountId: BANK, CurrencyAmount: 1200, VatId: null },
    ]);
    expect(paid.status).toBe(201);
    const settings = await t.http.put(`/_sandbox/clients/${client.id}/settings`).send({ paymentMatching: { reversalDate: 'today' } });
    expect(settings.body.paymentMatching.reversalDate).toBe('today');
    await advance(t, client.id, { days: 3 });
    const a = await agency(t, client.integration);
    expect((await a.v2.post(`/Vouchers/Reverse/${paid.body.Id}`)).status).toBe(202);

    const vouchers = (await t.http.get(`/_sandbox/clients/${client.id}/vouchers`)).body.vouchers as Array<{ type: string; date: string }>;
    expect(vouchers.find((v) => v.type === 'ReversalVoucher')).toMatchObject({ date: '2026-01-08' });
    const matches = (await t.http.get(`/_sandbox/clients/${client.id}/invoices/${inv.id}`)).body.matches;
    expect(matches.map((m: any) => [m.kind, m.amount, m.date])).toEqual([['payment', 1000, '2026-01-05'], ['paymentReversal', -1000, '2026-01-08']]);
    // As of the day before the reversal the invoice was paid and the unmatched credit open; from its day, owed again.
    const openOn = async (date: string) => {
      const res = await a.v2.get(`/Customerledger/OpenItems?date=${date}`);
      return res.status === 204 ? [] : (res.body as any[]).map((i) => [i.VoucherType, i.Balance]);
    };
    expect(await openOn('2026-01-07')).toEqual([['BankJournal', -200]]);
    expect(await openOn('2026-01-08')).toEqual([['OutgoingInvoice', 1000]]);
    expect((await a.v2.get(`/Customerledger/CustomerBalances?date=2026-01-07`)).body).toEqual([expect.objectContaining({ CustomerId: customer.id, Balance: -200 })]);
    expect((await t.http.get(`/_sandbox/clients/${client.id}/ledger/check`)).body).toMatchObject({ ok: true, receivables: 1000, customerLedgerTotal: 1000 });
  });
});
