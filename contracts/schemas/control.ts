/**
 * The control API under /_sandbox: what an ERP user clicks in Go, plus the sandbox's own powers (clock,
 * snapshots, journal). camelCase; money in NOK decimals (øre inside); instants with the client's offset.
 * Request bodies refuse unknown fields, so a typo is an error rather than a silent default.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { DateOrDateTime, LocalDate, LocalInstant, Nullable, NullableStrings, Nok, Uuid } from './common.js';
import { StringEnum } from './enums.js';
import { Scenario } from './scenario.js';

const Strict = { additionalProperties: false } as const;
const NokIn = (o: { minimum?: number; exclusiveMinimum?: number } = {}) =>
  Type.Number({ ...o, 'x-nok': true, description: 'NOK, at most two decimals' });
const Text = (max = 200) => Type.String({ maxLength: max });
const Name = Type.String({ minLength: 1, maxLength: 200 });
export const ClientId = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$', description: 'letters, digits, . _ -' });
const SafeName = ClientId;

export const COLLECTION_STATUSES = ['None', 'Draft', 'OnHold', 'Approved', 'Exported', 'Rejected'] as const;
export const NEXT_ACTIONS = ['Påminnelse', 'Purring', 'Inkassovarsel', 'Inkasso', 'None', 'Wait'] as const;

// ---- settings ----------------------------------------------------------------------------------------------

const StepTimingIn = {
  enabled: Type.Optional(Type.Boolean()),
  daysAfterDue: Type.Optional(Type.Integer({ minimum: 0, maximum: 365, description: 'earliest send day, counted from the due date' })),
  dueInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365, description: "the step's own due date, counted from its send day" })),
};
const FeeStepIn = Type.Object(
  { ...StepTimingIn, fee: Type.Optional(NokIn({ minimum: 0 })), chargeInterest: Type.Optional(Type.Boolean()) },
  Strict,
);

export const RateIn = Type.Object(
  { from: LocalDate, percent: Type.Number({ minimum: 0, maximum: 100 }), source: Type.Optional(Text()) },
  Strict,
);
export const SatsIn = Type.Object({ from: LocalDate, amount: NokIn({ minimum: 0 }), source: Type.Optional(Text()) }, Strict);

const V2WireFields = {
  manualJournalImportReferences: Type.Boolean({
    description:
      'accept ExternalImportReference/ImportedVoucherNo on ManualJournals drafts and refuse a repeat (sandbox invention; default false)',
  }),
  uniqueImportedVoucherNo: Type.Boolean({
    description: 'refuse a repeated ImportedVoucherNo on bank journals (sandbox invention; default false)',
  }),
  duplicateStatus: Type.Union([Type.Literal(400), Type.Literal(409)], {
    description: 'status of a duplicate ExternalImportReference (default 400: the vendor documents no 409)',
  }),
  pagination: StringEnum(['nextPageLink', 'extended'] as const, {
    description:
      'X-Pagination keys: only nextPageLink (default, evidenced) or also TotalCount, PageSize, CurrentPage, TotalPages (unverified)',
  }),
  timestamps: StringEnum(['vendor', 'local'] as const, {
    description: "*DateTimeOffset fields: UTC with 7 fractional digits (default) or the client's local offset",
  }),
  repairPlusInTimestamps: Type.Boolean({
    description: "read a space in a timestamp filter's offset as the unencoded '+' (ASP.NET does not; default false)",
  }),
  nationalIdNumber: StringEnum(['hidden', 'value'] as const, {
    description:
      "CustomerDto.NationalIdNumber: 'hidden' when set (default: the vendor without its special privilege) or the number itself",
  }),
};
export const V2WireInput = Type.Partial(Type.Object(V2WireFields), {
  ...Strict,
  description: 'v2 wire behaviour; every default is what the vendor most likely does (see GET /_sandbox/fidelity)',
});
export const PaymentMatchingFields = {
  cidAmounts: StringEnum(['any', 'exact'] as const, {
    description:
      "a bank-journal line's Cid finds its invoice at any amount ('any', default: partial payments, an overpayment leaves a credit) " +
      "or only at the opposite of its open amount ('exact', the DTO text's reading)",
  }),
  matchingReferenceAmounts: StringEnum(['exact', 'any'] as const, {
    description:
      "CustomMatchingReference matches an invoice only at the opposite of its open amount ('exact', default, as documented) or at any " +
      'amount',
  }),
  fallBack: Type.Boolean({
    description:
      'a reference that finds nothing lets the next be tried: InvoiceNo, then Cid, then CustomMatchingReference (default true); ' +
      'false: only the first given counts',
  }),
  overpayment: StringEnum(['credit', 'refuse'] as const, {
    description:
      "a payment above the open amount settles the invoice and leaves the excess as a credit ('credit', default) or is refused with " +
      "400 ('refuse', the sandbox's older behaviour)",
  }),
  reversalDate: StringEnum(['original', 'today'] as const, {
    description:
      "the date of the reversal voucher POST /Vouchers/Reverse/{id} posts: the original voucher's ('original', default: nullified as " +
      "of the day it took effect) or the day it is reversed ('today'); the vendor does not document it",
  }),
};
export const PaymentMatchingInput = Type.Partial(Type.Object(PaymentMatchingFields), {
  ...Strict,
  description: 'how bank-journal customer lines are matched to invoices (see GET /_sandbox/fidelity)',
});
const V1ErrorStatuses = StringEnum(['vendor', 'http'] as const, {
  description:
    "v1 business failures: 'vendor' answers HTTP 200 with success false (as PowerOffice does); 'http' the sandbox's older 400/404/409/403",
});
const V1DeleteBody = StringEnum(['vendor', 'boolean'] as const, {
  description: "v1 DELETE answer: 'vendor' {data: {success: true}, success: true} as documented; 'boolean' {data: true, success: true}",
});
const V1MergeCasesId = StringEnum(['first', 'new'] as const, {
  description: "v1 MergeCases: 'first' keeps the first case's id (default), 'new' gives the merged case a new id",
});
/** The v1 wire choices a client can switch (each has a row in contracts/fidelity.ts). */
const V1WireSettingsIn = {
  v1ErrorStatuses: Type.Optional(V1ErrorStatuses),
  v1StatusTextCloses: Type.Optional(
    Type.Boolean({
      description:
        'UpdateStatus without isCaseClosed closes the case when statusText is "Closed" (the vendor demo\'s reading); default false: ' +
        'the documented flag only',
    }),
  ),
  v1DeleteBody: Type.Optional(V1DeleteBody),
  v1MergeCasesId: Type.Optional(V1MergeCasesId),
};

