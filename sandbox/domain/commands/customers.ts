/** ERP user: customer cards, including "overfør til inkassobyrå" (the exclude flag). */
import type { CommandContext } from '../context.js';
import { emit, now } from '../context.js';
import type { Customer, MailAddress } from '../model.js';
import { reject } from '../errors.js';
import { organizationNumberProblem } from '../identifiers.js';
import { getCustomer } from '../world.js';
import { reschedule } from '../schedule.js';

export interface NewCustomer {
  name: string;
  number?: number;
  organizationNumber?: string | null;
  emailAddress?: string | null;
  mailAddress?: Partial<MailAddress>;
  transferToDebtCollectionAgency?: boolean;
}

export type CustomerChange = Partial<Omit<NewCustomer, 'number'>>;

const EMPTY_ADDRESS: MailAddress = { addressLine1: '', addressLine2: '', zipCode: '', city: '', countryCode: 'NO' };

function checkOrganizationNumber(value: string | null | undefined): void {
  if (value === null || value === undefined) return;
  const problem = organizationNumberProblem(value);
  if (problem) throw reject.invalid('organizationNumber', problem);
}

export function createCustomer(ctx: CommandContext, input: NewCustomer): Customer {
  const world = ctx.world;
  checkOrganizationNumber(input.organizationNumber);
  if (input.number !== undefined && Object.values(world.customers).some((c) => c.number === input.number))
    throw reject.conflict(`customer number ${input.number} is taken`, { field: 'number' });
  world.counters.customerId += 1;
  // The counter is the highest number in use, so the next free one is one above it.
  const number = input.number ?? world.counters.customerNo + 1;
  world.counters.customerNo = Math.max(world.counters.customerNo, number);
  const customer: Customer = {
    id: world.counters.customerId,
    number,
    name: input.name,
    organizationNumber: input.organizationNumber ?? null,
    emailAddress: input.emailAddress ?? null,
    mailAddress: { ...EMPTY_ADDRESS, ...input.mailAddress },
    // Activation ticks the box on every card, and new cards default to it.
    transferToDebtCollectionAgency: input.transferToDebtCollectionAgency ?? true,
    createdAt: now(world),
    lastChanged: now(world),
  };
  world.customers[String(customer.id)] = customer;
  emit(ctx, 'customer.created', `customer ${customer.number} ${customer.name} created`, { customerId: customer.id });
  return customer;
}

export function updateCustomer(ctx: CommandContext, id: number, change: CustomerChange): Customer {
  const world = ctx.world;
  const customer = getCustomer(world, id, 'customerId');
  checkOrganizationNumber(change.organizationNumber);
  const excludedBefore = !customer.transferToDebtCollectionAgency;
  if (change.name !== undefined) customer.name = change.name;
  if (change.organizationNumber !== undefined) customer.organizationNumber = change.organizationNumber;
  if (change.emailAddress !== undefined) customer.emailAddress = change.emailAddress;
  if (change.mailAddress) customer.mailAddress = { ...customer.mailAddress, ...change.mailAddress };
  if (change.transferToDebtCollectionAgency !== undefined) customer.transferToDebtCollectionAgency = change.transferToDebtCollectionAgency;
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
