/**
 * The vendor's v2 models (PascalCase; research-notes §1-3). Responses list only the fields the sandbox can fill
 * truthfully. Request bodies bind case-insensitively and refuse unknown fields (the vendor's DTOs are
 * additionalProperties:false), list every field the vendor's DTO has (those the sandbox does not use are accepted
 * and ignored), and accept null wherever a generated client sends null for "not set".
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { LocalDate, Nullable, NullableStrings, SupportedDates, Uuid } from './common.js';
import { StringEnum, VOUCHER_TYPES } from './enums.js';

const Strict = { additionalProperties: false } as const;
/** A field of the vendor's DTO the sandbox accepts and does not use (dimensions, SAF-T ids, quantities). */
const Ignored = (description = "the vendor's field; accepted and ignored by the sandbox") => Type.Optional(Type.Unknown({ description }));

/** A voucher line's exchange rate, dimensions and quantities: the vendor takes them, the sandbox ignores them. */
const IGNORED_LINE_DIMENSIONS = {
  CurrencyExchangeRate: Ignored(),
  DepartmentId: Ignored(),
  Dim1Id: Ignored(),
  Dim2Id: Ignored(),
  Dim3Id: Ignored(),
  LocationId: Ignored(),
  ProductId: Ignored(),
  ProjectId: Ignored(),
  Quantity: Ignored(),
  Quantity2: Ignored(),
};

/** A *DateTimeOffset as the vendor writes it: UTC with 7 fractional digits (or the client's offset, by setting). */
const Timestamp = Type.String({ format: 'date-time', description: 'e.g. 2026-01-19T07:00:00.0000000+00:00 (UTC, 7 fractional digits)' });
const Opt = <T extends TSchema>(t: T) => Type.Optional(Nullable(t));
const Amount = Type.Number({ description: 'NOK' });
/** Money in: NOK with at most two decimals (øre inside). */
const NokIn = (o: { exclusiveMinimum?: number; description?: string } = {}) =>
  Type.Number({ ...o, 'x-nok': true, description: o.description ?? 'NOK, at most two decimals' });
const Text = (max: number) => Type.String({ maxLength: max });
const Currency = Type.String({ minLength: 3, maxLength: 3, description: 'ISO 4217; the sandbox books NOK only' });
const LineCurrency = Type.String({ maxLength: 3, description: "the voucher's currency (NOK) or empty" });
const Id = Type.Integer({ description: 'int64' });
/** A DateOnly with its own description (spreading the shared schema would leak TypeBox's symbols into the types). */
const DateIn = (description: string) => Type.String({ format: 'date', ...SupportedDates, description });

// ---- paging and filters ----------------------------------------------------------------------------------

export const MAX_PAGE_SIZE = 20_000;
export const DEFAULT_PAGE_SIZE = 5_000;

/** ResourceParameters, sent flattened as query parameters. */
const Paging = {
  PageNumber: Type.Optional(Type.Integer({ minimum: 1, default: 1, description: '1-based page' })),
  PageSize: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: MAX_PAGE_SIZE,
      default: DEFAULT_PAGE_SIZE,
      description: `default ${DEFAULT_PAGE_SIZE}, at most ${MAX_PAGE_SIZE}`,
    }),
  ),
  Fields: Type.Optional(
    Type.String({
      maxLength: 2_000,
      description: 'comma-separated field names (any case): each item carries only these; an unknown name is 400',
    }),
  ),
  OrderBy: Type.Optional(
    Type.String({
      maxLength: 2_000,
      description: 'comma-separated "Field" or "Field desc" (any case), applied before paging; an unknown field is 400',
    }),
  ),
};

/** A ...GreaterThan cut-off (exclusive). */
const CutOff = (what: string) =>
  Type.Optional(
    Type.String({
      minLength: 10,
      maxLength: 40,
      description:
        `exclusive, on ${what}: YYYY-MM-DD (local midnight), a local date-time YYYY-MM-DDTHH:mm[:ss], or one with Z / ±HH:mm (send '+' ` +
        `as %2B)`,
    }),
  );