export const SettingsInput = Type.Object(
  {
    reminderSteps: Type.Optional(
      Type.Object(
        {
          friendlyReminder: Type.Optional(Type.Object(StepTimingIn, { ...Strict, description: 'påminnelse: no fee' })),
          paymentReminder: Type.Optional(FeeStepIn),
          collectionNotice: Type.Optional(FeeStepIn),
        },
        Strict,
      ),
    ),
    minimumAmount: Type.Optional(NokIn({ minimum: 0 })),
    draftDaysWithoutReminders: Type.Optional(Type.Integer({ minimum: 1, maximum: 365, description: '14 (PowerOffice) or 1 (Kravia)' })),
    enumFormat: Type.Optional(
      StringEnum(['names', 'numbers'] as const, {
        description: "v1 enums: numbers (the vendor's REST pages and newest swagger; default) or names",
      }),
    ),
    ...V1WireSettingsIn,
    tokenLifetimeSeconds: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 86_400, description: 'v2 access-token lifetime (default 1200, as the vendor)' }),
    ),
    v1TokenLifetimeSeconds: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 86_400, description: 'v1 access-token lifetime (default 600, as the vendor)' }),
    ),
    v1RefreshTokens: Type.Optional(
      Type.Boolean({ description: 'v1 token answers carry a refresh_token and grant_type=refresh_token works (default true)' }),
    ),
    lateInterestRates: Type.Optional(Type.Array(RateIn, { maxItems: 200 })),
    inkassosats: Type.Optional(Type.Array(SatsIn, { maxItems: 200 })),
    autoApprove: Type.Optional(
      Type.Object(
        {
          enabled: Type.Boolean(),
          fromInvoiceDate: Type.Optional(Nullable(LocalDate)),
          integrationId: Type.Optional(Type.String({ description: 'default: the integration that may create new cases' })),
        },
        Strict,
      ),
    ),
    caseCreatingIntegrationId: Type.Optional(Type.String({ description: 'the one integration that may create new cases' })),
    rateLimits: Type.Optional(
      Type.Object(
        {
          enabled: Type.Optional(Type.Boolean()),
          v1PerSecond: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
          v2PerSecond: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
        },
        Strict,
      ),
    ),
    v2Wire: Type.Optional(V2WireInput),
    paymentMatching: Type.Optional(PaymentMatchingInput),
  },
  Strict,
);

const StepTiming = { enabled: Type.Boolean(), daysAfterDue: Type.Integer(), dueInDays: Type.Integer() };
export const SettingsView = Type.Object({
  reminderSteps: Type.Object({
    friendlyReminder: Type.Object(StepTiming),
    paymentReminder: Type.Object({ ...StepTiming, fee: Nok(), chargeInterest: Type.Boolean() }),
    collectionNotice: Type.Object({ ...StepTiming, fee: Nok(), chargeInterest: Type.Boolean() }),
  }),
  minimumAmount: Nok(),
  draftDaysWithoutReminders: Type.Integer(),
  enumFormat: StringEnum(['names', 'numbers'] as const),
  v1ErrorStatuses: V1ErrorStatuses,
  v1StatusTextCloses: Type.Boolean(),
  v1DeleteBody: V1DeleteBody,
  v1MergeCasesId: V1MergeCasesId,
  tokenLifetimeSeconds: Type.Integer(),
  v1TokenLifetimeSeconds: Type.Integer(),
  v1RefreshTokens: Type.Boolean(),
  lateInterestRates: Type.Array(Type.Object({ from: LocalDate, percent: Type.Number(), source: Type.String(), verified: Type.Boolean() })),
  inkassosats: Type.Array(Type.Object({ from: LocalDate, amount: Nok(), source: Type.String(), verified: Type.Boolean() })),
  maxReminderFeeToday: Nok(),
  caseCreatingIntegrationId: Nullable(Type.String()),
  rateLimits: Type.Object({ enabled: Type.Boolean(), v1PerSecond: Type.Integer(), v2PerSecond: Type.Integer() }),
  v2Wire: Type.Object(V2WireFields),
  paymentMatching: Type.Object(PaymentMatchingFields),
});

