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
import type { Invoice, World } from '../model.js';

/** Why the invoice will not become a draft by itself (beyond being outside the reminder flow), or undefined. */
export function draftBlocker(world: World, invoice: Invoice): string | undefined {
  if (!collectionActive(world)) return 'the client has no debt-collection integration, so the Inkasso step does not exist';
  const customer = customerOf(world, invoice);
  if (!customer.transferToDebtCollectionAgency)
    return `customer ${customer.number} is excluded from debt collection ("overfør til inkassobyrå" is off)`;
  return undefined;
}

/** The day the invoice becomes a draft and why, once no reminder step is pending. */
export function draftDay(world: World, invoice: Invoice): { date: LocalDate; readonly reason: string } | undefined {
  const steps = world.settings.reminderSteps;
  const enabledFeeSteps = FEE_STEPS.filter((s) => steps[s].enabled);
  const last = enabledFeeSteps.at(-1);
  if (last) {
    const sent = invoice.reminders.findLast((r) => r.step === last);
    if (!sent) return undefined;
    const others = last === 'paymentReminder' ? ' and no inkassovarsel enabled' : '';
    return {
      date: addDays(sent.dueDate, 1),
      get reason() {
        return `${STEP_NAME[last]} due ${sent.dueDate}${others}`;
      },
    };
  }
  if (steps.friendlyReminder.enabled)
    return {
      date: addDays(invoice.dueDate, 14),
      get reason() {
        return `only påminnelse enabled: 14 days after the due date ${invoice.dueDate}`;
      },
    };
  const n = world.settings.draftDaysWithoutReminders;
  return {
    date: addDays(invoice.dueDate, n),
    get reason() {
      return `no reminder step enabled: ${n} day${n === 1 ? '' : 's'} after the due date ${invoice.dueDate}`;
    },
  };
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

export const draft: Rule = {
  id: 'draft',

  nextDue(world, invoice, facts = reminderFacts(world, invoice)): Due | null {
    if (facts.outOfFlow || facts.pending || draftBlocker(world, invoice)) return null;
    const day = draftDay(world, invoice);
    if (!day) return null;
    return {
      rule: 'draft',
      at: startOfLocalDay(day.date, world.timeZone),
      date: day.date,
      get reason() {
        return `becomes a draft on ${day.date}: ${day.reason}`;
      },
    };
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