/** One string of comma-separated texts (references, voucher type names, ids). */
const TextList = (what: string, example: string) =>
  Type.Optional(Type.String({ maxLength: 20_000, description: `${what}: one comma-separated string, e.g. "${example}"` }));
const OnlyMine = Type.Optional(
  Type.Boolean({ description: 'only what this integration created (posted through the API with its token)' }),
);

/**
 * One string, as the vendor declares every filter: "10000-11000, 12000, 13000-" (numbers and ranges open at the top
 * with a trailing dash, comma-separated). A repeated key binds its first value, as ASP.NET does.
 */
const NumberRanges = (what: string, example = '10000-11000, 12000, 13000-') =>
  Type.String({
    pattern: '^\\s*\\d+(\\s*-\\s*\\d*)?\\s*(,\\s*\\d+(\\s*-\\s*\\d*)?\\s*)*$',
    maxLength: 20_000,
    description: `${what}: one string of comma-separated numbers and ranges, e.g. "${example}"`,
  });
/** One string of comma-separated numbers, no ranges (the vendor documents none here): "1337, 69420". */
const NumberList = (what: string) =>
  Type.String({
    pattern: '^\\s*\\d+\\s*(,\\s*\\d+\\s*)*$',
    maxLength: 20_000,
    description: `${what}: one string of comma-separated numbers, e.g. "1337, 69420" (no ranges)`,
  });

export const PagingQuery = Type.Object(Paging);

export const CustomersQuery = Type.Object({
  ...Paging,
  customerNos: Type.Optional(NumberRanges('customer numbers')),
  lastChangedDateTimeOffsetGreaterThan: CutOff('LastChangedDateTimeOffset'),
  customerCreatedDateTimeOffsetGreaterThan: CutOff('CustomerCreatedDateTimeOffset'),
  externalImportReference: Type.Optional(
    Type.String({ maxLength: 200, description: 'the customer created with this ExternalImportReference (sandbox customers have none)' }),
  ),
});

/** The customer-ledger entry filters OpenItems and Statement share; `voucherTypes` is the example of voucherTypes. */
const EntryFilters = (voucherTypes: string) => ({
  customerNos: Type.Optional(NumberRanges('customer numbers', '10000-15999, 12500, 13000-')),
  invoiceNos: Type.Optional(NumberList('invoice numbers')),
  createdDateTimeOffsetGreaterThan: CutOff('CreatedDateTimeOffset'),
  lastChangedDateTimeOffsetGreaterThan: CutOff('LastChangedDateTimeOffset'),
  voucherTypes: TextList('VoucherType names', voucherTypes),
  customMatchingReferences: TextList('CustomMatchingReference values', 'ref-1, ref-2'),
});

export const OpenItemsQuery = Type.Object({
  ...Paging,
  date: DateIn('the items open on this date (YYYY-MM-DD)'),
  ...EntryFilters('OutgoingInvoice, OutgoingPaymentReminder'),
  onlyCreatedByCurrentIntegration: OnlyMine,
});

export const OutgoingInvoicesQuery = Type.Object({
  ...Paging,
  onlyUnpaidInvoices: Type.Optional(Type.Boolean({ description: 'only invoices with Balance != 0' })),
  invoiceNos: Type.Optional(NumberRanges('invoice numbers', '1-5, 7, 9-')),
  customerNos: Type.Optional(NumberRanges('customer numbers')),
  fromDate: Type.Optional(DateIn('voucher date from (inclusive)')),
  toDate: Type.Optional(DateIn('voucher date to (inclusive)')),
  invoiceIds: TextList('OutgoingInvoiceDto.Id values (GUIDs)', '3fa85f64-5717-4562-b3fc-2c963f66afa6'),
  voucherNos: Type.Optional(NumberRanges('voucher numbers', '1-5, 7, 9-')),
  balanceLastChangedDateTimeOffsetGreaterThan: CutOff('BalanceLastChangedDateTimeOffset'),
  sentDateTimeOffsetGreaterThan: CutOff('SentDateTimeOffset'),
  customMatchingReferences: TextList('CustomMatchingReference values', 'ref-1, ref-2'),
  onlyCreatedByCurrentIntegration: OnlyMine,
});

