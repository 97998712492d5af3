/**
 * Moving the clock, as pure functions: what runs on the way, at which moment, under which actor, and what a
 * refused advance says. Written against the mutants of sandbox/clock/advance.ts that survived (TESTING.md).
 */
import { describe, expect, it } from 'vitest';
import { at, world } from '../domain/pure-world.js';
import { ACTORS, contextFor, type CommandContext } from '../../sandbox/domain/context.js';
import { advanceClock, MAX_ADVANCE_MS, runDueRules } from '../../sandbox/clock/advance.js';
import { RULES } from '../../sandbox/domain/rules/index.js';
import { updateSettings } from '../../sandbox/domain/commands/settings.js';
import { override } from '../../sandbox/domain/commands/collection.js';
import { fromMillis, toMillis } from '../../sandbox/domain/time.js';
import { isRejection, type DomainRejection } from '../../sandbox/domain/errors.js';
import type { World } from '../../sandbox/domain/model.js';

const sandboxCtx = (w: World): CommandContext => contextFor(w, ACTORS.sandbox);

function refusal(f: () => unknown): DomainRejection {
  try {
    f();
  } catch (e) {
    if (isRejection(e)) return e;
    throw e;
  }
  throw new Error('not refused');
}

describe('advancing the clock', () => {
  it('journals the move from and to, with the number of events it caused, and returns only this call’s events', () => {
    const { w, invoice } = world();
    const inv = invoice(100_000, '2026-01-05');
    const ctx = sandboxCtx(w);
    ctx.emitted.push(...w.events); // events from earlier commands in the same context are not this call's
    const before = ctx.emitted.length;
    const from = w.clock.now;
    const result = advanceClock(ctx, at('2026-01-20', 9));
    expect(result.from).toBe(from);
    expect(result.to).toBe(at('2026-01-20', 9));
    expect(w.clock.now).toBe(at('2026-01-20', 9));
    expect(result.events).toEqual(ctx.emitted.slice(before));
    expect(result.events.map((e) => e.type)).toEqual(['invoice.drafted', 'clock.advanced']);
    const drafted = result.events[0]!;
    // A rule runs as the clock, at its own moment; the advance itself is the caller's.
    expect(drafted.actor).toEqual(ACTORS.clock);
    expect(drafted.at).toBe(at('2026-01-19'));
    expect(inv.collection.draftedAt).toBe(at('2026-01-19'));
    const moved = result.events[1]!;
    expect(moved.actor).toEqual(ACTORS.sandbox);
    expect(moved.at).toBe(at('2026-01-20', 9));
    expect(moved.cause).toBe('clock advanced from 2026-01-05T08:00:00+01:00 to 2026-01-20T09:00:00+01:00');
    expect(moved.data).toEqual({ from, to: at('2026-01-20', 9), eventsCaused: 1 });
  });

  it('a rule due at exactly the target runs; one due a millisecond after it does not', () => {
    const { w, invoice } = world();
    const inv = invoice(100_000, '2026-01-05');
    advanceClock(sandboxCtx(w), fromMillis(toMillis(at('2026-01-19')) - 1));
    expect(inv.collection.status).toBe('None');
    advanceClock(sandboxCtx(w), at('2026-01-19'));
    expect(inv.collection.status).toBe('Draft');
  });

  it('a rule already overdue when the clock moves runs now, never moving the clock back', () => {
    const { w, invoice } = world();
    const ctx = sandboxCtx(w);
    advanceClock(ctx, at('2026-03-01', 12));
    // Posted today with a due date long past: its draft day (2026-01-19) is behind the clock.
    const inv = invoice(100_000, '2026-01-05');
    expect(inv.schedule).toMatchObject({ rule: 'draft', at: at('2026-01-19') });
    const { events } = advanceClock(sandboxCtx(w), at('2026-03-01', 12, 1));
    expect(inv.collection).toMatchObject({ status: 'Draft', draftedAt: at('2026-03-01', 12) });
    expect(events.map((e) => [e.type, e.at])).toEqual([
      ['invoice.drafted', at('2026-03-01', 12)],
      ['clock.advanced', at('2026-03-01', 12, 1)],
    ]);
    expect(w.events.map((e) => e.at)).toEqual([...w.events.map((e) => e.at)].sort());
  });

  it('a rule can make another due at once: a late påminnelse is followed by the draft the same moment', () => {
    // Only påminnelse enabled, sent 20 days after the due date; the draft day (due + 14) is then already past.
    const { w, invoice } = world({ reminderSteps: { friendlyReminder: { enabled: true, daysAfterDue: 20 } } });
    const inv = invoice(100_000, '2026-01-05');
    const { events } = advanceClock(sandboxCtx(w), at('2026-01-30'));
    expect(events.map((e) => [e.type, e.at])).toEqual([
      ['reminder.sent', at('2026-01-25')],
      ['invoice.drafted', at('2026-01-25')],
      ['clock.advanced', at('2026-01-30')],
    ]);
    expect(inv.collection.status).toBe('Draft');
  });

  it('a schedule that moved leaves a stale queue entry that does nothing', () => {
    const { w, ctx, invoice } = world();
    const later = invoice(100_000, '2026-01-05');
    const stopped = invoice(100_000, '2026-01-05');
    advanceClock(sandboxCtx(w), at('2026-01-06')); // the queue is built with both at 2026-01-19
    updateSettings(ctx, { draftDaysWithoutReminders: 20 });
    override(ctx, { invoiceIds: [stopped.id], nextAction: 'Wait' });
    expect(later.schedule).toMatchObject({ at: at('2026-01-25') });
    expect(stopped.schedule).toBeNull();
    const { events } = advanceClock(sandboxCtx(w), at('2026-01-24', 23, 59));
    expect(events.map((e) => e.type)).toEqual(['clock.advanced']);
    expect([later.collection.status, stopped.collection.status]).toEqual(['None', 'None']);
    advanceClock(sandboxCtx(w), at('2026-01-25'));
    expect([later.collection.status, stopped.collection.status]).toEqual(['Draft', 'None']);
  });

  it('runDueRules stops at its limit and leaves the clock at the last rule’s moment', () => {
    const { w, invoice } = world();
    invoice(100_000, '2026-01-05');
    const second = invoice(100_000, '2026-01-10');
    const ctx = sandboxCtx(w);
    runDueRules(ctx, toMillis(at('2026-01-20')));
    expect(w.clock.now).toBe(at('2026-01-19'));
    expect(ctx.emitted.map((e) => e.type)).toEqual(['invoice.drafted']);
    expect(second.collection.status).toBe('None');
  });

  it('a rule that does not move its invoice forward is an internal error, not an endless loop', () => {
    const { w, invoice } = world();
    const inv = invoice(100_000, '2026-01-05');
    const apply = RULES.draft.apply;
    RULES.draft.apply = () => {};
    try {
      expect(() => advanceClock(sandboxCtx(w), at('2026-02-01'))).toThrow(`internal: rule draft did not move invoice ${inv.invoiceNo} forward`);
    } finally {
      RULES.draft.apply = apply;
    }
  });
});