// ---- clients and integrations ------------------------------------------------------------------------------

const Rights = Type.Object(
  { read: Type.Boolean(), write: Type.Boolean() },
  { ...Strict, description: 'DebtCollection (read) and DebtCollection_Full (write)' },
);

export const IntegrationInput = Type.Object(
  {
    name: Name,
    kind: Type.Optional(StringEnum(['debtCollection', 'factoring'] as const, { default: 'debtCollection' })),
    canCreateNewCases: Type.Optional(Type.Boolean()),
    rights: Type.Optional(Rights),
    applicationKey: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    clientKey: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    subscriptionKey: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  },
  Strict,
);

export const IntegrationChangeInput = Type.Object(
  {
    name: Type.Optional(Name),
    canCreateNewCases: Type.Optional(Type.Boolean()),
    rights: Type.Optional(Rights),
    autoApprove: Type.Optional(Type.Object({ enabled: Type.Boolean(), fromInvoiceDate: Type.Optional(Nullable(LocalDate)) }, Strict)),
  },
  Strict,
);

export const IntegrationView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: StringEnum(['debtCollection', 'factoring'] as const),
  canCreateNewCases: Type.Boolean(),
  rights: Type.Object({ read: Type.Boolean(), write: Type.Boolean() }),
  autoApprove: Type.Object({ enabled: Type.Boolean(), fromInvoiceDate: Nullable(LocalDate), changedAt: Nullable(LocalInstant) }),
  applicationKey: Type.String(),
  clientKey: Type.String(),
  subscriptionKey: Type.String(),
  createdAt: LocalInstant,
});

export const ClientInput = Type.Object(
  {
    id: Type.Optional(ClientId),
    name: Type.Optional(Name),
    startDate: Type.Optional(DateOrDateTime),
    timeZone: Type.Optional(Type.String({ maxLength: 64, description: 'IANA zone, default Europe/Oslo' })),
    settings: Type.Optional(SettingsInput),
    integrations: Type.Optional(Type.Array(IntegrationInput, { maxItems: 10 })),
    scenario: Type.Optional(Type.String({ maxLength: 100, description: 'load a catalogue scenario into the new client' })),
  },
  Strict,
);

export const ClockView = Type.Object({ now: LocalInstant, today: LocalDate, timeZone: Type.String() });

const ApiEndpoints = (api: string) =>
  Type.Object({
    baseUrl: Type.String({ description: `${api} base URL` }),
    tokenUrl: Type.String({ description: `${api} token URL (POST /OAuth/Token)` }),
  });
/** The four URLs an agency sets, absolute for the sandbox address the caller used. */
export const EndpointsView = Type.Object(
  {
    v1: ApiEndpoints('v1 (production: https://api.poweroffice.net)'),
    v2: ApiEndpoints('v2 (production: https://goapi.poweroffice.net/v2)'),
  },
  { description: 'The v1 and v2 base and token URLs of this sandbox, in the form the caller addressed it' },
);

export const ClientView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  timeZone: Type.String(),
  now: LocalInstant,
  today: LocalDate,
  createdAt: LocalInstant,
  integrations: Type.Array(IntegrationView),
  settings: SettingsView,
  counts: Type.Object({ customers: Type.Integer(), invoices: Type.Integer(), cases: Type.Integer(), events: Type.Integer() }),
  endpoints: EndpointsView,
});

export const ClientSummaryView = Type.Object({ id: Type.String(), name: Type.String(), createdAt: Type.String() });
export const DamagedClientView = Type.Object(
  {
    id: Type.String(),
    file: Type.String({ description: 'the file (or folder) the damage is in' }),
    reason: Type.String(),
  },
  { description: 'a client whose data could not be read: set aside (its requests answer 500 naming the file), never deleted' },
);
export const ClientListView = Type.Object({ clients: Type.Array(ClientSummaryView), damaged: Type.Array(DamagedClientView) });

export const ClientParams = Type.Object({ clientId: ClientId });
export const withClient = <T extends Record<string, TSchema>>(props: T) => Type.Object({ clientId: ClientId, ...props });

// ---- customers ---------------------------------------------------------------------------------------------

const MailAddressIn = Type.Object(
  {
    addressLine1: Type.Optional(Text()),
    addressLine2: Type.Optional(Text()),
    zipCode: Type.Optional(Text(20)),
    city: Type.Optional(Text(100)),
    countryCode: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166 alpha-2' })),
  },
  Strict,
);

const Email = Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 200 })));
const DeliveryType = Type.Optional(
  Nullable(
    StringEnum(['PdfByEmail', 'Print'] as const, {
      description: 'PdfByEmail needs emailAddress or paymentReminderEmailAddress; null = the client default',
    }),
  ),
);
/** Fields a card has whether created or changed; person fields only with isPerson true. */
const CustomerCardFields = {
  isPerson: Type.Optional(Type.Boolean({ description: 'a person (consumer) rather than a company; default false' })),
  firstName: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100, description: 'required for a person' }))),
  lastName: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100, description: 'required for a person' }))),
  organizationNumber: Type.Optional(Nullable(Type.String({ maxLength: 20, description: 'companies only: 9 digits, MOD11' }))),
  nationalIdNumber: Type.Optional(
    Nullable(Type.String({ maxLength: 20, description: 'persons only: fødselsnummer or D-number, 11 digits, both MOD11 check digits' })),
  ),
  dateOfBirth: Type.Optional(
    Nullable(Type.String({ format: 'date', description: 'persons only; filled from nationalIdNumber, and must agree with it' })),
  ),
  phoneNumber: Type.Optional(Nullable(Type.String({ maxLength: 30 }))),
  emailAddress: Email,
  invoiceEmailAddress: Email,
  paymentReminderEmailAddress: Email,
  reminderDeliveryType: DeliveryType,
  noticeOfDebtCollectionDeliveryType: DeliveryType,
  mailAddress: Type.Optional(MailAddressIn),
  transferToDebtCollectionAgency: Type.Optional(Type.Boolean()),
};

