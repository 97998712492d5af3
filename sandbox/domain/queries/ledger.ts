/** The customer ledger (reskontro) as of a date, and account balances. */
import type { Invoice, UnmatchedReason, Voucher, VoucherLine, World } from '../model.js';
import { ACCOUNTS } from '../chart-of-accounts.js';
import {
  laterMatches,
  lineKey,
  openPart,
  PAYMENT_VOUCHER_TYPES,
  reversalOf,
  unmatchedPart,
  voucherById,
  type LaterMatch,
} from '../ledger.js';
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
  /** Set on a payment line (or its part) no invoice accounts for: why it stayed open. */
  unmatched?: UnmatchedReason;
}

/** Why a customer line stayed open; lines posted before reasons were kept: a debit, or a payment naming no invoice. */
export function unmatchedReasonOf(line: VoucherLine): UnmatchedReason {
  return line.unmatched?.reason ?? (line.amount > 0 ? 'debit' : 'noReference');
}

export function ledgerLineId(voucher: Voucher, index: number): number {
  return voucher.voucherNo * 1000 + index;
}

/** Open customer-ledger items on a date: invoices with money owed, and reminder charges not reversed. */
export function openItems(world: World, date: LocalDate): LedgerItem[] {
  const items: LedgerItem[] = [];
  let later: Map<string, LaterMatch[]> | undefined;
  for (const voucher of world.vouchers) {
    if (voucher.date > date) continue;
    voucher.lines.forEach((line, index) => {
      if (line.account !== ACCOUNTS.customerReceivables || line.customerId === undefined) return;
      if (voucher.type === 'OutgoingInvoice') {
        const invoice = world.invoices[line.invoiceId!]!;
        const matched = invoice.matches.filter((m) => m.date <= date).reduce((s, m) => s + m.amount, 0);
        const balance = invoice.amount - matched;
        if (balance !== 0)
          items.push({
            id: ledgerLineId(voucher, index),
            voucher,
            line,
            invoice,
            balance,
            matchId: invoice.matches.find((m) => m.date <= date)?.matchId ?? null,
            isWriteOff: false,
          });
      } else if (PAYMENT_VOUCHER_TYPES.has(voucher.type)) {
        // Unmatched: what no invoice accounts for (a prepayment, an unknown reference, a debit, an overpayment's
        // excess) stays open until its voucher is reversed or a later entry with its matching reference matches it.
        if (unmatchedPart(line) === 0) return;
        later ??= laterMatches(world);
        const laterOnLine = later.get(lineKey(voucher.id, index))?.filter((m) => m.match.date <= date);
        const open = openPart(line, laterOnLine, date);
        if (open === 0) return;
        const reversalId = reversalOf(world, voucher.id);
        const reversal = reversalId ? voucherById(world, reversalId) : undefined;
        if (reversal && reversal.date <= date) return;
        const named = line.invoiceId !== undefined ? (world.invoices[line.invoiceId] ?? null) : null;
        const invoice = named ?? laterOnLine?.[0]?.invoice ?? null;
        const matchId = named?.matches.find((m) => m.voucherId === voucher.id)?.matchId ?? laterOnLine?.[0]?.match.matchId ?? null;
        items.push({
          id: ledgerLineId(voucher, index),
          voucher,
          line,
          invoice,
          balance: open,
          matchId,
          isWriteOff: false,
          unmatched: unmatchedReasonOf(line),
        });
      } else if (voucher.type === 'OutgoingPaymentReminder' || voucher.type === 'OutgoingNoticeOfDebtCollection') {
        const reversalId = reversalOf(world, voucher.id);
        const reversal = reversalId ? voucherById(world, reversalId) : undefined;
        if (reversal && reversal.date <= date) return;
        items.push({
          id: ledgerLineId(voucher, index),
          voucher,
          line,
          invoice: line.invoiceId !== undefined ? (world.invoices[line.invoiceId] ?? null) : null,
          balance: line.amount,
          matchId: null,
          isWriteOff: false,
        });
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