describe('the limits of one advance', () => {
  it('refuses going back, saying where the clock is and what is allowed, changing nothing', () => {
    const { w } = world();
    const before = JSON.stringify(w);
    const e = refusal(() => advanceClock(sandboxCtx(w), at('2026-01-05', 7, 59), 'moment'));
    expect(e.kind).toBe('conflict');
    expect(e.message).toBe(
      'the clock only moves forward: 2026-01-05T07:59:00+01:00 is before now (2026-01-05T08:00:00+01:00); restore a snapshot to go back',
    );
    expect(e.details).toEqual({ field: 'moment', current: '2026-01-05T08:00:00+01:00', allowed: ['2026-01-05T08:00:00+01:00 or later'] });
    expect(JSON.stringify(w)).toBe(before);
  });

  it('the largest advance, 3660 days, to the millisecond: one more is refused on the named field', () => {
    expect(MAX_ADVANCE_MS).toBe(3660 * 24 * 60 * 60 * 1000);
    const { w } = world();
    const from = toMillis(w.clock.now);
    const e = refusal(() => advanceClock(sandboxCtx(w), fromMillis(from + MAX_ADVANCE_MS + 1)));
    expect(e.kind).toBe('invalid');
    expect(e.details).toEqual({ field: 'to' });
    expect(e.message).toBe('to moves the clock more than 3660 days in one call');
    const named = refusal(() => advanceClock(sandboxCtx(w), fromMillis(from + MAX_ADVANCE_MS + 1), 'days'));
    expect(named.details).toEqual({ field: 'days' });
    expect(toMillis(advanceClock(sandboxCtx(w), fromMillis(from + MAX_ADVANCE_MS)).to)).toBe(from + MAX_ADVANCE_MS);
  });
});