export const CustomerInput = Type.Object(
  {
    name: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'required for a company; a person\'s defaults to "firstName lastName"' }),
    ),
    number: Type.Optional(Type.Integer({ minimum: 1, maximum: 999_999_999 })),
    ...CustomerCardFields,
  },
  Strict,
);

export const CustomerChangeInput = Type.Object({ name: Type.Optional(Name), ...CustomerCardFields }, Strict);

export const CustomerView = Type.Object({
  id: Type.Integer(),
  number: Type.Integer(),
  name: Type.String(),
  isPerson: Type.Boolean(),
  ...NullableStrings('firstName', 'lastName', 'organizationNumber', 'nationalIdNumber'),
  dateOfBirth: Nullable(Type.String({ format: 'date' })),
  ...NullableStrings('phoneNumber', 'emailAddress', 'invoiceEmailAddress', 'paymentReminderEmailAddress'),
  reminderDeliveryType: Nullable(StringEnum(['PdfByEmail', 'Print'] as const)),
  noticeOfDebtCollectionDeliveryType: Nullable(StringEnum(['PdfByEmail', 'Print'] as const)),
  mailAddress: Type.Object({
    addressLine1: Type.String(),
    addressLine2: Type.String(),
    zipCode: Type.String(),
    city: Type.String(),
    countryCode: Type.String(),
  }),
  hasCompleteMailAddress: Type.Boolean(),
  transferToDebtCollectionAgency: Type.Boolean(),
  createdAt: LocalInstant,
  lastChanged: LocalInstant,
});
export const CustomerListView = Type.Object({ customers: Type.Array(CustomerView) });
export const CustomerParams = withClient({ customerId: Type.Integer({ minimum: 1 }) });

// ---- invoices and postings ---------------------------------------------------------------------------------

export const InvoiceInput = Type.Object(
  {
    customerId: Type.Integer({ minimum: 1 }),
    amount: NokIn({ exclusiveMinimum: 0 }),
    invoiceDate: Type.Optional(LocalDate),
    dueDate: Type.Optional(LocalDate),
    invoiceNo: Type.Optional(Type.Integer({ minimum: 1, maximum: 999_999_999 })),
    cid: Type.Optional(Type.String({ pattern: '^[0-9]{1,24}[0-9-]$', description: 'KID (MOD10 or MOD11)' })),
    vatCode: Type.Optional(Type.String({ maxLength: 10, description: "output VAT code, default '3' (25 %)" })),
    emailAddress: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 200 }))),
    imported: Type.Optional(Type.Boolean({ description: 'an imported open item (importerte bilag)' })),
    importedVoucherNo: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
    externalImportReference: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
    customMatchingReference: Type.Optional(
      Nullable(
        Type.String({
          minLength: 1,
          maxLength: 50,
          description:
            'a bank-journal line with this CustomMatchingReference and the opposite of the open amount is matched against the invoice',
        }),
      ),
    ),
  },
  Strict,
);

export const InvoiceChangeInput = Type.Object(
  {
    customMatchingReference: Type.String({
      minLength: 1,
      maxLength: 50,
      description:
        "set once on an invoice posted without one (as an import or the ERP would); the customer's earlier open payments with this " +
        'reference and the opposite amount are matched with it at once',
    }),
  },
  Strict,
);

export const CreditNoteInput = Type.Object(
  {
    invoiceId: Uuid,
    amount: NokIn({ exclusiveMinimum: 0 }),
    date: Type.Optional(LocalDate),
    vatCode: Type.Optional(Type.String({ maxLength: 10 })),
    externalImportReference: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
  },
  Strict,
);

const PaymentLineIn = Type.Object(
  {
    invoiceId: Type.Optional(Uuid),
    invoiceIds: Type.Optional(
      Type.Array(Uuid, { minItems: 1, maxItems: 100, description: 'one line matched against several invoices (one ledger match)' }),
    ),
    amount: NokIn({ exclusiveMinimum: 0 }),
  },
  Strict,
);

export const PaymentInput = Type.Object(
  {
    invoiceId: Type.Optional(Uuid),
    amount: Type.Optional(NokIn({ exclusiveMinimum: 0 })),
    lines: Type.Optional(Type.Array(PaymentLineIn, { minItems: 1, maxItems: 500 })),
    date: Type.Optional(LocalDate),
    kind: Type.Optional(StringEnum(['bank', 'ocr'] as const)),
    paidFromAccount: Type.Optional(Nullable(Type.String({ pattern: '^[0-9]{11}$' }))),
    description: Type.Optional(Text()),
    externalImportReference: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
  },
  Strict,
);

