/** Control API: what an ERP user does in Go: customers, invoices, credit notes, payments, write-offs, the Inkasso menu. */
import { Type, type Static } from '@sinclair/typebox';
import type { Operation } from '../core/types.js';
import * as S from '../../../contracts/schemas/control.js';
import { createCustomer, updateCustomer } from '../../domain/commands/customers.js';
import { postCreditNote, postInvoice } from '../../domain/commands/invoices.js';
import { paymentLines, postPayment } from '../../domain/commands/payments.js';
import { setMatchingReference } from '../../domain/commands/reference-matching.js';
import { reverseWriteOff, writeOff } from '../../domain/commands/write-offs.js';
import { approve, hold, override, release, remove, type Selection, type SelectionResult } from '../../domain/commands/collection.js';
import type { CommandContext } from '../../domain/context.js';
import { customersInOrder, getCustomer, getInvoice, invoicesInOrder } from '../../domain/world.js';
import { collectionLists } from '../../domain/queries/lists.js';
import { explainInvoice } from '../../domain/queries/explain.js';
import { reject } from '../../domain/errors.js';
import { ROUTES as R } from '../../../contracts/routes.js';
import { controlOp } from './common.js';
import { TAGS, conflictProblem, read, reading, userWrite, writing, userWriteView, ore } from './common.js';
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

type MenuRoute = (typeof R)['approveInvoices'];

function menuAction(route: MenuRoute, summary: string, run: (c: CommandContext, sel: Selection) => SelectionResult): Operation {
  return controlOp(route, {
    summary,
    tags: TAGS.collection,
    answers: 'what changed (and, with all, what was skipped)',
    responses: conflictProblem,
    handle: ({ params, body }, ctx) =>
      userWrite(ctx, params.clientId, (c) =>
        selectionView(run(c, { ...(body.invoiceIds ? { invoiceIds: body.invoiceIds } : {}), ...(body.all ? { all: true } : {}) })),
      ),
  });
}

