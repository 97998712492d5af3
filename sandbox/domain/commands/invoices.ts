/**
 * ERP user: invoice vouchers (fakturabilag): outgoing invoices and credit notes, made in Go or imported.
 * Only these take part in collection. A credit note never becomes a draft: it is matched against its invoice
 * and lowers the invoice's open amount; a fully credited invoice leaves the flow wherever it is.
 */
import type { CommandContext } from '../context.js';
import { emit, now, today } from '../context.js';
import type { Invoice } from '../model.js';
import { reject } from '../errors.js';
import { nextUuid } from '../ids.js';
import { kidForInvoice, kidProblem } from '../identifiers.js';
import { addDays, type LocalDate } from '../time.js';
import { getCustomer, getInvoice } from '../world.js';
import { addMatch, assertNotDuplicate, invoiceLines, postVoucher } from '../ledger.js';
import { splitVat, formatNok } from '../money.js';
import { vatCode as findVatCode } from '../chart-of-accounts.js';
import { reschedule } from '../schedule.js';
import { afterOpenAmountChange } from './flow.js';
import { matchEarlierEntries } from './reference-matching.js';

export interface NewInvoice {
  customerId: number;
  amount: number;
  invoiceDate?: LocalDate;
  dueDate?: LocalDate;
  invoiceNo?: number;
  cid?: string;
  vatCode?: string;
  currencyCode?: string;
  emailAddress?: string | null;
  /** Imported by file or API from another system (importerte bilag). */
  imported?: boolean;
  importedVoucherNo?: string | null;
  externalImportReference?: string | null;
  /** Payments naming the same matching reference at the opposite amount are matched against the invoice. */
  matchingReference?: string | null;
}

export interface NewCreditNote {
  invoiceId: string;
  amount: number;
  date?: LocalDate;
  vatCode?: string;
  externalImportReference?: string | null;
}

function checkVatCode(code: string, field: string): number {
  const vat = findVatCode(code);
  if (!vat || vat.direction === 'input') throw reject.invalid(field, `'${code}' is not an output VAT code`);
  return vat.rateBasisPoints;
}

function takeInvoiceNo(ctx: CommandContext, requested: number | undefined): number {
  const world = ctx.world;
  if (requested !== undefined) {
    if (Object.values(world.invoices).some((i) => i.invoiceNo === requested))
      throw reject.conflict(`invoice number ${requested} is taken`, { field: 'invoiceNo' });
    world.counters.invoiceNo = Math.max(world.counters.invoiceNo, requested);
    return requested;
  }
  world.counters.invoiceNo += 1;
  return world.counters.invoiceNo;
}

function newInvoiceRecord(
  ctx: CommandContext,
  fields: Omit<
    Invoice,
    'id' | 'ordinal' | 'voucherId' | 'postedAt' | 'openAmount' | 'matches' | 'reminders' | 'collection' | 'schedule' | 'lastChanged'
  >,
): Invoice {
  const world = ctx.world;
  world.counters.ordinal += 1;
  return {
    id: nextUuid(world),
    ordinal: world.counters.ordinal,
    ...fields,
    voucherId: '',
    postedAt: now(world),
    openAmount: fields.amount,
    matches: [],
    reminders: [],
    collection: { status: 'None', nextAction: 'Auto', caseId: null, draftedAt: null, approvedAt: null, obstacle: null, leftFlow: null },
    schedule: null,
    lastChanged: now(world),
  };
}