export const WriteOffInput = Type.Object(
  {
    invoiceIds: Type.Array(Uuid, { minItems: 1, maxItems: 500 }),
    date: Type.Optional(LocalDate),
    account: Type.Optional(Type.Integer({ minimum: 1000, maximum: 9999 })),
    vatCode: Type.Optional(Type.String({ maxLength: 10 })),
    departmentCode: Type.Optional(Nullable(Text(50))),
    projectCode: Type.Optional(Nullable(Text(50))),
    description: Type.Optional(Text()),
    attachmentName: Type.Optional(Nullable(Text())),
  },
  Strict,
);

export const ReverseWriteOffInput = Type.Object({ date: Type.Optional(LocalDate) }, Strict);

const ReminderView = Type.Object({
  step: StringEnum(['friendlyReminder', 'paymentReminder', 'collectionNotice'] as const),
  sentDate: LocalDate,
  dueDate: LocalDate,
  fee: Nok(),
  interest: Nok(),
  voucherNo: Nullable(Type.Integer()),
  reversed: Type.Boolean(),
});

const MatchView = Type.Object({
  id: Type.Integer(),
  kind: StringEnum(['payment', 'creditNote', 'writeOff', 'writeOffReversal', 'paymentReversal'] as const),
  amount: Nok(),
  date: LocalDate,
  voucherId: Type.String(),
  voucherNo: Type.Integer(),
  voucherType: Type.String(),
  matchId: Type.Integer(),
  isWriteOff: Type.Boolean(),
  reversed: Type.Boolean(),
});

/** What an invoice view and a listed invoice both show first. */
const InvoiceHeading = {
  invoiceNo: Type.Integer(),
  customerId: Type.Integer(),
  customerNumber: Type.Integer(),
  customerName: Type.String(),
  invoiceDate: LocalDate,
  dueDate: LocalDate,
  amount: Nok(),
  openAmount: Nok(),
};

export const InvoiceView = Type.Object({
  id: Type.String(),
  kind: StringEnum(['invoice', 'creditNote'] as const),
  ...InvoiceHeading,
  currencyCode: Type.String(),
  vatCode: Type.String(),
  cid: Type.String(),
  voucherId: Type.String(),
  imported: Type.Boolean(),
  ...NullableStrings('importedVoucherNo', 'externalImportReference', 'customMatchingReference', 'creditedInvoiceId'),
  status: StringEnum(COLLECTION_STATUSES),
  nextAction: Nullable(StringEnum(NEXT_ACTIONS)),
  nextActionDate: Nullable(LocalDate),
  ...NullableStrings('nextActionReason', 'caseId', 'caseCode'),
  obstacle: Nullable(Type.Object({ at: LocalInstant, reason: Type.String() })),
  reminders: Type.Array(ReminderView),
  matches: Type.Array(MatchView),
  schedule: Nullable(Type.Object({ rule: Type.String(), at: LocalInstant, on: LocalDate, reason: Type.String() })),
  lastChanged: LocalInstant,
});
export const InvoiceListView = Type.Object({ invoices: Type.Array(InvoiceView) });
export const InvoiceParams = withClient({ invoiceId: Uuid });
export const InvoiceListQuery = Type.Object({
  status: Type.Optional(StringEnum(COLLECTION_STATUSES)),
  customerId: Type.Optional(Type.Integer({ minimum: 1 })),
  kind: Type.Optional(StringEnum(['invoice', 'creditNote'] as const)),
});

export const VoucherLineView = Type.Object({
  account: Type.Integer(),
  amount: Nok(),
  customerId: Nullable(Type.Integer()),
  ...NullableStrings('invoiceId', 'vatCode', 'description'),
});
export const VoucherView = Type.Object({
  id: Type.String(),
  voucherNo: Type.Integer(),
  type: Type.String(),
  date: LocalDate,
  postedAt: LocalInstant,
  description: Type.String(),
  lines: Type.Array(VoucherLineView),
  ...NullableStrings('importedVoucherNo', 'externalImportReference', 'reversesVoucherId', 'reversedByVoucherId'),
});
export const VoucherListView = Type.Object({ vouchers: Type.Array(VoucherView) });

// ---- collection lists ------------------------------------------------------------------------------------

export const SelectionInput = Type.Object(
  { invoiceIds: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: 1000 })), all: Type.Optional(Type.Boolean()) },
  Strict,
);
export const OverrideInput = Type.Object(
  {
    invoiceIds: Type.Array(Uuid, { minItems: 1, maxItems: 1000 }),
    nextAction: Type.Optional(StringEnum(['Inkasso', 'None', 'Wait', 'Auto'] as const, { default: 'Inkasso' })),
  },
  Strict,
);
export const SelectionResultView = Type.Object({
  changed: Type.Array(Type.Object({ id: Type.String(), invoiceNo: Type.Integer(), status: StringEnum(COLLECTION_STATUSES) })),
  skipped: Type.Array(Type.Object({ id: Type.String(), invoiceNo: Type.Integer(), reason: Type.String() })),
});

const ListedInvoice = Type.Object({
  id: Type.String(),
  ...InvoiceHeading,
  status: StringEnum(COLLECTION_STATUSES),
});

