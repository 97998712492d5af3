/**
 * The state of one client world (a PowerOffice Go company, "klient"). One TypeBox object per shape gives the
 * TypeScript type and the JSON Schema that checks stored files, exports and imports, so no shape is written twice.
 * Money is integer øre, dates are local 'YYYY-MM-DD' in the client's zone, instants are UTC ISO strings.
 */
import { Type, type Static, type TNull, type TSchema, type TString, type TUnion } from '@sinclair/typebox';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
/** Properties that are each a string or null, in the order named (spread into a Type.Object). */
const NullableStrings = <K extends string>(...keys: K[]) =>
  Object.fromEntries(keys.map((k) => [k, Nullable(Type.String())])) as { [P in K]: TUnion<[TString, TNull]> };

export const LocalDateSchema = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
export const InstantSchema = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$' });
export const OreSchema = Type.Integer();

export const ActorSchema = Type.Object({
  kind: Type.Union([Type.Literal('clock'), Type.Literal('erpUser'), Type.Literal('agency'), Type.Literal('sandbox')]),
  integrationId: Type.Optional(Type.String()),
});
export type Actor = Static<typeof ActorSchema>;

export const ReminderStepKindSchema = Type.Union([
  Type.Literal('friendlyReminder'), // påminnelse: no fee
  Type.Literal('paymentReminder'), // purring
  Type.Literal('collectionNotice'), // inkassovarsel
]);
export type ReminderStepKind = Static<typeof ReminderStepKindSchema>;

const StepTiming = {
  enabled: Type.Boolean(),
  /** Earliest send day, counted from the invoice's due date. */
  daysAfterDue: Type.Integer({ minimum: 0, maximum: 365 }),
  /** The step's own due date, counted from its send day. */
  dueInDays: Type.Integer({ minimum: 1, maximum: 365 }),
};

export const FriendlyReminderSettingSchema = Type.Object(StepTiming);
export const FeeReminderSettingSchema = Type.Object({
  ...StepTiming,
  fee: Type.Integer({ minimum: 0 }),
  chargeInterest: Type.Boolean(),
});

export const DatedRateSchema = Type.Object({
  from: LocalDateSchema,
  basisPoints: Type.Integer({ minimum: 0, maximum: 10_000 }),
  source: Type.String(),
  verified: Type.Boolean(),
});
export const DatedAmountSchema = Type.Object({
  from: LocalDateSchema,
  ore: Type.Integer({ minimum: 0 }),
  source: Type.String(),
  verified: Type.Boolean(),
});

export const V2WireSettingsSchema = Type.Object({
  /** Accept ExternalImportReference/ImportedVoucherNo on ManualJournals drafts and refuse a repeat (the vendor's DTO has neither). */
  manualJournalImportReferences: Type.Boolean(),
  /** Treat ImportedVoucherNo as unique on bank journals (the vendor: only "visible in reports"). */
  uniqueImportedVoucherNo: Type.Boolean(),
  /** HTTP status of a duplicate ExternalImportReference: 400 (the vendor documents no 409) or 409. */
  duplicateStatus: Type.Union([Type.Literal(400), Type.Literal(409)]),
  /** X-Pagination keys: only nextPageLink (evidenced) or also TotalCount, PageSize, CurrentPage, TotalPages. */
  pagination: Type.Union([Type.Literal('nextPageLink'), Type.Literal('extended')]),
  /** *DateTimeOffset fields: UTC with 7 fractional digits (vendor) or the client's local offset. */
  timestamps: Type.Union([Type.Literal('vendor'), Type.Literal('local')]),
  /** Read a space in a timestamp filter's offset as the '+' an unencoded query lost (ASP.NET does not). */
  repairPlusInTimestamps: Type.Boolean(),
  /** CustomerDto.NationalIdNumber: 'hidden' when set (the vendor, without the special privilege) or the number. */
  nationalIdNumber: Type.Union([Type.Literal('hidden'), Type.Literal('value')]),
});
export type V2WireSettings = Static<typeof V2WireSettingsSchema>;

