/** Control API: the ledger, the voucher reception, the event journal and the request journal. */
import type { Operation } from '../core/types.js';
import * as S from '../../../contracts/schemas/control.js';
import { approveReceptionDraft, rejectReceptionDraft } from '../../domain/commands/settlement.js';
import { invariantBreaches } from '../../domain/invariants.js';
import { accountBalance, openItems } from '../../domain/queries/ledger.js';
import { explainLedgerItem, explainLedgerItemSummary, findLedgerItem } from '../../domain/queries/unmatched.js';
import { reject } from '../../domain/errors.js';
import { ACCOUNTS } from '../../domain/chart-of-accounts.js';
import { today } from '../../domain/context.js';
import { oreToNok } from '../../domain/money.js';
import { ROUTES as R } from '../../../contracts/routes.js';
import { controlOp, TAGS, conflictProblem, read, reading, userWrite, writing } from './common.js';
import { eventView, receptionView, voucherView } from './views.js';
import { SeedInput, SeedResult } from '../../../contracts/schemas/seed.js';

export const ledgerOperations: Operation[] = [
  controlOp(R.seedClient, {
    summary: 'Fill a client with realistic Norwegian customers and invoices (json-schema-faker, seeded: same seed, same world)',
    description:
      'Valid MOD11 organisation numbers and KIDs, Norwegian addresses (a share without a complete postal address), invoices spread ' +
      'over the past year with their due dates, some partial credit notes. Every posting goes through the domain, so rules that have ' +
      'fallen due run at once.',
    tags: TAGS.erp,
    answers: 'what was made',
    handle: async ({ params, body }, ctx) => {
      const { seedWorld } = await import('../../seed/seed-world.js'); // json-schema-faker: only when seeding
      return await userWrite(ctx, params.clientId, (c) => seedWorld(c, body));
    },
  }),
  controlOp(R.listVouchers, {
    summary: 'Every posted voucher with its lines (debit positive, credit negative)',
    tags: TAGS.ledger,
    answers: 'vouchers',
    handle: async ({ params }, ctx) => await read(ctx, params.clientId, (w) => ({ vouchers: w.vouchers.map((v) => voucherView(w, v)) })),
  }),
  controlOp(R.checkLedger, {
    summary: 'Check the invariants: every voucher balances, the customer ledger equals account 1500, open amounts add up',
    tags: TAGS.ledger,
    answers: 'the check',
    handle: reading((w) => {
      const breaches = invariantBreaches(w);
      const items = openItems(w, today(w));
      const unmatched = items
        .filter((i) => i.unmatched)
        .map((i) => ({
          itemId: i.id,
          voucherNo: i.voucher.voucherNo,
          customerId: i.line.customerId!,
          amount: oreToNok(i.balance),
          reason: i.unmatched!,
          explanation: explainLedgerItemSummary(explainLedgerItem(w, i)),
        }));
      return {
        ok: breaches.length === 0,
        breaches,
        receivables: oreToNok(accountBalance(w, ACCOUNTS.customerReceivables)),
        customerLedgerTotal: oreToNok(items.reduce((s, i) => s + i.balance, 0)),
        unmatched,
      };
    }),
  }),
  controlOp(R.explainLedgerItem, {
    summary: 'What a customer-ledger item is (an OpenItems Id) and, for a payment no invoice accounts for, why it is unmatched',
    description:
      'Reasons: noReference (a prepayment or payment on account), unknownReference (no invoice had that invoice number, KID or ' +
      'matching reference), ' +
      'otherCustomer, amountDiffers (a KID or matching reference matches only the opposite of the open amount), overpaid (the excess ' +
      "of a payment over the invoice's open amount: a credit), debit.",
    tags: TAGS.journal,
    answers: 'the explanation',
    handle: ({ params }, ctx) =>
      read(ctx, params.clientId, (w) => {
        const item = findLedgerItem(w, params.itemId, today(w));
        if (!item) throw reject.notFound('customer-ledger item', params.itemId, 'itemId');
        const found = explainLedgerItem(w, item);
        const e =
          found.invoiceId && !found.reason
            ? { ...found, next: `${found.next} GET /_sandbox/clients/${w.id}/invoices/${found.invoiceId}/explain` }
            : found;
        return { ...e, amount: oreToNok(e.amount), open: oreToNok(e.open), summary: explainLedgerItemSummary(e) };
      }),
  }),
  controlOp(R.listVoucherReception, {
    summary: 'The voucher reception (bilagsmottak): booking suggestions from integrations',
    tags: TAGS.ledger,
    answers: 'drafts',
    handle: reading((w) => ({
      drafts: Object.values(w.voucherReception)
        .sort((a, b) => a.submittedAt.localeCompare(b.submittedAt))
        .map((d) => receptionView(w, d)),
    })),
  }),
  controlOp(R.approveReceptionDraft, {
    summary: 'Approve a booking suggestion: it is posted as a manual journal',
    tags: TAGS.ledger,
    answers: 'the posted voucher',
    responses: conflictProblem,
    handle: writing((c, { params }) => voucherView(c.world, approveReceptionDraft(c, params.draftId))),
  }),
  controlOp(R.rejectReceptionDraft, {
    summary: 'Reject a booking suggestion',
    tags: TAGS.ledger,
    answers: 'the draft',
    responses: conflictProblem,
    handle: writing((c, { params }) => receptionView(c.world, rejectReceptionDraft(c, params.draftId))),
  }),
  controlOp(R.listEvents, {
    summary: 'The domain event journal: every state change with sandbox time, actor and cause',
    description:
      '`since` is a sequence number (poll with the lastSeq you saw); `type` matches exactly, or as a prefix when it ends in ".".',
    tags: TAGS.journal,
    answers: 'events',
    handle: reading((w, { query }) => {
      const type = query.type;
      const events = w.events.filter(
        (e) =>
          (query.since === undefined || e.seq > query.since) &&
          (!query.invoiceId || e.refs.invoiceId === query.invoiceId) &&
          (!query.caseId || e.refs.caseId === query.caseId) &&
          (!type || (type.endsWith('.') ? e.type.startsWith(type) : e.type === type)),
      );
      const limited = query.limit ? events.slice(0, query.limit) : events;
      return { events: limited.map((e) => eventView(w, e)), lastSeq: w.counters.event };
    }),
  }),
  controlOp(R.listRequests, {
    summary: 'The request journal: the latest agency and control calls for this client (method, path, status, integration, why refused)',
    tags: TAGS.journal,
    answers: 'requests, oldest first',
    async handle({ params }, ctx) {
      await read(ctx, params.clientId, () => undefined);
      return { requests: ctx.services.journal.view(params.clientId) };
    },
  }),
];
