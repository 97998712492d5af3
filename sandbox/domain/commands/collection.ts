/**
 * ERP user: the Inkasso menu (Utkast, Godkjent) and the reminder list's next-action override.
 * Every action checks every invoice first; one invoice in the wrong state refuses the whole request.
 */
import type { CommandContext } from '../context.js';
import { emit, now, today } from '../context.js';
import type { CollectionStatus, Invoice, World } from '../model.js';
import { reject } from '../errors.js';
import { collectionActive, customerOf, getInvoice, invoicesInOrder } from '../world.js';
import { reschedule } from '../schedule.js';
import { autoApproval } from '../rules/draft.js';

export interface Selection {
  invoiceIds?: string[];
  /** Every invoice the action applies to ("godkjenn alle"). */
  all?: boolean;
}

export interface SelectionResult {
  changed: Invoice[];
  /** With `all`: invoices on the list the action skipped, and why. */
  skipped: Array<{ invoice: Invoice; reason: string }>;
}

function refs(invoice: Invoice) {
  return { invoiceId: invoice.id, customerId: invoice.customerId };
}

function describe(world: World, invoice: Invoice): string {
  const c = invoice.collection;
  if (c.status === 'Exported' && c.caseId) return `Exported (in case ${world.cases[c.caseId]?.code ?? c.caseId})`;
  return c.status;
}

/** Resolve a selection to invoices, checking each is in one of the allowed states. */
function select(
  ctx: CommandContext,
  sel: Selection,
  allowed: CollectionStatus[],
  action: string,
  listStates: CollectionStatus[] = allowed,
): SelectionResult & { invoices: Invoice[] } {
  const world = ctx.world;
  if (sel.all) {
    const onList = invoicesInOrder(world).filter((i) => i.kind === 'invoice' && listStates.includes(i.collection.status));
    const invoices = onList.filter((i) => allowed.includes(i.collection.status));
    const skipped = onList
      .filter((i) => !allowed.includes(i.collection.status))
      .map((invoice) => ({ invoice, reason: `${invoice.collection.status}: cannot ${action}` }));
    return { invoices, changed: [], skipped };
  }
  const ids = sel.invoiceIds ?? [];
  if (ids.length === 0) throw reject.invalid('invoiceIds', 'needs at least one invoice (or "all": true)');
  if (new Set(ids).size !== ids.length) throw reject.invalid('invoiceIds', 'lists an invoice twice');
  const invoices = ids.map((id, i) => getInvoice(world, id, `invoiceIds[${i}]`));
  for (const [i, invoice] of invoices.entries()) {
    const status = invoice.collection.status;
    if (!allowed.includes(status)) {
      const hint =
        status === 'OnHold' && action === 'approve'
          ? '; release the hold first'
          : status === 'Exported' && action === 'remove'
            ? '; the agency has opened a case for it, so it can no longer be stopped from Go'
            : '';
      throw reject.conflict(
        `cannot ${action} invoice ${invoice.invoiceNo}: it is ${describe(world, invoice)}` +
          `; ${action} is allowed from ${allowed.join(' or ')}${hint}`,
        {
          field: `invoiceIds[${i}]`,
          current: status,
          allowed,
        },
      );
    }
  }
  return { invoices, changed: [], skipped: [] };
}

export function approve(ctx: CommandContext, sel: Selection): SelectionResult {
  const r = select(ctx, sel, ['Draft'], 'approve', ['Draft', 'OnHold']);
  for (const invoice of r.invoices) {
    invoice.collection.status = 'Approved';
    invoice.collection.approvedAt = now(ctx.world);
    invoice.collection.obstacle = null;
    invoice.lastChanged = now(ctx.world);
    emit(ctx, 'invoice.approved', `invoice ${invoice.invoiceNo} approved for collection`, refs(invoice), {
      invoiceNo: invoice.invoiceNo,
      automatic: false,
    });
    reschedule(ctx.world, invoice);
  }
  return { changed: r.invoices, skipped: r.skipped };
}

function setStatus(
  ctx: CommandContext,
  sel: Selection,
  from: CollectionStatus[],
  to: CollectionStatus,
  action: string,
  type: string,
): SelectionResult {
  const r = select(ctx, sel, from, action);
  for (const invoice of r.invoices) {
    invoice.collection.status = to;
    invoice.lastChanged = now(ctx.world);
    emit(ctx, type, `invoice ${invoice.invoiceNo}: ${action}`, refs(invoice), { invoiceNo: invoice.invoiceNo });
    reschedule(ctx.world, invoice);
  }
  return { changed: r.invoices, skipped: r.skipped };
}

