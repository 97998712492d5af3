/**
 * Each rule at its boundaries, as pure functions: who is in the reminder flow, which step is next and on which day,
 * the draft day and its reasons, auto-approval, and the approval obstacle two hours after approval. Written against
 * the mutants that survived (TESTING.md): every condition is tested on both sides of its edge, every reason by text.
 */
import { describe, expect, it } from 'vitest';
import { at, world, advanceTo } from './pure-world.js';
import { outOfReminderFlow, pendingStep, reminderFacts, STEP_NAME, STEP_ORDER, FEE_STEPS } from '../../sandbox/domain/rules/eligibility.js';
import { autoApproval, draft, draftBlocker, draftDay } from '../../sandbox/domain/rules/draft.js';
import { approvalObstacle, OBSTACLE_AFTER_MS } from '../../sandbox/domain/rules/approval-obstacle.js';
import { planNext } from '../../sandbox/domain/rules/index.js';
import { explainInvoice } from '../../sandbox/domain/queries/explain.js';
import { ACTORS, contextFor } from '../../sandbox/domain/context.js';
import { updateCustomer } from '../../sandbox/domain/commands/customers.js';
import { updateIntegration } from '../../sandbox/domain/commands/integrations.js';
import { postInvoice } from '../../sandbox/domain/commands/invoices.js';
import { approve, override } from '../../sandbox/domain/commands/collection.js';
import { postPayment } from '../../sandbox/domain/commands/payments.js';
import { invariantBreaches } from '../../sandbox/domain/invariants.js';
import { fromMillis, toMillis } from '../../sandbox/domain/time.js';
import { advanceClock } from '../../sandbox/clock/advance.js';
import type { Invoice, World } from '../../sandbox/domain/model.js';

const clockCtx = (w: World) => contextFor(w, ACTORS.clock);

describe('the reminder flow (eligibility)', () => {
  it('names the steps in Go order with their Norwegian names; fees only on purring and inkassovarsel', () => {
    expect(STEP_ORDER).toEqual(['friendlyReminder', 'paymentReminder', 'collectionNotice']);
    expect(STEP_NAME).toEqual({ friendlyReminder: 'påminnelse', paymentReminder: 'purring', collectionNotice: 'inkassovarsel' });
    expect(FEE_STEPS).toEqual(['paymentReminder', 'collectionNotice']);
  });

  it('an open overdue invoice on Auto is in the flow', () => {
    const { w, invoice } = world();
    const inv = invoice(100_000, '2026-01-05');
    expect(outOfReminderFlow(w, inv)).toBeUndefined();
    expect(reminderFacts(w, inv)).toMatchObject({ outOfFlow: undefined, pending: undefined });
  });

  it('a credit note is never in it', () => {
    const { w, invoice } = world();
    const note = { ...invoice(100_000, '2026-01-05'), kind: 'creditNote' } as Invoice;
    expect(outOfReminderFlow(w, note)).toBe('credit notes never take part in reminders or collection');
  });

  it('a paid invoice leaves it at exactly nothing left to pay, not before', () => {
    const { w, ctx, invoice } = world();
    const inv = invoice(100_000, '2026-01-05');
    postPayment(ctx, { lines: [{ invoiceId: inv.id, amount: 99_999 }] });
    expect(inv.openAmount).toBe(1);
    expect(outOfReminderFlow(w, inv)).toBeUndefined();
    postPayment(ctx, { lines: [{ invoiceId: inv.id, amount: 1 }] });
    expect(inv.openAmount).toBe(0);
    expect(outOfReminderFlow(w, inv)).toBe('nothing is left to pay');
  });

  it('an invoice further on in collection is out of it, saying where it is', () => {
    const { w, invoice } = world();
    const inv = invoice(100_000, '2026-01-05');
    inv.collection.status = 'Draft';
    expect(outOfReminderFlow(w, inv)).toBe('it is Draft in the collection flow');
    const facts = reminderFacts(w, inv);
    expect(facts).toEqual({ outOfFlow: 'it is Draft in the collection flow', pending: undefined });
  });

  it('next action None or Wait stops the flow until the user sets Auto again', () => {
    const { w, ctx, invoice } = world({ reminderSteps: { paymentReminder: { enabled: true } } });
    const inv = invoice(100_000, '2026-01-05');
    override(ctx, { invoiceIds: [inv.id], nextAction: 'Wait' });
    expect(outOfReminderFlow(w, inv)).toBe('its next action is "Wait" until the user overrides it');
    expect(reminderFacts(w, inv).pending).toBeUndefined();
    expect(planNext(w, inv)).toBeNull();
    override(ctx, { invoiceIds: [inv.id], nextAction: 'None' });
    expect(outOfReminderFlow(w, inv)).toBe('its next action is "None" until the user overrides it');
    override(ctx, { invoiceIds: [inv.id], nextAction: 'Auto' });
    expect(outOfReminderFlow(w, inv)).toBeUndefined();
    expect(reminderFacts(w, inv).pending).toMatchObject({ step: 'paymentReminder', sendDate: '2026-01-19' });
  });

  it('the minimum amount: an open amount equal to it is in the flow, one øre under it is not', () => {
    const { w, invoice } = world({ minimumAmount: 50_000 });
    const equal = invoice(50_000, '2026-01-05');
    const under = invoice(49_999, '2026-01-05');
    expect(outOfReminderFlow(w, equal)).toBeUndefined();
    expect(outOfReminderFlow(w, under)).toBe("its open amount 499.99 NOK is under the client's minimum 500.00 NOK");
    expect(explainInvoice(w, under)).toMatchObject({ next: null, waiting: "its open amount 499.99 NOK is under the client's minimum 500.00 NOK" });
  });
});

