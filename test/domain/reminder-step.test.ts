/**
 * Sending a reminder step, as pure functions: its dates, fee and interest, the voucher it posts (or not), the reminder
 * it records and the journal line it writes. Written against the mutants of rules/reminder-step.ts that survived
 * (TESTING.md).
 */
import { describe, expect, it } from 'vitest';
import { at, world, advanceTo } from './pure-world.js';
import { reminderStep, FEE_MIN_DAYS_OVERDUE, STEP_VOUCHER_TYPE } from '../../sandbox/domain/rules/reminder-step.js';
import { lateInterest } from '../../sandbox/domain/interest.js';
import { lateInterestTable } from '../../sandbox/domain/world.js';
import { voucherById } from '../../sandbox/domain/ledger.js';
import { ACCOUNTS } from '../../sandbox/domain/chart-of-accounts.js';
import { ACTORS, contextFor } from '../../sandbox/domain/context.js';
import { invariantBreaches } from '../../sandbox/domain/invariants.js';
import type { DatedAmount, DatedRate } from '../../sandbox/domain/norwegian-rates.js';
import type { World } from '../../sandbox/domain/model.js';

const sentEvents = (w: World) => w.events.filter((e) => e.type === 'reminder.sent');

describe('when a step is due (reminderStep.nextDue)', () => {
  it('at 00:00 local on the send day, naming the step and why', () => {
    const { w, invoice } = world({ reminderSteps: { paymentReminder: { enabled: true } } });
    const inv = invoice(100_000, '2026-01-05');
    const due = reminderStep.nextDue(w, inv)!;
    expect(due).toMatchObject({ rule: 'reminderStep', step: 'paymentReminder', at: at('2026-01-19'), date: '2026-01-19' });
    expect(due.reason).toBe('purring is sent 2026-01-19: 14 days after the invoice fell due (2026-01-05)');
  });

  it('nothing when no step is pending or the invoice is out of the flow', () => {
    const none = world();
    expect(reminderStep.nextDue(none.w, none.invoice(100_000, '2026-01-05'))).toBeNull();
    const { w, invoice } = world({ reminderSteps: { paymentReminder: { enabled: true } }, minimumAmount: 200_000 });
    expect(reminderStep.nextDue(w, invoice(100_000, '2026-01-05'))).toBeNull();
  });

  it('applying it when nothing is pending changes nothing', () => {
    const { w, invoice } = world();
    const inv = invoice(100_000, '2026-01-05');
    const before = JSON.stringify(w);
    reminderStep.apply(contextFor(w, ACTORS.clock), inv);
    expect(JSON.stringify(w)).toBe(before);
  });
});

