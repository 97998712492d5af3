/** Control API: what an ERP user does in Go: customers, invoices, credit notes, payments, write-offs, the Inkasso menu. */
import { Type, type Static } from '@sinclair/typebox';
import { operation, type Operation } from '../core/types.js';
import * as S from '../../../contracts/schemas/control.js';
import { createCustomer, updateCustomer } from '../../domain/commands/customers.js';
import { postCreditNote, postInvoice } from '../../domain/commands/invoices.js';
import { postPayment } from '../../domain/commands/payments.js';
import { reverseWriteOff, writeOff } from '../../domain/commands/write-offs.js';
import { approve, hold, override, release, remove, type Selection, type SelectionResult } from '../../domain/commands/collection.js';
import type { CommandContext } from '../../domain/context.js';
import { getCustomer, getInvoice, invoicesInOrder } from '../../domain/world.js';
import { collectionLists } from '../../domain/queries/lists.js';
import { explainInvoice } from '../../domain/queries/explain.js';
import { reject } from '../../domain/errors.js';
import { TAGS, problems, conflictProblem, ok, read, userWrite, ore } from './common.js';
import { today } from '../../domain/context.js';
import { caseView, customerView, eventView, invoiceView, listedInvoice, voucherView } from './views.js';
import { formatLocalInstant } from '../../domain/time.js';
import type { World } from '../../domain/model.js';

const VoucherParams = S.withClient({ voucherId: Type.String({ maxLength: 64 }) });

function selectionView(r: SelectionResult) {
  return {
    changed: r.changed.map((i) => ({ id: i.id, invoiceNo: i.invoiceNo, status: i.collection.status })),
    skipped: r.skipped.map((s) => ({ id: s.invoice.id, invoiceNo: s.invoice.invoiceNo, reason: s.reason })),
  };
}

function menuAction(name: 'approve' | 'hold' | 'release' | 'remove', summary: string, run: (c: CommandContext, sel: Selection) => SelectionResult): Operation {
  return operation({
    operationId: `${name}Invoices`,
    face: 'control',
    method: 'POST',
    path: `/_sandbox/clients/{clientId}/collection/${name}`,
    summary,
    tags: TAGS.collection,
    auth: 'control',
    params: S.ClientParams,
    body: S.SelectionInput,
    responses: { 200: { description: 'what changed (and, with all, what was skipped)', schema: S.SelectionResultView }, ...problems, ...conflictProblem },
    handle: async ({ params, body }, ctx) =>
      ok(S.SelectionResultView, await userWrite(ctx, params.clientId, (c) => selectionView(run(c, { ...(body.invoiceIds ? { invoiceIds: body.invoiceIds } : {}), ...(body.all ? { all: true } : {}) })))),
  });
}

function explainSummary(world: World, e: ReturnType<typeof explainInvoice>): string {
  const head = `Invoice ${e.invoiceNo} is ${e.status} (open ${e.openAmount / 100} NOK, due ${e.dueDate}, today ${e.today}): ${e.where}.`;
  if (e.next) return `${head} Next: ${e.next.reason} (${e.next.action} at ${formatLocalInstant(e.next.at, world.timeZone)}).`;
  return `${head} Nothing happens by itself: ${e.waiting}.`;
}

/** The Inkasso menu's lists; `limit` keeps the first rows of each (the inspector shows a page, not 50 000 rows). */
export function collectionView(w: World, limit = Infinity, l = collectionLists(w)): Static<typeof S.CollectionView> {
  const at = (s: string | null) => (s ? formatLocalInstant(s, w.timeZone) : null);
  const first = <T>(list: T[]) => (list.length > limit ? list.slice(0, limit) : list);
  return {
    today: today(w),
    reminderList: first(l.reminderList).map((e) => ({ invoice: listedInvoice(w, e.invoice), nextAction: e.nextAction, nextActionDate: e.date, reason: e.reason })),
    draft: first(l.draft).map((i) => ({ invoice: listedInvoice(w, i), onHold: i.collection.status === 'OnHold', draftedAt: at(i.collection.draftedAt) })),
    approved: first(l.approved).map((i) => ({
      invoice: listedInvoice(w, i),
      approvedAt: at(i.collection.approvedAt),
      obstacle: i.collection.obstacle ? { at: at(i.collection.obstacle.at)!, reason: i.collection.obstacle.reason } : null,
    })),
    open: first(l.open).map((k) => caseView(w, k)),
    archived: first(l.archived).map((k) => caseView(w, k)),
  };
}