describe('the next reminder step and its day', () => {
  it('no step enabled: none pending', () => {
    const { w, invoice } = world();
    expect(pendingStep(w, invoice(100_000, '2026-01-05'))).toBeUndefined();
  });

  it('the first step: its own days after the due date, the reason saying so and nothing about a previous step', () => {
    const { w, invoice } = world({ reminderSteps: { friendlyReminder: { enabled: true, daysAfterDue: 3 } } });
    const p = pendingStep(w, invoice(100_000, '2026-01-05'))!;
    expect(p).toMatchObject({ step: 'friendlyReminder', sendDate: '2026-01-08' });
    expect(p.reason).toBe('3 days after the invoice fell due (2026-01-05)');
  });

  it('skips disabled steps, and never goes back to an earlier step once a later one was sent', () => {
    const { w, ctx, invoice } = world({ reminderSteps: { friendlyReminder: { enabled: true }, paymentReminder: { enabled: true } } });
    const inv = invoice(100_000, '2026-01-05');
    advanceTo(ctx, '2026-01-12', 8);
    expect(inv.reminders.map((r) => r.step)).toEqual(['friendlyReminder']);
    expect(pendingStep(w, inv)?.step).toBe('paymentReminder');
    advanceTo(ctx, '2026-01-27', 8);
    expect(inv.reminders.map((r) => r.step)).toEqual(['friendlyReminder', 'paymentReminder']);
    // collectionNotice is off: nothing is pending, not the påminnelse again.
    expect(pendingStep(w, inv)).toBeUndefined();
    advanceTo(ctx, '2026-06-01', 8);
    expect(inv.reminders.map((r) => r.step)).toEqual(['friendlyReminder', 'paymentReminder']);
  });

  it('only a later step enabled after the sent one counts: a påminnelse sent, purring off, inkassovarsel on', () => {
    const { w, ctx, invoice } = world({ reminderSteps: { friendlyReminder: { enabled: true }, collectionNotice: { enabled: true, daysAfterDue: 30 } } });
    const inv = invoice(100_000, '2026-01-05');
    expect(pendingStep(w, inv)).toMatchObject({ step: 'friendlyReminder', sendDate: '2026-01-12' });
    advanceTo(ctx, '2026-01-12', 8);
    expect(pendingStep(w, inv)).toMatchObject({ step: 'collectionNotice', sendDate: '2026-02-04' });
  });

  describe('a later step: its own day, but never before the day after the previous step fell due', () => {
    // påminnelse sent 2026-01-12 (7 days after the due date 2026-01-05), due 7 days later: 2026-01-19.
    const after = (daysAfterDue: number) => {
      const { w, ctx, invoice } = world({ reminderSteps: { friendlyReminder: { enabled: true, daysAfterDue: 7, dueInDays: 7 }, paymentReminder: { enabled: true, daysAfterDue } } });
      const inv = invoice(100_000, '2026-01-05');
      advanceTo(ctx, '2026-01-12', 8);
      expect(inv.reminders[0]).toMatchObject({ sentDate: '2026-01-12', dueDate: '2026-01-19' });
      return { w, ctx, inv, p: pendingStep(w, inv)! };
    };

    it('its own day earlier: waits for the day after the previous step fell due, and the explain text says why', () => {
      const { w, ctx, inv, p } = after(10); // its own day would be 2026-01-15
      expect(p.sendDate).toBe('2026-01-20');
      expect(p.reason).toBe(
        "the day after the påminnelse fell due (2026-01-19): a later step waits until the previous step's time to pay has run out, though its own 10 days after the invoice fell due would be 2026-01-15",
      );
      expect(explainInvoice(w, inv).next).toMatchObject({ rule: 'reminderStep', action: 'send purring', on: '2026-01-20', reason: `purring is sent 2026-01-20: ${p.reason}` });
      advanceTo(ctx, '2026-01-19', 23, 59);
      expect(inv.reminders).toHaveLength(1);
      advanceTo(ctx, '2026-01-20', 0, 0);
      expect(inv.reminders.map((r) => r.sentDate)).toEqual(['2026-01-12', '2026-01-20']);
    });

    it('one day before the meeting point the previous due date still decides', () => {
      const { p } = after(14); // own day 2026-01-19 is the previous step's due date itself
      expect(p.sendDate).toBe('2026-01-20');
      expect(p.reason).toMatch(/^the day after the påminnelse fell due \(2026-01-19\)/);
    });

    it('where the two meet: the same day, named as the step own day', () => {
      const { p } = after(15); // own day 2026-01-20 = the day after 2026-01-19
      expect(p.sendDate).toBe('2026-01-20');
      expect(p.reason).toBe('15 days after the invoice fell due (2026-01-05); the påminnelse fell due 2026-01-19, so its time to pay has run out');
    });

    it('its own day later: its own day', () => {
      const { ctx, inv, p } = after(16);
      expect(p.sendDate).toBe('2026-01-21');
      expect(p.reason).toBe('16 days after the invoice fell due (2026-01-05); the påminnelse fell due 2026-01-19, so its time to pay has run out');
      advanceTo(ctx, '2026-01-20', 23, 59);
      expect(inv.reminders).toHaveLength(1);
      advanceTo(ctx, '2026-01-21', 0, 0);
      expect(inv.reminders.map((r) => r.sentDate)).toEqual(['2026-01-12', '2026-01-21']);
    });
  });
});