/** How a payment's references find an invoice ("the system will try to match"); each choice has a fidelity row. */
export const PaymentMatchingSettingsSchema = Type.Object({
  /**
   * A KID finds its invoice whatever the amount ('any': partial payments and overpayments, as OCR practice) or only
   * at the opposite of its open amount ('exact').
   */
  cidAmounts: Type.Union([Type.Literal('any'), Type.Literal('exact')]),
  /** A matching reference finds an open entry only at the opposite of its open amount ('exact', as documented) or at any amount. */
  matchingReferenceAmounts: Type.Union([Type.Literal('exact'), Type.Literal('any')]),
  /**
   * A reference that finds nothing lets the next be tried (invoice number, then KID, then matching reference); false:
   * only the first one given counts.
   */
  fallBack: Type.Boolean(),
  /**
   * A payment above the invoice's open amount: matched up to it, the excess a credit on the customer ('credit'), or
   * refused ('refuse').
   */
  overpayment: Type.Union([Type.Literal('credit'), Type.Literal('refuse')]),
  /**
   * The date of the reversal voucher POST /Vouchers/Reverse/{id} posts: the original's ('original') or the day it is
   * reversed ('today').
   */
  reversalDate: Type.Union([Type.Literal('original'), Type.Literal('today')]),
});
export type PaymentMatchingSettings = Static<typeof PaymentMatchingSettingsSchema>;

export const ClientSettingsSchema = Type.Object({
  /** Purreinnstillinger: the steps Go sends itself before the agency takes over. */
  reminderSteps: Type.Object({
    friendlyReminder: FriendlyReminderSettingSchema,
    paymentReminder: FeeReminderSettingSchema,
    collectionNotice: FeeReminderSettingSchema,
  }),
  /** Invoices whose open amount is under this get no reminders and no draft (next action "None"). */
  minimumAmount: OreSchema,
  /** Draft day when no reminder step is enabled: 14 (PowerOffice's article) or 1 (Kravia's guide). */
  draftDaysWithoutReminders: Type.Integer({ minimum: 1, maximum: 365 }),
  /** v1 enums as numbers (REST type pages, swagger 3.0.1.0; default) or names (swagger 3.0.0.0). */
  enumFormat: Type.Union([Type.Literal('names'), Type.Literal('numbers')]),
  /** v1 business failures: HTTP 200 with success false (the vendor's way), or the sandbox's older 400/404/409. */
  v1ErrorStatuses: Type.Union([Type.Literal('vendor'), Type.Literal('http')]),
  /** v1 UpdateStatus without isCaseClosed: a statusText "Closed" closes the case too (the vendor demo's reading). */
  v1StatusTextCloses: Type.Boolean(),
  /** v1 DELETE answer: the documented nested Success object, or the sandbox's older {data: true}. */
  v1DeleteBody: Type.Union([Type.Literal('vendor'), Type.Literal('boolean')]),
  /** v1 MergeCases: the merged case keeps the first case's id, or gets a new one (the vendor does not say). */
  v1MergeCasesId: Type.Union([Type.Literal('first'), Type.Literal('new')]),
  /** v2 access-token lifetime on the client's clock (the vendor: 20 minutes). */
  tokenLifetimeSeconds: Type.Integer({ minimum: 1, maximum: 86_400 }),
  /** v1 access-token lifetime on the client's clock (the vendor: 10 minutes in most sources, 20 in one). */
  v1TokenLifetimeSeconds: Type.Integer({ minimum: 1, maximum: 86_400 }),
  /** v1 token answers carry a refresh_token and grant_type=refresh_token works (the vendor's swagger still has it). */
  v1RefreshTokens: Type.Boolean(),
  /** Overrides of the dated Norwegian rates; empty means the built-in tables. */
  lateInterestRates: Type.Array(DatedRateSchema),
  inkassosats: Type.Array(DatedAmountSchema),
  /** The vendor's limits: v1 50 requests/s per integration key, v2 10 requests/s per subscription key. */
  rateLimits: Type.Object({
    enabled: Type.Boolean(),
    v1PerSecond: Type.Integer({ minimum: 1 }),
    v2PerSecond: Type.Integer({ minimum: 1 }),
  }),
  /** v2 wire behaviour: the vendor's by default; each switch brings back a sandbox invention or leniency. */
  v2Wire: V2WireSettingsSchema,
  /** Matching of bank-journal customer lines to invoices and open entries. */
  paymentMatching: PaymentMatchingSettingsSchema,
});
export type ClientSettings = Static<typeof ClientSettingsSchema>;