export const erpOperations: Operation[] = [
  operation({
    operationId: 'createCustomer',
    face: 'control',
    method: 'POST',
    path: '/_sandbox/clients/{clientId}/customers',
    summary: 'Create a customer card ("overfør til inkassobyrå" on by default)',
    tags: TAGS.erp,
    auth: 'control',
    params: S.ClientParams,
    body: S.CustomerInput,
    responses: { 201: { description: 'the customer', schema: S.CustomerView }, ...problems, ...conflictProblem },
    handle: async ({ params, body }, ctx) => ok(S.CustomerView, await userWrite(ctx, params.clientId, (c) => customerView(c.world, createCustomer(c, body))), 201),
  }),
  operation({
    operationId: 'listCustomers',
    face: 'control',
    method: 'GET',
    path: '/_sandbox/clients/{clientId}/customers',
    summary: 'Customer cards',
    tags: TAGS.erp,
    auth: 'control',
    params: S.ClientParams,
    responses: { 200: { description: 'customers', schema: S.CustomerListView }, ...problems },
    handle: async ({ params }, ctx) =>
      ok(S.CustomerListView, await read(ctx, params.clientId, (w) => ({ customers: Object.values(w.customers).sort((a, b) => a.id - b.id).map((c) => customerView(w, c)) }))),
  }),
  operation({
    operationId: 'getCustomer',
    face: 'control',
    method: 'GET',
    path: '/_sandbox/clients/{clientId}/customers/{customerId}',
    summary: 'A customer card',
    tags: TAGS.erp,
    auth: 'control',
    params: S.CustomerParams,
    responses: { 200: { description: 'the customer', schema: S.CustomerView }, ...problems },
    handle: async ({ params }, ctx) => ok(S.CustomerView, await read(ctx, params.clientId, (w) => customerView(w, getCustomer(w, params.customerId, 'customerId')))),
  }),
  operation({
    operationId: 'changeCustomer',
    face: 'control',
    method: 'PATCH',
    path: '/_sandbox/clients/{clientId}/customers/{customerId}',
    summary: 'Change a customer card, e.g. exclude it from collection (transferToDebtCollectionAgency: false)',
    tags: TAGS.erp,
    auth: 'control',
    params: S.CustomerParams,
    body: S.CustomerChangeInput,
    responses: { 200: { description: 'the customer', schema: S.CustomerView }, ...problems },
    handle: async ({ params, body }, ctx) => ok(S.CustomerView, await userWrite(ctx, params.clientId, (c) => customerView(c.world, updateCustomer(c, params.customerId, body)))),
  }),
  operation({
    operationId: 'postInvoice',
    face: 'control',
    method: 'POST',
    path: '/_sandbox/clients/{clientId}/invoices',
    summary: 'Post an outgoing invoice (or import an open item with imported: true)',
    description: 'Posts debit 1500 / credit 3000 + 2700. A due date already past schedules its reminder steps and draft day at once.',
    tags: TAGS.erp,
    auth: 'control',
    params: S.ClientParams,
    body: S.InvoiceInput,
    responses: { 201: { description: 'the invoice with its number and KID', schema: S.InvoiceView }, ...problems, ...conflictProblem },
    async handle({ params, body }, ctx) {
      const { amount, customMatchingReference, ...rest } = body;
      const id = await userWrite(ctx, params.clientId, (c) => postInvoice(c, { ...rest, amount: ore(amount), matchingReference: customMatchingReference ?? null }).id);
      return ok(S.InvoiceView, await read(ctx, params.clientId, (w) => invoiceView(w, w.invoices[id]!)), 201);
    },
  }),
  operation({
    operationId: 'listInvoices',
    face: 'control',
    method: 'GET',
    path: '/_sandbox/clients/{clientId}/invoices',
    summary: 'Invoice vouchers (invoices and credit notes), filtered by status, customer or kind',
    tags: TAGS.erp,
    auth: 'control',
    params: S.ClientParams,
    query: S.InvoiceListQuery,
    responses: { 200: { description: 'invoices', schema: S.InvoiceListView }, ...problems },
    handle: async ({ params, query }, ctx) =>
      ok(
        S.InvoiceListView,
        await read(ctx, params.clientId, (w) => ({
          invoices: invoicesInOrder(w)
            .filter((i) => (!query.status || i.collection.status === query.status) && (!query.customerId || i.customerId === query.customerId) && (!query.kind || i.kind === query.kind))
            .map((i) => invoiceView(w, i)),
        })),
      ),
  }),
  operation({
    operationId: 'getInvoice',
    face: 'control',
    method: 'GET',
    path: '/_sandbox/clients/{clientId}/invoices/{invoiceId}',
    summary: 'An invoice: collection status, open amount, next action, reminders, matches, next due rule',
    tags: TAGS.erp,
    auth: 'control',
    params: S.InvoiceParams,
    responses: { 200: { description: 'the invoice', schema: S.InvoiceView }, ...problems },
    handle: async ({ params }, ctx) =>
      ok(S.InvoiceView, await read(ctx, params.clientId, (w) => {
        const inv = w.invoices[params.invoiceId];
        if (!inv) throw reject.notFound('invoice', params.invoiceId, 'invoiceId');
        return invoiceView(w, inv);
      })),
  }),
  operation({
    operationId: 'explainInvoice',
    face: 'control',
    method: 'GET',
    path: '/_sandbox/clients/{clientId}/invoices/{invoiceId}/explain',
    summary: 'Why the invoice is where it is, what happens next and on which date, and its history',
    tags: TAGS.journal,
    auth: 'control',
    params: S.InvoiceParams,
    responses: { 200: { description: 'the explanation', schema: S.ExplainView }, ...problems },
    handle: async ({ params }, ctx) =>
      ok(S.ExplainView, await read(ctx, params.clientId, (w) => {
        const e = explainInvoice(w, getInvoice(w, params.invoiceId));
        return {
          ...e,
          openAmount: e.openAmount / 100,
          next: e.next ? { ...e.next, at: formatLocalInstant(e.next.at, w.timeZone) } : null,
          summary: explainSummary(w, e),
          history: e.history.map((ev) => eventView(w, ev)),
        };
      })),
  }),
  operation({
    operationId: 'postCreditNote',
    face: 'control',
    method: 'POST',
    path: '/_sandbox/clients/{clientId}/credit-notes',
    summary: 'Post a credit note matched against an invoice (lowers its open amount; fully credited leaves the flow)',
    tags: TAGS.erp,
    auth: 'control',
    params: S.ClientParams,
    body: S.CreditNoteInput,
    responses: { 201: { description: 'the credit note', schema: S.InvoiceView }, ...problems, ...conflictProblem },
    async handle({ params, body }, ctx) {
      const id = await userWrite(ctx, params.clientId, (c) => postCreditNote(c, { ...body, amount: ore(body.amount) }).id);
      return ok(S.InvoiceView, await read(ctx, params.clientId, (w) => invoiceView(w, w.invoices[id]!)), 201);
    },
  }),
  operation({
    operationId: 'postPayment',
    face: 'control',
    method: 'POST',
    path: '/_sandbox/clients/{clientId}/payments',
    summary: 'A direct payment from the debtor: a bank voucher, one line per invoice ({invoiceId, amount} or lines[])',
    description: 'A line with invoiceIds matches several invoices in one ledger match, which an invoice in an open case cannot join.',
    tags: TAGS.erp,
    auth: 'control',
    params: S.ClientParams,
    body: S.PaymentInput,
    responses: { 201: { description: 'the bank voucher', schema: S.VoucherView }, ...problems, ...conflictProblem },
    async handle({ params, body }, ctx) {
      const { invoiceId, amount, lines, ...rest } = body;
      if (lines && (invoiceId || amount !== undefined)) throw reject.invalid('lines', 'cannot be combined with invoiceId/amount; use one form');
      if (!lines && (!invoiceId || amount === undefined)) throw reject.invalid(invoiceId ? 'amount' : 'invoiceId', 'is required (or give lines)');
      const domainLines = lines ? lines.map((l) => ({ ...l, amount: ore(l.amount) })) : [{ invoiceId: invoiceId!, amount: ore(amount!) }];
      return ok(S.VoucherView, await userWrite(ctx, params.clientId, (c) => voucherView(c.world, postPayment(c, { ...rest, lines: domainLines }))), 201);
    },
  }),
  operation({
    operationId: 'postWriteOff',
    face: 'control',
    method: 'POST',
    path: '/_sandbox/clients/{clientId}/write-offs',
    summary: '"Avskriv" on the customer ledger: writes off the open amount (isWriteOff), dated today or later',
    tags: TAGS.erp,
    auth: 'control',
    params: S.ClientParams,
    body: S.WriteOffInput,
    responses: { 201: { description: 'the loss voucher', schema: S.VoucherView }, ...problems, ...conflictProblem },
    handle: async ({ params, body }, ctx) => ok(S.VoucherView, await userWrite(ctx, params.clientId, (c) => voucherView(c.world, writeOff(c, body))), 201),
  }),
  operation({
    operationId: 'reverseWriteOff',
    face: 'control',
    method: 'POST',
    path: '/_sandbox/clients/{clientId}/write-offs/{voucherId}/reverse',
    summary: 'Reverse a write-off by hand (money came in after all): the invoices are open again',
    tags: TAGS.erp,
    auth: 'control',
    params: VoucherParams,
    body: S.ReverseWriteOffInput,
    responses: { 201: { description: 'the reversal voucher', schema: S.VoucherView }, ...problems, ...conflictProblem },
    handle: async ({ params, body }, ctx) => ok(S.VoucherView, await userWrite(ctx, params.clientId, (c) => voucherView(c.world, reverseWriteOff(c, params.voucherId, body.date))), 201),
  }),
  operation({
    operationId: 'getCollection',
    face: 'control',
    method: 'GET',
    path: '/_sandbox/clients/{clientId}/collection',
    summary: 'The Inkasso menu as Go shows it: Draft, Approved, Open, Archived, plus the reminder list',
    tags: TAGS.collection,
    auth: 'control',
    params: S.ClientParams,
    responses: { 200: { description: 'the lists', schema: S.CollectionView }, ...problems },
    handle: async ({ params }, ctx) => ok(S.CollectionView, await read(ctx, params.clientId, (w) => collectionView(w))),
  }),
  menuAction('approve', 'Approve drafts (one, a selection, or all): they become visible to the agency that may create new cases', approve),
  menuAction('hold', 'Put drafts on hold ("på vent"): they stay on the list and cannot be approved', hold),
  menuAction('release', 'Release held drafts', release),
  menuAction('remove', 'Remove from Draft or Approved (until a case exists): back to the reminder list with next action None', remove),
  operation({
    operationId: 'overrideNextAction',
    face: 'control',
    method: 'POST',
    path: '/_sandbox/clients/{clientId}/collection/override',
    summary: 'Reminder-list override: next action Inkasso makes the invoice a draft now (also under the minimum amount or with steps pending)',
    tags: TAGS.collection,
    auth: 'control',
    params: S.ClientParams,
    body: S.OverrideInput,
    responses: { 200: { description: 'what changed', schema: S.SelectionResultView }, ...problems, ...conflictProblem },
    handle: async ({ params, body }, ctx) =>
      ok(S.SelectionResultView, await userWrite(ctx, params.clientId, (c) => selectionView(override(c, { invoiceIds: body.invoiceIds, ...(body.nextAction ? { nextAction: body.nextAction } : {}) })))),
  }),
];
