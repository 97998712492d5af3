/**
 * The customer-ledger statement (kontoutskrift for reskontro): every customer-ledger line posted between two dates,
 * each with what was still open of it on a date. An invoice is open by what its matches have not covered; a
 * payment, credit note or write-off matched to an invoice is closed by that match; a reminder charge or an
 * unmatched line stays open until its voucher is reversed; a reversal voucher's lines close with what they reverse.
 */
import type { Invoice, Voucher, VoucherLine, World } from '../model.js';
import { ACCOUNTS } from '../chart-of-accounts.js';
import { laterMatches, lineKey, openPart, PAYMENT_VOUCHER_TYPES, reversalOf, voucherById, type LaterMatch } from '../ledger.js';
import type { LocalDate } from '../time.js';
import { ledgerLineId, type LedgerItem } from './ledger.js';

function reversedBy(world: World, voucher: Voucher, asOf: LocalDate): boolean {
  const id = reversalOf(world, voucher.id);
  const reversal = id ? voucherById(world, id) : undefined;
  return reversal !== undefined && reversal.date <= asOf;
}

/** The invoice a line belongs to (for a credit note: the note itself) and the one whose matches close it. */
function invoicesOf(
  world: World,
  voucher: Voucher,
  line: VoucherLine,
  byVoucher: Map<string, Invoice>,
): { shown: Invoice | null; matchedOn: Invoice | null } {
  const matchedOn = line.invoiceId !== undefined ? (world.invoices[line.invoiceId] ?? null) : null;
  return { shown: byVoucher.get(voucher.id) ?? matchedOn, matchedOn };
}

export function statementEntries(world: World, fromDate: LocalDate, toDate: LocalDate, asOf: LocalDate): LedgerItem[] {
  const byVoucher = new Map(Object.values(world.invoices).map((inv) => [inv.voucherId, inv] as const));
  const items: LedgerItem[] = [];
  let later: Map<string, LaterMatch[]> | undefined;
  for (const voucher of world.vouchers) {
    if (voucher.date < fromDate || voucher.date > toDate) continue;
    voucher.lines.forEach((line, index) => {
      if (line.account !== ACCOUNTS.customerReceivables || line.customerId === undefined) return;
      const { shown, matchedOn } = invoicesOf(world, voucher, line, byVoucher);
      const matches = (matchedOn?.matches ?? []).filter((m) => m.date <= asOf);
      const own = matches.find((m) => m.voucherId === voucher.id && m.line === undefined);
      // Later entries (an invoice with the line's matching reference) matched with what the line left open.
      const laterOnLine = PAYMENT_VOUCHER_TYPES.has(voucher.type)
        ? (later ??= laterMatches(world)).get(lineKey(voucher.id, index))?.filter((m) => m.match.date <= asOf)
        : undefined;
      let balance: number;
      if (voucher.type === 'OutgoingInvoice' && matchedOn) balance = matchedOn.amount - matches.reduce((s, m) => s + m.amount, 0);
      else if (voucher.type === 'ReversalVoucher' || reversedBy(world, voucher, asOf)) balance = 0;
      else if (
        voucher.type === 'OutgoingPaymentReminder' ||
        voucher.type === 'OutgoingNoticeOfDebtCollection' ||
        voucher.type === 'OutgoingPaymentDemand'
      )
        balance = line.amount;
      else if (PAYMENT_VOUCHER_TYPES.has(voucher.type))
        balance = own || line.invoiceId === undefined || line.unmatched ? openPart(line, laterOnLine, asOf) : line.amount;
      else balance = own ? 0 : line.amount;
      const matchId =
        voucher.type === 'OutgoingInvoice' ? (matches[0]?.matchId ?? null) : (own?.matchId ?? laterOnLine?.[0]?.match.matchId ?? null);
      items.push({
        id: ledgerLineId(voucher, index),
        voucher,
        line,
        invoice: shown ?? laterOnLine?.[0]?.invoice ?? null,
        balance,
        matchId,
        isWriteOff: own?.isWriteOff ?? false,
      });
    });
  }
  return items;
}
