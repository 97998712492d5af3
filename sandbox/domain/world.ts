/** Creating a client world and finding things in it. */
import type { ClientSettings, V2WireSettings, Customer, Integration, Invoice, World, Case } from './model.js';
import { WORLD_FORMAT_VERSION } from './model.js';
import { reject } from './errors.js';
import type { Instant } from './time.js';
import { INKASSOSATS, LATE_INTEREST_RATES, type DatedAmount, type DatedRate } from './norwegian-rates.js';

export const DEFAULT_TIME_ZONE = 'Europe/Oslo';

export function defaultSettings(): ClientSettings {
  return {
    reminderSteps: {
      friendlyReminder: { enabled: false, daysAfterDue: 7, dueInDays: 7 },
      paymentReminder: { enabled: false, daysAfterDue: 14, dueInDays: 14, fee: 3500, chargeInterest: true },
      collectionNotice: { enabled: false, daysAfterDue: 14, dueInDays: 14, fee: 3500, chargeInterest: true },
    },
    minimumAmount: 0,
    draftDaysWithoutReminders: 14,
    enumFormat: 'numbers',
    v1ErrorStatuses: 'vendor',
    v1StatusTextCloses: false,
    v1DeleteBody: 'vendor',
    v1MergeCasesId: 'first',
    tokenLifetimeSeconds: 1200,
    v1TokenLifetimeSeconds: 600,
    v1RefreshTokens: true,
    lateInterestRates: [],
    inkassosats: [],
    rateLimits: { enabled: true, v1PerSecond: 50, v2PerSecond: 10 },
    v2Wire: defaultV2Wire(),
    paymentMatching: {
      cidAmounts: 'any',
      matchingReferenceAmounts: 'exact',
      fallBack: true,
      overpayment: 'credit',
      reversalDate: 'original',
    },
  };
}

export function defaultV2Wire(): V2WireSettings {
  return {
    manualJournalImportReferences: false,
    uniqueImportedVoucherNo: false,
    duplicateStatus: 400,
    pagination: 'nextPageLink',
    timestamps: 'vendor',
    repairPlusInTimestamps: false,
    nationalIdNumber: 'hidden',
  };
}

export interface NewWorld {
  id: string;
  name: string;
  now: Instant;
  timeZone?: string;
  settings?: ClientSettings;
  /** A random id of this creation (the engine draws it; the domain stays deterministic). */
  incarnation?: string;
}

export function createWorld(input: NewWorld): World {
  return {
    formatVersion: WORLD_FORMAT_VERSION,
    id: input.id,
    name: input.name,
    idSeed: input.id,
    ...(input.incarnation ? { incarnation: input.incarnation } : {}),
    timeZone: input.timeZone ?? DEFAULT_TIME_ZONE,
    createdAt: input.now,
    clock: { now: input.now },
    settings: input.settings ?? defaultSettings(),
    counters: {
      uuid: 0,
      ordinal: 0,
      customerId: 0,
      customerNo: 10_000,
      invoiceNo: 10_000,
      voucherNo: 0,
      match: 0,
      matchGroup: 0,
      event: 0,
    },
    integrations: [],
    customers: {},
    invoices: {},
    vouchers: [],
    reversals: {},
    cases: {},
    voucherReception: {},
    importReferences: {},
    events: [],
  };
}

/** The world's incarnation; a world stored before incarnations existed falls back to its creation time. */
export function incarnationOf(world: World): string {
  return world.incarnation ?? `created-${world.createdAt}`;
}

/**
 * Fill settings keys added since a world was stored (or exported) with their defaults, so an older file still
 * loads. Mutates and returns `value`; anything that is not world-shaped is left for validation to name.
 */
export function upgradeWorld<T>(value: T): T {
  const settings = (value as { settings?: unknown } | null)?.settings;
  // Deep: a settings object gained since (v2Wire.*) is filled key by key.
  const fill = (target: Record<string, unknown>, defaults: Record<string, unknown>) => {
    for (const [k, v] of Object.entries(defaults)) {
      if (!(k in target)) target[k] = structuredClone(v);
      else if (v && typeof v === 'object' && !Array.isArray(v) && target[k] && typeof target[k] === 'object' && !Array.isArray(target[k]))
        fill(target[k] as Record<string, unknown>, v as Record<string, unknown>);
    }
  };
  if (settings && typeof settings === 'object' && !Array.isArray(settings))
    fill(settings as Record<string, unknown>, defaultSettings() as unknown as Record<string, unknown>);
  // Customer cards stored before persons existed are companies.
  const customers = (value as { customers?: unknown } | null)?.customers;
  if (customers && typeof customers === 'object' && !Array.isArray(customers))
    for (const c of Object.values(customers as Record<string, unknown>))
      if (c && typeof c === 'object' && !Array.isArray(c)) fill(c as Record<string, unknown>, CUSTOMER_DEFAULTS);
  return value;
}

