/**
 * The vendor's v1 OutgoingInvoice service, read side: List (OData, or the older ?options= form) and {id}. The only
 * place outside DebtCollection where v1 shows an invoice's collection status (invoiceDebtCollectionStatus,
 * debtCollectionCaseStatus, debtCollectionCode). Fields the sandbox does not keep are null, as Newtonsoft writes them.
 */
import type { Static } from '@sinclair/typebox';
import type { Operation } from '../core/types.js';
import { ROUTES as R } from '../../../contracts/routes.js';
import { agencyRead } from '../agency/caller.js';
import { applyOData } from './odata.js';
import { odataOf, one, page, v1Op } from './operations.js';
import * as S from '../../../contracts/schemas/v1.js';
import { CASE_STATUS_NUMBERS, COLLECTION_STATUS_NUMBERS } from '../../../contracts/schemas/enums.js';
import { invoicesInOrder } from '../../domain/world.js';
import { voucherById } from '../../domain/ledger.js';
import { ledgerLineId } from '../../domain/queries/ledger.js';
import { ACCOUNTS, VAT_CODES } from '../../domain/chart-of-accounts.js';
import { oreToNok, splitVat } from '../../domain/money.js';
import { daysBetween, formatLocalDateTime, formatLocalInstant, localDate } from '../../domain/time.js';
import { reject } from '../../domain/errors.js';
import type { Invoice, World } from '../../domain/model.js';

const TAGS = ['v1 OutgoingInvoice'];

/** An enum member as the client's enumFormat asks: the vendor's number (default) or its name. */
function enumOut<T extends Record<string, number>, K extends keyof T & string>(world: World, table: T, name: K): K | T[K] {
  return world.settings.enumFormat === 'names' ? name : table[name];
}

/** Paid once nothing is owed by payments and credits; a written-off invoice stays Sent (it was not paid). */
function statusOf(inv: Invoice): keyof typeof S.OUTGOING_INVOICE_STATUS_NUMBERS {
  if (inv.kind === 'creditNote' || inv.openAmount !== 0) return 'Sent';
  return inv.matches.some((m) => m.kind === 'writeOff' && !m.reversedByVoucherId) ? 'Sent' : 'Paid';
}

function amounts(inv: Invoice) {
  const rate = VAT_CODES.find((v) => v.code === inv.vatCode)?.rateBasisPoints ?? 0;
  const sign = inv.kind === 'creditNote' ? -1 : 1;
  const split = splitVat(inv.amount, rate);
  return { rate, sign, net: split.net, total: inv.amount };
}

function common(world: World, inv: Invoice) {
  const customer = world.customers[String(inv.customerId)]!;
  const kase = inv.collection.caseId ? world.cases[inv.collection.caseId] : undefined;
  const credited = inv.creditedInvoiceId ? world.invoices[inv.creditedInvoiceId] : undefined;
  const { sign, net, total } = amounts(inv);
  const sent = inv.imported ? null : formatLocalDateTime(localDate(inv.postedAt, world.timeZone));
  return {
    id: inv.id,
    invoiceDeliveryType: null,
    orderNo: null,
    importedOrderNo: null,
    orderDate: null,
    customerEmail: inv.emailAddress ?? customer.invoiceEmailAddress ?? customer.emailAddress,
    currencyCode: inv.currencyCode,
    customerCode: customer.number,
    ourReferenceEmployeeCode: null,
    purchaseOrderNo: null,
    projectCode: null,
    dim1Code: null,
    dim2Code: null,
    dim3Code: null,
    totalAmount: oreToNok(sign * total),
    netAmount: oreToNok(sign * net),
    departmentCode: null,
    status: enumOut(world, S.OUTGOING_INVOICE_STATUS_NUMBERS, statusOf(inv)),
    documentNo: String(inv.invoiceNo),
    cid: inv.cid,
    paymentTerms: daysBetween(inv.invoiceDate, inv.dueDate),
    lastChanged: formatLocalInstant(inv.lastChanged, world.timeZone),
    createdDate: formatLocalInstant(inv.postedAt, world.timeZone),
    brandingThemeCode: null,
    contractNo: null,
    customerReference: null,
    deliveryAddressId: null,
    deliveryAddress1: null,
    deliveryAddress2: null,
    deliveryAddressZipCode: null,
    deliveryAddressCity: null,
    deliveryAddressCountryCode: null,
    deliveryTerm: null,
    currencyExchangeRate: null,
    balance: oreToNok(inv.kind === 'creditNote' ? 0 : inv.openAmount),
    contactGroupId: null,
    contactGroup: null,
    externalImportReference: inv.externalImportReference,
    voucherDate: formatLocalDateTime(inv.invoiceDate),
    dueDate: formatLocalDateTime(inv.dueDate),
    expectedDueDate: null,
    invoiceDebtCollectionStatus: enumOut(world, COLLECTION_STATUS_NUMBERS, inv.collection.status),
    debtCollectionCaseStatus: kase ? enumOut(world, CASE_STATUS_NUMBERS, kase.status) : null,
    debtCollectionCode: kase?.code ?? null,
    relatedDocumentNo: credited ? String(credited.invoiceNo) : null,
    customMatchingReference: null,
    isInvoiceBeingProcessed: false,
    lastErrorMessage: null,
    sentDate: sent,
    voucherNo: voucherById(world, inv.voucherId)!.voucherNo,
    invoiceNo: inv.invoiceNo,
  };
}