describe('sending a step', () => {
  it('purring: fee and interest on one voucher, the reminder recorded, the journal says what was sent', () => {
    const { w, ctx, invoice } = world({ reminderSteps: { paymentReminder: { enabled: true, fee: 2000, dueInDays: 16 } } });
    const inv = invoice(1_000_000, '2026-01-05');
    advanceTo(ctx, '2026-01-19', 8);
    const interest = lateInterest(1_000_000, '2026-01-05', '2026-01-19', lateInterestTable(w));
    expect(interest).toBeGreaterThan(0);
    const r = inv.reminders[0]!;
    expect(r).toEqual({ step: 'paymentReminder', sentDate: '2026-01-19', dueDate: '2026-02-04', fee: 2000, interest, interestFrom: '2026-01-05', voucherId: r.voucherId, reversedByVoucherId: null });
    expect(inv.lastChanged).toBe(at('2026-01-19'));
    const v = voucherById(w, r.voucherId!)!;
    expect(v).toMatchObject({ type: 'OutgoingPaymentReminder', date: '2026-01-19', description: `purring for invoice ${inv.invoiceNo}`, actor: ACTORS.clock });
    expect(v.lines).toEqual([
      { account: ACCOUNTS.customerReceivables, amount: 2000 + interest, customerId: inv.customerId, invoiceId: inv.id },
      { account: ACCOUNTS.otherOperatingIncome, amount: -2000 },
      { account: ACCOUNTS.interestIncome, amount: -interest },
    ]);
    const [e] = sentEvents(w);
    expect(e!.cause).toBe('purring sent 2026-01-19, due 2026-02-04: 14 days after the invoice fell due (2026-01-05)');
    expect(e!.refs).toEqual({ invoiceId: inv.id, customerId: inv.customerId, voucherId: v.id });
    expect(e!.data).toEqual({ step: 'paymentReminder', sentDate: '2026-01-19', dueDate: '2026-02-04', fee: 2000, interest, voucherType: 'OutgoingPaymentReminder' });
    expect(invariantBreaches(w)).toEqual([]);
  });

  it('inkassovarsel: its own voucher type', () => {
    expect(STEP_VOUCHER_TYPE).toEqual({ friendlyReminder: 'OutgoingPaymentReminder', paymentReminder: 'OutgoingPaymentReminder', collectionNotice: 'OutgoingNoticeOfDebtCollection' });
    const { w, ctx, invoice } = world({ reminderSteps: { collectionNotice: { enabled: true, chargeInterest: false } } });
    const inv = invoice(100_000, '2026-01-05');
    advanceTo(ctx, '2026-01-19', 8);
    const v = voucherById(w, inv.reminders[0]!.voucherId!)!;
    expect(v).toMatchObject({ type: 'OutgoingNoticeOfDebtCollection', description: `inkassovarsel for invoice ${inv.invoiceNo}` });
    expect(v.lines).toEqual([
      { account: ACCOUNTS.customerReceivables, amount: 3500, customerId: inv.customerId, invoiceId: inv.id },
      { account: ACCOUNTS.otherOperatingIncome, amount: -3500 },
    ]);
    expect(sentEvents(w)[0]!.data).toMatchObject({ voucherType: 'OutgoingNoticeOfDebtCollection', fee: 3500, interest: 0 });
  });

  it('interest only (no fee set): one interest line, no zero fee line', () => {
    const { w, ctx, invoice } = world({ reminderSteps: { paymentReminder: { enabled: true, fee: 0 } } });
    const inv = invoice(1_000_000, '2026-01-05');
    advanceTo(ctx, '2026-01-19', 8);
    const r = inv.reminders[0]!;
    expect(r.fee).toBe(0);
    expect(voucherById(w, r.voucherId!)!.lines.map((l) => [l.account, l.amount])).toEqual([
      [ACCOUNTS.customerReceivables, r.interest],
      [ACCOUNTS.interestIncome, -r.interest],
    ]);
    // A fee of 0 is no fee withheld: the journal does not explain a missing fee.
    expect(sentEvents(w)[0]!.cause).toBe('purring sent 2026-01-19, due 2026-02-02: 14 days after the invoice fell due (2026-01-05)');
  });

  it('a påminnelse: no fee, no interest, no voucher, even long overdue', () => {
    const { w, ctx, invoice } = world({ reminderSteps: { friendlyReminder: { enabled: true, daysAfterDue: 30, dueInDays: 5 } } });
    const inv = invoice(1_000_000, '2026-01-05');
    const vouchers = w.vouchers.length;
    advanceTo(ctx, '2026-02-04', 8);
    expect(inv.reminders).toEqual([{ step: 'friendlyReminder', sentDate: '2026-02-04', dueDate: '2026-02-09', fee: 0, interest: 0, interestFrom: '2026-01-05', voucherId: null, reversedByVoucherId: null }]);
    expect(w.vouchers.length).toBe(vouchers);
    const [e] = sentEvents(w);
    expect(e!.cause).toBe('påminnelse sent 2026-02-04, due 2026-02-09: 30 days after the invoice fell due (2026-01-05)');
    expect(e!.refs).toEqual({ invoiceId: inv.id, customerId: inv.customerId });
  });

  it('no fee set and too early for one: the journal does not explain a fee nobody asked for', () => {
    const { w, ctx, invoice } = world({ reminderSteps: { paymentReminder: { enabled: true, daysAfterDue: 5, fee: 0 } } });
    invoice(100_000, '2026-01-05');
    advanceTo(ctx, '2026-01-10', 8);
    expect(sentEvents(w)[0]!.cause).toBe('purring sent 2026-01-10, due 2026-01-24: 5 days after the invoice fell due (2026-01-05)');
  });

  it('neither fee nor interest (too early for a fee, interest off): no voucher', () => {
    const { w, ctx, invoice } = world({ reminderSteps: { paymentReminder: { enabled: true, daysAfterDue: 5, chargeInterest: false } } });
    const inv = invoice(100_000, '2026-01-05');
    const vouchers = w.vouchers.length;
    advanceTo(ctx, '2026-01-10', 8);
    expect(inv.reminders[0]).toMatchObject({ fee: 0, interest: 0, voucherId: null });
    expect(w.vouchers.length).toBe(vouchers);
  });
});

