/**
 * The rules as pure functions: a world built in memory with the domain's own commands, the clock passed in, no
 * engine, no storage, no HTTP. The HTTP suites test the same rules through the faces; these show the domain stands
 * on its own, and that it never reads the machine clock.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { at, world, advanceTo } from './pure-world.js';
import { draftDay } from '../../sandbox/domain/rules/draft.js';
import { pendingStep } from '../../sandbox/domain/rules/eligibility.js';
import { maxReminderFee } from '../../sandbox/domain/norwegian-rates.js';
import { lateInterest } from '../../sandbox/domain/interest.js';
import { invariantBreaches } from '../../sandbox/domain/invariants.js';


describe('the draft day (pure)', () => {
  it('no reminder steps: a draft at 00:00 on due date + 14, not a minute before', () => {
    const { w, ctx, invoice } = world();
    const inv = invoice(100_000, '2026-01-05');
    expect(draftDay(w, inv)?.date).toBe('2026-01-19');
    advanceTo(ctx, '2026-01-18', 23, 59);
    expect(inv.collection.status).toBe('None');
    const { events } = advanceTo(ctx, '2026-01-19', 0, 0);
    expect(inv.collection.status).toBe('Draft');
    expect(events.map((e) => e.type)).toContain('invoice.drafted');
    expect(invariantBreaches(w)).toEqual([]);
  });

  it('purring + inkassovarsel: each step on its day, then the draft the day after the last due date', () => {
    const { w, ctx, invoice } = world({ reminderSteps: { paymentReminder: { enabled: true }, collectionNotice: { enabled: true } } });
    const inv = invoice(100_000, '2026-01-05');
    expect(pendingStep(w, inv)).toMatchObject({ step: 'paymentReminder', sendDate: '2026-01-19' });
    advanceTo(ctx, '2026-01-19', 8);
    expect(inv.reminders).toHaveLength(1);
    expect(inv.reminders[0]).toMatchObject({ step: 'paymentReminder', sentDate: '2026-01-19', dueDate: '2026-02-02' });
    expect(pendingStep(w, inv)).toMatchObject({ step: 'collectionNotice', sendDate: '2026-02-03' });
    advanceTo(ctx, '2026-02-03', 8);
    expect(inv.reminders[1]).toMatchObject({ step: 'collectionNotice', sentDate: '2026-02-03', dueDate: '2026-02-17' });
    expect(draftDay(w, inv)?.date).toBe('2026-02-18');
    advanceTo(ctx, '2026-02-17', 23, 59);
    expect(inv.collection.status).toBe('None');
    advanceTo(ctx, '2026-02-18', 0, 0);
    expect(inv.collection.status).toBe('Draft');
    expect(invariantBreaches(w)).toEqual([]);
  });

  it('the reminder fee: at most 1/20 of the inkassosats (a larger setting is refused), charged only from 14 days overdue', () => {
    const cap = maxReminderFee('2026-01-19');
    expect(cap).toBe(3500); // 35 NOK while the inkassosats is 700 NOK
    expect(() => world({ reminderSteps: { paymentReminder: { enabled: true, fee: cap + 1 } } })).toThrow(/exceeds the maximum reminder fee 35.00 NOK/);
    const { w, ctx, invoice } = world({ reminderSteps: { paymentReminder: { enabled: true, fee: cap, chargeInterest: false } } });
    const inv = invoice(100_000, '2026-01-05');
    advanceTo(ctx, '2026-01-19', 8);
    expect(inv.reminders[0]).toMatchObject({ fee: cap, interest: 0 });
    expect(inv.openAmount).toBe(100_000); // the fee is its own receivable line, not part of the invoice
    const early = world({ reminderSteps: { paymentReminder: { enabled: true, daysAfterDue: 7 } } });
    const inv2 = early.invoice(100_000, '2026-01-05');
    advanceTo(early.ctx, '2026-01-12', 8);
    expect(inv2.reminders[0]).toMatchObject({ sentDate: '2026-01-12', fee: 0 });
    expect(invariantBreaches(w)).toEqual([]);
    expect(invariantBreaches(early.w)).toEqual([]);
  });

  it('late interest is simple interest, actual/365, at the rate in force on each day, in whole øre', () => {
    const table = [
      { from: '2026-01-01', basisPoints: 1200, source: 'test', verified: true },
      { from: '2026-07-01', basisPoints: 1300, source: 'test', verified: true },
    ];
    expect(lateInterest(100_000, '2026-01-05', '2026-01-05', table)).toBe(0);
    expect(lateInterest(100_000, '2026-01-05', '2026-02-04', table)).toBe(Math.round((100_000 * 1200 * 30) / 10_000 / 365));
    // 10 days at 12 % (21–30 June), then 10 days at 13 % (1–10 July).
    expect(lateInterest(100_000, '2026-06-20', '2026-07-10', table)).toBe(Math.round((100_000 * (10 * 1200 + 10 * 1300)) / 10_000 / 365));
  });
});

describe('the domain never reads the machine clock', () => {
  const RealDate = Date;
  beforeEach(() => {
    // A Date that refuses the two ways of asking the machine for the time.
    class NoMachineClock extends RealDate {
      constructor(...args: unknown[]) {
        if (args.length === 0) throw new Error('domain code read the machine clock: new Date()');
        super(...(args as [number]));
      }
      static override now(): number {
        throw new Error('domain code read the machine clock: Date.now()');
      }
    }
    globalThis.Date = NoMachineClock as DateConstructor;
  });
  afterEach(() => {
    globalThis.Date = RealDate;
  });

  it('a year with reminders, drafts and the same events on a second run', () => {
    const run = () => {
      const { w, ctx, invoice } = world({ reminderSteps: { paymentReminder: { enabled: true }, collectionNotice: { enabled: true } } });
      for (let i = 0; i < 20; i++) invoice(10_000 * (i + 1), `2026-01-${String(5 + i).padStart(2, '0')}`);
      const { events } = advanceTo(ctx, '2027-01-05', 8);
      return { events: events.map((e) => [e.at, e.type, e.refs.invoiceId ?? null]), vouchers: w.vouchers.length, breaches: invariantBreaches(w) };
    };
    const first = run();
    expect(first.breaches).toEqual([]);
    expect(first.events.filter(([, type]) => type === 'invoice.drafted')).toHaveLength(20);
    expect(first.vouchers).toBeGreaterThan(20);
    expect(run()).toEqual(first);
  });
});
