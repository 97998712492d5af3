/**
 * ERP user: direct payments the debtor makes to the client, posted as a bank voucher. Several payments may share
 * one voucher, but each line is matched: one line to one invoice; a line shared by several invoices forms one
 * ledger match, which an invoice in an open case cannot be part of. A line paying more than its invoices' open
 * amounts settles them and leaves the excess open on the customer's ledger as a credit, as a bank journal does
 * (settings.paymentMatching.overpayment 'refuse': a 409 instead).
 */
import type { CommandContext } from '../context.js';
import { emit, today } from '../context.js';
import type { Invoice, Voucher } from '../model.js';
import { reject } from '../errors.js';
import { getInvoice } from '../world.js';
import { addMatch, assertNotDuplicate, nextMatchGroup, postVoucher, type VoucherDraft } from '../ledger.js';
import { ACCOUNTS } from '../chart-of-accounts.js';
import { formatNok } from '../money.js';
import { bankAccountProblem } from '../identifiers.js';
import type { LocalDate } from '../time.js';
import { afterOpenAmountChange, inOpenCase } from './flow.js';

export interface PaymentLine {
  invoiceId?: string;
  /** One line matched against several invoices in one ledger match. */
  invoiceIds?: string[];
  amount: number;
}

/**
 * A payment given either as one invoice and amount or as lines, never both (the control API's and the scenarios'
 * two forms): its lines, amounts in whatever unit they were given.
 */
export function paymentLines(
  single: { invoiceId?: string | undefined; amount?: number | undefined },
  lines: PaymentLine[] | undefined,
): PaymentLine[] {
  if (lines && (single.invoiceId || single.amount !== undefined))
    throw reject.invalid('lines', 'cannot be combined with invoiceId/amount; use one form');
  if (!lines && (!single.invoiceId || single.amount === undefined))
    throw reject.invalid(single.invoiceId ? 'amount' : 'invoiceId', 'is required (or give lines)');
  return lines ?? [{ invoiceId: single.invoiceId!, amount: single.amount! }];
}

export interface NewPayment {
  lines: PaymentLine[];
  date?: LocalDate;
  /** 'bank' posts a BankJournal; 'ocr' an IncomingOcrGiro (KID payment) with the payer's account. */
  kind?: 'bank' | 'ocr';
  paidFromAccount?: string | null;
  description?: string;
  externalImportReference?: string | null;
}

interface Allocation {
  invoice: Invoice;
  amount: number;
  line: number;
  /** What the line pays beyond its invoices' open amounts: left open on the payment line as a credit. */
  excess: number;
}

const writtenOff = (invoice: Invoice) => invoice.matches.some((m) => m.kind === 'writeOff' && !m.reversedByVoucherId);

/** Why the open amount is short of a payment, with a hint when a write-off is in the way. */
function overpaymentMessage(invoice: Invoice, amount: number, alreadyAllocated: number): string {
  const available = invoice.openAmount - alreadyAllocated;
  return (
    `payment of ${formatNok(amount)} exceeds invoice ${invoice.invoiceNo}'s open amount ${formatNok(available)}` +
    (writtenOff(invoice) ? '; it is written off: reverse the write-off first (money came in after a write-off)' : '')
  );
}

