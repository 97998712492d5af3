/** The customer ledger (reskontro) as of a date, and account balances. */
import type { Invoice, Voucher, VoucherLine, World } from '../model.js';
import { ACCOUNTS } from '../chart-of-accounts.js';
import { reversalOf, voucherById } from '../ledger.js';
import type { LocalDate } from '../time.js';

export interface LedgerItem {
  /** A stable id for the ledger line: voucher number * 1000 + line index. */
  id: number;
  voucher: Voucher;
  line: VoucherLine;
  invoice: Invoice | null;
  /** Remaining as of the date. */
  balance: number;
  matchId: number | null;
  isWriteOff: boolean;
}

export function ledgerLineId(voucher: Voucher, index: number): number {
  return voucher.voucherNo * 1000 + index;
}

/** Open customer-ledger items on a date: invoices with money owed, and reminder charges not reversed. */
export function openItems(world: World, date: LocalDate): LedgerItem[] {
  const items: LedgerItem[] = [];
  for (const voucher of world.vouchers) {
    if (voucher.date > date) continue;
    voucher.lines.forEach((line, index) => {
      if (line.account !== ACCOUNTS.customerReceivables || line.customerId === undefined) return;
      if (voucher.type === 'OutgoingInvoice') {
        const invoice = world.invoices[line.invoiceId!]!;
        const matched = invoice.matches.filter((m) => m.date <= date).reduce((s, m) => s + m.amount, 0);
        const balance = invoice.amount - matched;
        if (balance !== 0)
          items.push({ id: ledgerLineId(voucher, index), voucher, line, invoice, balance, matchId: invoice.matches.find((m) => m.date <= date)?.matchId ?? null, isWriteOff: false });
      } else if (voucher.type === 'BankJournal' && line.invoiceId === undefined) {
        // Unmatched: a payment (or debit) the bank journal could not match stays open until its voucher is reversed.
        const reversalId = reversalOf(world, voucher.id);
        const reversal = reversalId ? voucherById(world, reversalId) : undefined;
        if (reversal && reversal.date <= date) return;
        items.push({ id: ledgerLineId(voucher, index), voucher, line, invoice: null, balance: line.amount, matchId: null, isWriteOff: false });
      } else if (voucher.type === 'OutgoingPaymentReminder' || voucher.type === 'OutgoingNoticeOfDebtCollection') {
        const reversalId = reversalOf(world, voucher.id);
        const reversal = reversalId ? voucherById(world, reversalId) : undefined;
        if (reversal && reversal.date <= date) return;
        items.push({ id: ledgerLineId(voucher, index), voucher, line, invoice: line.invoiceId !== undefined ? world.invoices[line.invoiceId] ?? null : null, balance: line.amount, matchId: null, isWriteOff: false });
      }
    });
  }
  return items.sort((a, b) => a.voucher.voucherNo - b.voucher.voucherNo || a.id - b.id);
}

export function accountBalance(world: World, account: number): number {
  let sum = 0;
  for (const v of world.vouchers) for (const l of v.lines) if (l.account === account) sum += l.amount;
  return sum;
}
