/**
 * The vendor's v1 DebtCollection models and requests (camelCase JSON; `vendor-v1-debtcollection.md`).
 * Requests bind case-insensitively, as the real ASP.NET server does.
 */
import { Type } from '@sinclair/typebox';
import { Nullable, NullableStrings, Uuid } from './common.js';
import { CASE_STATUS_NUMBERS, COLLECTION_STATUS_NUMBERS, NameOrNumber, StringEnum, VOUCHER_TYPE_NUMBERS } from './enums.js';

/** .NET DateTime without offset, as v1 serialises dates: 2026-01-05T00:00:00. */
const V1Date = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}T00:00:00$',
  description: 'local date as a .NET DateTime, e.g. 2026-01-05T00:00:00',
});
const V1Instant = Type.String({ format: 'date-time', description: 'ISO-8601 with the Europe/Oslo offset' });
const Amount = Type.Number({ description: 'NOK' });
const VoucherType = NameOrNumber(VOUCHER_TYPE_NUMBERS, 'VoucherType');

export const DebtCollectionInvoice = Type.Object({
  id: Uuid,
  customerCode: Type.Integer(),
  invoiceDate: V1Date,
  invoiceNo: Type.Integer(),
  dueDate: V1Date,
  originalAmount: Amount,
  remainingAmount: Amount,
  currencyCode: Type.String(),
  cid: Nullable(Type.String()),
  lastChanged: V1Instant,
  lastReminderSentDate: Nullable(V1Date),
  lastReminderDueDate: Nullable(V1Date),
  lastReminderVoucherType: Nullable(VoucherType),
  ...NullableStrings('lastReminderEmailAddress', 'invoiceEmailAddress', 'externalImportReference'),
  originalPostedAmount: Amount,
});

export const DebtCollectionCase = Type.Object({
  id: Uuid,
  code: Type.String(),
  status: NameOrNumber(CASE_STATUS_NUMBERS, 'DebtCollectionCaseStatus'),
  invoices: Type.Array(DebtCollectionInvoice),
  externalCaseUrl: Nullable(Type.String()),
  balanceAgency: Nullable(Amount),
  lastChanged: V1Instant,
  invoiceLastChanged: V1Instant,
});

export const DebtCollectionInvoiceMatch = Type.Object({
  id: Type.Integer(),
  customerCode: Type.Integer(),
  voucherDate: V1Date,
  postingDate: V1Date,
  voucherNo: Type.Integer(),
  voucherType: VoucherType,
  amount: Type.Number({ description: 'NOK as posted on the customer ledger: a payment, credit note or write-off is negative' }),
  currencyAmount: Amount,
  currencyCode: Type.String(),
  cid: Nullable(Type.String()),
  importedVoucherNo: Nullable(
    Type.Integer({ description: 'a number, as the vendor documents it; null when none was given or it is not a whole number' }),
  ),
  createdFromImportId: Nullable(Uuid),
  voucherId: Uuid,
  isWriteOff: Type.Boolean(),
  lastChanged: V1Instant,
  externalImportReference: Nullable(Type.String()),
  isNoteMainEntry: Type.Boolean(),
  matchId: Nullable(Type.Integer()),
  paidFromAccount: Nullable(Type.String()),
});

export const DebtCollectionCaseWithMatches = Type.Object({ matchedItems: Type.Array(DebtCollectionInvoiceMatch) });

// ---- requests ----------------------------------------------------------------------------------------------

const InvoiceRef = Type.Union([Uuid, Type.Object({ id: Uuid }, { additionalProperties: true })], {
  description: 'an invoice id, or an invoice object with its id',
});

export const CreateCaseRequest = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 100, description: "the agency's own case number" }),
    invoices: Type.Optional(Nullable(Type.Array(InvoiceRef))),
    externalCaseUrl: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
    balanceAgency: Type.Optional(Nullable(Type.Number({ 'x-nok': true }))),
  },
  { additionalProperties: true },
);

export const AddInvoicesToCaseRequest = Type.Object(
  { caseId: Uuid, invoiceIds: Type.Array(Uuid, { minItems: 1 }) },
  { additionalProperties: true },
);

export const MergeCasesRequest = Type.Object(
  {
    caseNo: Type.String({ minLength: 1, maxLength: 100 }),
    caseIds: Type.Array(Uuid, { minItems: 2 }),
    externalCaseUrl: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  },
  { additionalProperties: true },
);

export const UpdateStatusRequest = Type.Object(
  {
    caseId: Uuid,
    statusText: Type.String({ minLength: 1, maxLength: 4000 }),
    isCaseClosed: Type.Optional(Nullable(Type.Boolean())),
    updatedBalanceAgency: Type.Optional(Nullable(Type.Number({ 'x-nok': true }))),
  },
  { additionalProperties: true },
);

export const ODataQuery = Type.Object({
  options: Type.Optional(
    Type.String({
      maxLength: 8000,
      description:
        "the vendor's older form: the OData query in one parameter, e.g. options=$filter=InvoiceNo eq 10001&$top=10 (URL-encoded), or " +
        'a bare $filter expression',
    }),
  ),
  $filter: Type.Optional(Type.String({ maxLength: 4000 })),
  $orderby: Type.Optional(Type.String({ maxLength: 500 })),
  $skip: Type.Optional(Type.Integer({ minimum: 0 })),
  $top: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
});

/** The vendor's older POST forms: the request as JSON in ?request= instead of the body. */
export const RequestQuery = Type.Object({
  request: Type.Optional(
    Type.String({ maxLength: 100_000, description: "the vendor's older form: the request object as JSON, used when the body is empty" }),
  ),
});

