/**
 * The scenario file format: an initial world and a timeline of steps, in YAML or JSON. Dates in a scenario are
 * relative to its start ('-3d', '+14d', '+14d+2h', '0d') or absolute ('2026-02-01'). Each step does one thing
 * (advance the clock, an ERP user action, an agency API call, a snapshot) and may carry expectations checked after it.
 */
import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from './enums.js';
import { SupportedDates } from './common.js';

const Strict = { additionalProperties: false } as const;
const Ref = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$',
  description: 'a name the scenario gives a thing, used by later steps',
});
const Refs = Type.Array(Ref, { minItems: 1 });
export const RelativeMoment = Type.String({
  pattern: '^(([+-]?\\d+[dhm])+|\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2})?)?)$',
  description: "relative to the scenario start ('+14d', '-3d', '+1d+2h', '0d') or absolute ('2026-02-01', '2026-02-01T10:00')",
});
export const RelativeDate = Type.String({
  pattern: '^([+-]?\\d+d|\\d{4}-\\d{2}-\\d{2})$',
  description: "a day relative to the start ('-3d', '+14d', '0d') or absolute ('2026-02-01')",
});
const Amount = Type.Number({ exclusiveMinimum: 0, 'x-nok': true, description: 'NOK' });
const AnyAmount = Type.Number({ 'x-nok': true, description: 'NOK' });

const MailAddress = Type.Object(
  {
    addressLine1: Type.Optional(Type.String()),
    addressLine2: Type.Optional(Type.String()),
    zipCode: Type.Optional(Type.String()),
    city: Type.Optional(Type.String()),
    countryCode: Type.Optional(Type.String()),
  },
  Strict,
);

const DeliveryType = Type.Optional(StringEnum(['PdfByEmail', 'Print'] as const));
/** A person debtor (isPerson true): first and last name, a fødselsnummer (both check digits), contact channels. */
const PersonFields = {
  isPerson: Type.Optional(Type.Boolean()),
  firstName: Type.Optional(Type.String({ minLength: 1 })),
  lastName: Type.Optional(Type.String({ minLength: 1 })),
  nationalIdNumber: Type.Optional(Type.String({ description: 'fødselsnummer or D-number, 11 digits' })),
  dateOfBirth: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD; filled from nationalIdNumber' })),
  phoneNumber: Type.Optional(Type.String()),
  invoiceEmailAddress: Type.Optional(Type.String()),
  paymentReminderEmailAddress: Type.Optional(Type.String()),
  reminderDeliveryType: DeliveryType,
  noticeOfDebtCollectionDeliveryType: DeliveryType,
};

export const ScenarioCustomer = Type.Object(
  {
    ref: Ref,
    name: Type.Optional(
      Type.String({ minLength: 1, description: 'required for a company; a person\'s defaults to "firstName lastName"' }),
    ),
    number: Type.Optional(Type.Integer({ minimum: 1 })),
    ...PersonFields,
    organizationNumber: Type.Optional(Type.String()),
    emailAddress: Type.Optional(Type.String()),
    mailAddress: Type.Optional(MailAddress),
    transferToDebtCollectionAgency: Type.Optional(Type.Boolean()),
  },
  Strict,
);

export const ScenarioInvoice = Type.Object(
  {
    ref: Ref,
    customer: Ref,
    amount: Amount,
    invoiceDate: Type.Optional(RelativeDate),
    due: Type.Optional(RelativeDate),
    invoiceNo: Type.Optional(Type.Integer({ minimum: 1 })),
    vatCode: Type.Optional(Type.String()),
    imported: Type.Optional(Type.Boolean()),
    importedVoucherNo: Type.Optional(Type.String()),
    externalImportReference: Type.Optional(Type.String()),
    customMatchingReference: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'a payment line with this reference and the opposite open amount is matched against the invoice',
      }),
    ),
  },
  Strict,
);

export const ScenarioIntegration = Type.Object(
  {
    ref: Ref,
    name: Type.String({ minLength: 1 }),
    kind: Type.Optional(StringEnum(['debtCollection', 'factoring'] as const)),
    canCreateNewCases: Type.Optional(Type.Boolean()),
    rights: Type.Optional(Type.Object({ read: Type.Boolean(), write: Type.Boolean() }, Strict)),
  },
  Strict,
);