export const IntegrationSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Type.Union([Type.Literal('debtCollection'), Type.Literal('factoring')]),
  /** "Inkassobyrå kan opprette nye saker": only one debt-collection integration has it at a time. */
  canCreateNewCases: Type.Boolean(),
  /** The vendor's privileges: DebtCollection (read) and DebtCollection_Full (write). */
  rights: Type.Object({ read: Type.Boolean(), write: Type.Boolean() }),
  autoApprove: Type.Object({
    enabled: Type.Boolean(),
    fromInvoiceDate: Nullable(LocalDateSchema),
    /** When the setting last changed (shown to the user). */
    changedAt: Nullable(InstantSchema),
    /** Only invoices posted after the change (ordinal above this) are approved automatically. */
    postedAfterOrdinal: Type.Integer({ minimum: 0 }),
  }),
  applicationKey: Type.String(),
  clientKey: Type.String(),
  subscriptionKey: Type.String(),
  createdAt: InstantSchema,
});
export type Integration = Static<typeof IntegrationSchema>;

export const MailAddressSchema = Type.Object({
  addressLine1: Type.String(),
  addressLine2: Type.String(),
  zipCode: Type.String(),
  city: Type.String(),
  countryCode: Type.String(),
});
export type MailAddress = Static<typeof MailAddressSchema>;

export const DeliveryTypeSchema = Type.Union([Type.Literal('PdfByEmail'), Type.Literal('Print')]);
export type DeliveryType = Static<typeof DeliveryTypeSchema>;

export const CustomerSchema = Type.Object({
  id: Type.Integer({ minimum: 1 }),
  /** Customer number: the v1 API's customerCode. */
  number: Type.Integer({ minimum: 1 }),
  /** A company's name, or a person's "first last". */
  name: Type.String(),
  /** A person (consumer) rather than a company: first and last name, a fødselsnummer instead of an org number. */
  isPerson: Type.Boolean(),
  ...NullableStrings('firstName', 'lastName', 'organizationNumber'),
  /** Fødselsnummer or D-number (persons only), check digits validated. */
  nationalIdNumber: Nullable(Type.String()),
  /** Persons only; equal to the date the national id number encodes when both are set. */
  dateOfBirth: Nullable(LocalDateSchema),
  ...NullableStrings('phoneNumber', 'emailAddress', 'invoiceEmailAddress', 'paymentReminderEmailAddress'),
  /** How reminders (purring) and the notice of debt collection (inkassovarsel) reach the customer; null = the client's default. */
  reminderDeliveryType: Nullable(DeliveryTypeSchema),
  noticeOfDebtCollectionDeliveryType: Nullable(DeliveryTypeSchema),
  mailAddress: MailAddressSchema,
  /** "Overfør til inkassobyrå": false keeps the customer's invoices out of collection. */
  transferToDebtCollectionAgency: Type.Boolean(),
  createdAt: InstantSchema,
  lastChanged: InstantSchema,
});
export type Customer = Static<typeof CustomerSchema>;