export const GeneralLedgerAccountsQuery = Type.Object({
  ...Paging,
  accountNos: Type.Optional(NumberRanges('account numbers')),
});

export const CustomerBalancesQuery = Type.Object({
  ...Paging,
  date: DateIn('balances as of this date (inclusive)'),
  includeOnlyOpenItems: Type.Optional(Type.Boolean({ description: 'true: only customers whose balance is not 0' })),
  contactGroupIds: Type.Optional(NumberList('contact group ids (the sandbox has no contact groups: any value matches no customer)')),
  subLedgerNumberSeriesIds: Type.Optional(NumberList('sub-ledger number series ids (the sandbox has one series, id 1)')),
});

export const VoucherIdParam = Type.Object({ id: Uuid });

export const CustomerIdParam = Type.Object({ id: Type.Integer({ description: 'CustomerDto.Id' }) });
export const OutgoingInvoiceIdParam = Type.Object({ id: Uuid });

// ---- customers -------------------------------------------------------------------------------------------

export const ContactAddressDto = Type.Object({
  ...NullableStrings('AddressLine1', 'AddressLine2', 'ZipCode', 'City'),
  CountryCode: Nullable(Type.String({ description: 'ISO 3166 alpha-2' })),
});

const DeliveryType = (what: string) =>
  StringEnum(['PdfByEmail', 'Print'] as const, {
    description: `how a ${what} is delivered; PdfByEmail needs EmailAddress or PaymentReminderEmailAddress`,
  });

export const CustomerDto = Type.Object({
  Id,
  Number: Nullable(Type.Integer({ description: 'customer number (the customer-ledger account number)' })),
  Name: Nullable(Type.String()),
  IsPerson: Nullable(Type.Boolean({ description: 'a person (FirstName, LastName) rather than a company (Name, OrganizationNumber)' })),
  FirstName: Nullable(Type.String({ description: 'persons only' })),
  LastName: Nullable(Type.String({ description: 'persons only' })),
  OrganizationNumber: Nullable(Type.String({ description: 'companies only' })),
  NationalIdNumber: Nullable(
    Type.String({
      description:
        "persons only: 'hidden' when set (the vendor's answer without its special privilege; settings.v2Wire.nationalIdNumber 'value' " +
        'shows the number), null when empty',
    }),
  ),
  DateOfBirth: Nullable(LocalDate),
  ...NullableStrings('PhoneNumber', 'EmailAddress', 'InvoiceEmailAddress', 'PaymentReminderEmailAddress'),
  ReminderDeliveryType: Nullable(DeliveryType('(payment) reminder (purring)')),
  NoticeOfDebtCollectionDeliveryType: Nullable(DeliveryType('notice of debt collection (inkassovarsel)')),
  MailAddress: ContactAddressDto,
  TransferToDebtCollectionAgency: Nullable(Type.Boolean()),
  LastChangedDateTimeOffset: Timestamp,
  CustomerCreatedDateTimeOffset: Timestamp,
  SubledgerAccountId: Type.Integer({ description: "the AccountId a voucher line uses to post to this customer's subledger" }),
  IsActive: Nullable(Type.Boolean()),
  CurrencyCode: Nullable(Type.String()),
  LegalName: Nullable(Type.String({ description: "a company's registered name (the card's name); null for a person" })),
  ExternalNumber: Nullable(Type.Integer()),
  ExternalImportReference: Nullable(Type.String()),
  IsArchived: Nullable(Type.Boolean()),
  ContactGroupIds: Nullable(Type.Array(Type.Integer(), { description: 'the sandbox has no contact groups: always empty' })),
  ContactCreatedDateTimeOffset: Timestamp,
  CustomerSince: Nullable(LocalDate),
  SendPaymentReminders: Nullable(Type.Boolean({ description: "the client's reminder settings apply to every card in the sandbox" })),
  DoNotAddLatePaymentFees: Nullable(Type.Boolean()),
  DoNotAddLatePaymentInterest: Nullable(Type.Boolean()),
});

