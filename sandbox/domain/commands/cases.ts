/**
 * Agency integration: collection cases. The integration allowed to create new cases takes approved invoices into
 * cases (its own case number); a case holds invoices of one customer and belongs to the integration that made it.
 * When an invoice enters a case, Go reverses the reminder fees and interest it posted (a new legal party takes
 * over). The agency reports status (history kept), closes (archives) or rejects (deletes) its cases.
 */
import type { CommandContext } from '../context.js';
import { emit, now, today } from '../context.js';
import type { Case, Integration, Invoice, World } from '../model.js';
import { reject } from '../errors.js';
import { nextUuid } from '../ids.js';
import { assertRight, getCase, getIntegration, getInvoice } from '../world.js';
import { reverseVoucher, voucherById } from '../ledger.js';
import { reschedule } from '../schedule.js';
import { formatNok } from '../money.js';
import { STEP_NAME } from '../rules/eligibility.js';

export interface NewCase {
  code: string;
  invoiceIds?: string[];
  externalCaseUrl?: string | null;
  balanceAgency?: number | null;
}

export interface StatusUpdate {
  caseId: string;
  statusText: string;
  isCaseClosed?: boolean;
  updatedBalanceAgency?: number | null;
}

export interface Merge {
  caseNo: string;
  caseIds: string[];
  externalCaseUrl?: string | null;
  /** The merged case gets a new id instead of keeping the first case's. */
  newId?: boolean;
}

/** The integration acting, with the right it needs. Missing DebtCollection_Full is "Unauthorized access". */
function actingIntegration(world: World, integrationId: string, write: boolean): Integration {
  const integration = getIntegration(world, integrationId);
  if (integration.kind !== 'debtCollection')
    throw reject.forbidden(`"${integration.name}" is not a debt-collection integration`, { privilege: true });
  if (write) assertRight(integration, 'write');
  assertRight(integration, 'read');
  return integration;
}

/** The integration that may take new invoices: reading them needs DebtCollection, taking them DebtCollection_Full. */
export function requireCaseCreation(world: World, integrationId: string, write = true): Integration {
  const integration = actingIntegration(world, integrationId, write);
  if (!integration.canCreateNewCases)
    throw reject.forbidden(`"${integration.name}" may not create new cases on this client ("inkassobyrå kan opprette nye saker" is off)`);
  return integration;
}

/** A case of this integration; another integration's case does not exist for it. */
export function ownCase(world: World, integrationId: string, caseId: string, field = 'caseId'): Case {
  const found = getCase(world, caseId, field);
  if (found.integrationId !== integrationId) throw reject.notFound('case', caseId, field);
  return found;
}

/** Check invoices can enter a case of `customerId` (or fix the customer from the first one). */
function checkInvoicesForCase(
  world: World,
  ids: string[],
  customerId: number | null,
  field: string,
): { invoices: Invoice[]; customerId: number | null } {
  if (new Set(ids).size !== ids.length) throw reject.invalid(field, 'lists an invoice twice');
  const invoices = ids.map((id, i) => getInvoice(world, id, `${field}[${i}]`));
  let customer = customerId;
  for (const [i, invoice] of invoices.entries()) {
    const f = `${field}[${i}]`;
    const c = invoice.collection;
    if (c.caseId)
      throw reject.conflict(`invoice ${invoice.invoiceNo} is already in case ${world.cases[c.caseId]?.code ?? c.caseId}`, {
        field: f,
        current: c.status,
        allowed: ['Approved'],
      });
    if (c.status !== 'Approved')
      throw reject.conflict(`invoice ${invoice.invoiceNo} is ${c.status}; only approved invoices can be taken into a case`, {
        field: f,
        current: c.status,
        allowed: ['Approved'],
      });
    customer ??= invoice.customerId;
    if (invoice.customerId !== customer)
      throw reject.conflict(
        `invoice ${invoice.invoiceNo} belongs to customer ${world.customers[String(invoice.customerId)]?.number}, not the case's ` +
          `customer ${world.customers[String(customer)]?.number}; a case holds invoices of one customer`,
        {
          field: f,
        },
      );
  }
  return { invoices, customerId: customer };
}

function attach(ctx: CommandContext, kase: Case, invoices: Invoice[]): void {
  const world = ctx.world;
  for (const invoice of invoices) {
    Object.assign(invoice.collection, { status: 'Exported', caseId: kase.id, obstacle: null });
    invoice.lastChanged = now(world);
    kase.invoiceIds.push(invoice.id);
    emit(
      ctx,
      'case.invoiceAdded',
      `invoice ${invoice.invoiceNo} taken into case ${kase.code}`,
      { invoiceId: invoice.id, caseId: kase.id, customerId: invoice.customerId },
      { invoiceNo: invoice.invoiceNo },
    );
    reverseReminderCharges(ctx, invoice, kase);
    reschedule(world, invoice);
  }
  kase.lastChanged = now(world);
}

