/**
 * The vendor's v2 models (PascalCase; research-notes §1-3). Responses list only the fields the sandbox can fill
 * truthfully; requests bind case-insensitively and allow unknown fields (the real API ignores them), and accept
 * null wherever a generated client sends null for "not set".
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { LocalDate, LocalInstant, Nullable, SupportedDates, Uuid } from './common.js';
import { StringEnum, VOUCHER_TYPES } from './enums.js';

const Loose = { additionalProperties: true } as const;
const Opt = <T extends TSchema>(t: T) => Type.Optional(Nullable(t));
const Amount = Type.Number({ description: 'NOK' });
/** Money in: NOK with at most two decimals (øre inside). */
const NokIn = (o: { exclusiveMinimum?: number; description?: string } = {}) => Type.Number({ ...o, 'x-nok': true, description: o.description ?? 'NOK, at most two decimals' });
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
  PageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE, description: `default ${DEFAULT_PAGE_SIZE}, at most ${MAX_PAGE_SIZE}` })),
};

/** "10000-11000, 12000, 13000-": numbers and ranges (open at the top with a trailing dash), comma-separated. */
const NumberRanges = (what: string) =>
  Type.Array(Type.String({ pattern: '^\\d+(\\s*-\\s*\\d*)?$', maxLength: 41 }), {
    maxItems: 1000,
    description: `${what}: comma-separated numbers and ranges, e.g. "10000-11000, 12000, 13000-"`,
  });

export const PagingQuery = Type.Object(Paging);

export const CustomersQuery = Type.Object({
  ...Paging,
  customerNos: Type.Optional(NumberRanges('customer numbers')),
  lastChangedDateTimeOffsetGreaterThan: Type.Optional(
    Type.String({ minLength: 10, maxLength: 40, description: 'exclusive: YYYY-MM-DD (local midnight), a local date-time YYYY-MM-DDTHH:mm[:ss], or one with Z / ±HH:mm' }),
  ),
});

export const OpenItemsQuery = Type.Object({
  ...Paging,
  date: DateIn('the items open on this date (YYYY-MM-DD)'),
  customerNos: Type.Optional(NumberRanges('customer numbers')),
  invoiceNos: Type.Optional(NumberRanges('invoice numbers')),
});

export const OutgoingInvoicesQuery = Type.Object({
  ...Paging,
  onlyUnpaidInvoices: Type.Optional(Type.Boolean({ description: 'only invoices with Balance != 0' })),
  invoiceNos: Type.Optional(NumberRanges('invoice numbers')),
  customerNos: Type.Optional(NumberRanges('customer numbers')),
  fromDate: Type.Optional(DateIn('voucher date from (inclusive)')),
  toDate: Type.Optional(DateIn('voucher date to (inclusive)')),
});

export const GeneralLedgerAccountsQuery = Type.Object({
  ...Paging,
  accountNos: Type.Optional(NumberRanges('account numbers')),
});

export const CustomerIdParam = Type.Object({ id: Type.Integer({ description: 'CustomerDto.Id' }) });
export const OutgoingInvoiceIdParam = Type.Object({ id: Uuid });

// ---- customers -------------------------------------------------------------------------------------------

export const ContactAddressDto = Type.Object({
  AddressLine1: Type.String(),
  AddressLine2: Type.String(),
  ZipCode: Type.String(),
  City: Type.String(),
  CountryCode: Type.String({ description: 'ISO 3166 alpha-2' }),
});

export const CustomerDto = Type.Object({
  Id,
  Number: Type.Integer({ description: 'customer number (the customer-ledger account number)' }),
  Name: Type.String(),
  OrganizationNumber: Nullable(Type.String()),
  EmailAddress: Nullable(Type.String()),
  MailAddress: ContactAddressDto,
  TransferToDebtCollectionAgency: Type.Boolean(),
  LastChangedDateTimeOffset: LocalInstant,
  CustomerCreatedDateTimeOffset: LocalInstant,
  SubledgerAccountId: Type.Integer({ description: "the AccountId a voucher line uses to post to this customer's subledger" }),
  IsActive: Type.Boolean(),
  CurrencyCode: Type.String(),
});

