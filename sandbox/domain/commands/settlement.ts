/**
 * Agency integration: settlement back to the ERP. Collected payments are posted as bank vouchers whose customer
 * lines are matched to the invoice by invoice number or KID; costs, VAT and interest income go to the voucher
 * reception (bilagsmottak) as a booking suggestion the ERP user approves.
 */
import type { CommandContext } from '../context.js';
import { emit, now } from '../context.js';
import type { Invoice, ReceptionDraft, Voucher } from '../model.js';
import { DomainRejection, reject } from '../errors.js';
import { nextUuid } from '../ids.js';
import { integrationWithRight } from '../world.js';
import { addMatch, assertNotDuplicate, importReferenceKeys, linesProblem, postVoucher, type VoucherDraft, line } from '../ledger.js';
import { ACCOUNTS, accountExists, vatCode as findVatCode } from '../chart-of-accounts.js';
import { formatNok, splitVat } from '../money.js';
import type { LocalDate } from '../time.js';
import { afterOpenAmountChange } from './flow.js';
import { matchPaymentLine, type LineMatch } from './payment-matching.js';

/** One line of why a payment line (or part of it) matched no invoice, for the event journal. */
function unmatchedCause(m: LineMatch, amount: number): string {
  if (m.unmatched?.reason === 'overpaid')
    return `${formatNok(-amount)} is more than invoice ${m.invoice!.invoiceNo}'s open amount ${formatNok(m.amount)}`;
  if (m.unmatched?.reason === 'debit') return `a debit of ${formatNok(amount)} on the customer`;
  return `${formatNok(-amount)} matched no invoice (${m.notes.join('; ')})`;
}

export interface SettlementLine {
  account: number;
  /** Set when the line is on a customer's subledger (account 1500). */
  customerId: number | null;
  /** Debit positive, credit negative. */
  amount: number;
  invoiceNo?: string | null;
  cid?: string | null;
  /** Matched with an open entry of the same reference and the opposite amount. */
  matchingReference?: string | null;
  vatCode?: string | null;
  description?: string | null;
}

export interface NewBankJournal {
  date: LocalDate;
  description?: string;
  externalImportReference?: string | null;
  importedVoucherNo?: string | null;
  lines: SettlementLine[];
}

export interface NewReceptionDraft {
  date: LocalDate;
  description?: string;
  externalImportReference?: string | null;
  importedVoucherNo?: string | null;
  lines: SettlementLine[];
}

/**
 * Errors name domain paths ('lines[2].amount', 'externalImportReference'); the faces rename them to what their
 * wire calls the field.
 */
const lineField = (i: number, f: keyof SettlementLine) => `lines[${i}].${f}`;

const writingIntegration = (ctx: CommandContext, integrationId: string) => integrationWithRight(ctx.world, integrationId, 'write');

/** A customer line the sandbox refuses (an overpayment under the setting 'refuse'): the faces may say the vendor would post it. */
function unmatched(e: DomainRejection): DomainRejection {
  return e.with({ unmatched: true });
}

export interface BankJournalOptions {
  /** Refuse a repeated ImportedVoucherNo too (a sandbox invention; the vendor checks ExternalImportReference only). */
  uniqueImportedVoucherNo?: boolean;
}