/** Settings as the control API takes them, with integrations named by ref. */
export const ScenarioSettings = Type.Object(
  {
    reminderSteps: Type.Optional(Type.Unknown({ description: 'as PUT /_sandbox/clients/{id}/settings' })),
    minimumAmount: Type.Optional(Type.Number({ minimum: 0 })),
    draftDaysWithoutReminders: Type.Optional(Type.Integer({ minimum: 1 })),
    enumFormat: Type.Optional(StringEnum(['names', 'numbers'] as const)),
    v1ErrorStatuses: Type.Optional(StringEnum(['vendor', 'http'] as const)),
    tokenLifetimeSeconds: Type.Optional(Type.Integer({ minimum: 1 })),
    autoApprove: Type.Optional(
      Type.Object({ enabled: Type.Boolean(), fromInvoiceDate: Type.Optional(RelativeDate), integration: Type.Optional(Ref) }, Strict),
    ),
    caseCreatingIntegration: Type.Optional(Ref),
    paymentMatching: Type.Optional(
      Type.Object(
        {
          cidAmounts: Type.Optional(StringEnum(['any', 'exact'] as const)),
          matchingReferenceAmounts: Type.Optional(StringEnum(['exact', 'any'] as const)),
          fallBack: Type.Optional(Type.Boolean()),
          overpayment: Type.Optional(StringEnum(['credit', 'refuse'] as const)),
          reversalDate: Type.Optional(StringEnum(['original', 'today'] as const)),
        },
        { ...Strict, description: 'as PUT /_sandbox/clients/{id}/settings paymentMatching' },
      ),
    ),
  },
  Strict,
);

const Selection = Type.Union([Refs, Type.Literal('all')], { description: 'invoice refs, or "all"' });

const PaymentLine = Type.Object({ invoice: Type.Optional(Ref), invoices: Type.Optional(Refs), amount: Amount }, Strict);

/**
 * A bank-journal line: on an invoice's customer (naming it by InvoiceNo, by its KID with `by: cid`, or not at all
 * with `by: none`), on a customer's ledger with no invoice (`customer`), or on a general-ledger account (default 1920).
 * invoiceNo, cid and customMatchingReference send those references as given (also unknown ones).
 */
const BankJournalLine = Type.Object(
  {
    invoice: Type.Optional(Ref),
    customer: Type.Optional(Ref),
    by: Type.Optional(
      StringEnum(['invoiceNo', 'cid', 'none'] as const, { description: 'how a line with `invoice` names it (default invoiceNo)' }),
    ),
    invoiceNo: Type.Optional(Type.String({ minLength: 1 })),
    cid: Type.Optional(Type.String({ minLength: 1 })),
    customMatchingReference: Type.Optional(Type.String({ minLength: 1 })),
    account: Type.Optional(Type.Integer()),
    amount: AnyAmount,
    description: Type.Optional(Type.String()),
  },
  Strict,
);

const AgencyCall = Type.Object(
  {
    as: Type.Optional(Ref),
    createCase: Type.Optional(
      Type.Object(
        {
          ref: Ref,
          code: Type.String({ minLength: 1 }),
          invoices: Type.Optional(Refs),
          externalCaseUrl: Type.Optional(Type.String()),
          balanceAgency: Type.Optional(AnyAmount),
        },
        Strict,
      ),
    ),
    addInvoices: Type.Optional(Type.Object({ case: Ref, invoices: Refs }, Strict)),
    mergeCases: Type.Optional(
      Type.Object(
        {
          cases: Type.Array(Ref, { minItems: 2 }),
          caseNo: Type.String({ minLength: 1 }),
          ref: Type.Optional(Ref),
          externalCaseUrl: Type.Optional(Type.String()),
        },
        Strict,
      ),
    ),
    updateStatus: Type.Optional(
      Type.Object(
        {
          case: Ref,
          statusText: Type.String({ minLength: 1 }),
          isCaseClosed: Type.Optional(Type.Boolean()),
          balanceAgency: Type.Optional(AnyAmount),
        },
        Strict,
      ),
    ),
    rejectCase: Type.Optional(Type.Object({ case: Ref }, Strict)),
    bankJournal: Type.Optional(
      Type.Object(
        {
          date: Type.Optional(RelativeDate),
          description: Type.Optional(Type.String()),
          externalImportReference: Type.Optional(Type.String()),
          lines: Type.Array(BankJournalLine, { minItems: 2 }),
        },
        Strict,
      ),
    ),
    manualJournal: Type.Optional(
      Type.Object(
        {
          date: Type.Optional(RelativeDate),
          description: Type.Optional(Type.String()),
          lines: Type.Array(
            Type.Object(
              {
                debit: Type.Optional(Type.Integer()),
                credit: Type.Optional(Type.Integer()),
                amount: Amount,
                vatCode: Type.Optional(Type.String()),
                description: Type.Optional(Type.String()),
              },
              Strict,
            ),
            { minItems: 1 },
          ),
        },
        Strict,
      ),
    ),
  },
  {
    ...Strict,
    description:
      'one agency action (the domain command its v1 or v2 operation runs, privileges checked), as the integration `as` (default: the ' +
      'one that may create new cases)',
  },
);

