/** What happens to an invoice's place in the flow when its open amount changes. */
import type { CommandContext } from '../context.js';
import { emit, now } from '../context.js';
import type { Invoice } from '../model.js';
import { reschedule } from '../schedule.js';

const IN_MENU_BEFORE_CASE = new Set(['Draft', 'OnHold', 'Approved']);

/**
 * A fully paid or credited invoice leaves the flow wherever it is: off the Draft/Approved lists (an invoice in a
 * case stays there; the agency sees the match). When money is owed again (a write-off reversed), the rules
 * take it up from the reminder list.
 */
export function afterOpenAmountChange(
  ctx: CommandContext,
  invoice: Invoice,
  reason: 'paid' | 'credited' | 'written off' | 'reopened',
): void {
  const c = invoice.collection;
  if (invoice.openAmount === 0 && IN_MENU_BEFORE_CASE.has(c.status)) {
    const from = c.status;
    c.status = 'None';
    c.approvedAt = null;
    c.obstacle = null;
    c.leftFlow = { at: now(ctx.world), reason, from };
    invoice.lastChanged = now(ctx.world);
    emit(
      ctx,
      'invoice.leftFlow',
      `fully ${reason}: left the ${from} list`,
      { invoiceId: invoice.id, customerId: invoice.customerId },
      { from, reason },
    );
  }
  reschedule(ctx.world, invoice);
}

/** Is the invoice in a case that is still open? */
export function inOpenCase(ctx: CommandContext, invoice: Invoice): boolean {
  const caseId = invoice.collection.caseId;
  return Boolean(caseId && ctx.world.cases[caseId]?.status === 'Active');
}