// ---- customer ledger -------------------------------------------------------------------------------------

const VoucherTypeName = StringEnum(VOUCHER_TYPES, { description: 'VoucherType' });

export const CustomerLedgerEntryDto = Type.Object({
  Id,
  Amount: Type.Number({ description: 'NOK as posted: a debit on the customer is positive' }),
  Balance: Type.Number({ description: 'NOK still open on the date' }),
  Cid: Nullable(Type.String()),
  CustomerAccountNo: Nullable(Type.Integer({ description: 'CustomerDto.Number' })),
  CustomerId: Nullable(Id),
  CustomerName: Nullable(Type.String()),
  DueDate: Nullable(LocalDate),
  InvoiceNo: Nullable(Type.String()),
  MatchId: Nullable(Type.Integer()),
  PostingDate: LocalDate,
  VoucherDate: LocalDate,
  VoucherId: Uuid,
  VoucherNo: Type.Integer(),
  VoucherType: Nullable(VoucherTypeName),
  IsWriteOff: Nullable(Type.Boolean()),
  CurrencyAmount: Amount,
  CurrencyCode: Nullable(Type.String()),
  ExternalImportReference: Nullable(Type.String()),
  CustomMatchingReference: Nullable(
    Type.String({ description: "the entry's matching reference: an invoice's, or the one a bank-journal line was posted with" }),
  ),
  CreatedDateTimeOffset: Timestamp,
  LastChangedDateTimeOffset: Timestamp,
});

// ---- outgoing invoices -----------------------------------------------------------------------------------

export const OutgoingInvoiceDto = Type.Object({
  Id: Uuid,
  InvoiceNo: Nullable(Type.Integer()),
  VoucherNo: Type.Integer(),
  VoucherType: Nullable(StringEnum(['OutgoingInvoice', 'OutgoingCreditNote'] as const)),
  VoucherDate: LocalDate,
  DueDate: Nullable(LocalDate),
  Balance: Nullable(Type.Number({ description: 'NOK still open; 0 = paid (always 0 on a credit note)' })),
  TotalAmount: Type.Number({ description: 'gross NOK; negative on a credit note' }),
  NetAmount: Type.Number({ description: 'net of VAT' }),
  TotalPostedAmount: Amount,
  NetPostedAmount: Amount,
  CurrencyCode: Nullable(Type.String()),
  Cid: Nullable(Type.String()),
  CustomerId: Nullable(Id),
  CustomerNo: Nullable(Type.Integer()),
  MatchId: Nullable(Type.Integer()),
  IsReversed: Type.Boolean(),
  ExternalImportReference: Nullable(Type.String()),
  CustomMatchingReference: Nullable(
    Type.String({ description: 'a payment line with the same reference and the opposite amount is matched against the invoice' }),
  ),
  CreatedDateTimeOffset: Timestamp,
  LastChangedDateTimeOffset: Timestamp,
  BalanceLastChangedDateTimeOffset: Nullable(Timestamp),
  SentDateTimeOffset: Nullable(
    Type.String({ format: 'date-time', description: 'when the ERP sent the invoice; null for an imported one (sent elsewhere)' }),
  ),
});

// ---- general ledger accounts and VAT codes ---------------------------------------------------------------

export const GeneralLedgerAccountDto = Type.Object({
  Id: Type.Integer({ description: 'the AccountId voucher lines use for this account' }),
  AccountNo: Type.Integer(),
  Name: Nullable(Type.String()),
  IsActive: Nullable(Type.Boolean()),
  VatCode: Nullable(Type.String()),
  VatCodeId: Nullable(Type.Integer()),
  CurrencyCode: Nullable(Type.String()),
});