export function postInvoice(ctx: CommandContext, input: NewInvoice): Invoice {
  const world = ctx.world;
  const customer = getCustomer(world, input.customerId);
  if (input.amount <= 0) throw reject.invalid('amount', 'must be more than 0');
  const invoiceDate = input.invoiceDate ?? today(world);
  const dueDate = input.dueDate ?? addDays(invoiceDate, 14);
  if (dueDate < invoiceDate) throw reject.invalid('dueDate', `is before the invoice date ${invoiceDate}`);
  if (input.cid) {
    const problem = kidProblem(input.cid);
    if (problem) throw reject.invalid('cid', problem);
  }
  const vatCode = input.vatCode ?? '3';
  const rate = checkVatCode(vatCode, 'vatCode');
  assertNotDuplicate(ctx, input);

  const invoiceNo = takeInvoiceNo(ctx, input.invoiceNo);
  const invoice = newInvoiceRecord(ctx, {
    kind: 'invoice',
    customerId: customer.id,
    invoiceNo,
    invoiceDate,
    dueDate,
    amount: input.amount,
    currencyCode: input.currencyCode ?? 'NOK',
    vatCode,
    cid: input.cid ?? kidForInvoice(invoiceNo),
    imported: input.imported ?? false,
    importedVoucherNo: input.importedVoucherNo ?? null,
    externalImportReference: input.externalImportReference ?? null,
    ...(input.matchingReference?.trim() ? { matchingReference: input.matchingReference.trim() } : {}),
    emailAddress: input.emailAddress ?? customer.emailAddress,
    creditedInvoiceId: null,
  });
  const { net, vat } = splitVat(input.amount, rate);
  const voucher = postVoucher(ctx, {
    type: 'OutgoingInvoice',
    date: invoiceDate,
    description: `Invoice ${invoiceNo} to ${customer.name}`,
    lines: invoiceLines(invoice, net, vat, 1),
    importedVoucherNo: input.importedVoucherNo ?? null,
    externalImportReference: input.externalImportReference ?? null,
  });
  invoice.voucherId = voucher.id;
  world.invoices[invoice.id] = invoice;
  emit(
    ctx,
    'invoice.posted',
    `invoice ${invoiceNo} of ${formatNok(input.amount)} posted${invoice.imported ? ' (imported)' : ''}, due ${dueDate}`,
    {
      invoiceId: invoice.id,
      customerId: customer.id,
      voucherId: voucher.id,
    },
    { invoiceNo, amount: input.amount, dueDate },
  );
  // Go matches an entry posted with a CustomMatchingReference with the earlier open entries that have it at once.
  matchEarlierEntries(ctx, invoice, invoiceDate);
  reschedule(world, invoice);
  return invoice;
}

export function postCreditNote(ctx: CommandContext, input: NewCreditNote): Invoice {
  const world = ctx.world;
  const invoice = getInvoice(world, input.invoiceId);
  if (input.amount <= 0) throw reject.invalid('amount', 'must be more than 0');
  if (input.amount > invoice.openAmount)
    throw reject.conflict(
      `credit note of ${formatNok(input.amount)} exceeds invoice ${invoice.invoiceNo}'s open amount ${formatNok(invoice.openAmount)}`,
      {
        field: 'amount',
        current: formatNok(invoice.openAmount),
      },
    );
  const date = input.date ?? today(world);
  const vatCode = input.vatCode ?? invoice.vatCode;
  const rate = checkVatCode(vatCode, 'vatCode');
  assertNotDuplicate(ctx, { externalImportReference: input.externalImportReference ?? null });

  const invoiceNo = takeInvoiceNo(ctx, undefined);
  const note = newInvoiceRecord(ctx, {
    kind: 'creditNote',
    customerId: invoice.customerId,
    invoiceNo,
    invoiceDate: date,
    dueDate: date,
    amount: input.amount,
    currencyCode: invoice.currencyCode,
    vatCode,
    cid: invoice.cid,
    imported: false,
    importedVoucherNo: null,
    externalImportReference: input.externalImportReference ?? null,
    emailAddress: invoice.emailAddress,
    creditedInvoiceId: invoice.id,
  });
  const { net, vat } = splitVat(input.amount, rate);
  // The credit note's customer-ledger line is matched against the invoice it credits.
  const lines = invoiceLines({ ...note, id: invoice.id }, net, vat, -1);
  const voucher = postVoucher(ctx, {
    type: 'OutgoingCreditNote',
    date,
    description: `Credit note ${invoiceNo} for invoice ${invoice.invoiceNo}`,
    lines,
    externalImportReference: input.externalImportReference ?? null,
  });
  note.voucherId = voucher.id;
  note.openAmount = 0;
  world.invoices[note.id] = note;
  addMatch(ctx, invoice, { kind: 'creditNote', voucher, amount: input.amount });
  emit(
    ctx,
    'creditNote.posted',
    `credit note ${invoiceNo} of ${formatNok(input.amount)} matched against invoice ${invoice.invoiceNo}`,
    {
      invoiceId: invoice.id,
      customerId: invoice.customerId,
      voucherId: voucher.id,
    },
    { creditNoteId: note.id, creditNoteNo: invoiceNo, amount: input.amount, openAmount: invoice.openAmount },
  );
  afterOpenAmountChange(ctx, invoice, 'credited');
  return note;
}