export const CaseView = Type.Object({
  id: Type.String(),
  code: Type.String(),
  integrationId: Type.String(),
  integrationName: Type.String(),
  customerId: Nullable(Type.Integer()),
  status: StringEnum(['Active', 'Closed'] as const),
  invoices: Type.Array(ListedInvoice),
  externalCaseUrl: Nullable(Type.String()),
  balanceAgency: Nullable(Nok()),
  history: Type.Array(
    Type.Object({ at: LocalInstant, statusText: Type.String(), isCaseClosed: Type.Boolean(), balanceAgency: Nullable(Nok()) }),
  ),
  createdAt: LocalInstant,
  lastChanged: LocalInstant,
  closedAt: Nullable(LocalInstant),
});

export const CollectionView = Type.Object({
  today: LocalDate,
  reminderList: Type.Array(
    Type.Object({
      invoice: ListedInvoice,
      nextAction: StringEnum(NEXT_ACTIONS),
      nextActionDate: Nullable(LocalDate),
      reason: Type.String(),
    }),
  ),
  draft: Type.Array(Type.Object({ invoice: ListedInvoice, onHold: Type.Boolean(), draftedAt: Nullable(LocalInstant) })),
  approved: Type.Array(
    Type.Object({
      invoice: ListedInvoice,
      approvedAt: Nullable(LocalInstant),
      obstacle: Nullable(Type.Object({ at: LocalInstant, reason: Type.String() })),
    }),
  ),
  open: Type.Array(CaseView),
  archived: Type.Array(CaseView),
});

// ---- clock, snapshots, events, explain -------------------------------------------------------------------

export const AdvanceInput = Type.Object(
  {
    days: Type.Optional(Type.Integer({ minimum: 0, maximum: 3660 })),
    hours: Type.Optional(Type.Integer({ minimum: 0, maximum: 87_840 })),
    minutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 5_270_400 })),
    to: Type.Optional(DateOrDateTime),
  },
  Strict,
);

export const EventView = Type.Object({
  seq: Type.Integer(),
  at: LocalInstant,
  type: Type.String(),
  actor: Type.Object({
    kind: StringEnum(['clock', 'erpUser', 'agency', 'sandbox'] as const),
    integrationId: Type.Optional(Type.String()),
  }),
  cause: Type.String(),
  refs: Type.Object({
    invoiceId: Type.Optional(Type.String()),
    caseId: Type.Optional(Type.String()),
    customerId: Type.Optional(Type.Integer()),
    voucherId: Type.Optional(Type.String()),
    integrationId: Type.Optional(Type.String()),
  }),
  data: Type.Record(Type.String(), Type.Unknown()),
});