const InvoiceExpectation = Type.Object(
  {
    invoice: Ref,
    status: Type.Optional(StringEnum(['None', 'Draft', 'OnHold', 'Approved', 'Exported', 'Rejected'] as const)),
    openAmount: Type.Optional(Type.Number()),
    nextAction: Type.Optional(StringEnum(['Påminnelse', 'Purring', 'Inkassovarsel', 'Inkasso', 'None', 'Wait'] as const)),
    obstacle: Type.Optional(Type.Boolean()),
    reminders: Type.Optional(Type.Integer({ minimum: 0 })),
    remindersReversed: Type.Optional(Type.Boolean()),
    /** Totals over the reminders Go sent (NOK). */
    reminderFees: Type.Optional(Type.Number()),
    reminderInterest: Type.Optional(Type.Number()),
    nextActionDate: Type.Optional(RelativeDate),
    /** Text the obstacle's reason must contain. */
    obstacleReason: Type.Optional(Type.String()),
    case: Type.Optional(Ref),
  },
  Strict,
);
const CaseExpectation = Type.Object(
  {
    case: Ref,
    code: Type.Optional(Type.String()),
    status: Type.Optional(StringEnum(['Active', 'Closed'] as const)),
    invoices: Type.Optional(Type.Array(Ref)),
    balanceAgency: Type.Optional(Type.Number()),
    history: Type.Optional(Type.Integer({ minimum: 0 })),
    exists: Type.Optional(Type.Boolean()),
  },
  Strict,
);
const MatchedItemsExpectation = Type.Object(
  {
    matchedItems: Ref,
    as: Type.Optional(Ref),
    count: Type.Optional(Type.Integer({ minimum: 0 })),
    writeOffs: Type.Optional(Type.Integer({ minimum: 0 })),
    total: Type.Optional(Type.Number()),
  },
  Strict,
);
/** A customer's ledger as the agency reads it (v2 CustomerBalances and OpenItems today) and its unmatched items. */
const CustomerLedgerExpectation = Type.Object(
  {
    customerLedger: Ref,
    as: Type.Optional(Ref),
    balance: Type.Optional(Type.Number({ description: 'CustomerBalances Balance (NOK; negative: the customer has a credit)' })),
    openItems: Type.Optional(Type.Integer({ minimum: 0, description: 'how many OpenItems the customer has' })),
    credit: Type.Optional(Type.Number({ description: 'the sum of the negative OpenItems balances (NOK, negative)' })),
    unmatched: Type.Optional(Type.Integer({ minimum: 0, description: 'open items no invoice accounts for (ledger/check unmatched)' })),
    reason: Type.Optional(
      StringEnum(['noReference', 'unknownReference', 'otherCustomer', 'amountDiffers', 'overpaid', 'debit'] as const, {
        description: 'every unmatched item of the customer has this reason',
      }),
    ),
  },
  Strict,
);
const OtherExpectation = Type.Object(
  {
    available: Type.Optional(Type.Array(Ref)),
    as: Type.Optional(Ref),
    ledger: Type.Optional(Type.Literal('balanced')),
    voucherReception: Type.Optional(Type.Integer({ minimum: 0 })),
    events: Type.Optional(Type.Object({ type: Type.String(), count: Type.Integer({ minimum: 0 }) }, Strict)),
    today: Type.Optional(RelativeDate),
  },
  Strict,
);

export const Expectation = Type.Union([
  Type.String({
    description:
      "'invoice INV-1 is Draft', 'invoice INV-1 open amount is 600', 'case CASE-1 is Closed', 'ledger balances', each optionally " +
      "followed by ' on +14d'",
  }),
  InvoiceExpectation,
  CaseExpectation,
  MatchedItemsExpectation,
  CustomerLedgerExpectation,
  OtherExpectation,
]);

export const ACTION_KEYS = [
  'at',
  'advance',
  'approve',
  'hold',
  'release',
  'remove',
  'override',
  'customer',
  'updateCustomer',
  'invoice',
  'creditNote',
  'payment',
  'writeOff',
  'reverseWriteOff',
  'settings',
  'integration',
  'switchAgency',
  'approveReception',
  'agency',
  'snapshot',
] as const;