/** The person fields of a company card (and of any card stored before them). */
export const CUSTOMER_DEFAULTS = {
  isPerson: false,
  firstName: null,
  lastName: null,
  nationalIdNumber: null,
  dateOfBirth: null,
  phoneNumber: null,
  invoiceEmailAddress: null,
  paymentReminderEmailAddress: null,
  reminderDeliveryType: null,
  noticeOfDebtCollectionDeliveryType: null,
} satisfies Partial<Customer>;

export function getInvoice(world: World, id: string, field = 'invoiceId'): Invoice {
  const invoice = world.invoices[id];
  if (!invoice || invoice.kind !== 'invoice') throw reject.notFound('invoice', id, field);
  return invoice;
}

export function getCustomer(world: World, id: number, field = 'customerId'): Customer {
  const customer = world.customers[String(id)];
  if (!customer) throw reject.notFound('customer', id, field);
  return customer;
}

export function customerOf(world: World, invoice: Invoice): Customer {
  const customer = world.customers[String(invoice.customerId)];
  if (!customer) throw new Error(`invoice ${invoice.id} has no customer ${invoice.customerId}`);
  return customer;
}

export function getCase(world: World, id: string, field = 'caseId'): Case {
  const found = world.cases[id];
  if (!found) throw reject.notFound('case', id, field);
  return found;
}

export function getIntegration(world: World, id: string, field = 'integrationId'): Integration {
  const found = world.integrations.find((i) => i.id === id);
  if (!found) throw reject.notFound('integration', id, field);
  return found;
}

/** The vendor's privilege behind each right: reading is DebtCollection, writing DebtCollection_Full. */
const PRIVILEGES = { read: 'DebtCollection', write: 'DebtCollection_Full' } as const;

/** Refuse an integration without the right an action needs: the one wording of a missing privilege. */
export function assertRight(integration: Integration, right: keyof typeof PRIVILEGES): void {
  if (!integration.rights[right])
    throw reject.forbidden(`Unauthorized access: the integration lacks the ${PRIVILEGES[right]} privilege`, { privilege: true });
}

/** The integration acting, with the right it needs. */
export function integrationWithRight(world: World, id: string, right: keyof typeof PRIVILEGES): Integration {
  const integration = getIntegration(world, id);
  assertRight(integration, right);
  return integration;
}

export function debtCollectionIntegrations(world: World): Integration[] {
  return world.integrations.filter((i) => i.kind === 'debtCollection');
}

/** The Inkasso menu is active while the client has a debt-collection integration. */
export function collectionActive(world: World): boolean {
  // A loop, not debtCollectionIntegrations(): the clock asks on every plan of every invoice.
  for (const i of world.integrations) if (i.kind === 'debtCollection') return true;
  return false;
}

/** The one integration that may create new cases, if any. */
export function caseCreatingIntegration(world: World): Integration | undefined {
  return world.integrations.find((i) => i.kind === 'debtCollection' && i.canCreateNewCases);
}

export function lateInterestTable(world: World): readonly DatedRate[] {
  return world.settings.lateInterestRates.length ? world.settings.lateInterestRates : LATE_INTEREST_RATES;
}

export function inkassosatsTable(world: World): readonly DatedAmount[] {
  return world.settings.inkassosats.length ? world.settings.inkassosats : INKASSOSATS;
}

export function hasCompleteMailAddress(customer: Customer): boolean {
  const a = customer.mailAddress;
  return Boolean(a.addressLine1.trim() && a.zipCode.trim() && a.city.trim() && a.countryCode.trim());
}

export function missingAddressFields(customer: Customer): string[] {
  const a = customer.mailAddress;
  return (['addressLine1', 'zipCode', 'city', 'countryCode'] as const).filter((k) => !a[k].trim());
}

/** Invoices in creation order (for lists and deterministic loops). */
/** The customers by id (creation order). */
export function customersInOrder(world: World): Customer[] {
  return Object.values(world.customers).sort((a, b) => a.id - b.id);
}

export function invoicesInOrder(world: World): Invoice[] {
  return Object.values(world.invoices).sort((a, b) => a.ordinal - b.ordinal);
}
