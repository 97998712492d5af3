/**
 * The core timing rule: when an overdue invoice becomes a collection draft (utkast).
 * - purring and/or inkassovarsel enabled: the day after the last enabled step's own due date;
 * - only påminnelse enabled: due date + 14 days;
 * - nothing enabled: due date + `draftDaysWithoutReminders` (14 per PowerOffice, 1 per Kravia's guide).
 * With auto-approve on the case-creating integration, the draft goes straight to Approved, but only for
 * invoices dated on/after its from-date and posted after the setting changed.
 */
import type { Due, Rule } from './rule.js';
import { FEE_STEPS, reminderFacts, STEP_NAME } from './eligibility.js';
import { emit, now } from '../context.js';
import { addDays, startOfLocalDay, type LocalDate } from '../time.js';
import { caseCreatingIntegration, collectionActive, customerOf } from '../world.js';
import type { Invoice, ReminderStepKind, World } from '../model.js';

/** Why the invoice will not become a draft by itself (beyond being outside the reminder flow), or undefined. */
export function draftBlocker(world: World, invoice: Invoice): string | undefined {
  if (!collectionActive(world)) return 'the client has no debt-collection integration, so the Inkasso step does not exist';
  const customer = customerOf(world, invoice);
  if (!customer.transferToDebtCollectionAgency)
    return `customer ${customer.number} is excluded from debt collection ("overfør til inkassobyrå" is off)`;
  return undefined;
}

/**
 * The draft day and its reason, worked out only when read: the clock plans every invoice again after each step, and
 * a getter on the class costs nothing per plan (an object literal with its own getter costs a closure each time).
 */
class DraftDay {
  /** The last enabled fee step (its due date is `from`); påminnelse alone (14 days after `from`, the invoice's due
   *  date); or, with no step enabled, the days after it. */
  readonly #after: ReminderStepKind | number;
  readonly #from: LocalDate;

  constructor(
    readonly date: LocalDate,
    after: ReminderStepKind | number,
    from: LocalDate,
  ) {
    this.#after = after;
    this.#from = from;
  }

  get reason(): string {
    const after = this.#after;
    if (typeof after === 'number')
      return `no reminder step enabled: ${after} day${after === 1 ? '' : 's'} after the due date ${this.#from}`;
    if (after === 'friendlyReminder') return `only påminnelse enabled: 14 days after the due date ${this.#from}`;
    return `${STEP_NAME[after]} due ${this.#from}${after === 'paymentReminder' ? ' and no inkassovarsel enabled' : ''}`;
  }
}

/** The day the invoice becomes a draft and why, once no reminder step is pending. */
export function draftDay(world: World, invoice: Invoice): { date: LocalDate; readonly reason: string } | undefined {
  const steps = world.settings.reminderSteps;
  let last: ReminderStepKind | undefined;
  for (const s of FEE_STEPS) if (steps[s].enabled) last = s;
  if (last) {
    const reminders = invoice.reminders;
    let k = reminders.length - 1;
    while (k >= 0 && reminders[k]!.step !== last) k--;
    if (k < 0) return undefined;
    const sentDue = reminders[k]!.dueDate;
    return new DraftDay(addDays(sentDue, 1), last, sentDue);
  }
  if (steps.friendlyReminder.enabled) return new DraftDay(addDays(invoice.dueDate, 14), 'friendlyReminder', invoice.dueDate);
  const n = world.settings.draftDaysWithoutReminders;
  return new DraftDay(addDays(invoice.dueDate, n), n, invoice.dueDate);
}

/** Does auto-approve take this draft straight to Approved? The reason says why or why not. */
export function autoApproval(world: World, invoice: Invoice): { approve: boolean; reason: string } {
  const integration = caseCreatingIntegration(world);
  if (!integration?.autoApprove.enabled) return { approve: false, reason: 'auto-approve is off' };
  const { fromInvoiceDate, changedAt, postedAfterOrdinal } = integration.autoApprove;
  if (fromInvoiceDate && invoice.invoiceDate < fromInvoiceDate)
    return { approve: false, reason: `invoice date ${invoice.invoiceDate} is before the auto-approve from-date ${fromInvoiceDate}` };
  if (invoice.ordinal <= postedAfterOrdinal)
    return { approve: false, reason: `the invoice was posted before auto-approve was set${changedAt ? ` (${changedAt})` : ''}` };
  return { approve: true, reason: `auto-approve for ${integration.name}` };
}

/** When the draft rule fires; its reason is worked out only when read (explain). */
class DraftDue implements Due {
  readonly rule = 'draft' as const;
  readonly at: string;
  readonly date: LocalDate;
  readonly #day: { readonly reason: string };

  constructor(at: string, day: { date: LocalDate; readonly reason: string }) {
    this.at = at;
    this.date = day.date;
    this.#day = day;
  }

  get reason(): string {
    return `becomes a draft on ${this.date}: ${this.#day.reason}`;
  }
}

export const draft: Rule = {
  id: 'draft',

  nextDue(world, invoice, facts = reminderFacts(world, invoice)): Due | null {
    if (facts.outOfFlow || facts.pending || draftBlocker(world, invoice)) return null;
    const day = draftDay(world, invoice);
    if (!day) return null;
    return new DraftDue(startOfLocalDay(day.date, world.timeZone), day);
  },

  apply(ctx, invoice) {
    const world = ctx.world;
    const day = draftDay(world, invoice);
    const at = now(world);
    invoice.collection.status = 'Draft';
    invoice.collection.draftedAt = at;
    invoice.collection.leftFlow = null;
    invoice.lastChanged = at;
    const refs = { invoiceId: invoice.id, customerId: invoice.customerId };
    emit(ctx, 'invoice.drafted', `became a collection draft: ${day?.reason ?? 'draft day reached'}`, refs, {
      invoiceNo: invoice.invoiceNo,
    });
    const auto = autoApproval(world, invoice);
    if (auto.approve) {
      invoice.collection.status = 'Approved';
      invoice.collection.approvedAt = at;
      emit(ctx, 'invoice.approved', auto.reason, refs, { invoiceNo: invoice.invoiceNo, automatic: true });
    }
  },
};
