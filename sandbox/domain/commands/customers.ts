/** ERP user: customer cards (companies or persons), including "overfør til inkassobyrå" (the exclude flag). */
import type { CommandContext } from '../context.js';
import { emit, now } from '../context.js';
import type { Customer, DeliveryType, MailAddress } from '../model.js';
import { reject } from '../errors.js';
import { birthDateOfNationalId, nationalIdNumberProblem, organizationNumberProblem } from '../identifiers.js';
import { CUSTOMER_DEFAULTS, getCustomer } from '../world.js';
import { reschedule } from '../schedule.js';

export interface NewCustomer {
  /** Required for a company; a person's defaults to "first last". */
  name?: string;
  number?: number;
  isPerson?: boolean;
  firstName?: string | null;
  lastName?: string | null;
  organizationNumber?: string | null;
  nationalIdNumber?: string | null;
  dateOfBirth?: string | null;
  phoneNumber?: string | null;
  emailAddress?: string | null;
  invoiceEmailAddress?: string | null;
  paymentReminderEmailAddress?: string | null;
  reminderDeliveryType?: DeliveryType | null;
  noticeOfDebtCollectionDeliveryType?: DeliveryType | null;
  mailAddress?: Partial<MailAddress>;
  transferToDebtCollectionAgency?: boolean;
}

export type CustomerChange = Partial<Omit<NewCustomer, 'number'>>;

const EMPTY_ADDRESS: MailAddress = { addressLine1: '', addressLine2: '', zipCode: '', city: '', countryCode: 'NO' };

/** The card fields a create or change may set (everything but ids, numbers and timestamps). */
type CardFields = Omit<Customer, 'id' | 'number' | 'createdAt' | 'lastChanged'>;

const blank = (v: string | null | undefined) => v === null || v === undefined || v.trim() === '';

/**
 * Checks a card as it would be after a create or change and fills what follows from it (a person's name, the date
 * of birth a national id number encodes). Throws naming the field; the caller has not touched the world yet.
 */
function settle(card: CardFields, sent: CustomerChange): CardFields {
  const out = { ...card };
  if (out.isPerson) {
    if (blank(out.firstName)) throw reject.invalid('firstName', 'is required for a person (isPerson true)');
    if (blank(out.lastName)) throw reject.invalid('lastName', 'is required for a person (isPerson true)');
    if (out.organizationNumber !== null) throw reject.invalid('organizationNumber', 'is for companies; a person has a nationalIdNumber');
    if (out.nationalIdNumber !== null) {
      const problem = nationalIdNumberProblem(out.nationalIdNumber);
      if (problem) throw reject.invalid('nationalIdNumber', problem);
      const born = birthDateOfNationalId(out.nationalIdNumber)!;
      if (sent.dateOfBirth !== undefined && sent.dateOfBirth !== null && sent.dateOfBirth !== born)
        throw reject.invalid('dateOfBirth', `${sent.dateOfBirth} contradicts the nationalIdNumber, which encodes ${born}`);
      out.dateOfBirth = born;
    }
    // A person's card shows the name; keep it in step with first and last name unless one was sent.
    if (sent.name === undefined && (sent.firstName !== undefined || sent.lastName !== undefined || sent.isPerson !== undefined))
      out.name = `${out.firstName!.trim()} ${out.lastName!.trim()}`;
  } else {
    for (const field of ['firstName', 'lastName', 'nationalIdNumber', 'dateOfBirth'] as const)
      if (out[field] !== null) throw reject.invalid(field, 'is only for persons (isPerson true)');
    if (out.organizationNumber !== null) {
      const problem = organizationNumberProblem(out.organizationNumber);
      if (problem) throw reject.invalid('organizationNumber', problem);
    }
  }
  if (blank(out.name)) throw reject.invalid('name', 'is required for a company (isPerson false)');
  if (out.phoneNumber !== null && !/^\+?[0-9][0-9 ]{4,19}$/.test(out.phoneNumber))
    throw reject.invalid('phoneNumber', 'must be 5 to 20 digits (spaces allowed), optionally after a +');
  // The vendor: PdfByEmail "can only be used if the customer have an e-mail address registered".
  const hasEmail = !blank(out.emailAddress) || !blank(out.paymentReminderEmailAddress);
  for (const field of ['reminderDeliveryType', 'noticeOfDebtCollectionDeliveryType'] as const)
    if (out[field] === 'PdfByEmail' && !hasEmail)
      throw reject.invalid(field, 'PdfByEmail needs an emailAddress or paymentReminderEmailAddress');
  return out;
}

/** The sent keys over the card's fields (undefined = not sent). */
function apply(card: CardFields, change: CustomerChange): CardFields {
  const out = { ...card };
  for (const [k, v] of Object.entries(change)) {
    if (v === undefined || k === 'mailAddress' || k === 'number') continue;
    (out as Record<string, unknown>)[k] = v;
  }
  if (change.mailAddress) out.mailAddress = { ...out.mailAddress, ...change.mailAddress };
  return out;
}

export function createCustomer(ctx: CommandContext, input: NewCustomer): Customer {
  const world = ctx.world;
  const fields = settle(
    apply(
      {
        name: '',
        ...CUSTOMER_DEFAULTS,
        organizationNumber: null,
        emailAddress: null,
        mailAddress: { ...EMPTY_ADDRESS },
        transferToDebtCollectionAgency: true,
      },
      input,
    ),
    { isPerson: input.isPerson ?? false, ...input },
  );
  if (input.number !== undefined && Object.values(world.customers).some((c) => c.number === input.number))
    throw reject.conflict(`customer number ${input.number} is taken`, { field: 'number' });
  world.counters.customerId += 1;
  // The counter is the highest number in use, so the next free one is one above it.
  const number = input.number ?? world.counters.customerNo + 1;
  world.counters.customerNo = Math.max(world.counters.customerNo, number);
  // Activation ticks the box on every card, and new cards default to it (the default above).
  const customer: Customer = { id: world.counters.customerId, number, ...fields, createdAt: now(world), lastChanged: now(world) };
  world.customers[String(customer.id)] = customer;
  emit(ctx, 'customer.created', `customer ${customer.number} ${customer.name} created (${customer.isPerson ? 'person' : 'company'})`, {
    customerId: customer.id,
  });
  return customer;
}

export function updateCustomer(ctx: CommandContext, id: number, change: CustomerChange): Customer {
  const world = ctx.world;
  const customer = getCustomer(world, id, 'customerId');
  const { id: _id, number: _number, createdAt: _created, lastChanged: _changed, ...card } = customer;
  const fields = settle(apply(card, change), change);
  const excludedBefore = !customer.transferToDebtCollectionAgency;
  Object.assign(customer, fields);
  customer.lastChanged = now(world);
  const excluded = !customer.transferToDebtCollectionAgency;
  const cause =
    excluded !== excludedBefore
      ? excluded
        ? `customer ${customer.number} excluded from debt collection`
        : `customer ${customer.number} included in debt collection again`
      : `customer ${customer.number} updated`;
  emit(ctx, 'customer.updated', cause, { customerId: customer.id }, { changed: Object.keys(change) });
  if (excluded !== excludedBefore)
    for (const invoice of Object.values(world.invoices)) if (invoice.customerId === customer.id) reschedule(world, invoice);
  return customer;
}