export const VatCodeDto = Type.Object({
  Id: Type.Integer({ description: 'the VatId voucher lines use for this code' }),
  Code: Nullable(Type.String()),
  Name: Nullable(Type.String()),
  Rate: Type.Number({ minimum: 0, maximum: 1 }),
  IsActive: Nullable(Type.Boolean()),
});

// ---- bank journals (posted directly) ---------------------------------------------------------------------

/** Required keys, as the vendor's DTO has them: PostingDate and VatId must be present; VatId may be null. */
export const BankVoucherLinePostDto = Type.Object(
  {
    PostingDate: DateIn('required key (the vendor requires it)'),
    AccountId: Nullable(
      Type.Integer({
        description:
          "GeneralLedgerAccountDto.Id or CustomerDto.SubledgerAccountId; nullable in the vendor's DTO, but a line needs one (null is 400)",
      }),
    ),
    CurrencyAmount: NokIn({ description: 'NOK, not 0: positive debits, negative credits the account' }),
    CurrencyCode: Opt(LineCurrency),
    InvoiceNo: Opt(Text(50)),
    Cid: Opt(Text(25)),
    VatId: Nullable(Type.Integer({ description: 'required key, may be null (no VAT)' })),
    Description: Opt(Text(500)),
    CustomMatchingReference: Opt(
      Type.String({
        maxLength: 50,
        description:
          'matched at once with an open entry (an invoice) of the same reference and the opposite amount; tried after InvoiceNo and Cid',
      }),
    ),
    ExternalLineReference: Ignored(),
    ...IGNORED_LINE_DIMENSIONS,
    VatReturnSpecification: Ignored(),
  },
  { ...Strict, required: ['AccountId', 'PostingDate', 'VatId', 'CurrencyAmount'] },
);

export const BankVoucherPostDto = Type.Object(
  {
    VoucherDate: LocalDate,
    CurrencyCode: Nullable(Currency),
    Description: Opt(Text(500)),
    ExternalImportReference: Opt(
      Type.String({
        maxLength: 50,
        description: 'duplicate check: one voucher per reference on the client (empty = none); a repeat is 400',
      }),
    ),
    ImportedVoucherNo: Opt(
      Type.Integer({ description: 'external voucher number, shown in reports; not unique (a setting can make it so)' }),
    ),
    VoucherLines: Type.Array(BankVoucherLinePostDto, { maxItems: 1000 }),
    SaftBatchId: Ignored(),
    SaftSourceId: Ignored(),
    AutoAdjustCurrencyExchangeDifference: Ignored(),
  },
  Strict,
);

export const BankVoucherLineDto = Type.Object({
  Id,
  PostingDate: LocalDate,
  AccountId: Nullable(Id),
  CurrencyAmount: Amount,
  ...NullableStrings('CurrencyCode', 'InvoiceNo', 'Cid', 'CustomMatchingReference'),
  VatId: Nullable(Type.Integer()),
  Description: Nullable(Type.String()),
  CreatedDateTimeOffset: Timestamp,
});

export const BankVoucherDto = Type.Object({
  Id: Uuid,
  VoucherNo: Type.Integer(),
  VoucherDate: LocalDate,
  ...NullableStrings('CurrencyCode', 'Description', 'ExternalImportReference'),
  ImportedVoucherNo: Nullable(Type.Integer()),
  IsReversed: Nullable(Type.Boolean()),
  CreatedDateTimeOffset: Timestamp,
  VoucherLines: Nullable(Type.Array(BankVoucherLineDto)),
});

// ---- manual journals (to the voucher reception) ----------------------------------------------------------