export const VoucherTypeSchema = Type.Union([
  Type.Literal('OutgoingInvoice'),
  Type.Literal('OutgoingCreditNote'),
  Type.Literal('IncomingOcrGiro'),
  Type.Literal('ManualJournal'),
  Type.Literal('BankJournal'),
  Type.Literal('OutgoingPaymentReminder'),
  Type.Literal('OutgoingNoticeOfDebtCollection'),
  Type.Literal('OutgoingPaymentDemand'),
  Type.Literal('ReversalVoucher'),
]);
export type VoucherType = Static<typeof VoucherTypeSchema>;

/** Why (part of) a payment's customer-ledger line stayed open instead of being matched against an invoice. */
export const UnmatchedReasonSchema = Type.Union([
  /** The line names no invoice number, KID or matching reference: a prepayment, or a payment on account. */
  Type.Literal('noReference'),
  /** Its references name no invoice or open entry the ERP knows. */
  Type.Literal('unknownReference'),
  /** Its references name an invoice of another customer. */
  Type.Literal('otherCustomer'),
  /** A KID or matching reference names an open invoice, but not at the opposite of its open amount. */
  Type.Literal('amountDiffers'),
  /** The payment is more than the invoice's open amount: the excess stays as a credit. */
  Type.Literal('overpaid'),
  /** A debit on the customer: an amount owed outside any invoice, not a payment. */
  Type.Literal('debit'),
]);
export type UnmatchedReason = Static<typeof UnmatchedReasonSchema>;

/** A ledger line. Absent fields are left out (not null): a large world holds hundreds of thousands of lines. */
export const VoucherLineSchema = Type.Object({
  account: Type.Integer(),
  /** Debit positive, credit negative; a voucher's lines sum to zero. */
  amount: OreSchema,
  customerId: Type.Optional(Type.Integer()),
  /** The invoice this line belongs to or is matched against. */
  invoiceId: Type.Optional(Type.String()),
  vatCode: Type.Optional(Type.String()),
  description: Type.Optional(Type.String()),
  departmentCode: Type.Optional(Type.String()),
  projectCode: Type.Optional(Type.String()),
  /** References a payment line was posted with, as given (an unmatched line keeps what it named). */
  statedInvoiceNo: Type.Optional(Type.String()),
  cid: Type.Optional(Type.String()),
  matchingReference: Type.Optional(Type.String()),
  /** The part of a customer line left open and why: the whole line when it names no invoice, the excess of an overpayment. */
  unmatched: Type.Optional(Type.Object({ reason: UnmatchedReasonSchema, amount: OreSchema })),
});
export type VoucherLine = Static<typeof VoucherLineSchema>;

export const VoucherSchema = Type.Object({
  id: Type.String(),
  voucherNo: Type.Integer(),
  type: VoucherTypeSchema,
  date: LocalDateSchema,
  postedAt: InstantSchema,
  description: Type.String(),
  lines: Type.Array(VoucherLineSchema),
  actor: ActorSchema,
  ...NullableStrings('importedVoucherNo', 'externalImportReference', 'reversesVoucherId'),
});
/** Vouchers never change once posted (a reversal is a new voucher), so snapshots share them. */
export type Voucher = Static<typeof VoucherSchema>;

export const MatchKindSchema = Type.Union([
  Type.Literal('payment'),
  Type.Literal('creditNote'),
  Type.Literal('writeOff'),
  Type.Literal('writeOffReversal'),
  /** A payment's voucher reversed by the integration that posted it: negative, the invoice is owed again. */
  Type.Literal('paymentReversal'),
]);
export type MatchKind = Static<typeof MatchKindSchema>;

