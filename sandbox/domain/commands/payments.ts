/**
 * ERP user: direct payments the debtor makes to the client, posted as a bank voucher. Several payments may share
 * one voucher, but each line is matched: one line to one invoice; a line shared by several invoices forms one
 * ledger match, which an invoice in an open case cannot be part of.
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
}

/** Why the open amount is short of a payment, with a hint when a write-off is in the way. */
function overpaymentMessage(invoice: Invoice, amount: number, alreadyAllocated: number): string {
  const available = invoice.openAmount - alreadyAllocated;
  const writtenOff = invoice.matches.some((m) => m.kind === 'writeOff' && !m.reversedByVoucherId);
  return (
    `payment of ${formatNok(amount)} exceeds invoice ${invoice.invoiceNo}'s open amount ${formatNok(available)}` +
    (writtenOff ? '; it is written off: reverse the write-off first (money came in after a write-off)' : '')
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
          `invoice ${inCase.invoiceNo} is in open case ${code}: it cannot be in a ledger match with other invoices; split the payment into one line per invoice`,
          { field: `${field}.invoiceIds`, current: 'in open case', allowed: ['one invoice per line'] },
        );
      }
    }
    // Spread the line over its invoices, oldest due first, up to each open amount.
    let rest = l.amount;
    for (const invoice of [...invoices].sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.ordinal - b.ordinal)) {
      const free = invoice.openAmount - (allocated.get(invoice.id) ?? 0);
      const take = invoices.length === 1 ? rest : Math.min(rest, free);
      if (take <= 0) continue;
      if (take > free)
        throw reject.conflict(overpaymentMessage(invoice, take, allocated.get(invoice.id) ?? 0), {
          field: `${field}.amount`,
          current: formatNok(free),
        });
      allocations.push({ invoice, amount: take, line: i });
      allocated.set(invoice.id, (allocated.get(invoice.id) ?? 0) + take);
      rest -= take;
    }
    if (rest > 0)
      throw reject.conflict(`line ${i} pays ${formatNok(l.amount)}, more than its invoices' open amounts together`, {
        field: `${field}.amount`,
      });
  }

  const total = allocations.reduce((s, a) => s + a.amount, 0);
  const lines: VoucherDraft['lines'] = [{ account: ACCOUNTS.bank, amount: total, description: input.description ?? null }];
  for (const a of allocations)
    lines.push({ account: ACCOUNTS.customerReceivables, amount: -a.amount, customerId: a.invoice.customerId, invoiceId: a.invoice.id });
  const kind = input.kind ?? 'bank';
  const voucher = postVoucher(ctx, {
    type: kind === 'ocr' ? 'IncomingOcrGiro' : 'BankJournal',
    date,
    description: input.description ?? 'Direct payment',
    lines,
    externalImportReference: input.externalImportReference ?? null,
  });
  const groups = new Map<number, number>();
  for (const a of allocations) {
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