/** "På vent": stays on the Draft list, cannot be approved while held. */
export function hold(ctx: CommandContext, sel: Selection): SelectionResult {
  return setStatus(ctx, sel, ['Draft'], 'OnHold', 'hold', 'invoice.held');
}

export function release(ctx: CommandContext, sel: Selection): SelectionResult {
  return setStatus(ctx, sel, ['OnHold'], 'Draft', 'release', 'invoice.released');
}

/**
 * "Fjern": back to the reminder list with next action None, where it stays until overridden. From Approved only
 * until the agency has opened a case for it.
 */
export function remove(ctx: CommandContext, sel: Selection): SelectionResult {
  const r = select(ctx, sel, ['Draft', 'OnHold', 'Approved'], 'remove');
  for (const invoice of r.invoices) {
    const from = invoice.collection.status;
    Object.assign(invoice.collection, { status: 'None', nextAction: 'None', approvedAt: null, obstacle: null });
    invoice.lastChanged = now(ctx.world);
    emit(
      ctx,
      'invoice.removed',
      `invoice ${invoice.invoiceNo} removed from the ${from} list: back on the reminder list with next action None`,
      refs(invoice),
      {
        invoiceNo: invoice.invoiceNo,
        from,
      },
    );
    reschedule(ctx.world, invoice);
  }
  return { changed: r.invoices, skipped: r.skipped };
}

export type OverrideAction = 'Inkasso' | 'None' | 'Wait' | 'Auto';

/**
 * The reminder list's next-action override. "Inkasso" makes the invoice a draft now, also under the minimum
 * amount, with reminder steps pending, or from next action None or Wait. None and Wait stop the automatic flow;
 * Auto hands the invoice back to the rules.
 */
export function override(ctx: CommandContext, input: { invoiceIds: string[]; nextAction?: OverrideAction }): SelectionResult {
  const world = ctx.world;
  const action = input.nextAction ?? 'Inkasso';
  const r = select(ctx, { invoiceIds: input.invoiceIds }, ['None', 'Rejected'], `set next action ${action} on`);
  for (const [i, invoice] of r.invoices.entries()) {
    const field = `invoiceIds[${i}]`;
    if (invoice.openAmount === 0)
      throw reject.conflict(`invoice ${invoice.invoiceNo} has nothing left to pay`, { field, current: 'open amount 0.00 NOK' });
    if (action !== 'Inkasso') continue;
    if (invoice.dueDate >= today(world))
      throw reject.conflict(
        `invoice ${invoice.invoiceNo} is not overdue (due ${invoice.dueDate}, today ${today(world)}); only overdue invoices are on ` +
          `the reminder list`,
        { field, current: 'not overdue' },
      );
    if (!collectionActive(world))
      throw reject.conflict('the client has no debt-collection integration, so there is no Inkasso step', { field });
    const customer = customerOf(world, invoice);
    if (!customer.transferToDebtCollectionAgency)
      throw reject.conflict(
        `customer ${customer.number} is excluded from debt collection ("overfør til inkassobyrå" is off); change the customer card first`,
        {
          field,
          current: 'customer excluded',
        },
      );
  }
  for (const invoice of r.invoices) {
    const at = now(world);
    invoice.lastChanged = at;
    if (action === 'Inkasso') {
      Object.assign(invoice.collection, { status: 'Draft', nextAction: 'Auto', draftedAt: at, leftFlow: null });
      emit(ctx, 'invoice.drafted', `manual override: next action set to Inkasso on the reminder list`, refs(invoice), {
        invoiceNo: invoice.invoiceNo,
        override: true,
      });
      const auto = autoApproval(world, invoice);
      if (auto.approve) {
        Object.assign(invoice.collection, { status: 'Approved', approvedAt: at });
        emit(ctx, 'invoice.approved', auto.reason, refs(invoice), { invoiceNo: invoice.invoiceNo, automatic: true });
      }
    } else {
      Object.assign(invoice.collection, { status: 'None', nextAction: action });
      emit(ctx, 'invoice.nextActionSet', `next action set to ${action} on the reminder list`, refs(invoice), {
        invoiceNo: invoice.invoiceNo,
        nextAction: action,
      });
    }
    reschedule(world, invoice);
  }
  return { changed: r.invoices, skipped: [] };
}