/** One ledger line matched against an invoice: a payment, a credit note, a write-off or its reversal. */
export const InvoiceMatchSchema = Type.Object({
  id: Type.Integer(),
  kind: MatchKindSchema,
  voucherId: Type.String(),
  /** Positive lowers the invoice's open amount; a reversal (of a write-off or a payment) is negative. */
  amount: OreSchema,
  date: LocalDateSchema,
  postedAt: InstantSchema,
  /** The ledger match (reskontromatch) this line sits in; shared only by invoices outside open cases. */
  matchId: Type.Integer(),
  isWriteOff: Type.Boolean(),
  paidFromAccount: Nullable(Type.String()),
  reversedByVoucherId: Nullable(Type.String()),
  /**
   * Set on a match with an earlier open entry: the index of the customer-ledger line of `voucherId` that was left
   * unmatched when posted and is matched now (a later invoice with its CustomMatchingReference). The line stays as
   * posted; this match closes its open part.
   */
  line: Type.Optional(Type.Integer({ minimum: 0 })),
});
export type InvoiceMatch = Static<typeof InvoiceMatchSchema>;

export const SentReminderSchema = Type.Object({
  step: ReminderStepKindSchema,
  sentDate: LocalDateSchema,
  dueDate: LocalDateSchema,
  fee: OreSchema,
  interest: OreSchema,
  /** Interest runs from the day after this date up to sentDate. */
  interestFrom: LocalDateSchema,
  voucherId: Nullable(Type.String()),
  reversedByVoucherId: Nullable(Type.String()),
});
export type SentReminder = Static<typeof SentReminderSchema>;

export const CollectionStatusSchema = Type.Union([
  Type.Literal('None'),
  Type.Literal('Draft'),
  Type.Literal('OnHold'),
  Type.Literal('Approved'),
  Type.Literal('Exported'),
  Type.Literal('Rejected'),
]);
export type CollectionStatus = Static<typeof CollectionStatusSchema>;

/**
 * The reminder list's "next action" as the user set it: Auto lets the rules decide; None and Wait stop the
 * automatic flow until the user overrides it again (removing a draft sets None).
 */
export const NextActionSettingSchema = Type.Union([Type.Literal('Auto'), Type.Literal('None'), Type.Literal('Wait')]);

export const RuleIdSchema = Type.Union([Type.Literal('reminderStep'), Type.Literal('draft'), Type.Literal('approvalObstacle')]);
export type RuleId = Static<typeof RuleIdSchema>;

export const ScheduleSchema = Type.Object({
  at: InstantSchema,
  rule: RuleIdSchema,
  step: Type.Optional(ReminderStepKindSchema),
});
export type Schedule = Static<typeof ScheduleSchema>;

export const InvoiceSchema = Type.Object({
  id: Type.String(),
  /** Creation order: breaks ties between rules due at the same moment. */
  ordinal: Type.Integer(),
  kind: Type.Union([Type.Literal('invoice'), Type.Literal('creditNote')]),
  customerId: Type.Integer(),
  invoiceNo: Type.Integer(),
  invoiceDate: LocalDateSchema,
  dueDate: LocalDateSchema,
  /** Gross amount incl. VAT, positive for invoices and credit notes alike. */
  amount: OreSchema,
  currencyCode: Type.String(),
  vatCode: Type.String(),
  cid: Type.String(),
  /** Entries with the same matching reference and opposite amounts are matched on the customer's ledger. */
  matchingReference: Type.Optional(Type.String()),
  voucherId: Type.String(),
  postedAt: InstantSchema,
  imported: Type.Boolean(),
  ...NullableStrings('importedVoucherNo', 'externalImportReference', 'emailAddress'),
  /** For a credit note: the invoice it is matched against. */
  creditedInvoiceId: Nullable(Type.String()),
  /** amount - matched amounts (kept in step with `matches`; the invariants check it). */
  openAmount: OreSchema,
  matches: Type.Array(InvoiceMatchSchema),
  reminders: Type.Array(SentReminderSchema),
  collection: Type.Object({
    status: CollectionStatusSchema,
    nextAction: NextActionSettingSchema,
    caseId: Nullable(Type.String()),
    draftedAt: Nullable(InstantSchema),
    approvedAt: Nullable(InstantSchema),
    obstacle: Nullable(Type.Object({ at: InstantSchema, reason: Type.String() })),
    /** Why the invoice left the flow (paid, credited), if it did. */
    leftFlow: Nullable(Type.Object({ at: InstantSchema, reason: Type.String(), from: CollectionStatusSchema })),
  }),
  schedule: Nullable(ScheduleSchema),
  lastChanged: InstantSchema,
  /** When openAmount last changed (a match or its reversal); absent until then, and in worlds stored before. */
  balanceLastChanged: Type.Optional(InstantSchema),
});
export type Invoice = Static<typeof InvoiceSchema>;