/** Reverse the reminder fees and interest Go posted for an invoice now taken over by the agency. */
function reverseReminderCharges(ctx: CommandContext, invoice: Invoice, kase: Case): void {
  for (const reminder of invoice.reminders) {
    if (!reminder.voucherId || reminder.reversedByVoucherId) continue;
    const voucher = voucherById(ctx.world, reminder.voucherId)!;
    const reversal = reverseVoucher(
      ctx,
      voucher,
      today(ctx.world),
      `Reversal of ${STEP_NAME[reminder.step]} charges for invoice ${invoice.invoiceNo}: case ${kase.code} opened`,
    );
    reminder.reversedByVoucherId = reversal.id;
    emit(
      ctx,
      'reminder.reversed',
      `${STEP_NAME[reminder.step]} fee ${formatNok(reminder.fee)} and interest ${formatNok(reminder.interest)} reversed: the agency ` +
        `takes over the claim`,
      { invoiceId: invoice.id, caseId: kase.id, customerId: invoice.customerId, voucherId: reversal.id },
      { step: reminder.step, fee: reminder.fee, interest: reminder.interest },
    );
  }
}

export function createCase(ctx: CommandContext, integrationId: string, input: NewCase): Case {
  const world = ctx.world;
  requireCaseCreation(world, integrationId);
  if (!input.code.trim()) throw reject.invalid('code', 'must not be empty');
  if (Object.values(world.cases).some((c) => c.integrationId === integrationId && c.code === input.code))
    throw reject.duplicate('code', `case code ${input.code} is already used by this integration`);
  const checked = checkInvoicesForCase(world, input.invoiceIds ?? [], null, 'invoices');
  const kase: Case = {
    id: nextUuid(world),
    code: input.code,
    integrationId,
    customerId: checked.customerId,
    status: 'Active',
    invoiceIds: [],
    externalCaseUrl: input.externalCaseUrl ?? null,
    balanceAgency: input.balanceAgency ?? null,
    history: [],
    createdAt: now(world),
    lastChanged: now(world),
    closedAt: null,
  };
  world.cases[kase.id] = kase;
  emit(
    ctx,
    'case.created',
    `case ${kase.code} opened`,
    { caseId: kase.id, integrationId, ...(kase.customerId ? { customerId: kase.customerId } : {}) },
    { code: kase.code },
  );
  attach(ctx, kase, checked.invoices);
  return kase;
}

export function addInvoicesToCase(ctx: CommandContext, integrationId: string, input: { caseId: string; invoiceIds: string[] }): Case {
  const world = ctx.world;
  requireCaseCreation(world, integrationId);
  const kase = ownCase(world, integrationId, input.caseId);
  if (kase.status !== 'Active')
    throw reject.conflict(`case ${kase.code} is closed; invoices are added to active cases`, {
      field: 'caseId',
      current: kase.status,
      allowed: ['Active'],
    });
  if (input.invoiceIds.length === 0) throw reject.invalid('invoiceIds', 'needs at least one invoice');
  const checked = checkInvoicesForCase(world, input.invoiceIds, kase.customerId, 'invoiceIds');
  kase.customerId = checked.customerId;
  attach(ctx, kase, checked.invoices);
  return kase;
}