/** explain's one-paragraph summary (the control API's, and the scenario runner's when an expectation fails). */
export function explainSummary(world: World, e: ReturnType<typeof explainInvoice>): string {
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
    reminderList: first(l.reminderList).map((e) => ({
      invoice: listedInvoice(w, e.invoice),
      nextAction: e.nextAction,
      nextActionDate: e.date,
      reason: e.reason,
    })),
    draft: first(l.draft).map((i) => ({
      invoice: listedInvoice(w, i),
      onHold: i.collection.status === 'OnHold',
      draftedAt: at(i.collection.draftedAt),
    })),
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
  controlOp(R.createCustomer, {
    summary: 'Create a customer card ("overfør til inkassobyrå" on by default)',
    tags: TAGS.erp,
    answers: 'the customer',
    responses: conflictProblem,
    handle: writing((c, { body }) => customerView(c.world, createCustomer(c, body))),
  }),
  controlOp(R.listCustomers, {
    summary: 'Customer cards',
    tags: TAGS.erp,
    answers: 'customers',
    handle: reading((w) => ({
      customers: customersInOrder(w).map((c) => customerView(w, c)),
    })),
  }),
  controlOp(R.getCustomer, {
    summary: 'A customer card',
    tags: TAGS.erp,
    answers: 'the customer',
    handle: async ({ params }, ctx) => read(ctx, params.clientId, (w) => customerView(w, getCustomer(w, params.customerId, 'customerId'))),
  }),
  controlOp(R.changeCustomer, {
    summary: 'Change a customer card, e.g. exclude it from collection (transferToDebtCollectionAgency: false)',
    tags: TAGS.erp,
    answers: 'the customer',
    handle: writing((c, { params, body }) => customerView(c.world, updateCustomer(c, params.customerId, body))),
  }),
  controlOp(R.postInvoice, {
    summary: 'Post an outgoing invoice (or import an open item with imported: true)',
    description: 'Posts debit 1500 / credit 3000 + 2700. A due date already past schedules its reminder steps and draft day at once.',
    tags: TAGS.erp,
    answers: 'the invoice with its number and KID',
    responses: conflictProblem,
    async handle({ params, body }, ctx) {
      const { amount, customMatchingReference, ...rest } = body;
      const post = (c: CommandContext) =>
        postInvoice(c, { ...rest, amount: ore(amount), matchingReference: customMatchingReference ?? null }).id;
      return userWriteView(ctx, params.clientId, post, (w, id) => invoiceView(w, w.invoices[id]!));
    },
  }),
  controlOp(R.listInvoices, {
    summary: 'Invoice vouchers (invoices and credit notes), filtered by status, customer or kind',
    tags: TAGS.erp,
    answers: 'invoices',
    handle: reading((w, { query }) => ({
      invoices: invoicesInOrder(w)
        .filter(
          (i) =>
            (!query.status || i.collection.status === query.status) &&
            (!query.customerId || i.customerId === query.customerId) &&
            (!query.kind || i.kind === query.kind),
        )
        .map((i) => invoiceView(w, i)),
    })),
  }),
  controlOp(R.getInvoice, {
    summary: 'An invoice: collection status, open amount, next action, reminders, matches, next due rule',
    tags: TAGS.erp,
    answers: 'the invoice',
    handle: reading((w, { params }) => {
      const inv = w.invoices[params.invoiceId];
      if (!inv) throw reject.notFound('invoice', params.invoiceId, 'invoiceId');
      return invoiceView(w, inv);
    }),
  }),
  controlOp(R.changeInvoice, {
    summary: "Give an invoice its CustomMatchingReference later: the customer's earlier open payments with it are matched at once",
    description:
      'Set once (another reference is 409). Go matches an entry with a CustomMatchingReference with the existing open entries of the ' +
      'customer that have the same reference and the opposite amount (paymentMatching.matchingReferenceAmounts).',
    tags: TAGS.erp,
    answers: 'the invoice',
    responses: conflictProblem,
    async handle({ params, body }, ctx) {
      const change = (c: CommandContext) => setMatchingReference(c, params.invoiceId, body.customMatchingReference).id;
      return userWriteView(ctx, params.clientId, change, (w, id) => invoiceView(w, w.invoices[id]!));
    },
  }),
  controlOp(R.explainInvoice, {
    summary: 'Why the invoice is where it is, what happens next and on which date, and its history',
    tags: TAGS.journal,
    answers: 'the explanation',
    handle: reading((w, { params }) => {
      const e = explainInvoice(w, getInvoice(w, params.invoiceId));
      return {
        ...e,
        openAmount: e.openAmount / 100,
        next: e.next ? { ...e.next, at: formatLocalInstant(e.next.at, w.timeZone) } : null,
        summary: explainSummary(w, e),
        history: e.history.map((ev) => eventView(w, ev)),
      };
    }),
  }),
  controlOp(R.postCreditNote, {
    summary: 'Post a credit note matched against an invoice (lowers its open amount; fully credited leaves the flow)',
    tags: TAGS.erp,
    answers: 'the credit note',
    responses: conflictProblem,
    async handle({ params, body }, ctx) {
      const post = (c: CommandContext) => postCreditNote(c, { ...body, amount: ore(body.amount) }).id;
      return userWriteView(ctx, params.clientId, post, (w, id) => invoiceView(w, w.invoices[id]!));
    },
  }),
  controlOp(R.postPayment, {
    summary: 'A direct payment from the debtor: a bank voucher, one line per invoice ({invoiceId, amount} or lines[])',
    description:
      'A line with invoiceIds matches several invoices in one ledger match, which an invoice in an open case cannot join. A line ' +
      "paying more than its invoices' open amounts settles them and leaves the excess open on the customer's ledger as a credit " +
      "(settings paymentMatching.overpayment 'refuse': 409)",
    tags: TAGS.erp,
    answers: 'the bank voucher',
    responses: conflictProblem,
    async handle({ params, body }, ctx) {
      const { invoiceId, amount, lines, ...rest } = body;
      const domainLines = paymentLines({ invoiceId, amount }, lines).map((l) => ({ ...l, amount: ore(l.amount) }));
      return await userWrite(ctx, params.clientId, (c) => voucherView(c.world, postPayment(c, { ...rest, lines: domainLines })));
    },
  }),
  controlOp(R.postWriteOff, {
    summary: '"Avskriv" on the customer ledger: writes off the open amount (isWriteOff), dated today or later',
    tags: TAGS.erp,
    answers: 'the loss voucher',
    responses: conflictProblem,
    handle: writing((c, { body }) => voucherView(c.world, writeOff(c, body))),
  }),
  controlOp(R.reverseWriteOff, {
    summary: 'Reverse a write-off by hand (money came in after all): the invoices are open again',
    tags: TAGS.erp,
    answers: 'the reversal voucher',
    responses: conflictProblem,
    handle: writing((c, { params, body }) => voucherView(c.world, reverseWriteOff(c, params.voucherId, body.date))),
  }),
  controlOp(R.getCollection, {
    summary: 'The Inkasso menu as Go shows it: Draft, Approved, Open, Archived, plus the reminder list',
    tags: TAGS.collection,
    answers: 'the lists',
    handle: async ({ params }, ctx) => read(ctx, params.clientId, (w) => collectionView(w)),
  }),
  menuAction(
    R.approveInvoices,
    'Approve drafts (one, a selection, or all): they become visible to the agency that may create new cases',
    approve,
  ),
  menuAction(R.holdInvoices, 'Put drafts on hold ("på vent"): they stay on the list and cannot be approved', hold),
  menuAction(R.releaseInvoices, 'Release held drafts', release),
  menuAction(
    R.removeInvoices,
    'Remove from Draft or Approved (until a case exists): back to the reminder list with next action None',
    remove,
  ),
  controlOp(R.overrideNextAction, {
    summary:
      'Reminder-list override: next action Inkasso makes the invoice a draft now (also under the minimum amount or with steps pending)',
    tags: TAGS.collection,
    answers: 'what changed',
    responses: conflictProblem,
    handle: async ({ params, body }, ctx) =>
      await userWrite(ctx, params.clientId, (c) =>
        selectionView(override(c, { invoiceIds: body.invoiceIds, ...(body.nextAction ? { nextAction: body.nextAction } : {}) })),
      ),
  }),
];
