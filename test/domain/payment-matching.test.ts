/** Pure: how a payment line finds its invoice, and that overpayments and unmatched lines keep the ledger whole. */
import { describe, expect, it } from 'vitest';
import { matchPaymentLine } from '../../sandbox/domain/commands/payment-matching.js';
import { postBankJournal } from '../../sandbox/domain/commands/settlement.js';
import { ACTORS, contextFor } from '../../sandbox/domain/context.js';
import { ACCOUNTS } from '../../sandbox/domain/chart-of-accounts.js';
import { invariantBreaches } from '../../sandbox/domain/invariants.js';
import { openItems } from '../../sandbox/domain/queries/ledger.js';
import { explainLedgerItem, findLedgerItem } from '../../sandbox/domain/queries/unmatched.js';
import { postInvoice } from '../../sandbox/domain/commands/invoices.js';
import { postPayment } from '../../sandbox/domain/commands/payments.js';
import { updateSettings } from '../../sandbox/domain/commands/settings.js';
import { reverseOwnVoucher } from '../../sandbox/domain/commands/reversal.js';
import { defaultSettings } from '../../sandbox/domain/world.js';
import { world } from './pure-world.js';

const MATCHING = defaultSettings().paymentMatching;

describe('matchPaymentLine', () => {
  const setup = () => {
    const { w, ctx, invoice } = world();
    const inv = invoice(125_000, '2026-01-05');
    inv.matchingReference = 'ORDER-7';
    return { w, ctx, inv, customerId: inv.customerId };
  };

  it('an invoice number finds its invoice at any amount: a part, the whole, more (the excess a credit)', () => {
    const { w, inv, customerId } = setup();
    const by = (amount: number) => matchPaymentLine(w, MATCHING, { customerId, amount: -amount, references: { invoiceNo: ` ${inv.invoiceNo} ` } });
    expect(by(40_000)).toMatchObject({ invoice: inv, foundBy: 'invoiceNo', amount: 40_000, unmatched: null, excess: 0 });
    expect(by(125_000)).toMatchObject({ amount: 125_000, unmatched: null });
    expect(by(150_000)).toMatchObject({ amount: 125_000, excess: 25_000, unmatched: { reason: 'overpaid', amount: -25_000 } });
    // What earlier lines of the voucher took is no longer open.
    expect(matchPaymentLine(w, MATCHING, { customerId, amount: -50_000, references: { invoiceNo: String(inv.invoiceNo) } }, new Map([[inv.id, 100_000]]))).toMatchObject({
      amount: 25_000,
      unmatched: { reason: 'overpaid', amount: -25_000 },
    });
  });

  it('tries InvoiceNo, then Cid, then the matching reference; without fall-back only the first given', () => {
    const { w, inv, customerId } = setup();
    const refs = { invoiceNo: '99999', cid: '000000000', matchingReference: 'ORDER-7' };
    const m = matchPaymentLine(w, MATCHING, { customerId, amount: -125_000, references: refs });
    expect(m).toMatchObject({ invoice: inv, foundBy: 'matchingReference' });
    expect(m.notes).toEqual(['invoice number 99999 names no invoice', 'KID 000000000 names no invoice', `matching reference ORDER-7 found invoice ${inv.invoiceNo}`]);
    const first = matchPaymentLine(w, { ...MATCHING, fallBack: false }, { customerId, amount: -125_000, references: refs });
    expect(first).toMatchObject({ invoice: null, unmatched: { reason: 'unknownReference', amount: -125_000 } });
    expect(first.notes.at(-1)).toContain('not tried');
    // A Cid of the invoice wins over the reference behind it.
    expect(matchPaymentLine(w, MATCHING, { customerId, amount: -1000, references: { cid: inv.cid, matchingReference: 'ORDER-7' } })).toMatchObject({ foundBy: 'cid', amount: 1000 });
  });

  it('a matching reference needs the opposite of the open amount unless set to any; a KID only when set to exact', () => {
    const { w, inv, customerId } = setup();
    expect(matchPaymentLine(w, MATCHING, { customerId, amount: -1000, references: { matchingReference: 'ORDER-7' } })).toMatchObject({ invoice: null, unmatched: { reason: 'amountDiffers' } });
    expect(matchPaymentLine(w, { ...MATCHING, matchingReferenceAmounts: 'any' }, { customerId, amount: -1000, references: { matchingReference: 'ORDER-7' } })).toMatchObject({ invoice: inv, amount: 1000 });
    expect(matchPaymentLine(w, MATCHING, { customerId, amount: -1000, references: { cid: inv.cid } })).toMatchObject({ invoice: inv, amount: 1000 });
    expect(matchPaymentLine(w, { ...MATCHING, cidAmounts: 'exact' }, { customerId, amount: -1000, references: { cid: inv.cid } })).toMatchObject({ invoice: null, unmatched: { reason: 'amountDiffers' } });
    expect(matchPaymentLine(w, { ...MATCHING, cidAmounts: 'exact' }, { customerId, amount: -125_000, references: { cid: inv.cid } })).toMatchObject({ invoice: inv });
  });

  it('no reference, a debit, and another customer\'s invoice stay unmatched with their reason', () => {
    const { w, inv, customerId } = setup();
    expect(matchPaymentLine(w, MATCHING, { customerId, amount: -500, references: { invoiceNo: '  ' } }).unmatched).toEqual({ reason: 'noReference', amount: -500 });
    expect(matchPaymentLine(w, MATCHING, { customerId, amount: 500, references: { invoiceNo: String(inv.invoiceNo) } }).unmatched).toEqual({ reason: 'debit', amount: 500 });
    expect(matchPaymentLine(w, MATCHING, { customerId: customerId + 1, amount: -500, references: { invoiceNo: String(inv.invoiceNo) } }).unmatched).toEqual({ reason: 'otherCustomer', amount: -500 });
  });
});