export const ScenarioStep = Type.Object(
  {
    id: Type.Optional(Ref),
    note: Type.Optional(Type.String({ description: 'what this step shows, printed as progress' })),
    at: Type.Optional(RelativeMoment),
    advance: Type.Optional(
      Type.Object(
        {
          days: Type.Optional(Type.Integer({ minimum: 0 })),
          hours: Type.Optional(Type.Integer({ minimum: 0 })),
          minutes: Type.Optional(Type.Integer({ minimum: 0 })),
        },
        Strict,
      ),
    ),
    approve: Type.Optional(Selection),
    hold: Type.Optional(Selection),
    release: Type.Optional(Selection),
    remove: Type.Optional(Selection),
    override: Type.Optional(
      Type.Object({ invoices: Refs, nextAction: Type.Optional(StringEnum(['Inkasso', 'None', 'Wait', 'Auto'] as const)) }, Strict),
    ),
    customer: Type.Optional(ScenarioCustomer),
    updateCustomer: Type.Optional(
      Type.Object(
        {
          customer: Ref,
          name: Type.Optional(Type.String()),
          ...PersonFields,
          emailAddress: Type.Optional(Type.String()),
          mailAddress: Type.Optional(MailAddress),
          transferToDebtCollectionAgency: Type.Optional(Type.Boolean()),
        },
        Strict,
      ),
    ),
    invoice: Type.Optional(ScenarioInvoice),
    creditNote: Type.Optional(
      Type.Object({ ref: Type.Optional(Ref), invoice: Ref, amount: Amount, date: Type.Optional(RelativeDate) }, Strict),
    ),
    payment: Type.Optional(
      Type.Object(
        {
          ref: Type.Optional(Ref),
          invoice: Type.Optional(Ref),
          amount: Type.Optional(Amount),
          lines: Type.Optional(Type.Array(PaymentLine, { minItems: 1 })),
          date: Type.Optional(RelativeDate),
          kind: Type.Optional(StringEnum(['bank', 'ocr'] as const)),
        },
        Strict,
      ),
    ),
    writeOff: Type.Optional(
      Type.Object(
        {
          ref: Type.Optional(Ref),
          invoices: Refs,
          date: Type.Optional(RelativeDate),
          vatCode: Type.Optional(Type.String()),
          description: Type.Optional(Type.String()),
        },
        Strict,
      ),
    ),
    reverseWriteOff: Type.Optional(Type.Object({ writeOff: Ref }, Strict)),
    settings: Type.Optional(ScenarioSettings),
    integration: Type.Optional(ScenarioIntegration),
    switchAgency: Type.Optional(Ref),
    approveReception: Type.Optional(Type.Literal('all')),
    agency: Type.Optional(AgencyCall),
    snapshot: Type.Optional(Ref),
    expect: Type.Optional(Type.Array(Expectation, { minItems: 1 })),
    expectError: Type.Optional(
      Type.Object(
        {
          status: Type.Integer({
            minimum: 400,
            maximum: 599,
            description:
              "the HTTP status; for a v1 refusal answered the vendor's way (HTTP 200, success false) the status the sandbox names in " +
              'X-Sandbox-Detail',
          }),
          contains: Type.Optional(Type.String()),
        },
        Strict,
      ),
    ),
  },
  { ...Strict, description: 'one action (or none, with only expect) and the expectations after it' },
);

export const Scenario = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    name: Ref,
    title: Type.String({ minLength: 1 }),
    description: Type.String({ minLength: 1 }),
    rules: Type.Optional(Type.Array(Type.String(), { description: 'the domain rules this scenario pins (for reports)' })),
    start: Type.String({ format: 'date', ...SupportedDates, description: 'the client start date (08:00 local)' }),
    settings: Type.Optional(ScenarioSettings),
    integrations: Type.Optional(Type.Array(ScenarioIntegration, { minItems: 1 })),
    customers: Type.Optional(Type.Array(ScenarioCustomer)),
    invoices: Type.Optional(Type.Array(ScenarioInvoice)),
    timeline: Type.Array(ScenarioStep, { minItems: 1 }),
  },
  Strict,
);

export type ScenarioFile = Static<typeof Scenario>;
export type ScenarioStepT = Static<typeof ScenarioStep>;
export type ExpectationT = Static<typeof Expectation>;
export type AgencyCallT = Static<typeof AgencyCall>;
