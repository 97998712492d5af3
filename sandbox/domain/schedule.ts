/** Keep an invoice's next due moment current after anything that could change it. */
import type { Invoice, Schedule, World } from './model.js';
import { planNext, type Due } from './rules/index.js';

/**
 * Who wants to hear of a world's invoices getting a new due moment (the clock's due queue, once built): it registers here, so the
 * domain does not import the clock.
 */
const watchers = new WeakMap<World, (invoice: Invoice) => void>();

export function watchSchedules(world: World, watcher: (invoice: Invoice) => void): void {
  watchers.set(world, watcher);
}

/**
 * Next due moments by moment, rule and step, frozen and shared: an invoice's schedule is only ever replaced whole, and
 * the invoices due on the same day share each moment, so the clock makes no new object per step (a year's 150k steps
 * otherwise left 150k short-lived schedules for the garbage collector).
 */
const schedules = new Map<string, Map<string, Map<string, Schedule>>>();

function scheduleOf(due: Due): Schedule {
  let byRule = schedules.get(due.at);
  if (!byRule) {
    if (schedules.size >= 10_000) schedules.clear();
    schedules.set(due.at, (byRule = new Map()));
  }
  let byStep = byRule.get(due.rule);
  if (!byStep) byRule.set(due.rule, (byStep = new Map()));
  let schedule = byStep.get(due.step ?? '');
  if (!schedule) {
    schedule = Object.freeze(due.step ? { at: due.at, rule: due.rule, step: due.step } : { at: due.at, rule: due.rule });
    byStep.set(due.step ?? '', schedule);
  }
  return schedule;
}

export function reschedule(world: World, invoice: Invoice): void {
  const due = planNext(world, invoice);
  const before = invoice.schedule;
  invoice.schedule = due ? scheduleOf(due) : null;
  const same = before && invoice.schedule && before.at === invoice.schedule.at && before.rule === invoice.schedule.rule;
  if (invoice.schedule && !same) watchers.get(world)?.(invoice);
}

export function rescheduleAll(world: World): void {
  for (const invoice of Object.values(world.invoices)) reschedule(world, invoice);
}