export function postBankJournal(
  ctx: CommandContext,
  integrationId: string,
  input: NewBankJournal,
  options: BankJournalOptions = {},
): Voucher {
  const world = ctx.world;
  writingIntegration(ctx, integrationId);
  assertNotDuplicate(ctx, options.uniqueImportedVoucherNo ? input : { ...input, importedVoucherNo: null });
  const matches: Array<{ invoice: Invoice; amount: number; line: number }> = [];
  const found: Array<LineMatch | null> = input.lines.map(() => null);
  const taken = new Map<string, number>();
  for (const [i, l] of input.lines.entries()) {
    if (l.amount === 0) throw reject.invalid(lineField(i, 'amount'), 'must not be 0');
    if (l.account !== ACCOUNTS.customerReceivables) continue;
    if (l.customerId === null)
      throw reject.invalid(
        lineField(i, 'customerId'),
        "is required on the customer receivables account 1500 (post to a customer's subledger)",
      );
    // The vendor "tries to match" and posts the line either way: what no invoice accounts for stays open on the
    // customer's ledger (a prepayment, an unknown reference, a debit, the excess of an overpayment).
    const m = matchPaymentLine(
      world,
      world.settings.paymentMatching,
      { customerId: l.customerId, amount: l.amount, references: l },
      taken,
    );
    if (m.invoice && m.excess > 0 && world.settings.paymentMatching.overpayment === 'refuse')
      throw unmatched(
        reject.conflict(`payment of ${formatNok(-l.amount)} exceeds invoice ${m.invoice.invoiceNo}'s open amount ${formatNok(m.amount)}`, {
          field: lineField(i, 'amount'),
          current: formatNok(m.amount),
        }),
      );
    found[i] = m;
    if (m.invoice && m.amount > 0) {
      taken.set(m.invoice.id, (taken.get(m.invoice.id) ?? 0) + m.amount);
      matches.push({ invoice: m.invoice, amount: m.amount, line: i });
    }
  }
  const lines: VoucherDraft['lines'] = input.lines.map((l, i) => ({
    account: l.account,
    amount: l.amount,
    customerId: l.customerId,
    invoiceId: found[i]?.invoice?.id ?? null,
    vatCode: l.vatCode ?? null,
    description: l.description ?? null,
    ...(l.account === ACCOUNTS.customerReceivables
      ? {
          statedInvoiceNo: l.invoiceNo?.trim() || null,
          cid: l.cid?.trim() || null,
          matchingReference: l.matchingReference?.trim() || null,
          unmatched: found[i]?.unmatched ?? null,
        }
      : {}),
  }));
  const problem = linesProblem(lines);
  if (problem) throw reject.invalid(problem.field, problem.reason);

  const voucher = postVoucher(ctx, {
    type: 'BankJournal',
    date: input.date,
    description: input.description ?? 'Settlement from debt collection agency',
    lines,
    externalImportReference: input.externalImportReference ?? null,
    importedVoucherNo: input.importedVoucherNo ?? null,
  });
  emit(
    ctx,
    'settlement.posted',
    `bank journal ${voucher.voucherNo} posted by the agency`,
    { voucherId: voucher.id, integrationId },
    {
      voucherNo: voucher.voucherNo,
      externalImportReference: voucher.externalImportReference,
    },
  );
  for (const [i, m] of found.entries()) {
    if (!m?.unmatched) continue;
    const l = input.lines[i]!;
    emit(
      ctx,
      'payment.unmatched',
      `customer line ${i + 1}: ${unmatchedCause(m, l.amount)}; ${formatNok(Math.abs(m.unmatched.amount))} stays open on customer ` +
        `${l.customerId}'s ledger`,
      {
        customerId: l.customerId!,
        voucherId: voucher.id,
        integrationId,
        ...(m.invoice ? { invoiceId: m.invoice.id } : {}),
      },
      { amount: -m.unmatched.amount, voucherNo: voucher.voucherNo, line: i, reason: m.unmatched.reason, notes: m.notes },
    );
  }
  for (const m of matches) {
    addMatch(ctx, m.invoice, { kind: 'payment', voucher, amount: m.amount });
    emit(
      ctx,
      'payment.matched',
      `settlement of ${formatNok(m.amount)} from the agency matched against invoice ${m.invoice.invoiceNo}`,
      {
        invoiceId: m.invoice.id,
        customerId: m.invoice.customerId,
        voucherId: voucher.id,
        integrationId,
      },
      { amount: m.amount, openAmount: m.invoice.openAmount, voucherNo: voucher.voucherNo },
    );
    afterOpenAmountChange(ctx, m.invoice, 'paid');
  }
  return voucher;
}