export const ManualJournalEntryVoucherLinePostDto = Type.Object(
  {
    DebitAccountId: Opt(Type.Integer()),
    CreditAccountId: Opt(Type.Integer()),
    DebitVatId: Opt(Type.Integer()),
    CreditVatId: Opt(Type.Integer()),
    CurrencyAmount: NokIn({
      exclusiveMinimum: 0,
      description: 'NOK, more than 0: debited on DebitAccountId, credited on CreditAccountId',
    }),
    CurrencyCode: Opt(LineCurrency),
    Description: Opt(Text(500)),
    PostingDate: Opt(DateIn('default: the VoucherDate')),
    Accrual: Ignored(),
    AgricultureDetails: Ignored(),
    CreditVatReturnSpecification: Ignored(),
    DebitVatReturnSpecification: Ignored(),
    ...IGNORED_LINE_DIMENSIONS,
  },
  Strict,
);

const ManualJournalFields = {
  /** Nullable in the vendor's DTO, but a draft needs a date: null is 400. */
  VoucherDate: Nullable(LocalDate),
  CurrencyCode: Nullable(Currency),
  Description: Opt(Text(500)),
  Comment: Opt(Text(2000)),
  ManualVoucherLines: Type.Array(ManualJournalEntryVoucherLinePostDto, { maxItems: 1000 }),
  DepartmentId: Ignored(),
  Dim1Id: Ignored(),
  Dim2Id: Ignored(),
  Dim3Id: Ignored(),
  LocationId: Ignored(),
  ProjectId: Ignored(),
};

/** The vendor's draft DTO: no ExternalImportReference, no ImportedVoucherNo, unknown fields refused. */
export const ManualJournalEntryVoucherPostDto = Type.Object(ManualJournalFields, Strict);

/** With settings.v2Wire.manualJournalImportReferences: the sandbox's old invention, a duplicate check on drafts. */
export const ManualJournalEntryVoucherPostDtoWithReferences = Type.Object(
  {
    ...ManualJournalFields,
    ExternalImportReference: Opt(
      Type.String({ maxLength: 50, description: 'sandbox invention (setting): duplicate check, as on bank journals (empty = none)' }),
    ),
    ImportedVoucherNo: Opt(Type.Integer({ description: 'sandbox invention (setting): also unique' })),
  },
  Strict,
);

export const ManualJournalEntryVoucherLineDto = Type.Object({
  Id,
  DebitAccountId: Nullable(Type.Integer()),
  CreditAccountId: Nullable(Type.Integer()),
  DebitVatId: Nullable(Type.Integer()),
  CreditVatId: Nullable(Type.Integer()),
  CurrencyAmount: Amount,
  CurrencyCode: Nullable(Type.String()),
  Description: Nullable(Type.String()),
  PostingDate: Nullable(LocalDate),
  CreatedDateTimeOffset: Timestamp,
  LastChangedDateTimeOffset: Timestamp,
});

/** A page (attachment) of a journal entry voucher draft, e.g. the settlement specification PDF. */
export const VoucherPage = Type.Object({
  Id: Type.Integer({ description: 'int64, the page id' }),
  VoucherId: Nullable(Uuid),
  CreatedDateTimeOffset: Timestamp,
});

/** The vendor's draft: no Comment ("will not be returned"), no header timestamps, no import references. */
export const ManualJournalEntryVoucherDto = Type.Object({
  Id: Uuid,
  VoucherDate: Nullable(LocalDate),
  CurrencyCode: Nullable(Type.String()),
  Description: Nullable(Type.String()),
  ExternalImportReference: Type.Optional(
    Nullable(Type.String({ description: 'only with settings.v2Wire.manualJournalImportReferences (sandbox invention)' })),
  ),
  ImportedVoucherNo: Type.Optional(
    Nullable(Type.Integer({ description: 'only with settings.v2Wire.manualJournalImportReferences (sandbox invention)' })),
  ),
  ManualVoucherLines: Nullable(Type.Array(ManualJournalEntryVoucherLineDto)),
  Pages: Nullable(Type.Array(VoucherPage, { description: 'pages attached with POST /JournalEntryVouchers/{id}/VoucherPages' })),
});

// ---- read-backs --------------------------------------------------------------------------------------------