export const CaseHistoryEntrySchema = Type.Object({
  at: InstantSchema,
  statusText: Type.String(),
  isCaseClosed: Type.Boolean(),
  balanceAgency: Nullable(OreSchema),
});

export const CaseSchema = Type.Object({
  id: Type.String(),
  /** The agency's own case number. */
  code: Type.String(),
  integrationId: Type.String(),
  customerId: Nullable(Type.Integer()),
  status: Type.Union([Type.Literal('Active'), Type.Literal('Closed')]),
  invoiceIds: Type.Array(Type.String()),
  externalCaseUrl: Nullable(Type.String()),
  balanceAgency: Nullable(OreSchema),
  history: Type.Array(CaseHistoryEntrySchema),
  createdAt: InstantSchema,
  lastChanged: InstantSchema,
  closedAt: Nullable(InstantSchema),
});
export type Case = Static<typeof CaseSchema>;

/** A page attached to a draft (the settlement specification PDF): what it was, not its bytes. */
export const VoucherPageSchema = Type.Object({
  id: Type.Integer(),
  fileName: Nullable(Type.String()),
  contentType: Type.String(),
  size: Type.Integer({ minimum: 1 }),
  sha256: Type.String(),
  addedAt: InstantSchema,
});
export type VoucherPage = Static<typeof VoucherPageSchema>;

/** A booking suggestion in the voucher reception (bilagsmottak): a draft the ERP user approves. */
export const ReceptionDraftSchema = Type.Object({
  id: Type.String(),
  kind: Type.Literal('ManualJournal'),
  status: Type.Union([Type.Literal('Draft'), Type.Literal('Posted'), Type.Literal('Rejected')]),
  integrationId: Nullable(Type.String()),
  date: LocalDateSchema,
  description: Type.String(),
  lines: Type.Array(VoucherLineSchema),
  importedVoucherNo: Nullable(Type.String()),
  externalImportReference: Nullable(Type.String()),
  submittedAt: InstantSchema,
  postedVoucherId: Nullable(Type.String()),
  /** Pages the agency attached; absent until the first (and in worlds stored before pages existed). */
  pages: Type.Optional(Type.Array(VoucherPageSchema)),
});
export type ReceptionDraft = Static<typeof ReceptionDraftSchema>;

export const EventRefsSchema = Type.Object({
  invoiceId: Type.Optional(Type.String()),
  caseId: Type.Optional(Type.String()),
  customerId: Type.Optional(Type.Integer()),
  voucherId: Type.Optional(Type.String()),
  integrationId: Type.Optional(Type.String()),
});

export const DomainEventSchema = Type.Object({
  seq: Type.Integer(),
  at: InstantSchema,
  type: Type.String(),
  actor: ActorSchema,
  /** Why it happened, in the domain's words. */
  cause: Type.String(),
  refs: EventRefsSchema,
  data: Type.Record(Type.String(), Type.Unknown()),
});
export type DomainEvent = Static<typeof DomainEventSchema>;

export const CountersSchema = Type.Object({
  uuid: Type.Integer(),
  ordinal: Type.Integer(),
  customerId: Type.Integer(),
  customerNo: Type.Integer(),
  invoiceNo: Type.Integer(),
  voucherNo: Type.Integer(),
  match: Type.Integer(),
  matchGroup: Type.Integer(),
  event: Type.Integer(),
});