describe('the draft day', () => {
  it('no debt-collection integration, or a customer excluded: no draft, and the blocker says which', () => {
    const none = world(undefined, { integration: false });
    const inv = none.invoice(100_000, '2026-01-05');
    expect(draftBlocker(none.w, inv)).toBe('the client has no debt-collection integration, so the Inkasso step does not exist');
    expect(draft.nextDue(none.w, inv)).toBeNull();
    expect(explainInvoice(none.w, inv).waiting).toBe('the client has no debt-collection integration, so the Inkasso step does not exist');

    const { w, ctx, customer, invoice } = world();
    const inv2 = invoice(100_000, '2026-01-05');
    expect(draftBlocker(w, inv2)).toBeUndefined();
    updateCustomer(ctx, customer.id, { transferToDebtCollectionAgency: false });
    expect(draftBlocker(w, inv2)).toBe(`customer ${customer.number} is excluded from debt collection ("overfør til inkassobyrå" is off)`);
    expect(draft.nextDue(w, inv2)).toBeNull();
  });

  it('nothing enabled: the configured days after the due date, "day" or "days"', () => {
    const fourteen = world();
    const a = fourteen.invoice(100_000, '2026-01-05');
    expect(draftDay(fourteen.w, a)).toMatchObject({ date: '2026-01-19', reason: 'no reminder step enabled: 14 days after the due date 2026-01-05' });
    const one = world({ draftDaysWithoutReminders: 1 });
    const b = one.invoice(100_000, '2026-01-05');
    expect(draftDay(one.w, b)).toMatchObject({ date: '2026-01-06', reason: 'no reminder step enabled: 1 day after the due date 2026-01-05' });
    const due = draft.nextDue(one.w, b)!;
    expect(due).toMatchObject({ rule: 'draft', date: '2026-01-06', at: at('2026-01-06') });
    expect(due.reason).toBe('becomes a draft on 2026-01-06: no reminder step enabled: 1 day after the due date 2026-01-05');
  });

  it('only påminnelse: 14 days after the due date, whatever the påminnelse own dates', () => {
    const { w, ctx, invoice } = world({ reminderSteps: { friendlyReminder: { enabled: true, daysAfterDue: 3, dueInDays: 3 } } });
    const inv = invoice(100_000, '2026-01-05');
    expect(draft.nextDue(w, inv)).toBeNull(); // a step is pending first
    advanceTo(ctx, '2026-01-08', 8);
    expect(draftDay(w, inv)).toMatchObject({ date: '2026-01-19', reason: 'only påminnelse enabled: 14 days after the due date 2026-01-05' });
    expect(draft.nextDue(w, inv)).toMatchObject({ date: '2026-01-19', at: at('2026-01-19') });
  });

  it('purring the last enabled: not before it is sent; then the day after its own due date', () => {
    const { w, ctx, invoice } = world({ reminderSteps: { paymentReminder: { enabled: true, dueInDays: 20 } } });
    const inv = invoice(100_000, '2026-01-05');
    expect(draftDay(w, inv)).toBeUndefined();
    advanceTo(ctx, '2026-01-19', 8);
    expect(draftDay(w, inv)).toMatchObject({ date: '2026-02-09', reason: 'purring due 2026-02-08 and no inkassovarsel enabled' });
  });

  it('inkassovarsel enabled: its due date decides, even when a purring was sent', () => {
    const { w, ctx, invoice } = world({ reminderSteps: { paymentReminder: { enabled: true }, collectionNotice: { enabled: true, dueInDays: 15 } } });
    const inv = invoice(100_000, '2026-01-05');
    advanceTo(ctx, '2026-01-19', 8);
    expect(draftDay(w, inv)).toBeUndefined(); // the purring is not the last enabled step
    expect(draft.nextDue(w, inv)).toBeNull();
    advanceTo(ctx, '2026-02-03', 8);
    expect(draftDay(w, inv)).toMatchObject({ date: '2026-02-19', reason: 'inkassovarsel due 2026-02-18' });
    const due = draft.nextDue(w, inv)!;
    expect(due.reason).toBe('becomes a draft on 2026-02-19: inkassovarsel due 2026-02-18');
    expect(planNext(w, inv)).toMatchObject({ rule: 'draft', at: at('2026-02-19') });
  });

  it('inkassovarsel only: the day after its due date', () => {
    const { w, ctx, invoice } = world({ reminderSteps: { collectionNotice: { enabled: true } } });
    const inv = invoice(100_000, '2026-01-05');
    advanceTo(ctx, '2026-01-19', 8);
    expect(draftDay(w, inv)).toMatchObject({ date: '2026-02-03', reason: 'inkassovarsel due 2026-02-02' });
  });

  it('becoming a draft: status, time, journal; a left-flow mark is cleared', () => {
    const { w, ctx, invoice } = world();
    const inv = invoice(100_000, '2026-01-05');
    inv.collection.leftFlow = { at: at('2026-01-05'), reason: 'paid', from: 'None' };
    w.clock.now = at('2026-01-19');
    const cctx = clockCtx(w);
    draft.apply(cctx, inv);
    expect(inv.collection).toMatchObject({ status: 'Draft', draftedAt: at('2026-01-19'), leftFlow: null, approvedAt: null });
    expect(inv.lastChanged).toBe(at('2026-01-19'));
    expect(cctx.emitted.map((e) => [e.type, e.cause, e.refs, e.data])).toEqual([
      ['invoice.drafted', 'became a collection draft: no reminder step enabled: 14 days after the due date 2026-01-05', { invoiceId: inv.id, customerId: inv.customerId }, { invoiceNo: inv.invoiceNo }],
    ]);
  });
});