export const AdvanceQuery = Type.Object({
  summary: Type.Optional(
    Type.Boolean({ description: 'answer counts per event type and only the first events (a long advance can cause thousands)' }),
  ),
  first: Type.Optional(
    Type.Integer({ minimum: 0, maximum: 1000, default: 20, description: 'with summary: how many events to include (default 20)' }),
  ),
});
export const AdvanceSummary = Type.Object({
  eventCount: Type.Integer({ description: 'every event the advance caused' }),
  byType: Type.Record(Type.String(), Type.Integer()),
  firstEvents: Type.Integer({ description: 'how many of them `events` holds (the earliest)' }),
});
export const AdvanceView = Type.Object({
  from: LocalInstant,
  now: LocalInstant,
  today: LocalDate,
  events: Type.Array(EventView),
  summary: Type.Optional(AdvanceSummary),
});
export const DeleteClientsQuery = Type.Object({
  prefix: Type.String({ minLength: 1, maxLength: 64, description: 'delete every client whose id starts with this' }),
});
export const DeletedClientsView = Type.Object({ deleted: Type.Array(Type.String()) });
export const EventsQuery = Type.Object({
  since: Type.Optional(Type.Integer({ minimum: 0, description: 'only events with seq greater than this' })),
  invoiceId: Type.Optional(Uuid),
  caseId: Type.Optional(Uuid),
  type: Type.Optional(Type.String({ maxLength: 100, description: 'an event type, or a prefix ending in "." (invoice.)' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
});
export const EventListView = Type.Object({ events: Type.Array(EventView), lastSeq: Type.Integer() });

export const SnapshotInput = Type.Object({ name: SafeName }, Strict);
export const SnapshotView = Type.Object({
  name: Type.String(),
  clock: LocalInstant,
  events: Type.Integer(),
  invoices: Type.Integer(),
  savedAt: Type.String(),
});
export const SnapshotListView = Type.Object({ snapshots: Type.Array(SnapshotView) });
export const SnapshotParams = withClient({ name: SafeName });

export const ExplainView = Type.Object({
  invoiceId: Type.String(),
  invoiceNo: Type.Integer(),
  status: StringEnum(COLLECTION_STATUSES),
  openAmount: Nok(),
  dueDate: LocalDate,
  today: LocalDate,
  where: Type.String(),
  next: Nullable(Type.Object({ rule: Type.String(), action: Type.String(), on: LocalDate, at: LocalInstant, reason: Type.String() })),
  waiting: Nullable(Type.String()),
  summary: Type.String(),
  history: Type.Array(EventView),
});

export const ImportInput = Type.Object(
  {
    id: Type.Optional(ClientId),
    name: Type.Optional(Name),
    export: Type.Unknown({ description: 'the body of GET /_sandbox/clients/{clientId}/export' }),
  },
  Strict,
);

export const FidelityRowView = Type.Object({
  id: Type.String(),
  area: Type.String(),
  vendor: Type.String({ description: 'what the vendor does (or most likely does)' }),
  source: Type.String({ description: 'the evidence: repository and path, or page' }),
  confidence: StringEnum(['fact', 'inferred', 'unverified'] as const),
  sandboxDefault: Type.String(),
  setting: Type.Optional(Type.String({ description: 'dotted key under the client settings that changes it' })),
  alternative: Type.Optional(Type.String()),
});
export const FidelityView = Type.Array(FidelityRowView);

export const PortabilityWarningView = Type.Object({
  code: Type.String({
    description:
      'e.g. repeated-query-key, unknown-query-parameter, unencoded-plus-in-timestamp, unknown-body-field, ' +
      'post-retried-without-read-back, unverified-behaviour',
  }),
  message: Type.String(),
  evidence: Type.String({ description: 'the vendor source or fidelity-ledger row behind it' }),
});

export const RequestJournalView = Type.Object({
  requests: Type.Array(
    Type.Object({
      seq: Type.Integer(),
      at: Type.String(),
      sandboxTime: Nullable(Type.String()),
      face: Type.String(),
      method: Type.String(),
      path: Type.String(),
      status: Type.Integer(),
      operationId: Nullable(Type.String()),
      integrationId: Nullable(Type.String()),
      durationMs: Type.Number(),
      problem: Nullable(Type.String()),
      grantType: Type.Optional(Nullable(Type.String({ description: 'token requests: the OAuth grant asked for' }))),
      host: Nullable(
        Type.String({
          description:
            'the vendor host addressed (api.poweroffice.net, api-demo.poweroffice.net, goapi.poweroffice.net); null on the unprefixed ' +
            'paths',
        }),
      ),
      detail: Type.Optional(
        Type.Record(Type.String(), Type.Unknown(), {
          description:
            "the sandbox's own detail on a refusal (field, current state, allowed states, the v1 status under the http setting), as " +
            'in the X-Sandbox-Detail header',
        }),
      ),
      warnings: Type.Array(PortabilityWarningView, {
        description:
          'portability warnings: where this request works here only because the sandbox is lenient, or relies on something unverified',
      }),
    }),
  ),
});

export const ReceptionDraftView = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  status: StringEnum(['Draft', 'Posted', 'Rejected'] as const),
  integrationId: Nullable(Type.String()),
  date: LocalDate,
  description: Type.String(),
  lines: Type.Array(VoucherLineView),
  externalImportReference: Nullable(Type.String()),
  submittedAt: LocalInstant,
  postedVoucherId: Nullable(Type.String()),
});
export const ReceptionListView = Type.Object({ drafts: Type.Array(ReceptionDraftView) });
export const ReceptionParams = withClient({ draftId: Type.String({ maxLength: 64 }) });
export const OpenItemsQuery = Type.Object({ date: Type.Optional(LocalDate) });
const UNMATCHED_REASONS = ['noReference', 'unknownReference', 'otherCustomer', 'amountDiffers', 'overpaid', 'debit'] as const;
const UnmatchedReason = StringEnum(UNMATCHED_REASONS, {
  description:
    'why it stayed open: noReference (a prepayment), unknownReference, otherCustomer (an invoice of another customer), amountDiffers ' +
    '(a KID or matching reference at another amount), overpaid (the excess over the open amount), debit',
});
export const UnmatchedItemView = Type.Object({
  itemId: Type.Integer({ description: 'the ledger line id: GET /v2/Customerledger/OpenItems Id' }),
  voucherNo: Type.Integer(),
  customerId: Type.Integer(),
  amount: Nok({
    description: "what is open: negative is a credit the customer has (a prepayment, an unknown reference, an overpayment's excess)",
  }),
  reason: UnmatchedReason,
  explanation: Type.String(),
});
export const LedgerItemParams = withClient({
  itemId: Type.Integer({ minimum: 1, description: 'the ledger line id (v2 OpenItems Id, CustomerLedgerEntryDto.Id)' }),
});
export const LedgerItemExplainView = Type.Object({
  itemId: Type.Integer(),
  voucherNo: Type.Integer(),
  voucherType: Type.String(),
  date: LocalDate,
  customerId: Type.Integer(),
  amount: Nok({ description: 'the line as posted (a payment is negative)' }),
  open: Nok({ description: 'what is still open of it today (a credit the customer has is negative)' }),
  invoiceId: Nullable(Type.String()),
  invoiceNo: Nullable(Type.Integer()),
  reason: Nullable(UnmatchedReason),
  what: Type.String(),
  why: Type.String(),
  next: Type.String(),
  summary: Type.String(),
});
export const LedgerCheckView = Type.Object({
  ok: Type.Boolean(),
  breaches: Type.Array(Type.String()),
  receivables: Nok(),
  customerLedgerTotal: Nok(),
  unmatched: Type.Array(UnmatchedItemView, { description: 'open customer-ledger items no invoice is matched to, each explained' }),
});

// ---- scenarios ---------------------------------------------------------------------------------------------

export const ScenarioRunInput = Type.Object(
  {
    until: Type.Optional(
      Type.Union([Type.String({ maxLength: 64 }), Type.Integer({ minimum: 0 })], {
        description: 'stop before the step with this id (or index)',
      }),
    ),
    steps: Type.Optional(Type.Integer({ minimum: 1, description: 'run at most this many more steps' })),
    /** A scenario not in the catalogue (as in a scenario file, scenario.schema.json), played instead of a catalogue one. */
    scenario: Type.Optional(Scenario),
  },
  Strict,
);

export const ScenarioStepResultView = Type.Object({
  index: Type.Integer(),
  id: Nullable(Type.String()),
  label: Type.String(),
  ok: Type.Boolean(),
  now: Nullable(Type.String()),
  failure: Nullable(Type.String()),
});

export const ScenarioRunView = Type.Object({
  clientId: Type.String(),
  scenario: Type.String(),
  steps: Type.Array(ScenarioStepResultView),
  nextStep: Nullable(Type.Integer({ description: 'the index the next run starts at; null when finished' })),
  nextStepLabel: Nullable(Type.String()),
  finished: Type.Boolean(),
  ok: Type.Boolean(),
  failure: Nullable(Type.String()),
});

export const ScenarioCatalogueView = Type.Object({
  scenarios: Type.Array(
    Type.Object({
      name: Type.String(),
      title: Type.String(),
      description: Type.String(),
      rules: Type.Array(Type.String()),
      steps: Type.Integer(),
      start: Type.String(),
    }),
  ),
});
export const ScenarioParams = withClient({ name: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' }) });

// ---- faults ------------------------------------------------------------------------------------------------

const FaultMatch = Type.Object(
  {
    operationId: Type.Optional(
      Type.String({ maxLength: 100, description: 'e.g. getAvailableInvoices, postBankJournal (see /openapi.json)' }),
    ),
    method: Type.Optional(StringEnum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const)),
    path: Type.Optional(Type.String({ maxLength: 200, description: "a path prefix, e.g. '/DebtCollection' or '/v2/Vouchers'" })),
    face: Type.Optional(StringEnum(['v1', 'v2', 'auth'] as const)),
  },
  Strict,
);
const FaultEffect = Type.Object(
  {
    status: Type.Optional(Type.Union([Type.Literal(429), Type.Literal(500), Type.Literal(502), Type.Literal(503)])),
    latencyMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 60_000 })),
    drop: Type.Optional(Type.Boolean({ description: 'close the connection without an answer' })),
    dropAfterWrite: Type.Optional(
      Type.Boolean({ description: 'carry the request out, then close the connection: the answer is lost (read back, do not post twice)' }),
    ),
    businessFailure: Type.Optional(
      Type.Boolean({ description: "v1: HTTP 200 with success:false (the vendor's business-failure convention); v2: 400 ProblemDetails" }),
    ),
  },
  Strict,
);