/** A fault injected into this client's agency API answers (WireMock faults, LocalStack chaos). */
export const FaultSchema = Type.Object({
  id: Type.String(),
  match: Type.Object({
    operationId: Type.Optional(Type.String()),
    method: Type.Optional(Type.String()),
    /** Path prefix, case-insensitive ('/DebtCollection', '/v2/Vouchers'). */
    path: Type.Optional(Type.String()),
    face: Type.Optional(Type.Union([Type.Literal('v1'), Type.Literal('v2'), Type.Literal('auth')])),
  }),
  effect: Type.Object({
    status: Type.Optional(Type.Union([Type.Literal(429), Type.Literal(500), Type.Literal(502), Type.Literal(503)])),
    latencyMs: Type.Optional(Type.Integer({ minimum: 0 })),
    /** Close the connection without an answer. */
    drop: Type.Optional(Type.Boolean()),
    /** Carry the request out, then close the connection: the answer is lost (a timeout after the write). */
    dropAfterWrite: Type.Optional(Type.Boolean()),
    /** v1: HTTP 200 with success:false, the vendor's business-failure convention (v2: 400 ProblemDetails). */
    businessFailure: Type.Optional(Type.Boolean()),
  }),
  /** Calls left to hit (null: every matching call, subject to `fraction`). */
  remaining: Nullable(Type.Integer({ minimum: 0 })),
  /** Hit this share of matching calls (deterministic per fault). */
  fraction: Nullable(Type.Number({ minimum: 0, maximum: 1 })),
  seen: Type.Integer(),
  fired: Type.Integer(),
  createdAt: InstantSchema,
});
export type Fault = Static<typeof FaultSchema>;

/** Where a scenario played on this client stands: snapshots keep it, so a rewound scenario resumes. */
export const ScenarioProgressSchema = Type.Object({
  name: Type.String(),
  start: LocalDateSchema,
  nextStep: Type.Integer({ minimum: 0 }),
  refs: Type.Record(Type.String(), Type.String()),
  finished: Type.Boolean(),
});
export type ScenarioProgress = Static<typeof ScenarioProgressSchema>;

export const WORLD_FORMAT_VERSION = 1;

export const WorldSchema = Type.Object({
  formatVersion: Type.Literal(WORLD_FORMAT_VERSION),
  id: Type.String(),
  name: Type.String(),
  /** Seeds the world's deterministic ids; kept on import so a reproduction makes the same ids. */
  idSeed: Type.String(),
  /** Random per creation (and import): tokens bind it, so a client created again under an old id refuses old tokens. */
  incarnation: Type.Optional(Type.String()),
  timeZone: Type.String(),
  createdAt: InstantSchema,
  clock: Type.Object({ now: InstantSchema }),
  settings: ClientSettingsSchema,
  counters: CountersSchema,
  integrations: Type.Array(IntegrationSchema),
  customers: Type.Record(Type.String(), CustomerSchema),
  invoices: Type.Record(Type.String(), InvoiceSchema),
  /** Every posted voucher in voucher-number order; append-only and frozen, shared by snapshots. */
  vouchers: Type.Array(VoucherSchema),
  /** voucher id -> the id of the voucher that reversed it. */
  reversals: Type.Record(Type.String(), Type.String()),
  cases: Type.Record(Type.String(), CaseSchema),
  voucherReception: Type.Record(Type.String(), ReceptionDraftSchema),
  /** ExternalImportReference / ImportedVoucherNo -> voucher id: a second posting with one is a duplicate. */
  importReferences: Type.Record(Type.String(), Type.String()),
  /** The journal: append-only and frozen, shared by snapshots. */
  events: Type.Array(DomainEventSchema),
  scenario: Type.Optional(Nullable(ScenarioProgressSchema)),
  faults: Type.Optional(Type.Array(FaultSchema)),
});
export type World = Static<typeof WorldSchema>;
