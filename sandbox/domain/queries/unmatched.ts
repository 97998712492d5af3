/** What an open customer-ledger item is and, for a payment no invoice accounts for, why it stayed unmatched. */
import type { UnmatchedReason, World } from '../model.js';
import { formatNok } from '../money.js';
import { ACCOUNTS } from '../chart-of-accounts.js';
import { laterMatches, lineKey, PAYMENT_VOUCHER_TYPES, unmatchedPart, voucherById } from '../ledger.js';
import { ledgerLineId, openItems, unmatchedReasonOf, type LedgerItem } from './ledger.js';
import { givenReferences, REFERENCE_NAME } from '../commands/payment-matching.js';
import type { LocalDate } from '../time.js';

export interface LedgerItemExplanation {
  itemId: number;
  voucherNo: number;
  voucherType: string;
  date: LocalDate;
  customerId: number;
  /** The line as posted (øre; a payment is negative). */
  amount: number;
  /** What is still open of it on the date (øre; a credit the customer has is negative). */
  open: number;
  invoiceId: string | null;
  invoiceNo: number | null;
  /** Set for a payment line (or the part of one) no invoice accounts for. */
  reason: UnmatchedReason | null;
  /** What the item is, in an ERP user's words. */
  what: string;
  /** Why it is unmatched (or what it is matched against). */
  why: string;
  /** What becomes of it. */
  next: string;
}

const REASON_TEXT: Record<UnmatchedReason, string> = {
  noReference: 'it names no invoice number, KID or matching reference (a prepayment, or a payment on account)',
  unknownReference: 'its references named no invoice of this customer: none the ERP knew when it was posted',
  otherCustomer:
    'its references named an invoice of another customer; a payment stays on the customer whose ledger account it was posted to',
  amountDiffers:
    'its KID or matching reference named an open invoice, but such a reference matches only the opposite of the open amount, and the ' +
    'amounts differ',
  overpaid: "it was more than the invoice's open amount: the invoice is settled and the excess stays as a credit",
  debit: 'it is a debit on the customer, not a payment: an amount the customer owes outside any invoice',
};

/** The customer-ledger item with this id (a voucher line: voucher number * 1000 + line index), open or not. */
export function findLedgerItem(world: World, itemId: number, date: LocalDate): LedgerItem | undefined {
  const open = openItems(world, date).find((i) => i.id === itemId);
  if (open) return open;
  const voucher = world.vouchers.find((v) => v.voucherNo === Math.floor(itemId / 1000));
  const line = voucher?.lines[itemId % 1000];
  if (
    !voucher ||
    !line ||
    line.account !== ACCOUNTS.customerReceivables ||
    line.customerId === undefined ||
    ledgerLineId(voucher, itemId % 1000) !== itemId
  )
    return undefined;
  const invoice = line.invoiceId !== undefined ? (world.invoices[line.invoiceId] ?? null) : null;
  return { id: itemId, voucher, line, invoice, balance: 0, matchId: null, isWriteOff: false };
}