describe('posting an overpayment', () => {
  it('matches the open amount, keeps the excess open on the payment line, and the invariants hold', () => {
    const { w, invoice } = world();
    const inv = invoice(125_000, '2026-01-05');
    const agency = contextFor(w, ACTORS.agency(w.integrations[0]!.id));
    const voucher = postBankJournal(agency, w.integrations[0]!.id, {
      date: '2026-01-05',
      lines: [
        { account: ACCOUNTS.customerReceivables, customerId: inv.customerId, amount: -150_000, invoiceNo: String(inv.invoiceNo) },
        { account: 1920, customerId: null, amount: 150_000 },
      ],
    });
    expect(inv.openAmount).toBe(0);
    expect(voucher.lines[0]).toMatchObject({ amount: -150_000, invoiceId: inv.id, statedInvoiceNo: String(inv.invoiceNo), unmatched: { reason: 'overpaid', amount: -25_000 } });
    expect(invariantBreaches(w)).toEqual([]);
    const items = openItems(w, '2026-01-05');
    expect(items.map((i) => [i.voucher.voucherNo, i.balance, i.unmatched])).toEqual([[voucher.voucherNo, -25_000, 'overpaid']]);
    expect(explainLedgerItem(w, items[0]!)).toMatchObject({ reason: 'overpaid', open: -25_000, invoiceNo: inv.invoiceNo });
  });

  it('the invariants catch an open part that does not agree with the matches', () => {
    const { w, invoice } = world();
    const inv = invoice(125_000, '2026-01-05');
    const agency = contextFor(w, ACTORS.agency(w.integrations[0]!.id));
    const voucher = postBankJournal(agency, w.integrations[0]!.id, {
      date: '2026-01-05',
      lines: [
        { account: ACCOUNTS.customerReceivables, customerId: inv.customerId, amount: -150_000, invoiceNo: String(inv.invoiceNo) },
        { account: 1920, customerId: null, amount: 150_000 },
      ],
    });
    // Pretend the excess were smaller than it is: the lines then claim more matched than the invoice's matches.
    const i = w.vouchers.indexOf(voucher);
    w.vouchers[i] = { ...voucher, lines: [{ ...voucher.lines[0]!, unmatched: { reason: 'overpaid', amount: -20_000 } }, voucher.lines[1]!] };
    expect(invariantBreaches(w).join('\n')).toMatch(/its lines match 1.?300.00 NOK against invoice \d+, its matches say 1.?250.00 NOK/);
  });
});

describe('an OCR giro payment (IncomingOcrGiro) is a payment voucher like a bank journal', () => {
  it('its excess over the invoice stays open on the customer ledger as a credit, and the invariants hold', () => {
    const { w, ctx, invoice } = world();
    const inv = invoice(125_000, '2026-01-05');
    const voucher = postPayment(ctx, { kind: 'ocr', date: '2026-01-05', lines: [{ invoiceId: inv.id, amount: 150_000 }] });
    expect(voucher.type).toBe('IncomingOcrGiro');
    expect(inv.openAmount).toBe(0);
    expect(invariantBreaches(w)).toEqual([]);
    expect(openItems(w, '2026-01-05').map((i) => [i.voucher.voucherNo, i.balance, i.unmatched])).toEqual([[voucher.voucherNo, -25_000, 'overpaid']]);
  });
});