/** Several cases of one customer become one: the first keeps its id, takes the new case number and every invoice. */
export function mergeCases(ctx: CommandContext, integrationId: string, input: Merge): Case {
  const world = ctx.world;
  actingIntegration(world, integrationId, true);
  if (!input.caseNo.trim()) throw reject.invalid('caseNo', 'must not be empty');
  if (input.caseIds.length < 2) throw reject.invalid('caseIds', 'needs at least two cases to merge');
  if (new Set(input.caseIds).size !== input.caseIds.length) throw reject.invalid('caseIds', 'lists a case twice');
  const cases = input.caseIds.map((id, i) => ownCase(world, integrationId, id, `caseIds[${i}]`));
  const customers = new Set(cases.map((c) => c.customerId).filter((c) => c !== null));
  if (customers.size > 1)
    throw reject.conflict('the cases belong to different customers; a case holds invoices of one customer', { field: 'caseIds' });
  for (const [i, c] of cases.entries())
    if (c.status !== 'Active')
      throw reject.conflict(`case ${c.code} is closed; only active cases are merged`, {
        field: `caseIds[${i}]`,
        current: c.status,
        allowed: ['Active'],
      });
  if (
    Object.values(world.cases).some((c) => c.integrationId === integrationId && c.code === input.caseNo && !input.caseIds.includes(c.id))
  )
    throw reject.duplicate('caseNo', `case code ${input.caseNo} is already used by another case`);

  const [target, ...rest] = cases as [Case, ...Case[]];
  const mergedCodes = cases.map((c) => c.code);
  if (input.newId) {
    delete world.cases[target.id];
    target.id = nextUuid(world);
    world.cases[target.id] = target;
    for (const invoiceId of target.invoiceIds) {
      world.invoices[invoiceId]!.collection.caseId = target.id;
      world.invoices[invoiceId]!.lastChanged = now(world);
    }
  }
  target.code = input.caseNo;
  target.customerId = [...customers][0] ?? null;
  if (input.externalCaseUrl !== undefined) target.externalCaseUrl = input.externalCaseUrl;
  for (const other of rest) {
    for (const invoiceId of other.invoiceIds) {
      const invoice = world.invoices[invoiceId]!;
      invoice.collection.caseId = target.id;
      invoice.lastChanged = now(world);
      target.invoiceIds.push(invoiceId);
    }
    target.balanceAgency =
      target.balanceAgency === null && other.balanceAgency === null ? null : (target.balanceAgency ?? 0) + (other.balanceAgency ?? 0);
    target.history.push(...other.history);
    delete world.cases[other.id];
  }
  target.history.sort((a, b) => a.at.localeCompare(b.at));
  target.lastChanged = now(world);
  emit(
    ctx,
    'case.merged',
    `cases ${mergedCodes.join(', ')} merged into ${target.code}`,
    { caseId: target.id, integrationId, ...(target.customerId ? { customerId: target.customerId } : {}) },
    {
      mergedCaseIds: input.caseIds,
      mergedCodes,
    },
  );
  return target;
}

/** Status text (history kept); closing archives the case, and a later update without isCaseClosed re-opens it. */
export function updateStatus(ctx: CommandContext, integrationId: string, input: StatusUpdate): Case {
  const world = ctx.world;
  actingIntegration(world, integrationId, true);
  const kase = ownCase(world, integrationId, input.caseId);
  if (!input.statusText.trim()) throw reject.invalid('statusText', 'must not be empty');
  const closed = input.isCaseClosed ?? false;
  const wasClosed = kase.status === 'Closed';
  if (input.updatedBalanceAgency !== undefined) kase.balanceAgency = input.updatedBalanceAgency;
  kase.status = closed ? 'Closed' : 'Active';
  kase.closedAt = closed ? (wasClosed ? kase.closedAt : now(world)) : null;
  kase.history.push({ at: now(world), statusText: input.statusText, isCaseClosed: closed, balanceAgency: kase.balanceAgency });
  kase.lastChanged = now(world);
  const type = closed && !wasClosed ? 'case.closed' : !closed && wasClosed ? 'case.reopened' : 'case.statusUpdated';
  emit(
    ctx,
    type,
    `case ${kase.code}: "${input.statusText}"${kase.balanceAgency !== null ? `, balance at agency ${formatNok(kase.balanceAgency)}` : ''}`,
    { caseId: kase.id, integrationId },
    {
      statusText: input.statusText,
      isCaseClosed: closed,
      balanceAgency: kase.balanceAgency,
    },
  );
  return kase;
}

/** The agency will not take the case: it is deleted and its invoices get status Rejected. */
export function rejectCase(ctx: CommandContext, integrationId: string, caseId: string): void {
  const world = ctx.world;
  actingIntegration(world, integrationId, true);
  const kase = ownCase(world, integrationId, caseId, 'id');
  for (const invoiceId of kase.invoiceIds) {
    const invoice = world.invoices[invoiceId]!;
    Object.assign(invoice.collection, { status: 'Rejected', caseId: null, nextAction: 'None', approvedAt: null });
    invoice.lastChanged = now(world);
    emit(
      ctx,
      'invoice.rejected',
      `case ${kase.code} rejected by the agency: invoice ${invoice.invoiceNo} is Rejected`,
      { invoiceId, caseId, customerId: invoice.customerId },
      { invoiceNo: invoice.invoiceNo },
    );
    reschedule(world, invoice);
  }
  delete world.cases[caseId];
  emit(
    ctx,
    'case.rejected',
    `case ${kase.code} rejected (deleted) by the agency`,
    { caseId, integrationId },
    { code: kase.code, invoiceIds: kase.invoiceIds },
  );
}
