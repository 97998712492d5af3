/**
 * A later entry with a CustomMatchingReference matched with an earlier open one. Go: "entries posted with a
 * CustomMatchingReference will be matched immediately with existing entries in the sub-ledger that have the same
 * CustomMatchingReference and opposite amount (unless existing entries are already matched out)". A payment posted
 * before its invoice (a prepayment naming the order reference, or one whose amount differed from the invoice it
 * named) stays open on the customer's ledger; an invoice posted later with that reference, or given it later, is
 * matched with it at once. Ledger lines are frozen: the match is an InvoiceMatch on the invoice that names the
 * earlier line (voucher and line index), which closes the line's open part in OpenItems, balances, statements and
 * explain; reversing the payment's voucher takes it off the invoice again.
 */
import type { CommandContext } from '../context.js';
import { emit, now, today } from '../context.js';
import type { Invoice, Voucher, VoucherLine, World } from '../model.js';
import { ACCOUNTS } from '../chart-of-accounts.js';
import { reject } from '../errors.js';
import { addMatch, laterMatches, lineKey, openPart, PAYMENT_VOUCHER_TYPES } from '../ledger.js';
import { formatNok } from '../money.js';
import type { LocalDate } from '../time.js';
import { getInvoice } from '../world.js';
import { afterOpenAmountChange } from './flow.js';

export interface OpenEntry {
  voucher: Voucher;
  index: number;
  line: VoucherLine;
  /** What is still open of it (ledger sign: a credit is negative). */
  open: number;
}

/** The customer's open entries posted with this matching reference, not reversed, oldest first. */
export function openEntriesWithReference(world: World, customerId: number, reference: string): OpenEntry[] {
  let later: ReturnType<typeof laterMatches> | undefined;
  const out: OpenEntry[] = [];
  for (const voucher of world.vouchers) {
    if (!PAYMENT_VOUCHER_TYPES.has(voucher.type) || world.reversals[voucher.id]) continue;
    voucher.lines.forEach((line, index) => {
      if (line.account !== ACCOUNTS.customerReceivables || line.customerId !== customerId || line.matchingReference !== reference) return;
      later ??= laterMatches(world);
      const open = openPart(line, later.get(lineKey(voucher.id, index)));
      if (open !== 0) out.push({ voucher, index, line, open });
    });
  }
  return out;
}

/**
 * Match the invoice with the customer's earlier open credits that carry its matching reference: 'exact' (the
 * vendor's "opposite amount") the first whose open part is the opposite of the invoice's open amount; 'any' as many
 * as it takes, oldest first. Each match is dated the later of the two entries' dates, or `date` when later.
 */
export function matchEarlierEntries(ctx: CommandContext, invoice: Invoice, date: LocalDate): number {
  const world = ctx.world;
  const reference = invoice.matchingReference;
  if (!reference || invoice.kind !== 'invoice' || invoice.openAmount <= 0) return 0;
  const exact = world.settings.paymentMatching.matchingReferenceAmounts === 'exact';
  let matched = 0;
  for (const entry of openEntriesWithReference(world, invoice.customerId, reference)) {
    if (invoice.openAmount === 0) break;
    if (entry.open >= 0) continue;
    if (exact && -entry.open !== invoice.openAmount) continue;
    const amount = Math.min(-entry.open, invoice.openAmount);
    const on = [entry.voucher.date, invoice.invoiceDate, date].sort().at(-1)!;
    addMatch(ctx, invoice, { kind: 'payment', voucher: entry.voucher, amount, line: entry.index, date: on });
    matched += amount;
    emit(
      ctx,
      'payment.matched',
      `earlier open payment of ${formatNok(-entry.line.amount)} (${entry.voucher.type} ${entry.voucher.voucherNo}, ` +
        `${entry.voucher.date}) matched against invoice ${invoice.invoiceNo}: ${formatNok(amount)} by matching reference ${reference}`,
      { invoiceId: invoice.id, customerId: invoice.customerId, voucherId: entry.voucher.id },
      {
        amount,
        openAmount: invoice.openAmount,
        voucherNo: entry.voucher.voucherNo,
        line: entry.index,
        matchingReference: reference,
        laterEntry: true,
      },
    );
    if (exact) break;
  }
  if (matched > 0) afterOpenAmountChange(ctx, invoice, 'paid');
  return matched;
}

/**
 * ERP user (or an import) gives an invoice its CustomMatchingReference after it was posted: the earlier open
 * entries with that reference are matched with it at once. Set once: another reference is refused.
 */
export function setMatchingReference(ctx: CommandContext, invoiceId: string, reference: string): Invoice {
  const world = ctx.world;
  const invoice = getInvoice(world, invoiceId, 'invoiceId');
  const value = reference.trim();
  if (!value) throw reject.invalid('customMatchingReference', 'must not be blank');
  if (invoice.matchingReference === value) return invoice;
  if (invoice.matchingReference !== undefined)
    throw reject.conflict(`invoice ${invoice.invoiceNo} has CustomMatchingReference ${invoice.matchingReference}; it is set once`, {
      field: 'customMatchingReference',
      current: invoice.matchingReference,
      allowed: [invoice.matchingReference],
    });
  invoice.matchingReference = value;
  invoice.lastChanged = now(world);
  emit(
    ctx,
    'invoice.matchingReferenceSet',
    `invoice ${invoice.invoiceNo} given CustomMatchingReference ${value}`,
    { invoiceId: invoice.id, customerId: invoice.customerId },
    { matchingReference: value },
  );
  matchEarlierEntries(ctx, invoice, today(world));
  return invoice;
}
