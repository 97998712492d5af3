/**
 * Kravia: approved invoices are normally picked up within two hours; one still approved after that signals an
 * obstacle, typically a customer without a complete postal address. The sandbox flags it at approval + 2 h.
 */
import type { Rule } from './rule.js';
import { emit, now } from '../context.js';
import { addMillis, localDate } from '../time.js';
import { customerOf, hasCompleteMailAddress, missingAddressFields } from '../world.js';

export const OBSTACLE_AFTER_MS = 2 * 60 * 60 * 1000;

export const approvalObstacle: Rule = {
  id: 'approvalObstacle',

  nextDue(world, invoice) {
    const c = invoice.collection;
    if (c.status !== 'Approved' || c.obstacle || !c.approvedAt) return null;
    const at = addMillis(c.approvedAt, OBSTACLE_AFTER_MS);
    return {
      rule: 'approvalObstacle',
      at,
      date: localDate(at, world.timeZone),
      reason: 'flagged as an obstacle if still approved 2 hours after approval',
    };
  },

  apply(ctx, invoice) {
    const customer = customerOf(ctx.world, invoice);
    const reason = hasCompleteMailAddress(customer)
      ? 'still approved 2 hours after approval: the agency has not picked it up'
      : `still approved 2 hours after approval: customer ${customer.number} has no complete postal address (missing ` +
        `${missingAddressFields(customer).join(', ')})`;
    invoice.collection.obstacle = { at: now(ctx.world), reason };
    emit(ctx, 'approval.obstacle', reason, { invoiceId: invoice.id, customerId: invoice.customerId }, { invoiceNo: invoice.invoiceNo });
  },
};