export const FaultInput = Type.Object(
  {
    match: Type.Optional(FaultMatch),
    effect: FaultEffect,
    count: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, description: 'hit the next N matching calls (default 1)' })),
    fraction: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'or hit this share of matching calls (deterministic)' })),
  },
  Strict,
);

export const FaultView = Type.Object({
  id: Type.String(),
  match: Type.Partial(Type.Object({ operationId: Type.String(), method: Type.String(), path: Type.String(), face: Type.String() })),
  effect: Type.Partial(
    Type.Object({
      status: Type.Integer(),
      latencyMs: Type.Integer(),
      drop: Type.Boolean(),
      dropAfterWrite: Type.Boolean(),
      businessFailure: Type.Boolean(),
    }),
  ),
  remaining: Nullable(Type.Integer()),
  fraction: Nullable(Type.Number()),
  seen: Type.Integer(),
  fired: Type.Integer(),
  description: Type.String(),
  createdAt: LocalInstant,
});
export const FaultListView = Type.Object({ faults: Type.Array(FaultView) });
export const FaultParams = withClient({ faultId: Type.String({ maxLength: 64 }) });
export const RevokeView = Type.Object({ revoked: Type.Boolean(), at: LocalInstant });

// ---- Pact state-change URL -------------------------------------------------------------------------------

const PactParams = Type.Record(Type.String(), Type.Unknown(), {
  description: "the state's parameters (see contracts/provider-states.md); defaults fill the gaps",
});

/** What a Pact verifier posts to its state-change URL (pact_verifier with body mode; older verifiers send `states`). */
export const PactStateChange = Type.Object(
  {
    state: Type.Optional(
      Type.String({ maxLength: 500, description: 'the provider state as the pact writes it (empty: an interaction without one)' }),
    ),
    states: Type.Optional(
      Type.Array(
        Type.Union([
          Type.String({ maxLength: 500 }),
          Type.Object({ name: Type.String({ maxLength: 500 }), params: Type.Optional(PactParams) }),
        ]),
        {
          maxItems: 20,
          description: 'the older form: every state of the interaction in one call, set up on one client',
        },
      ),
    ),
    params: Type.Optional(PactParams),
    action: Type.Optional(StringEnum(['setup', 'teardown'], { description: 'default setup' })),
  },
  { additionalProperties: true, description: 'Other fields the verifier adds (consumer, …) are ignored.' },
);

export const PactStateQuery = Type.Object(
  {
    session: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9._-]{1,64}$',
        description: 'keeps verifications running at once against one sandbox apart (one per pipeline run); default: one shared session',
      }),
    ),
    startDate: Type.Optional(DateOrDateTime),
  },
  Strict,
);

export const PactStateValues = Type.Record(Type.String(), Type.Unknown(), {
  description:
    "The values for the pact's provider-state expressions (`fromProviderState`): the state's own (contracts/provider-states.md) and " +
    "the integration's credentials; `{}` on teardown.",
});