export function v1OutgoingInvoiceListItem(world: World, inv: Invoice): Static<typeof S.OutgoingInvoiceListItem> {
  const row = common(world, inv);
  return { ...row, invoiceDeliveryDate: row.sentDate };
}

/** The invoice with its one sales line (the sandbox books one line per invoice, as on v2 OutgoingInvoices/{id}/Lines). */
export function v1OutgoingInvoice(world: World, inv: Invoice): Static<typeof S.OutgoingInvoice> {
  const { rate, sign, net, total } = amounts(inv);
  const voucher = voucherById(world, inv.voucherId)!;
  return {
    ...common(world, inv),
    locationCode: null,
    deliveryDate: null,
    customerReferenceContactPersonId: null,
    outgoingInvoiceLines: [
      {
        id: ledgerLineId(voucher, 1),
        description: voucher.description || null,
        projectCode: null,
        departmentCode: null,
        dim1Code: null,
        dim2Code: null,
        dim3Code: null,
        locationCode: null,
        quantity: 1,
        discountPercent: 0,
        productCode: null,
        unitOfMeasureCode: null,
        totalAmount: oreToNok(sign * total),
        netAmount: oreToNok(sign * net),
        sortOrder: 0,
        lineType: enumOut(world, S.VOUCHER_LINE_TYPE_NUMBERS, 'Normal'),
        exemptVat: rate === 0,
        vatReturnSpecification: null,
        salesPersonEmployeeCode: null,
        unitPrice: oreToNok(net),
        unitCost: null,
        isDeleted: false,
        accrual: null,
        salesAccount: ACCOUNTS.sales,
        vatExemptSalesAccount: null,
        vatCode: inv.vatCode ?? null,
        vatRate: rate / 10_000,
        externalImportLineReference: null,
      },
    ],
  };
}

export const v1OutgoingInvoiceOperations: Operation[] = [
  v1Op(R.v1ListOutgoingInvoices, {
    summary: "The client's outgoing invoices and credit notes, lightweight, with each invoice's debt-collection status and case",
    description:
      'OData $filter/$orderby/$skip/$top on the item fields (or the older ?options= form). invoiceDebtCollectionStatus is the Inkasso ' +
      'menu state ' +
      '(DebtCollectionStatus), debtCollectionCaseStatus and debtCollectionCode those of the case the invoice is in (null outside a case).',
    tags: TAGS,
    answers: 'invoices',
    handle: ({ query }, ctx) =>
      agencyRead(ctx, (world) => {
        const rows = invoicesInOrder(world).map((inv) => v1OutgoingInvoiceListItem(world, inv));
        const { items, count } = applyOData(rows, odataOf(query), world.timeZone);
        return page(items, count);
      }),
  }),
  v1Op(R.v1GetOutgoingInvoice, {
    summary: 'An outgoing invoice or credit note with its lines and its debt-collection status and case',
    tags: TAGS,
    answers: 'the invoice',
    handle: ({ params }, ctx) =>
      agencyRead(ctx, (world) => {
        const inv = world.invoices[params.id];
        if (!inv) throw reject.notFound('outgoing invoice', params.id, 'id');
        return one(v1OutgoingInvoice(world, inv));
      }),
  }),
];