export const CustomerBalanceDto = Type.Object({
  Balance: Type.Number({ description: 'NOK on the customer ledger as of the date (inclusive)' }),
  CustomerAccountNo: Nullable(Type.Integer({ description: 'CustomerDto.Number' })),
  CustomerExternalNo: Nullable(Type.Integer()),
  CustomerId: Nullable(Id),
  CustomerName: Nullable(Type.String()),
});

export const OutgoingInvoiceLineDto = Type.Object({
  Id,
  SortOrder: Type.Integer({ description: 'from 0' }),
  LineType: Nullable(StringEnum(['Normal', 'Text', 'Summary', 'InvoiceFee', 'TotalHours'] as const)),
  Description: Nullable(Type.String()),
  AccountId: Nullable(Type.Integer()),
  AccountNo: Nullable(Type.Integer()),
  Quantity: Nullable(Type.Number()),
  ProductUnitPrice: Type.Number({ description: 'net NOK per unit' }),
  NetAmount: Amount,
  VatAmount: Amount,
  TotalAmount: Amount,
  NetPostedAmount: Amount,
  TotalPostedAmount: Amount,
  VatCode: Nullable(Type.String()),
  VatId: Nullable(Type.Integer()),
  VatRate: Type.Number({ minimum: 0, maximum: 1 }),
  ExternalImportReference: Nullable(Type.String()),
});

export const ClientIntegrationInformationDto = Type.Object({
  ClientId: Nullable(Type.String()),
  ClientName: Nullable(Type.String()),
  ActiveClientSubscriptions: Nullable(Type.Array(Type.String())),
  ValidPrivileges: Nullable(Type.Array(Type.String({ description: 'e.g. Customer, CustomerLedger, BankVoucher_Full' }))),
  InvalidPrivileges: Nullable(Type.Array(Type.String())),
});

// ---- journal entry vouchers (drafts) -----------------------------------------------------------------------

export const JournalEntryVouchersQuery = Type.Object({
  ...Paging,
  createdDateTimeOffsetGreaterThan: CutOff('CreatedDateTimeOffset'),
  lastChangedDateTimeOffsetGreaterThan: CutOff('LastChangedDateTimeOffset'),
  inApprovalWorkflow: Type.Optional(Type.Boolean({ description: 'the sandbox has no approval workflow: true matches none' })),
  isPosted: Type.Optional(Type.Boolean({ description: 'true: drafts the ERP user has approved (posted); false: drafts still waiting' })),
});

/** The lightweight list item; get the voucher itself from the endpoint of its type (ManualJournals/{id}). */
export const JournalEntryVoucherListItem = Type.Object({
  Id: Uuid,
  VoucherType: Nullable(VoucherTypeName),
  CreatedDateTimeOffset: Timestamp,
  LastChangedDateTimeOffset: Timestamp,
  InApprovalWorkflow: Type.Boolean(),
  IsPosted: Nullable(Type.Boolean()),
  IsCreatedByCurrentIntegration: Nullable(Type.Boolean()),
  OriginatedFromEhf: Nullable(Type.Boolean()),
});

/** multipart/form-data with one file part named `file` (a PDF or an image). */
export const VoucherPagePostForm = Type.Object({
  file: Type.String({ format: 'binary', description: 'the page: a PDF (e.g. the settlement specification), PNG, JPEG or TIFF' }),
});

// ---- customer ledger statement -----------------------------------------------------------------------------

export const StatementQuery = Type.Object({
  ...Paging,
  fromDate: DateIn('posting date from (inclusive)'),
  toDate: DateIn('posting date to (inclusive); before today, each entry shows its balance as it was on this date'),
  ...EntryFilters('OutgoingInvoice, BankJournal'),
  onlyBalancesLessThanAmount: Type.Optional(Type.Boolean({ description: 'only entries with matches: |Balance| < |Amount|' })),
  onlyCreatedByCurrentIntegration: OnlyMine,
  contactGroupIds: Type.Optional(NumberList('contact group ids (the sandbox has no contact groups: any value matches no entry)')),
  subLedgerNumberSeriesIds: Type.Optional(NumberList('sub-ledger number series ids (the sandbox has one series, id 1)')),
});