// ---- customer ledger -------------------------------------------------------------------------------------

const VoucherTypeName = StringEnum(VOUCHER_TYPES, { description: 'VoucherType' });

export const CustomerLedgerEntryDto = Type.Object({
  Id,
  Amount: Type.Number({ description: 'NOK as posted: a debit on the customer is positive' }),
  Balance: Type.Number({ description: 'NOK still open on the date' }),
  Cid: Nullable(Type.String()),
  CustomerAccountNo: Type.Integer({ description: 'CustomerDto.Number' }),
  CustomerId: Id,
  CustomerName: Type.String(),
  DueDate: Nullable(LocalDate),
  InvoiceNo: Nullable(Type.String()),
  MatchId: Nullable(Type.Integer()),
  PostingDate: LocalDate,
  VoucherDate: LocalDate,
  VoucherId: Uuid,
  VoucherNo: Type.Integer(),
  VoucherType: VoucherTypeName,
  IsWriteOff: Type.Boolean(),
  CurrencyAmount: Amount,
  CurrencyCode: Type.String(),
  ExternalImportReference: Nullable(Type.String()),
  CreatedDateTimeOffset: LocalInstant,
  LastChangedDateTimeOffset: LocalInstant,
});

// ---- outgoing invoices -----------------------------------------------------------------------------------

export const OutgoingInvoiceDto = Type.Object({
  Id: Uuid,
  InvoiceNo: Type.Integer(),
  VoucherNo: Type.Integer(),
  VoucherType: StringEnum(['OutgoingInvoice', 'OutgoingCreditNote'] as const),
  VoucherDate: LocalDate,
  DueDate: LocalDate,
  Balance: Type.Number({ description: 'NOK still open; 0 = paid (always 0 on a credit note)' }),
  TotalAmount: Type.Number({ description: 'gross NOK; negative on a credit note' }),
  NetAmount: Type.Number({ description: 'net of VAT' }),
  TotalPostedAmount: Amount,
  NetPostedAmount: Amount,
  CurrencyCode: Type.String(),
  Cid: Nullable(Type.String()),
  CustomerId: Id,
  CustomerNo: Type.Integer(),
  MatchId: Nullable(Type.Integer()),
  IsReversed: Type.Boolean(),
  ExternalImportReference: Nullable(Type.String()),
  CreatedDateTimeOffset: LocalInstant,
  LastChangedDateTimeOffset: LocalInstant,
});

// ---- general ledger accounts and VAT codes ---------------------------------------------------------------

export const GeneralLedgerAccountDto = Type.Object({
  Id: Type.Integer({ description: 'the AccountId voucher lines use for this account' }),
  AccountNo: Type.Integer(),
  Name: Type.String(),
  IsActive: Type.Boolean(),
  VatCode: Nullable(Type.String()),
  VatCodeId: Nullable(Type.Integer()),
  CurrencyCode: Type.String(),
});

export const VatCodeDto = Type.Object({
  Id: Type.Integer({ description: 'the VatId voucher lines use for this code' }),
  Code: Type.String(),
  Name: Type.String(),
  Rate: Type.Number({ minimum: 0, maximum: 1 }),
  IsActive: Type.Boolean(),
});

// ---- bank journals (posted directly) ---------------------------------------------------------------------

export const BankVoucherLinePostDto = Type.Object(
  {
    PostingDate: Opt(DateIn('default: the VoucherDate')),
    AccountId: Type.Integer({ description: 'GeneralLedgerAccountDto.Id or CustomerDto.SubledgerAccountId' }),
    CurrencyAmount: NokIn({ description: 'NOK, not 0: positive debits, negative credits the account' }),
    CurrencyCode: Opt(LineCurrency),
    InvoiceNo: Opt(Text(50)),
    Cid: Opt(Text(25)),
    VatId: Opt(Type.Integer()),
    Description: Opt(Text(500)),
  },
  Loose,
);

