/** Keep an invoice's next due moment current after anything that could change it. */
import type { Invoice, World } from './model.js';
import { planNext } from './rules/index.js';

/**
 * Who wants to hear of a world's invoices getting a new due moment (the clock's due queue, once built): it registers here, so the
 * domain does not import the clock.
 */
const watchers = new WeakMap<World, (invoice: Invoice) => void>();

export function watchSchedules(world: World, watcher: (invoice: Invoice) => void): void {
  watchers.set(world, watcher);
}

export function reschedule(world: World, invoice: Invoice): void {
  const due = planNext(world, invoice);
  const before = invoice.schedule;
  invoice.schedule = due ? (due.step ? { at: due.at, rule: due.rule, step: due.step } : { at: due.at, rule: due.rule }) : null;
  const same = before && invoice.schedule && before.at === invoice.schedule.at && before.rule === invoice.schedule.rule;
  if (invoice.schedule && !same) watchers.get(world)?.(invoice);
}

export function rescheduleAll(world: World): void {
  for (const invoice of Object.values(world.invoices)) reschedule(world, invoice);
}