describe('the fee: only from 14 days overdue, at most 1/20 of the inkassosats in force that day', () => {
  const feeAt = (daysAfterDue: number) => {
    const { w, ctx, invoice } = world({ reminderSteps: { paymentReminder: { enabled: true, daysAfterDue, fee: 3000, chargeInterest: false } } });
    const inv = invoice(100_000, '2026-01-05');
    advanceTo(ctx, '2026-03-01');
    return { fee: inv.reminders[0]!.fee, cause: sentEvents(w)[0]!.cause };
  };

  it('13 days overdue: no fee, and the journal says why; 14 days: the fee', () => {
    expect(FEE_MIN_DAYS_OVERDUE).toBe(14);
    expect(feeAt(13)).toEqual({ fee: 0, cause: 'purring sent 2026-01-18, due 2026-02-01: 13 days after the invoice fell due (2026-01-05); no fee, only 13 days overdue (a fee needs 14)' });
    expect(feeAt(14)).toEqual({ fee: 3000, cause: 'purring sent 2026-01-19, due 2026-02-02: 14 days after the invoice fell due (2026-01-05)' });
  });

  it('a fee set under the cap is charged as set; the cap is the world’s inkassosats on the send day', () => {
    const sats = (from: string, ore: number): DatedAmount => ({ from, ore, source: 'test', verified: true });
    // 3500 is allowed when set (700 NOK in force), but on the send day the inkassosats is 600 NOK: cap 30 NOK.
    const { ctx, invoice } = world({
      inkassosats: [sats('2017-01-01', 70_000), sats('2026-01-15', 60_000)],
      reminderSteps: { paymentReminder: { enabled: true, fee: 3500, chargeInterest: false }, collectionNotice: { enabled: true, fee: 2900, chargeInterest: false } },
    });
    const inv = invoice(100_000, '2026-01-05');
    advanceTo(ctx, '2026-03-01');
    expect(inv.reminders.map((r) => [r.step, r.fee])).toEqual([
      ['paymentReminder', 3000],
      ['collectionNotice', 2900],
    ]);
  });
});

describe('interest: from the due date, or from the last step that charged interest', () => {
  const rate = (from: string, basisPoints: number): DatedRate => ({ from, basisPoints, source: 'test', verified: true });

  it('uses the world’s own interest table', () => {
    const table = [rate('2000-01-01', 3650)]; // 36.5 %: 1 øre a day per 1000 øre
    const { ctx, invoice } = world({ lateInterestRates: table, reminderSteps: { paymentReminder: { enabled: true, fee: 0 } } });
    const inv = invoice(100_000, '2026-01-05');
    advanceTo(ctx, '2026-01-19', 8);
    expect(inv.reminders[0]!.interest).toBe(1_400);
  });

  it('every step charges interest only for its own days: the steps add up to one sum over the whole span', () => {
    const table = [rate('2000-01-01', 3650)];
    const { ctx, invoice } = world({ lateInterestRates: table, reminderSteps: { friendlyReminder: { enabled: true }, paymentReminder: { enabled: true, fee: 0 }, collectionNotice: { enabled: true, fee: 0 } } });
    const inv = invoice(100_000, '2026-01-05');
    advanceTo(ctx, '2026-04-01');
    expect(inv.reminders.map((r) => [r.step, r.sentDate, r.interestFrom, r.interest])).toEqual([
      ['friendlyReminder', '2026-01-12', '2026-01-05', 0],
      ['paymentReminder', '2026-01-20', '2026-01-05', 1_500],
      ['collectionNotice', '2026-02-04', '2026-01-20', 1_500],
    ]);
  });

  it('the first step sent charged interest: the next runs from it (purring and inkassovarsel, no påminnelse)', () => {
    const table = [rate('2000-01-01', 3650)];
    const { ctx, invoice } = world({ lateInterestRates: table, reminderSteps: { paymentReminder: { enabled: true, fee: 0 }, collectionNotice: { enabled: true, fee: 0 } } });
    const inv = invoice(100_000, '2026-01-05');
    advanceTo(ctx, '2026-04-01');
    expect(inv.reminders.map((r) => [r.step, r.sentDate, r.interestFrom, r.interest])).toEqual([
      ['paymentReminder', '2026-01-19', '2026-01-05', 1_400],
      ['collectionNotice', '2026-02-03', '2026-01-19', 1_500],
    ]);
  });
});