/** Expand gross lines with a VAT code into net + VAT lines (input VAT to 2710, output VAT to 2700). */
function withVat(lines: SettlementLine[]): VoucherDraft['lines'] {
  const out: VoucherDraft['lines'] = [];
  for (const l of lines) {
    const vat = l.vatCode ? findVatCode(l.vatCode) : undefined;
    if (!vat || vat.rateBasisPoints === 0) {
      out.push({ account: l.account, amount: l.amount, vatCode: l.vatCode ?? null, description: l.description ?? null });
      continue;
    }
    const sign = Math.sign(l.amount);
    const { net, vat: vatAmount } = splitVat(Math.abs(l.amount), vat.rateBasisPoints);
    out.push({ account: l.account, amount: sign * net, vatCode: vat.code, description: l.description ?? null });
    out.push({ account: vat.direction === 'input' ? 2710 : ACCOUNTS.outputVat, amount: sign * vatAmount, vatCode: vat.code });
  }
  return out;
}

export function submitToVoucherReception(ctx: CommandContext, integrationId: string, input: NewReceptionDraft): ReceptionDraft {
  const world = ctx.world;
  writingIntegration(ctx, integrationId);
  assertNotDuplicate(ctx, input);
  for (const [i, l] of input.lines.entries()) {
    const field = `lines[${i}]`;
    if (!accountExists(l.account)) throw reject.invalid(field, `account ${l.account} does not exist in the chart of accounts`);
    if (l.account === ACCOUNTS.customerReceivables)
      throw reject.invalid(field, 'posts to the customer ledger; settle invoices with a bank journal (Vouchers/BankJournals) instead');
    if (l.vatCode && !findVatCode(l.vatCode)) throw reject.invalid(field, `VAT code ${l.vatCode} does not exist`);
  }
  const problem = linesProblem(withVat(input.lines));
  // The voucher the approval would post (with VAT lines) is at fault as a whole.
  if (problem) throw reject.invalid('lines', problem.reason);
  const draft: ReceptionDraft = {
    id: nextUuid(world),
    kind: 'ManualJournal',
    status: 'Draft',
    integrationId,
    date: input.date,
    description: input.description ?? 'Settlement from debt collection agency',
    lines: input.lines.map((l) =>
      line({ account: l.account, amount: l.amount, vatCode: l.vatCode ?? null, description: l.description ?? null }),
    ),
    importedVoucherNo: input.importedVoucherNo ?? null,
    externalImportReference: input.externalImportReference ?? null,
    submittedAt: now(world),
    postedVoucherId: null,
  };
  world.voucherReception[draft.id] = draft;
  // Reserve the references now: a repeat is a duplicate even before the user approves.
  for (const ref of importReferenceKeys(draft)) world.importReferences[ref] = draft.id;
  emit(
    ctx,
    'voucherReception.received',
    `booking suggestion "${draft.description}" received in the voucher reception`,
    { integrationId },
    { draftId: draft.id },
  );
  return draft;
}

function getDraft(ctx: CommandContext, id: string): ReceptionDraft {
  const draft = ctx.world.voucherReception[id];
  if (!draft) throw reject.notFound('voucher reception draft', id, 'id');
  if (draft.status !== 'Draft')
    throw reject.conflict(`draft ${id} is already ${draft.status}`, { field: 'id', current: draft.status, allowed: ['Draft'] });
  return draft;
}

/** ERP user approves a booking suggestion: it is posted as a manual journal. */
export function approveReceptionDraft(ctx: CommandContext, id: string): Voucher {
  const draft = getDraft(ctx, id);
  const voucher = postVoucher(ctx, {
    type: 'ManualJournal',
    date: draft.date,
    description: draft.description,
    lines: withVat(
      draft.lines.map((l) => ({
        account: l.account,
        amount: l.amount,
        customerId: null,
        vatCode: l.vatCode ?? null,
        description: l.description ?? null,
      })),
    ),
    importedVoucherNo: draft.importedVoucherNo,
    externalImportReference: draft.externalImportReference,
  });
  draft.status = 'Posted';
  draft.postedVoucherId = voucher.id;
  emit(
    ctx,
    'voucherReception.posted',
    `booking suggestion "${draft.description}" approved and posted as voucher ${voucher.voucherNo}`,
    { voucherId: voucher.id },
    { draftId: id },
  );
  return voucher;
}

export function rejectReceptionDraft(ctx: CommandContext, id: string): ReceptionDraft {
  const draft = getDraft(ctx, id);
  draft.status = 'Rejected';
  emit(ctx, 'voucherReception.rejected', `booking suggestion "${draft.description}" rejected`, {}, { draftId: id });
  return draft;
}
