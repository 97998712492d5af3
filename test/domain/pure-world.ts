/** A client world built in memory with the domain's own commands (no engine, no storage), for the pure tests. */
import { createWorld } from '../../sandbox/domain/world.js';
import { ACTORS, contextFor, type CommandContext } from '../../sandbox/domain/context.js';
import { addIntegration } from '../../sandbox/domain/commands/integrations.js';
import { createCustomer } from '../../sandbox/domain/commands/customers.js';
import { postInvoice } from '../../sandbox/domain/commands/invoices.js';
import { updateSettings, type SettingsChange } from '../../sandbox/domain/commands/settings.js';
import { advanceClock } from '../../sandbox/clock/advance.js';
import { localTimeToMs, fromMillis } from '../../sandbox/domain/time.js';
import type { Customer, World, Invoice } from '../../sandbox/domain/model.js';

export const ZONE = 'Europe/Oslo';
export const at = (date: string, hour = 0, minute = 0) => fromMillis(localTimeToMs(date, hour, minute, ZONE));

export function world(
  settings?: SettingsChange,
  options: { integration?: boolean } = {},
): { w: World; ctx: CommandContext; customer: Customer; invoice: (amount: number, dueDate: string) => Invoice } {
  const w = createWorld({ id: 'pure', name: 'Pure AS', now: at('2026-01-05', 8) });
  const ctx = contextFor(w, ACTORS.erpUser);
  if (options.integration !== false)
    addIntegration(ctx, { name: 'Byrå', kind: 'debtCollection', canCreateNewCases: true, keys: { applicationKey: 'a', clientKey: 'c', subscriptionKey: 's' } });
  if (settings) updateSettings(ctx, settings);
  const customer = createCustomer(ctx, { name: 'Ola AS', mailAddress: { addressLine1: 'Gata 1', zipCode: '0150', city: 'Oslo', countryCode: 'NO' } });
  const invoice = (amount: number, dueDate: string) => postInvoice(ctx, { customerId: customer.id, amount, invoiceDate: '2026-01-01', dueDate });
  return { w, ctx, customer, invoice };
}

export const advanceTo = (ctx: CommandContext, date: string, hour = 0, minute = 0) =>
  advanceClock({ ...ctx, actor: ACTORS.sandbox, emitted: [] }, at(date, hour, minute));