describe('a later entry matched with an earlier open one (CustomMatchingReference)', () => {
  /** A payment of 800 with reference ORDER-9 that finds no invoice, posted by the agency. */
  const prepaid = () => {
    const { w, ctx, customer } = world();
    const agency = contextFor(w, ACTORS.agency(w.integrations[0]!.id));
    const voucher = postBankJournal(agency, w.integrations[0]!.id, {
      date: '2026-01-03',
      lines: [
        { account: ACCOUNTS.customerReceivables, customerId: customer.id, amount: -80_000, matchingReference: 'ORDER-9' },
        { account: 1920, customerId: null, amount: 80_000 },
      ],
    });
    const later = (amount: number, matchingReference: string | null = 'ORDER-9') =>
      postInvoice(ctx, { customerId: customer.id, amount, invoiceDate: '2026-01-05', matchingReference });
    return { w, ctx, agency, customer, voucher, later };
  };

  it('an invoice at the opposite amount is matched with the frozen line by a match naming it; the line is unchanged', () => {
    const { w, voucher, later } = prepaid();
    const frozen = voucher.lines[0];
    const inv = later(80_000);
    expect(inv.openAmount).toBe(0);
    expect(inv.matches).toEqual([expect.objectContaining({ kind: 'payment', voucherId: voucher.id, line: 0, amount: 80_000, date: '2026-01-05' })]);
    expect(w.vouchers.find((v) => v.id === voucher.id)!.lines[0]).toBe(frozen);
    expect(frozen).toMatchObject({ unmatched: { reason: 'unknownReference', amount: -80_000 } });
    expect(invariantBreaches(w)).toEqual([]);
    // As of the payment's date the credit was open; from the invoice's date both are matched out.
    expect(openItems(w, '2026-01-04').map((i) => [i.voucher.voucherNo, i.balance])).toEqual([[voucher.voucherNo, -80_000]]);
    expect(openItems(w, '2026-01-05')).toEqual([]);
    const item = findLedgerItem(w, voucher.voucherNo * 1000, '2026-01-05')!;
    expect(explainLedgerItem(w, item)).toMatchObject({ open: 0, invoiceNo: inv.invoiceNo, what: expect.stringContaining('matched out by a later invoice') });
  });

  it('another amount, another reference or no reference: no match; the invariants catch a match beyond the open part', () => {
    const { w, voucher, later } = prepaid();
    expect(later(70_000).openAmount).toBe(70_000);
    expect(later(80_000, 'ORDER-10').openAmount).toBe(80_000);
    expect(later(80_000, null).openAmount).toBe(80_000);
    expect(openItems(w, '2026-01-05').filter((i) => i.unmatched).map((i) => i.balance)).toEqual([-80_000]);
    expect(invariantBreaches(w)).toEqual([]);
    // Pretend a later match closed more than the line left open.
    const inv = later(80_000);
    inv.matches[0]!.amount = 90_000;
    inv.openAmount = -10_000;
    expect(invariantBreaches(w).join('\n')).toMatch(new RegExp(`voucher ${voucher.voucherNo} line 0: later matches close 900.00 NOK of an open part of -800.00 NOK`));
  });

  it('with any amounts, several later invoices share one open line until it is matched out', () => {
    const { w, ctx, voucher, later } = prepaid();
    updateSettings(ctx, { paymentMatching: { ...w.settings.paymentMatching, matchingReferenceAmounts: 'any' } });
    const first = later(30_000);
    const second = later(20_000);
    expect([first.openAmount, second.openAmount]).toEqual([0, 0]);
    expect(openItems(w, '2026-01-05').map((i) => [i.voucher.voucherNo, i.balance])).toEqual([[voucher.voucherNo, -30_000]]);
    const third = later(50_000);
    expect(third.openAmount).toBe(20_000);
    expect(third.matches).toEqual([expect.objectContaining({ voucherId: voucher.id, line: 0, amount: 30_000 })]);
    expect(openItems(w, '2026-01-05').map((i) => [i.invoice?.id, i.balance])).toEqual([[third.id, 20_000]]);
    expect(later(10_000).openAmount).toBe(10_000);
    expect(invariantBreaches(w)).toEqual([]);
  });

  it('reversing the payment takes the match off the invoice, dated no earlier than the match', () => {
    const { w, agency, voucher, later } = prepaid();
    const inv = later(80_000);
    reverseOwnVoucher(agency, w.integrations[0]!.id, voucher.id);
    expect(inv.openAmount).toBe(80_000);
    expect(inv.matches.map((m) => [m.kind, m.amount, m.date, Boolean(m.reversedByVoucherId)])).toEqual([
      ['payment', 80_000, '2026-01-05', true],
      ['paymentReversal', -80_000, '2026-01-05', false],
    ]);
    expect(invariantBreaches(w)).toEqual([]);
    expect(openItems(w, '2026-01-05').map((i) => [i.invoice?.id, i.balance])).toEqual([[inv.id, 80_000]]);
  });
});