export const BankVoucherPostDto = Type.Object(
  {
    VoucherDate: LocalDate,
    CurrencyCode: Currency,
    Description: Opt(Text(500)),
    ExternalImportReference: Opt(Type.String({ maxLength: 50, description: 'duplicate check: one voucher per reference on the client (empty = none)' })),
    ImportedVoucherNo: Opt(Type.Integer({ description: 'external voucher number; also unique on the client' })),
    VoucherLines: Type.Array(BankVoucherLinePostDto, { maxItems: 1000 }),
  },
  Loose,
);

export const BankVoucherLineDto = Type.Object({
  Id,
  PostingDate: LocalDate,
  AccountId: Id,
  CurrencyAmount: Amount,
  CurrencyCode: Type.String(),
  InvoiceNo: Nullable(Type.String()),
  Cid: Nullable(Type.String()),
  VatId: Nullable(Type.Integer()),
  Description: Nullable(Type.String()),
  CreatedDateTimeOffset: LocalInstant,
});

export const BankVoucherDto = Type.Object({
  Id: Uuid,
  VoucherNo: Type.Integer(),
  VoucherDate: LocalDate,
  CurrencyCode: Type.String(),
  Description: Nullable(Type.String()),
  ExternalImportReference: Nullable(Type.String()),
  ImportedVoucherNo: Nullable(Type.Integer()),
  IsReversed: Type.Boolean(),
  CreatedDateTimeOffset: LocalInstant,
  VoucherLines: Type.Array(BankVoucherLineDto),
});

// ---- manual journals (to the voucher reception) ----------------------------------------------------------

export const ManualJournalEntryVoucherLinePostDto = Type.Object(
  {
    DebitAccountId: Opt(Type.Integer()),
    CreditAccountId: Opt(Type.Integer()),
    DebitVatId: Opt(Type.Integer()),
    CreditVatId: Opt(Type.Integer()),
    CurrencyAmount: NokIn({ exclusiveMinimum: 0, description: 'NOK, more than 0: debited on DebitAccountId, credited on CreditAccountId' }),
    CurrencyCode: Opt(LineCurrency),
    Description: Opt(Text(500)),
    PostingDate: Opt(DateIn('default: the VoucherDate')),
  },
  Loose,
);

export const ManualJournalEntryVoucherPostDto = Type.Object(
  {
    VoucherDate: LocalDate,
    CurrencyCode: Currency,
    Description: Opt(Text(500)),
    Comment: Opt(Text(2000)),
    ExternalImportReference: Opt(Type.String({ maxLength: 50, description: 'duplicate check, as on bank journals (empty = none)' })),
    ImportedVoucherNo: Opt(Type.Integer()),
    ManualVoucherLines: Type.Array(ManualJournalEntryVoucherLinePostDto, { maxItems: 1000 }),
  },
  Loose,
);

export const ManualJournalEntryVoucherLineDto = Type.Object({
  Id,
  DebitAccountId: Nullable(Type.Integer()),
  CreditAccountId: Nullable(Type.Integer()),
  DebitVatId: Nullable(Type.Integer()),
  CreditVatId: Nullable(Type.Integer()),
  CurrencyAmount: Amount,
  CurrencyCode: Type.String(),
  Description: Nullable(Type.String()),
  PostingDate: LocalDate,
  CreatedDateTimeOffset: LocalInstant,
  LastChangedDateTimeOffset: LocalInstant,
});

export const ManualJournalEntryVoucherDto = Type.Object({
  Id: Uuid,
  VoucherDate: LocalDate,
  CurrencyCode: Type.String(),
  Description: Type.String(),
  Comment: Nullable(Type.String()),
  ExternalImportReference: Nullable(Type.String()),
  ImportedVoucherNo: Nullable(Type.Integer()),
  CreatedDateTimeOffset: LocalInstant,
  LastChangedDateTimeOffset: LocalInstant,
  ManualVoucherLines: Type.Array(ManualJournalEntryVoucherLineDto),
});