export function postPayment(ctx: CommandContext, input: NewPayment): Voucher {
  const world = ctx.world;
  const date = input.date ?? today(world);
  if (date > today(world)) throw reject.invalid('date', `is in the future (today is ${today(world)})`);
  if (input.paidFromAccount) {
    const problem = bankAccountProblem(input.paidFromAccount);
    if (problem) throw reject.invalid('paidFromAccount', problem);
  }
  assertNotDuplicate(ctx, { externalImportReference: input.externalImportReference ?? null });
  if (input.lines.length === 0) throw reject.invalid('lines', 'needs at least one line');

  const allocations: Allocation[] = [];
  const sharedLines = new Set<number>();
  const allocated = new Map<string, number>();
  for (const [i, l] of input.lines.entries()) {
    const field = `lines[${i}]`;
    if (l.amount <= 0) throw reject.invalid(`${field}.amount`, 'must be more than 0');
    const ids = l.invoiceIds ?? (l.invoiceId ? [l.invoiceId] : []);
    if (ids.length === 0) throw reject.invalid(field, 'must name invoiceId or invoiceIds');
    if (l.invoiceId && l.invoiceIds) throw reject.invalid(field, 'names both invoiceId and invoiceIds; use one');
    const invoices = ids.map((id, k) => getInvoice(world, id, l.invoiceIds ? `${field}.invoiceIds[${k}]` : `${field}.invoiceId`));
    if (invoices.length > 1) {
      sharedLines.add(i);
      const customers = new Set(invoices.map((inv) => inv.customerId));
      if (customers.size > 1) throw reject.invalid(`${field}.invoiceIds`, 'are of different customers; a ledger match holds one customer');
      const inCase = invoices.find((inv) => inOpenCase(ctx, inv));
      if (inCase) {
        const code = world.cases[inCase.collection.caseId!]!.code;
        throw reject.conflict(
          `invoice ${inCase.invoiceNo} is in open case ${code}: it cannot be in a ledger match with other invoices; split the payment ` +
            `into one line per invoice`,
          { field: `${field}.invoiceIds`, current: 'in open case', allowed: ['one invoice per line'] },
        );
      }
    }
    // Spread the line over its invoices, oldest due first, up to each open amount.
    const refuse = world.settings.paymentMatching.overpayment === 'refuse';
    const ordered = [...invoices].sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.ordinal - b.ordinal);
    let rest = l.amount;
    for (const invoice of ordered) {
      const free = Math.max(invoice.openAmount - (allocated.get(invoice.id) ?? 0), 0);
      if (invoices.length === 1 && rest > free && refuse)
        throw reject.conflict(overpaymentMessage(invoice, rest, allocated.get(invoice.id) ?? 0), {
          field: `${field}.amount`,
          current: formatNok(free),
        });
      const take = Math.min(rest, free);
      if (take <= 0) continue;
      allocations.push({ invoice, amount: take, line: i, excess: 0 });
      allocated.set(invoice.id, (allocated.get(invoice.id) ?? 0) + take);
      rest -= take;
    }
    if (rest > 0) {
      if (refuse)
        throw reject.conflict(`line ${i} pays ${formatNok(l.amount)}, more than its invoices' open amounts together`, {
          field: `${field}.amount`,
        });
      // As a bank journal: the invoices are settled and the excess stays open on the line's last invoice line, a credit.
      const last = allocations.at(-1)?.line === i ? allocations.at(-1)! : undefined;
      if (last) last.excess = rest;
      else allocations.push({ invoice: ordered.at(-1)!, amount: 0, line: i, excess: rest });
    }
  }

  const total = allocations.reduce((s, a) => s + a.amount + a.excess, 0);
  const lines: VoucherDraft['lines'] = [{ account: ACCOUNTS.bank, amount: total, description: input.description ?? null }];
  for (const a of allocations)
    lines.push({
      account: ACCOUNTS.customerReceivables,
      amount: -(a.amount + a.excess),
      customerId: a.invoice.customerId,
      invoiceId: a.invoice.id,
      unmatched: a.excess > 0 ? { reason: 'overpaid', amount: -a.excess } : null,
    });
  const kind = input.kind ?? 'bank';
  const voucher = postVoucher(ctx, {
    type: kind === 'ocr' ? 'IncomingOcrGiro' : 'BankJournal',
    date,
    description: input.description ?? 'Direct payment',
    lines,
    externalImportReference: input.externalImportReference ?? null,
  });
  const groups = new Map<number, number>();
  for (const [k, a] of allocations.entries()) {
    if (a.excess > 0)
      emit(
        ctx,
        'payment.unmatched',
        `direct payment line ${a.line + 1}: ${formatNok(a.excess)} more than invoice ${a.invoice.invoiceNo}'s open amount${
          writtenOff(a.invoice) ? ' (it is written off: reverse the write-off to match money that came in after it)' : ''
        }; it stays open on customer ${a.invoice.customerId}'s ledger as a credit`,
        { invoiceId: a.invoice.id, customerId: a.invoice.customerId, voucherId: voucher.id },
        { amount: a.excess, voucherNo: voucher.voucherNo, line: k + 1, reason: 'overpaid' },
      );
    if (a.amount === 0) continue;
    let matchId: number | undefined;
    if (sharedLines.has(a.line)) {
      matchId = groups.get(a.line) ?? nextMatchGroup(ctx);
      groups.set(a.line, matchId);
    }
    addMatch(ctx, a.invoice, {
      kind: 'payment',
      voucher,
      amount: a.amount,
      ...(matchId ? { matchId } : {}),
      paidFromAccount: input.paidFromAccount ?? null,
    });
    emit(
      ctx,
      'payment.matched',
      `direct payment of ${formatNok(a.amount)} matched against invoice ${a.invoice.invoiceNo}`,
      {
        invoiceId: a.invoice.id,
        customerId: a.invoice.customerId,
        voucherId: voucher.id,
      },
      { amount: a.amount, openAmount: a.invoice.openAmount, voucherNo: voucher.voucherNo },
    );
    afterOpenAmountChange(ctx, a.invoice, 'paid');
  }
  return voucher;
}