describe('auto-approve', () => {
  const setup = (fromInvoiceDate: string | null = null) => {
    const { w, ctx, customer, invoice } = world();
    const before = invoice(100_000, '2026-01-05');
    updateIntegration(ctx, w.integrations[0]!.id, { autoApprove: { enabled: true, fromInvoiceDate } });
    const post = (invoiceDate: string) => postInvoice(ctx, { customerId: customer.id, amount: 100_000, invoiceDate, dueDate: '2026-01-05' });
    return { w, ctx, before, post };
  };

  it('off: not approved, and it says so', () => {
    const { w, invoice } = world();
    expect(autoApproval(w, invoice(100_000, '2026-01-05'))).toEqual({ approve: false, reason: 'auto-approve is off' });
  });

  it('without a case-creating integration: off', () => {
    const { w, invoice } = world(undefined, { integration: false });
    expect(autoApproval(w, invoice(100_000, '2026-01-05'))).toEqual({ approve: false, reason: 'auto-approve is off' });
  });

  it('only invoices posted after the setting changed: the one posted just before is not, the next one is', () => {
    const { w, before, post } = setup();
    const changedAt = w.integrations[0]!.autoApprove.changedAt;
    expect(autoApproval(w, before)).toEqual({ approve: false, reason: `the invoice was posted before auto-approve was set (${changedAt})` });
    expect(autoApproval(w, post('2026-01-01'))).toEqual({ approve: true, reason: 'auto-approve for Byrå' });
  });

  it('the from-date: an invoice dated on it is approved, one dated the day before is not', () => {
    const { w, post } = setup('2026-01-02');
    expect(autoApproval(w, post('2026-01-02')).approve).toBe(true);
    expect(autoApproval(w, post('2026-01-01'))).toEqual({ approve: false, reason: 'invoice date 2026-01-01 is before the auto-approve from-date 2026-01-02' });
  });

  it('a draft that auto-approves goes straight to Approved, journalled as automatic', () => {
    const { w, before, post } = setup();
    const inv = post('2026-01-01');
    advanceTo(contextFor(w, ACTORS.sandbox), '2026-01-19', 0, 0);
    expect(inv.collection).toMatchObject({ status: 'Approved', draftedAt: at('2026-01-19'), approvedAt: at('2026-01-19') });
    expect(before.collection).toMatchObject({ status: 'Draft', approvedAt: null });
    const approved = w.events.filter((e) => e.type === 'invoice.approved');
    expect(approved.map((e) => [e.cause, e.refs.invoiceId, e.data])).toEqual([['auto-approve for Byrå', inv.id, { invoiceNo: inv.invoiceNo, automatic: true }]]);
    expect(invariantBreaches(w)).toEqual([]);
  });
});