export const IdParam = Type.Object({ id: Uuid });
export const MatchedItemsParams = Type.Object({ debtCollectionInvoiceId: Uuid });
export const FromDateTimeQuery = Type.Object({
  fromDateTime: Type.String({
    minLength: 10,
    maxLength: 40,
    description: 'date or date-time; local time unless it carries Z or an offset',
  }),
});
export const FromDateTimeParams = FromDateTimeQuery;
export const PdfQuery = Type.Object({ id: Uuid });

export { StringEnum };

// ---- outgoing invoices (v1 OutgoingInvoice service) ---------------------------------------------------------

/** A field of the vendor's model the sandbox does not keep: always null. */
const NotKept = (description = 'not kept by the sandbox: always null') => Type.Null({ description });

/** GoApi.Invoices.OutgoingInvoiceStatus (type_outgoinginvoicestatus.md). */
export const OUTGOING_INVOICE_STATUS_NUMBERS = { Draft: 0, Approved: 1, Sent: 2, Paid: 3, Archived: 4 } as const;
/** GoApi.Common.VoucherLineType (type_voucherlinetype.md): the member the sandbox's lines use. */
export const VOUCHER_LINE_TYPE_NUMBERS = { Normal: 0 } as const;

/**
 * The fields OutgoingInvoice/List and OutgoingInvoice/{id} share (route_get_outgoinginvoice_list_.md,
 * route_get_outgoinginvoice__id__.md).
 */
const OutgoingInvoiceCommon = {
  id: Uuid,
  invoiceDeliveryType: NotKept(),
  orderNo: NotKept(),
  importedOrderNo: NotKept(),
  orderDate: NotKept(),
  customerEmail: Nullable(Type.String()),
  currencyCode: Type.String(),
  customerCode: Type.Integer(),
  ourReferenceEmployeeCode: NotKept(),
  purchaseOrderNo: NotKept(),
  projectCode: NotKept(),
  dim1Code: NotKept(),
  dim2Code: NotKept(),
  dim3Code: NotKept(),
  totalAmount: Type.Number({ description: 'NOK incl. VAT; negative on a credit note' }),
  netAmount: Type.Number({ description: 'NOK excl. VAT; negative on a credit note' }),
  departmentCode: NotKept(),
  status: NameOrNumber(OUTGOING_INVOICE_STATUS_NUMBERS, 'OutgoingInvoiceStatus'),
  documentNo: Type.String({ description: 'the invoice number as text' }),
  cid: Nullable(Type.String()),
  paymentTerms: Type.Integer({ description: 'days from the invoice date to the due date' }),
  lastChanged: V1Instant,
  createdDate: V1Instant,
  brandingThemeCode: NotKept(),
  contractNo: NotKept(),
  customerReference: NotKept(),
  deliveryAddressId: NotKept(),
  deliveryAddress1: NotKept(),
  deliveryAddress2: NotKept(),
  deliveryAddressZipCode: NotKept(),
  deliveryAddressCity: NotKept(),
  deliveryAddressCountryCode: NotKept(),
  deliveryTerm: NotKept(),
  currencyExchangeRate: NotKept(),
  balance: Type.Number({ description: 'NOK still owed (0 on a credit note)' }),
  contactGroupId: NotKept(),
  contactGroup: NotKept(),
  externalImportReference: Nullable(Type.String()),
  voucherDate: V1Date,
  dueDate: V1Date,
  expectedDueDate: NotKept(),
  invoiceDebtCollectionStatus: NameOrNumber(COLLECTION_STATUS_NUMBERS, 'DebtCollectionStatus'),
  debtCollectionCaseStatus: Nullable(NameOrNumber(CASE_STATUS_NUMBERS, 'DebtCollectionCaseStatus')),
  debtCollectionCode: Nullable(Type.String({ description: "the agency's case number when the invoice is in a case" })),
  relatedDocumentNo: Nullable(Type.String({ description: 'on a credit note: the number of the invoice it credits' })),
  customMatchingReference: NotKept(),
  isInvoiceBeingProcessed: Type.Boolean(),
  lastErrorMessage: NotKept(),
  sentDate: Nullable(V1Date),
  voucherNo: Type.Integer(),
  invoiceNo: Type.Integer(),
};

export const OutgoingInvoiceListItem = Type.Object({ ...OutgoingInvoiceCommon, invoiceDeliveryDate: Nullable(V1Date) });

export const OutgoingInvoiceLine = Type.Object({
  id: Type.Integer(),
  description: Nullable(Type.String()),
  projectCode: NotKept(),
  departmentCode: NotKept(),
  dim1Code: NotKept(),
  dim2Code: NotKept(),
  dim3Code: NotKept(),
  locationCode: NotKept(),
  quantity: Type.Number(),
  discountPercent: Type.Number(),
  productCode: NotKept(),
  unitOfMeasureCode: NotKept(),
  totalAmount: Type.Number(),
  netAmount: Type.Number(),
  sortOrder: Type.Integer(),
  lineType: NameOrNumber(VOUCHER_LINE_TYPE_NUMBERS, 'VoucherLineType'),
  exemptVat: Type.Boolean(),
  vatReturnSpecification: NotKept(),
  salesPersonEmployeeCode: NotKept(),
  unitPrice: Type.Number(),
  unitCost: NotKept(),
  isDeleted: Type.Boolean(),
  accrual: NotKept(),
  salesAccount: Type.Integer(),
  vatExemptSalesAccount: NotKept(),
  vatCode: Nullable(Type.String()),
  vatRate: Type.Number(),
  externalImportLineReference: NotKept(),
});

export const OutgoingInvoice = Type.Object({
  ...OutgoingInvoiceCommon,
  locationCode: NotKept(),
  deliveryDate: NotKept(),
  customerReferenceContactPersonId: NotKept(),
  outgoingInvoiceLines: Type.Array(OutgoingInvoiceLine),
});
