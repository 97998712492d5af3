/** Bench worlds made straight through the domain: one customer per five invoices, each with a postal address. */
import type { CommandContext } from '../sandbox/domain/context.js';
import { createCustomer } from '../sandbox/domain/commands/customers.js';

/** Creates the customers for `invoices` invoices and says how many (their ids are 1 to that). */
export function benchCustomers(ctx: CommandContext, invoices: number): number {
  const customers = Math.max(1, Math.floor(invoices / 5));
  for (let i = 0; i < customers; i++)
    createCustomer(ctx, {
      name: `Kunde ${i}`,
      mailAddress: { addressLine1: `Gate ${i}`, zipCode: '0150', city: 'Oslo', countryCode: 'NO' },
    });
  return customers;
}