export function explainLedgerItem(world: World, item: LedgerItem): LedgerItemExplanation {
  const { voucher, line, invoice } = item;
  const base = {
    itemId: item.id,
    voucherNo: voucher.voucherNo,
    voucherType: voucher.type,
    date: voucher.date,
    customerId: line.customerId!,
    amount: line.amount,
    open: item.balance,
    invoiceId: invoice?.id ?? null,
    invoiceNo: invoice?.invoiceNo ?? null,
  };
  const refs = givenReferences({
    invoiceNo: line.statedInvoiceNo ?? null,
    cid: line.cid ?? null,
    matchingReference: line.matchingReference ?? null,
  });
  const named = refs.length ? ` naming ${refs.map(([k, v]) => `${REFERENCE_NAME[k]} ${v}`).join(', ')}` : '';
  const reversed = world.reversals[voucher.id] ? voucherById(world, world.reversals[voucher.id]!) : undefined;
  // Later entries matched with what the line left open (an invoice with its matching reference).
  const later = PAYMENT_VOUCHER_TYPES.has(voucher.type) ? (laterMatches(world).get(lineKey(voucher.id, item.id % 1000)) ?? []) : [];
  const laterText = later
    .map(
      ({ invoice: inv, match }) =>
        `on ${match.date} invoice ${inv.invoiceNo} (matching reference ${inv.matchingReference ?? '?'}) ` +
        `was matched with ${formatNok(match.amount)} ` +
        `of it${match.reversedByVoucherId ? ', undone when its voucher was reversed' : ''}`,
    )
    .join('; ');
  const laterNote = later.length
    ? ` Go matches a later entry with an earlier open one of the same matching reference and the opposite amount: ${laterText}.`
    : '';
  const waitsFor =
    line.matchingReference && line.amount < 0
      ? `, the ERP user matches it by hand, ` +
        `or an invoice of this customer is posted (or given) matching reference ${line.matchingReference} ` +
        `at the opposite amount: Go matches that with it at once`
      : ' or the ERP user matches it by hand; naming no matching reference, it is matched to no later invoice by itself';
  if (!item.unmatched && unmatchedPart(line) !== 0 && later.some((l) => !l.match.reversedByVoucherId) && !reversed) {
    const inv = later.find((l) => !l.match.reversedByVoucherId)!.invoice;
    const reason = unmatchedReasonOf(line);
    return {
      ...base,
      invoiceId: base.invoiceId ?? inv.id,
      invoiceNo: base.invoiceNo ?? inv.invoiceNo,
      reason,
      what:
        `a payment of ${formatNok(Math.abs(line.amount))} posted by ${voucher.type} ${voucher.voucherNo} (${voucher.date})${named}, ` +
        `matched out by a later invoice`,
      why: `It was left open when posted because ${REASON_TEXT[reason]}.${laterNote}`,
      next:
        `Nothing happens by itself: it is matched out. ` +
        `Reversing voucher ${voucher.voucherNo} takes the payment off invoice ${inv.invoiceNo} ` +
        `again.`,
    };
  }
  if (item.unmatched) {
    const reason = item.unmatched;
    const paid = formatNok(Math.abs(line.amount));
    const left = formatNok(Math.abs(item.balance));
    const what =
      reason === 'debit'
        ? `a debit of ${paid} on the customer posted by ${voucher.type} ${voucher.voucherNo} (${voucher.date})${named}`
        : reason === 'overpaid'
          ? `the excess ${left} of a payment of ${paid} against invoice ${invoice?.invoiceNo} (${voucher.type} ${voucher.voucherNo}, ` +
            `${voucher.date}): a credit the customer has`
          : `a payment of ${paid} posted by ${voucher.type} ${voucher.voucherNo} (${voucher.date})${named}: a credit the customer has`;
    return {
      ...base,
      reason,
      what,
      why: `Unmatched because ${REASON_TEXT[reason]}.${laterNote}`,
      next: `It stays open on the customer's ledger (in its open items and balance) until its voucher is reversed${waitsFor}.`,
    };
  }
  if (!invoice) {
    return {
      ...base,
      reason: null,
      what: `a customer-ledger line of ${formatNok(line.amount)} on ${voucher.type} ${voucher.voucherNo}`,
      why: 'It names no invoice.',
      next: reversed ? `Reversed by voucher ${reversed.voucherNo}.` : 'Nothing happens by itself.',
    };
  }
  const own = voucher.id === invoice.voucherId;
  return {
    ...base,
    reason: null,
    what: own
      ? `invoice ${invoice.invoiceNo}'s own line (${formatNok(invoice.amount)}, open ${formatNok(invoice.openAmount)})`
      : `a line of ${formatNok(line.amount)} on ${voucher.type} ${voucher.voucherNo} for invoice ${invoice.invoiceNo}`,
    why: own
      ? 'It is an invoice: payments, credit notes and write-offs are matched against it.'
      : `It is matched against invoice ${invoice.invoiceNo}.`,
    next: "See the invoice's explanation.",
  };
}

export function explainLedgerItemSummary(e: LedgerItemExplanation): string {
  return `Item ${e.itemId} is ${e.what}. ${e.why} ${e.next}`;
}
