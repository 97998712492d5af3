/** Domain -> v1 wire shapes. Vendor casing and formats live only here. */
import type { Static } from '@sinclair/typebox';
import type { Case, Invoice, World } from '../../domain/model.js';
import type { MatchView } from '../../domain/queries/matches.js';
import { oreToNok } from '../../domain/money.js';
import { formatLocalDateTime, formatLocalInstant } from '../../domain/time.js';
import { STEP_VOUCHER_TYPE } from '../../domain/rules/reminder-step.js';
import { CASE_STATUS_NUMBERS, VOUCHER_TYPE_NUMBERS } from '../../../contracts/schemas/enums.js';
import type { DebtCollectionCase, DebtCollectionInvoice, DebtCollectionInvoiceMatch } from '../../../contracts/schemas/v1.js';

/** An enum member as the client's enumFormat asks: the vendor's number (default) or its name. */
function enumOut<T extends Record<string, number>, K extends keyof T & string>(world: World, table: T, name: K): K | T[K] {
  return world.settings.enumFormat === 'names' ? name : table[name];
}

/** ImportedVoucherNo is a number in the vendor's v1 matches; the sandbox stores what v2 was sent, as text. */
function importedNo(value: string | null): number | null {
  return value !== null && /^\d{1,15}$/.test(value) ? Number(value) : null;
}

export function v1Invoice(world: World, invoice: Invoice): Static<typeof DebtCollectionInvoice> {
  const last = invoice.reminders.at(-1);
  const customer = world.customers[String(invoice.customerId)]!;
  const tz = world.timeZone;
  return {
    id: invoice.id,
    customerCode: customer.number,
    invoiceDate: formatLocalDateTime(invoice.invoiceDate),
    invoiceNo: invoice.invoiceNo,
    dueDate: formatLocalDateTime(invoice.dueDate),
    originalAmount: oreToNok(invoice.amount),
    remainingAmount: oreToNok(invoice.openAmount),
    currencyCode: invoice.currencyCode,
    cid: invoice.cid,
    lastChanged: formatLocalInstant(invoice.lastChanged, tz),
    lastReminderSentDate: last ? formatLocalDateTime(last.sentDate) : null,
    lastReminderDueDate: last ? formatLocalDateTime(last.dueDate) : null,
    lastReminderVoucherType: last ? enumOut(world, VOUCHER_TYPE_NUMBERS, STEP_VOUCHER_TYPE[last.step]) : null,
    lastReminderEmailAddress: last ? customer.emailAddress : null,
    invoiceEmailAddress: invoice.emailAddress,
    externalImportReference: invoice.externalImportReference,
    originalPostedAmount: oreToNok(invoice.amount),
  };
}

export function v1Case(world: World, kase: Case): Static<typeof DebtCollectionCase> {
  const invoices = kase.invoiceIds.map((id) => world.invoices[id]!);
  const invoiceLastChanged = invoices.reduce((max, i) => (i.lastChanged > max ? i.lastChanged : max), kase.lastChanged);
  return {
    id: kase.id,
    code: kase.code,
    status: enumOut(world, CASE_STATUS_NUMBERS, kase.status),
    invoices: invoices.map((i) => v1Invoice(world, i)),
    externalCaseUrl: kase.externalCaseUrl,
    balanceAgency: kase.balanceAgency === null ? null : oreToNok(kase.balanceAgency),
    lastChanged: formatLocalInstant(kase.lastChanged, world.timeZone),
    invoiceLastChanged: formatLocalInstant(invoiceLastChanged, world.timeZone),
  };
}

export function v1Match(world: World, { invoice, match, voucher }: MatchView): Static<typeof DebtCollectionInvoiceMatch> {
  const customer = world.customers[String(invoice.customerId)]!;
  // As posted on the customer ledger: a payment, credit note or write-off credits it (negative).
  const amount = oreToNok(-match.amount);
  return {
    id: match.id,
    customerCode: customer.number,
    voucherDate: formatLocalDateTime(voucher.date),
    postingDate: formatLocalDateTime(match.date),
    voucherNo: voucher.voucherNo,
    voucherType: enumOut(world, VOUCHER_TYPE_NUMBERS, voucher.type),
    amount,
    currencyAmount: amount,
    currencyCode: invoice.currencyCode,
    cid: invoice.cid,
    importedVoucherNo: importedNo(voucher.importedVoucherNo),
    createdFromImportId: null,
    voucherId: voucher.id,
    isWriteOff: match.isWriteOff,
    lastChanged: formatLocalInstant(match.postedAt, world.timeZone),
    externalImportReference: voucher.externalImportReference,
    isNoteMainEntry: false,
    matchId: match.matchId,
    paidFromAccount: match.paidFromAccount,
  };
}