describe('the approval obstacle, two hours after approval', () => {
  const approved = (mailAddress?: Record<string, string>) => {
    const { w, ctx, customer, invoice } = world();
    if (mailAddress) updateCustomer(ctx, customer.id, { mailAddress } as never);
    const inv = invoice(100_000, '2026-01-05');
    expect(approvalObstacle.nextDue(w, inv)).toBeNull(); // not approved
    advanceTo(ctx, '2026-01-19', 10);
    expect(approvalObstacle.nextDue(w, inv)).toBeNull(); // a draft
    approve(ctx, { invoiceIds: [inv.id] });
    return { w, ctx, customer, inv };
  };

  it('due exactly two hours after approval, on that local day', () => {
    expect(OBSTACLE_AFTER_MS).toBe(7_200_000);
    const { w, inv } = approved();
    expect(approvalObstacle.nextDue(w, inv)).toMatchObject({
      rule: 'approvalObstacle',
      at: at('2026-01-19', 12),
      date: '2026-01-19',
      reason: 'flagged as an obstacle if still approved 2 hours after approval',
    });
    expect(planNext(w, inv)).toMatchObject({ rule: 'approvalObstacle', at: at('2026-01-19', 12) });
  });

  it('the local day is the day of the moment two hours later (approved 23:00 → flagged the next day)', () => {
    const { w, inv } = approved();
    inv.collection.approvedAt = at('2026-01-19', 23);
    expect(approvalObstacle.nextDue(w, inv)).toMatchObject({ at: at('2026-01-20', 1), date: '2026-01-20' });
  });

  it('not flagged a millisecond before; flagged at the moment, once, naming the agency when the address is complete', () => {
    const { w, ctx, inv } = approved();
    advanceClockTo(w, toMillis(at('2026-01-19', 12)) - 1);
    expect(inv.collection.obstacle).toBeNull();
    const events = advanceClockTo(w, toMillis(at('2026-01-19', 12)));
    const reason = 'still approved 2 hours after approval: the agency has not picked it up';
    expect(inv.collection.obstacle).toEqual({ at: at('2026-01-19', 12), reason });
    expect(events.filter((e) => e.type === 'approval.obstacle').map((e) => [e.cause, e.refs, e.data])).toEqual([
      [reason, { invoiceId: inv.id, customerId: inv.customerId }, { invoiceNo: inv.invoiceNo }],
    ]);
    expect(approvalObstacle.nextDue(w, inv)).toBeNull(); // flagged once
    advanceTo(ctx, '2026-03-01');
    expect(w.events.filter((e) => e.type === 'approval.obstacle')).toHaveLength(1);
  });

  it('names the missing address fields when the address is incomplete', () => {
    const { w, customer, inv } = approved({ zipCode: ' ', city: '' });
    advanceClockTo(w, toMillis(at('2026-01-19', 12)));
    expect(inv.collection.obstacle?.reason).toBe(
      `still approved 2 hours after approval: customer ${customer.number} has no complete postal address (missing zipCode, city)`,
    );
  });

  it('no approval time: nothing to measure from', () => {
    const { w, inv } = approved();
    inv.collection.approvedAt = null;
    expect(approvalObstacle.nextDue(w, inv)).toBeNull();
  });
});

/** The clock's own advance, to the millisecond. */
function advanceClockTo(w: World, ms: number) {
  return advanceClock(contextFor(w, ACTORS.sandbox), fromMillis(ms)).events;
}
