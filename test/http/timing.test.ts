/**
 * Every timing rule of domain.md at its boundary, through HTTP: the day before (not yet a draft / step not sent)
 * and the day of (draft / step sent). Clients start 2026-01-05 08:00 Europe/Oslo (a Monday); invoices fall due
 * 2026-01-05 unless told. A bare date in `to` means 08:00 local; day rules fire at 00:00 local.
 *
 * 2026 late-payment interest is 12.00 % p.a. (sandbox/domain/norwegian-rates.ts), the inkassosats 700 NOK, so the
 * maximum reminder fee is 35.00 NOK. Interest amounts below are worked out by hand in the comments.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advance, agency, invoice, newCustomer, newInvoice, testSandbox, type TestSandbox } from '../harness.js';
import {
  approveIds,
  ctl,
  explain,
  interestByHand,
  lists,
  ok,
  overrideToInkasso,
  putSettings,
  reminderEntry,
  status,
  vouchers,
  world,
} from './helpers-rules.js';

const PURRING = { reminderSteps: { paymentReminder: { enabled: true } } };
const INKASSOVARSEL = { reminderSteps: { collectionNotice: { enabled: true } } };
const BOTH = { reminderSteps: { paymentReminder: { enabled: true }, collectionNotice: { enabled: true } } };

let t: TestSandbox;
beforeAll(async () => {
  t = await testSandbox();
});
afterAll(() => t.close());

/** An invoice due 2026-01-05 (today at start) for `amount` NOK. */
async function dueToday(clientId: string, customerId: number, amount = 1000, extra: Record<string, unknown> = {}) {
  return newInvoice(t, clientId, { customerId, invoiceDate: '2025-12-22', dueDate: '2026-01-05', amount, ...extra });
}

describe('draft day with nothing enabled: due date + 14 days (PowerOffice)', () => {
  it('advancing with {to}: not a draft on due+13, a draft on due+14', async () => {
    const { client, customer } = await world(t);
    const inv = await dueToday(client.id, customer.id);
    expect(inv.schedule).toMatchObject({ rule: 'draft', on: '2026-01-19' });

    const before = await advance(t, client.id, { to: '2026-01-18' });
    expect(before.today).toBe('2026-01-18');
    expect(before.events.map((e: any) => e.type)).not.toContain('invoice.drafted');
    expect(await status(t, client.id, inv.id)).toBe('None');
    const entry = await reminderEntry(t, client.id, inv.id);
    expect(entry).toMatchObject({ nextAction: 'Inkasso', nextActionDate: '2026-01-19' });

    const day = await advance(t, client.id, { to: '2026-01-19' });
    const drafted = day.events.find((e: any) => e.type === 'invoice.drafted');
    expect(drafted).toMatchObject({ at: '2026-01-19T00:00:00+01:00', refs: { invoiceId: inv.id }, actor: { kind: 'clock' } });
    expect(await status(t, client.id, inv.id)).toBe('Draft');
    const l = await lists(t, client.id);
    expect(l.draft).toEqual([expect.objectContaining({ onHold: false, draftedAt: '2026-01-19T00:00:00+01:00', invoice: expect.objectContaining({ id: inv.id }) })]);
    expect(l.reminderList).toEqual([]);
  });

  it('advancing with {days}: the rule fires at 00:00 local, not at the working day start', async () => {
    const { client, customer } = await world(t);
    const inv = await dueToday(client.id, customer.id);
    await advance(t, client.id, { days: 13 });
    expect(await status(t, client.id, inv.id)).toBe('None');
    // 2026-01-18 23:59 local: still the day before
    const late = await advance(t, client.id, { hours: 15, minutes: 59 });
    expect(late.now).toBe('2026-01-18T23:59:00+01:00');
    expect(await status(t, client.id, inv.id)).toBe('None');
    const midnight = await advance(t, client.id, { minutes: 1 });
    expect(midnight.now).toBe('2026-01-19T00:00:00+01:00');
    expect(midnight.events.map((e: any) => e.type)).toContain('invoice.drafted');
    expect(await status(t, client.id, inv.id)).toBe('Draft');
  });

  it('one long advance runs the rule at its own moment (the journal reads as if the days passed one by one)', async () => {
    const { client, customer } = await world(t);
    const inv = await dueToday(client.id, customer.id);
    const res = await advance(t, client.id, { to: '2026-03-01' });
    const drafted = res.events.find((e: any) => e.type === 'invoice.drafted' && e.refs.invoiceId === inv.id);
    expect(drafted.at).toBe('2026-01-19T00:00:00+01:00');
    expect(res.events.at(-1).type).toBe('clock.advanced');
  });
});

describe('draft day, Kravia variant: draftDaysWithoutReminders 1 -> due date + 1', () => {
  it('is not a draft on the due date, and is one the day after', async () => {
    const { client, customer } = await world(t);
    const s = await putSettings(t, client.id, { draftDaysWithoutReminders: 1 });
    expect(s.draftDaysWithoutReminders).toBe(1);
    const inv = await dueToday(client.id, customer.id);
    expect(await status(t, client.id, inv.id)).toBe('None');
    await advance(t, client.id, { to: '2026-01-05T23:59' });
    expect(await status(t, client.id, inv.id)).toBe('None');
    await advance(t, client.id, { days: 1 }); // 2026-01-06 23:59
    expect(await status(t, client.id, inv.id)).toBe('Draft');
    const ev = (await ok(ctl(t, client.id).get(`/events?invoiceId=${inv.id}&type=invoice.drafted`))).events;
    expect(ev).toHaveLength(1);
    expect(ev[0].at).toBe('2026-01-06T00:00:00+01:00');
    expect(ev[0].cause).toMatch(/1 day after the due date 2026-01-05/);
  });

  it('the setting is also accepted at client creation', async () => {
    const { client, customer } = await world(t, { settings: { draftDaysWithoutReminders: 1 } });
    const inv = await dueToday(client.id, customer.id);
    expect(inv.schedule).toMatchObject({ rule: 'draft', on: '2026-01-06' });
  });
});

describe('only påminnelse (friendly reminder, no fee) enabled', () => {
  it('sends the påminnelse on due+daysAfterDue and drafts on due+14', async () => {
    const { client, customer } = await world(t);
    await putSettings(t, client.id, { reminderSteps: { friendlyReminder: { enabled: true, daysAfterDue: 3, dueInDays: 7 } } });
    const inv = await dueToday(client.id, customer.id);

    await advance(t, client.id, { to: '2026-01-07' });
    expect((await invoice(t, client.id, inv.id)).reminders).toEqual([]);
    expect(await reminderEntry(t, client.id, inv.id)).toMatchObject({ nextAction: 'Påminnelse', nextActionDate: '2026-01-08' });

    const day = await advance(t, client.id, { to: '2026-01-08' });
    const sent = day.events.find((e: any) => e.type === 'reminder.sent');
    expect(sent).toMatchObject({ at: '2026-01-08T00:00:00+01:00', data: { step: 'friendlyReminder', sentDate: '2026-01-08', dueDate: '2026-01-15', fee: 0, interest: 0 } });
    const after = await invoice(t, client.id, inv.id);
    expect(after.reminders).toEqual([{ step: 'friendlyReminder', sentDate: '2026-01-08', dueDate: '2026-01-15', fee: 0, interest: 0, voucherNo: null, reversed: false }]);
    // a påminnelse posts nothing
    expect((await vouchers(t, client.id)).map((v) => v.type)).toEqual(['OutgoingInvoice']);

    // the draft comes 14 days after the invoice's due date, not after the påminnelse's own due date
    await advance(t, client.id, { to: '2026-01-18' });
    expect(await status(t, client.id, inv.id)).toBe('None');
    expect(await reminderEntry(t, client.id, inv.id)).toMatchObject({ nextAction: 'Inkasso', nextActionDate: '2026-01-19' });
    const e = await explain(t, client.id, inv.id);
    expect(e.next).toMatchObject({ rule: 'draft', on: '2026-01-19' });
    expect(e.next.reason).toMatch(/only påminnelse enabled/);
    await advance(t, client.id, { days: 1 });
    expect(await status(t, client.id, inv.id)).toBe('Draft');
  });
});

describe('purring only: sent due+14 with fee and interest, draft the day after the purring falls due', () => {
  it('sends the purring on 2026-01-19 (not 01-18) with 35.00 fee and interest computed by hand', async () => {
    const { client, customer } = await world(t);
    await putSettings(t, client.id, PURRING);
    const inv = await dueToday(client.id, customer.id, 10_000);

    await advance(t, client.id, { to: '2026-01-18' });
    expect((await invoice(t, client.id, inv.id)).reminders).toEqual([]);
    let e = await explain(t, client.id, inv.id);
    expect(e.next).toMatchObject({ rule: 'reminderStep', action: 'send purring', on: '2026-01-19' });

    await advance(t, client.id, { days: 1 });
    const after = await invoice(t, client.id, inv.id);
    // Interest: 10 000.00 NOK x 12 % x 14 days (06.01-19.01) / 365 = 46.027... -> 46.03
    expect(interestByHand(10_000, 12, 14)).toBe(46.03);
    expect(after.reminders).toEqual([
      { step: 'paymentReminder', sentDate: '2026-01-19', dueDate: '2026-02-02', fee: 35, interest: 46.03, voucherNo: expect.any(Number), reversed: false },
    ]);
    // the purring does not change the invoice's own open amount
    expect(after.openAmount).toBe(10_000);
    const v = (await vouchers(t, client.id)).find((x) => x.voucherNo === after.reminders[0].voucherNo);
    expect(v).toMatchObject({ type: 'OutgoingPaymentReminder', date: '2026-01-19' });
    expect(v.lines).toEqual([
      expect.objectContaining({ account: 1500, amount: 81.03, invoiceId: inv.id, customerId: customer.id }),
      expect.objectContaining({ account: 3900, amount: -35 }),
      expect.objectContaining({ account: 8050, amount: -46.03 }),
    ]);

    // explain: the next rule is the draft, the day after the purring's own due date
    e = await explain(t, client.id, inv.id);
    expect(e.next).toMatchObject({ rule: 'draft', action: 'become a collection draft', on: '2026-02-03', at: '2026-02-03T00:00:00+01:00' });
    expect(e.next.reason).toContain('purring due 2026-02-02');
    expect(e.summary).toContain('purring due 2026-02-02');
    expect(e.history.map((h: any) => h.type)).toEqual(['invoice.posted', 'reminder.sent']);

    await advance(t, client.id, { to: '2026-02-02' });
    expect(await status(t, client.id, inv.id)).toBe('None');
    await advance(t, client.id, { to: '2026-02-03' });
    expect(await status(t, client.id, inv.id)).toBe('Draft');

    // what the agency sees about the last reminder
    await approveIds(t, client.id, [inv.id]);
    const a = await agency(t, client.integration);
    const av = await a.get('/DebtCollection/Invoices/AvailableInvoices');
    expect(av.body.data[0]).toMatchObject({
      id: inv.id,
      remainingAmount: 10_000,
      lastReminderSentDate: '2026-01-19T00:00:00',
      lastReminderDueDate: '2026-02-02T00:00:00',
      lastReminderVoucherType: 71, // OutgoingPaymentReminder
    });
  });

  it('rounds interest to øre: 1 234.56 NOK for 14 days at 12 % is 5.68 NOK', async () => {
    const { client, customer } = await world(t);
    await putSettings(t, client.id, PURRING);
    const inv = await dueToday(client.id, customer.id, 1234.56);
    await advance(t, client.id, { days: 14 });
    // 123 456 øre x 0.12 x 14 / 365 = 568.23 øre -> 5.68 NOK
    expect((await invoice(t, client.id, inv.id)).reminders[0]).toMatchObject({ fee: 35, interest: 5.68 });
  });

  it('charges interest on the open amount after a part payment, and no interest when chargeInterest is off', async () => {
    const { client, customer } = await world(t);
    await putSettings(t, client.id, PURRING);
    const inv = await dueToday(client.id, customer.id, 10_000);
    await ok(ctl(t, client.id).post('/payments', { invoiceId: inv.id, amount: 4000 }), 201);
    await advance(t, client.id, { to: '2026-01-19' });
    // 6 000.00 x 0.12 x 14 / 365 = 27.616... -> 27.62
    expect((await invoice(t, client.id, inv.id)).reminders[0]).toMatchObject({ fee: 35, interest: 27.62 });

    const other = await world(t);
    await putSettings(t, other.client.id, { reminderSteps: { paymentReminder: { enabled: true, chargeInterest: false } } });
    const inv2 = await dueToday(other.client.id, other.customer.id, 10_000);
    await advance(t, other.client.id, { to: '2026-01-19' });
    const r = (await invoice(t, other.client.id, inv2.id)).reminders[0];
    expect(r).toMatchObject({ fee: 35, interest: 0 });
    const v = (await vouchers(t, other.client.id)).find((x) => x.voucherNo === r.voucherNo);
    expect(v.lines.map((l: any) => l.account)).toEqual([1500, 3900]);
  });
});

describe('purring + inkassovarsel: draft the day after the inkassovarsel falls due', () => {
  it('sends the inkassovarsel the day after the purring falls due, then drafts the day after its own due date', async () => {
    const { client, customer } = await world(t);
    await putSettings(t, client.id, BOTH);
    const inv = await dueToday(client.id, customer.id, 10_000);

    await advance(t, client.id, { to: '2026-01-19' });
    expect((await invoice(t, client.id, inv.id)).reminders.map((r: any) => r.step)).toEqual(['paymentReminder']);
    const e = await explain(t, client.id, inv.id);
    expect(e.next).toMatchObject({ rule: 'reminderStep', action: 'send inkassovarsel', on: '2026-02-03' });
    expect(e.next.reason).toMatch(/the day after the purring fell due \(2026-02-02\)/);
    expect(await reminderEntry(t, client.id, inv.id)).toMatchObject({ nextAction: 'Inkassovarsel', nextActionDate: '2026-02-03' });

    await advance(t, client.id, { to: '2026-02-02' });
    expect((await invoice(t, client.id, inv.id)).reminders).toHaveLength(1);
    await advance(t, client.id, { to: '2026-02-03' });
    const after = await invoice(t, client.id, inv.id);
    // Interest continues from the purring's sent date: 20.01-03.02 = 15 days; 10 000 x 0.12 x 15 / 365 = 49.315 -> 49.32
    expect(interestByHand(10_000, 12, 15)).toBe(49.32);
    expect(after.reminders[1]).toEqual({ step: 'collectionNotice', sentDate: '2026-02-03', dueDate: '2026-02-17', fee: 35, interest: 49.32, voucherNo: expect.any(Number), reversed: false });
    const v = (await vouchers(t, client.id)).find((x) => x.voucherNo === after.reminders[1].voucherNo);
    expect(v).toMatchObject({ type: 'OutgoingNoticeOfDebtCollection', date: '2026-02-03' });
    expect(after.status).toBe('None');

    const e2 = await explain(t, client.id, inv.id);
    expect(e2.next).toMatchObject({ rule: 'draft', on: '2026-02-18' });
    expect(e2.next.reason).toContain('inkassovarsel due 2026-02-17');

    await advance(t, client.id, { to: '2026-02-17' });
    expect(await status(t, client.id, inv.id)).toBe('None');
    await advance(t, client.id, { days: 1 });
    expect(await status(t, client.id, inv.id)).toBe('Draft');

    await approveIds(t, client.id, [inv.id]);
    const a = await agency(t, client.integration);
    const av = await a.get('/DebtCollection/Invoices/AvailableInvoices');
    expect(av.body.data[0]).toMatchObject({
      lastReminderSentDate: '2026-02-03T00:00:00',
      lastReminderDueDate: '2026-02-17T00:00:00',
      lastReminderVoucherType: 72, // OutgoingNoticeOfDebtCollection
    });
  });
});

describe('inkassovarsel only', () => {
  it('sends the inkassovarsel on due+14 and drafts the day after its due date', async () => {
    const { client, customer } = await world(t);
    await putSettings(t, client.id, INKASSOVARSEL);
    const inv = await dueToday(client.id, customer.id, 10_000);
    await advance(t, client.id, { days: 13 });
    expect((await invoice(t, client.id, inv.id)).reminders).toEqual([]);
    await advance(t, client.id, { days: 1 });
    expect((await invoice(t, client.id, inv.id)).reminders).toEqual([
      { step: 'collectionNotice', sentDate: '2026-01-19', dueDate: '2026-02-02', fee: 35, interest: 46.03, voucherNo: expect.any(Number), reversed: false },
    ]);
    const e = await explain(t, client.id, inv.id);
    expect(e.next).toMatchObject({ rule: 'draft', on: '2026-02-03' });
    expect(e.next.reason).toContain('inkassovarsel due 2026-02-02');
    await advance(t, client.id, { to: '2026-02-02' });
    expect(await status(t, client.id, inv.id)).toBe('None');
    await advance(t, client.id, { to: '2026-02-03' });
    expect(await status(t, client.id, inv.id)).toBe('Draft');
  });
});

describe('a reminder fee needs at least 14 days since the due date', () => {
  it.each([
    [7, '2026-01-12', 0, 7],
    [13, '2026-01-18', 0, 13],
    [14, '2026-01-19', 35, 14],
  ])('purring daysAfterDue %i: sent %s, fee %d, interest for %i days', async (daysAfterDue, sentDate, fee, interestDays) => {
    const { client, customer } = await world(t);
    await putSettings(t, client.id, { reminderSteps: { paymentReminder: { enabled: true, daysAfterDue } } });
    const inv = await dueToday(client.id, customer.id, 10_000);
    const dayBefore = new Date(Date.parse(`${sentDate}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    await advance(t, client.id, { to: dayBefore });
    expect((await invoice(t, client.id, inv.id)).reminders).toEqual([]);
    const res = await advance(t, client.id, { to: sentDate });
    const sent = res.events.find((e: any) => e.type === 'reminder.sent');
    expect(sent.data).toMatchObject({ step: 'paymentReminder', sentDate });
    if (fee === 0) expect(sent.cause).toMatch(new RegExp(`no fee, only ${daysAfterDue} days overdue`));
    const r = (await invoice(t, client.id, inv.id)).reminders[0];
    expect(r).toMatchObject({ sentDate, fee, interest: interestByHand(10_000, 12, interestDays) });
  });

  it('the 7-day purring with no fee still drafts the day after its own due date (sent+14)', async () => {
    const { client, customer } = await world(t);
    await putSettings(t, client.id, { reminderSteps: { paymentReminder: { enabled: true, daysAfterDue: 7 } } });
    const inv = await dueToday(client.id, customer.id);
    await advance(t, client.id, { to: '2026-01-26' });
    expect(await status(t, client.id, inv.id)).toBe('None');
    await advance(t, client.id, { to: '2026-01-27' });
    expect(await status(t, client.id, inv.id)).toBe('Draft');
  });
});

describe('event data in the control API', () => {
  it('reports money in NOK decimals, like every other control-API amount', async () => {
    // control.ts: "money in NOK decimals (øre inside)". The reminder.sent event's data carries fee and interest.
    const { client, customer } = await world(t);
    await putSettings(t, client.id, PURRING);
    await dueToday(client.id, customer.id, 10_000);
    const res = await advance(t, client.id, { to: '2026-01-19' });
    const sent = res.events.find((e: any) => e.type === 'reminder.sent');
    expect(sent.data).toMatchObject({ fee: 35, interest: 46.03 });
  });
});

describe('minimum amount and the manual override', () => {
  it('an invoice under the minimum gets no reminder and no draft; next action None with a reason', async () => {
    const { client, customer } = await world(t);
    await putSettings(t, client.id, { minimumAmount: 500, ...PURRING });
    const under = await dueToday(client.id, customer.id, 499.99);
    const at = await dueToday(client.id, customer.id, 500);

    await advance(t, client.id, { to: '2026-04-01' });
    const u = await invoice(t, client.id, under.id);
    expect(u).toMatchObject({ status: 'None', reminders: [], schedule: null, nextAction: 'None', nextActionDate: null });
    expect(u.nextActionReason).toMatch(/499\.99 NOK is under the client's minimum 500\.00 NOK/);
    const entry = await reminderEntry(t, client.id, under.id);
    expect(entry).toMatchObject({ nextAction: 'None', nextActionDate: null });
    expect(entry.reason).toMatch(/minimum/);
    const e = await explain(t, client.id, under.id);
    expect(e.next).toBeNull();
    expect(e.waiting).toMatch(/minimum/);

    // exactly at the threshold is not under it: purring and draft as usual
    const a = await invoice(t, client.id, at.id);
    expect(a.reminders).toHaveLength(1);
    expect(a.status).toBe('Draft');

    // the override makes the invoice under the minimum a draft now
    const res = await overrideToInkasso(t, client.id, [under.id]);
    expect(res.changed).toEqual([{ id: under.id, invoiceNo: under.invoiceNo, status: 'Draft' }]);
    expect(await status(t, client.id, under.id)).toBe('Draft');
  });

  it('a part payment that takes the open amount under the minimum stops the flow', async () => {
    const { client, customer } = await world(t);
    await putSettings(t, client.id, { minimumAmount: 500 });
    const inv = await dueToday(client.id, customer.id, 1000);
    await advance(t, client.id, { to: '2026-01-10' });
    await ok(ctl(t, client.id).post('/payments', { invoiceId: inv.id, amount: 600 }), 201);
    await advance(t, client.id, { to: '2026-03-01' });
    expect(await invoice(t, client.id, inv.id)).toMatchObject({ status: 'None', openAmount: 400, nextAction: 'None' });
  });

  it('the override drafts now even with reminder steps pending (and the steps are then not sent)', async () => {
    const { client, customer } = await world(t);
    await putSettings(t, client.id, BOTH);
    const inv = await dueToday(client.id, customer.id);
    await advance(t, client.id, { to: '2026-01-08' });
    expect(await reminderEntry(t, client.id, inv.id)).toMatchObject({ nextAction: 'Purring', nextActionDate: '2026-01-19' });
    const res = await ok(ctl(t, client.id).post('/collection/override', { invoiceIds: [inv.id] })); // nextAction defaults to Inkasso
    expect(res.changed[0]).toMatchObject({ id: inv.id, status: 'Draft' });
    const l = await lists(t, client.id);
    expect(l.draft.map((d: any) => d.invoice.id)).toEqual([inv.id]);
    expect(l.draft[0].draftedAt).toBe('2026-01-08T08:00:00+01:00');
    await advance(t, client.id, { to: '2026-03-01' });
    const after = await invoice(t, client.id, inv.id);
    expect(after).toMatchObject({ status: 'Draft', reminders: [] });
  });

  it('the override also works after a purring, before the draft day', async () => {
    const { client, customer } = await world(t);
    await putSettings(t, client.id, PURRING);
    const inv = await dueToday(client.id, customer.id);
    await advance(t, client.id, { to: '2026-01-20' });
    expect((await invoice(t, client.id, inv.id)).reminders).toHaveLength(1);
    await overrideToInkasso(t, client.id, [inv.id]);
    expect(await status(t, client.id, inv.id)).toBe('Draft');
  });
});

describe('excluded customer (transferToDebtCollectionAgency false)', () => {
  it('never becomes a draft, while the reminders are still sent', async () => {
    const { client, customer } = await world(t);
    await putSettings(t, client.id, BOTH);
    const patched = await ok(ctl(t, client.id).patch(`/customers/${customer.id}`, { transferToDebtCollectionAgency: false }));
    expect(patched.transferToDebtCollectionAgency).toBe(false);
    const inv = await dueToday(client.id, customer.id, 10_000);

    await advance(t, client.id, { to: '2026-06-30' });
    const after = await invoice(t, client.id, inv.id);
    expect(after.status).toBe('None');
    expect(after.reminders.map((r: any) => [r.step, r.sentDate])).toEqual([
      ['paymentReminder', '2026-01-19'],
      ['collectionNotice', '2026-02-03'],
    ]);
    expect(after.schedule).toBeNull();
    const entry = await reminderEntry(t, client.id, inv.id);
    expect(entry).toMatchObject({ nextAction: 'None', nextActionDate: null });
    expect(entry.reason).toMatch(/excluded from debt collection/);
    expect((await explain(t, client.id, inv.id)).waiting).toMatch(/excluded/);
  });

  it('excluding after the steps, and including again: the draft comes at once when its day is past', async () => {
    const { client, customer } = await world(t);
    const inv = await dueToday(client.id, customer.id);
    await ok(ctl(t, client.id).patch(`/customers/${customer.id}`, { transferToDebtCollectionAgency: false }));
    await advance(t, client.id, { to: '2026-02-01' });
    expect(await status(t, client.id, inv.id)).toBe('None');
    await ok(ctl(t, client.id).patch(`/customers/${customer.id}`, { transferToDebtCollectionAgency: true }));
    expect(await status(t, client.id, inv.id)).toBe('Draft');
  });
});

describe('auto-approve (per integration, from an invoice date, only vouchers posted after the change)', () => {
  it('new drafts go straight to Approved only when dated on/after the from-date and posted after the change', async () => {
    const { client, customer } = await world(t);
    const postedBefore = await newInvoice(t, client.id, { customerId: customer.id, invoiceDate: '2026-01-02', dueDate: '2026-01-05' });
    await advance(t, client.id, { minutes: 5 });
    const s = await putSettings(t, client.id, { autoApprove: { enabled: true, fromInvoiceDate: '2026-01-01' } });
    expect(s.caseCreatingIntegrationId).toBe(client.integration.id);
    const integ = (await ok(t.http.get(`/_sandbox/clients/${client.id}`))).integrations[0];
    expect(integ.autoApprove).toEqual({ enabled: true, fromInvoiceDate: '2026-01-01', changedAt: '2026-01-05T08:05:00+01:00' });

    await advance(t, client.id, { minutes: 5 });
    const dated = await newInvoice(t, client.id, { customerId: customer.id, invoiceDate: '2026-01-01', dueDate: '2026-01-05' });
    const tooOld = await newInvoice(t, client.id, { customerId: customer.id, invoiceDate: '2025-12-31', dueDate: '2026-01-05' });

    await advance(t, client.id, { to: '2026-01-18' });
    for (const i of [postedBefore, dated, tooOld]) expect(await status(t, client.id, i.id)).toBe('None');
    const day = await advance(t, client.id, { to: '2026-01-19' });
    expect(await status(t, client.id, postedBefore.id)).toBe('Draft');
    expect(await status(t, client.id, dated.id)).toBe('Approved');
    expect(await status(t, client.id, tooOld.id)).toBe('Draft');
    const auto = day.events.find((e: any) => e.type === 'invoice.approved');
    expect(auto).toMatchObject({ refs: { invoiceId: dated.id }, data: { automatic: true }, at: '2026-01-19T00:00:00+01:00' });

    const l = await lists(t, client.id);
    expect(l.approved.map((x: any) => x.invoice.id)).toEqual([dated.id]);
    expect(l.draft.map((x: any) => x.invoice.id)).toEqual([postedBefore.id, tooOld.id]);
  });

  it('an invoice posted after the change at the same clock instant counts as posted after it', async () => {
    // Reading: "posted AFTER the setting changed" is about the order of the two actions; with a frozen clock the
    // user turns auto-approve on and posts the next invoice without the clock moving in between.
    const { client, customer } = await world(t);
    const postedBefore = await newInvoice(t, client.id, { customerId: customer.id, invoiceDate: '2026-01-02', dueDate: '2026-01-05' });
    await putSettings(t, client.id, { autoApprove: { enabled: true } });
    const postedAfter = await newInvoice(t, client.id, { customerId: customer.id, invoiceDate: '2026-01-02', dueDate: '2026-01-05' });
    await advance(t, client.id, { to: '2026-01-19' });
    expect(await status(t, client.id, postedBefore.id)).toBe('Draft');
    expect(await status(t, client.id, postedAfter.id)).toBe('Approved');
  });

  it('auto-approve also applies to a manual override of an invoice posted after the change', async () => {
    const { client, customer } = await world(t);
    await putSettings(t, client.id, { autoApprove: { enabled: true } });
    await advance(t, client.id, { minutes: 1 });
    const inv = await newInvoice(t, client.id, { customerId: customer.id, invoiceDate: '2026-01-02', dueDate: '2026-01-05' });
    await advance(t, client.id, { to: '2026-01-08' });
    const res = await overrideToInkasso(t, client.id, [inv.id]);
    expect(res.changed[0].status).toBe('Approved');
  });
});

describe('approved for two hours: an obstacle', () => {
  it('flags the invoice at approval + 2 h, naming the missing address fields', async () => {
    const { client } = await world(t);
    const noAddress = await newCustomer(t, client.id, { name: 'Uten Adresse AS', mailAddress: { addressLine1: '', city: '' } });
    expect(noAddress.hasCompleteMailAddress).toBe(false);
    const inv = await newInvoice(t, client.id, { customerId: noAddress.id, invoiceDate: '2025-12-01', dueDate: '2025-12-15' });
    expect(inv.status).toBe('Draft');
    await approveIds(t, client.id, [inv.id]); // 2026-01-05 08:00

    const before = await advance(t, client.id, { hours: 1, minutes: 59 });
    expect(before.events.map((e: any) => e.type)).not.toContain('approval.obstacle');
    expect((await lists(t, client.id)).approved[0]).toMatchObject({ approvedAt: '2026-01-05T08:00:00+01:00', obstacle: null });

    const at = await advance(t, client.id, { minutes: 1 });
    const ev = at.events.find((e: any) => e.type === 'approval.obstacle');
    expect(ev.at).toBe('2026-01-05T10:00:00+01:00');
    const approved = (await lists(t, client.id)).approved[0];
    expect(approved.obstacle.at).toBe('2026-01-05T10:00:00+01:00');
    expect(approved.obstacle.reason).toMatch(/no complete postal address/);
    expect(approved.obstacle.reason).toMatch(/addressLine1/);
    expect(approved.obstacle.reason).toMatch(/zipCode/);
    expect(approved.obstacle.reason).toMatch(/city/);
    expect(approved.obstacle.reason).not.toMatch(/countryCode/);
    expect((await invoice(t, client.id, inv.id)).obstacle).toEqual(approved.obstacle);
  });

  it('with a complete address the obstacle says the agency has not picked it up; a case clears it', async () => {
    const { client, customer } = await world(t);
    const inv = await newInvoice(t, client.id, { customerId: customer.id, invoiceDate: '2025-12-01', dueDate: '2025-12-15' });
    await approveIds(t, client.id, [inv.id]);
    await advance(t, client.id, { hours: 3 });
    const approved = (await lists(t, client.id)).approved[0];
    expect(approved.obstacle.reason).toMatch(/has not picked it up/);
    const a = await agency(t, client.integration);
    const created = await a.post('/DebtCollection', { code: 'K-OBS', invoices: [inv.id] });
    expect(created.status).toBe(200);
    expect((await invoice(t, client.id, inv.id)).obstacle).toBeNull();
  });

  it('an auto-approved draft (00:00) is flagged at 02:00', async () => {
    const { client, customer } = await world(t);
    await putSettings(t, client.id, { autoApprove: { enabled: true } });
    await advance(t, client.id, { minutes: 1 });
    const inv = await dueToday(client.id, customer.id);
    const res = await advance(t, client.id, { to: '2026-01-19' });
    const ev = res.events.find((e: any) => e.type === 'approval.obstacle' && e.refs.invoiceId === inv.id);
    expect(ev.at).toBe('2026-01-19T02:00:00+01:00');
  });
});

describe('an invoice posted with its due date long past', () => {
  it('is a draft in the very response that posts it (nothing enabled)', async () => {
    const { client, customer } = await world(t);
    const inv = await newInvoice(t, client.id, { customerId: customer.id, invoiceDate: '2025-09-01', dueDate: '2025-09-15' });
    expect(inv.status).toBe('Draft');
    const l = await lists(t, client.id);
    expect(l.draft[0]).toMatchObject({ draftedAt: '2026-01-05T08:00:00+01:00' });
  });

  it('with purring enabled: the purring goes today, the draft the day after it falls due', async () => {
    const { client, customer } = await world(t);
    await putSettings(t, client.id, PURRING);
    const inv = await newInvoice(t, client.id, { customerId: customer.id, invoiceDate: '2025-11-01', dueDate: '2025-11-15', amount: 10_000 });
    expect(inv.status).toBe('None');
    expect(inv.reminders).toEqual([expect.objectContaining({ step: 'paymentReminder', sentDate: '2026-01-05', dueDate: '2026-01-19', fee: 35 })]);
    // interest 16.11.2025-05.01.2026: 46 days at 12.25 % (2025-H2) + 5 days at 12 % (2026)
    // 1 000 000 øre x (46 x 0.1225 + 5 x 0.12) / 365 = 1 000 000 x 6.235 / 365 = 17 082.19 øre -> 170.82 NOK
    expect(inv.reminders[0].interest).toBe(170.82);
    await advance(t, client.id, { to: '2026-01-19' });
    expect(await status(t, client.id, inv.id)).toBe('None');
    await advance(t, client.id, { to: '2026-01-20' });
    expect(await status(t, client.id, inv.id)).toBe('Draft');
  });
});

describe('daylight saving time (Europe/Oslo, last Sunday of March 2026 = 29 March)', () => {
  it('drafts on the right local day across the switch to summer time', async () => {
    const { client, customer } = await world(t, { startDate: '2026-03-27' });
    const cet = await dueToday(client.id, customer.id, 1000, { invoiceDate: '2026-03-01', dueDate: '2026-03-15' }); // draft 29.03 00:00 CET
    const cest = await dueToday(client.id, customer.id, 1000, { invoiceDate: '2026-03-02', dueDate: '2026-03-16' }); // draft 30.03 00:00 CEST
    expect(cest.schedule).toMatchObject({ on: '2026-03-30', at: '2026-03-30T00:00:00+02:00' });

    const sat = await advance(t, client.id, { to: '2026-03-28T23:59' });
    expect(sat.now).toBe('2026-03-28T23:59:00+01:00');
    expect(await status(t, client.id, cet.id)).toBe('None');
    await advance(t, client.id, { minutes: 1 });
    expect(await status(t, client.id, cet.id)).toBe('Draft');

    // {days: 1} from Sunday 00:00 CET is Monday 00:00 CEST: a 23-hour day
    await advance(t, client.id, { to: '2026-03-29T23:59' });
    expect(await status(t, client.id, cest.id)).toBe('None');
    const mon = await advance(t, client.id, { to: '2026-03-30T00:00' });
    expect(mon.now).toBe('2026-03-30T00:00:00+02:00');
    const ev = mon.events.find((e: any) => e.type === 'invoice.drafted');
    expect(ev).toMatchObject({ at: '2026-03-30T00:00:00+02:00', refs: { invoiceId: cest.id } });
    expect(await status(t, client.id, cest.id)).toBe('Draft');
  });

  it('{days: n} keeps the wall-clock time across the switch', async () => {
    const { client, customer } = await world(t, { startDate: '2026-03-27' });
    const inv = await dueToday(client.id, customer.id, 1000, { invoiceDate: '2026-03-02', dueDate: '2026-03-16' });
    const sun = await advance(t, client.id, { days: 2 });
    expect(sun.now).toBe('2026-03-29T08:00:00+02:00');
    expect(await status(t, client.id, inv.id)).toBe('None');
    const mon = await advance(t, client.id, { days: 1 });
    expect(mon.now).toBe('2026-03-30T08:00:00+02:00');
    expect(await status(t, client.id, inv.id)).toBe('Draft');
    // 24 hours after Sunday 00:00 CET is Monday 01:00 CEST
    const other = await world(t, { startDate: '2026-03-28T23:00' });
    const inv2 = await dueToday(other.client.id, other.customer.id, 1000, { invoiceDate: '2026-03-02', dueDate: '2026-03-16' });
    const h = await advance(t, other.client.id, { hours: 24 });
    expect(h.now).toBe('2026-03-30T00:00:00+02:00');
    expect(await status(t, other.client.id, inv2.id)).toBe('Draft');
  });

  it('{days: 1} late in the evening before the switch lands on the next local day, not the one after', async () => {
    // Saturday 23:30 CET + 1 calendar day = Sunday 23:30 CEST (a 23-hour day). The invoice drafts on Monday
    // 30 March, so it must still be None on Sunday evening.
    const { client, customer } = await world(t, { startDate: '2026-03-28T23:30' });
    const inv = await dueToday(client.id, customer.id, 1000, { invoiceDate: '2026-03-02', dueDate: '2026-03-16' });
    const sun = await advance(t, client.id, { days: 1 });
    expect(sun.today).toBe('2026-03-29');
    expect(sun.now).toBe('2026-03-29T23:30:00+02:00');
    expect(await status(t, client.id, inv.id)).toBe('None');
    const mon = await advance(t, client.id, { days: 1 });
    expect(mon.now).toBe('2026-03-30T23:30:00+02:00');
    expect(await status(t, client.id, inv.id)).toBe('Draft');
  });

  it('and across the switch back to winter time (last Sunday of October 2026 = 25 October)', async () => {
    const { client, customer } = await world(t, { startDate: '2026-10-23' });
    const inv = await dueToday(client.id, customer.id, 1000, { invoiceDate: '2026-10-01', dueDate: '2026-10-12' }); // draft 26.10 00:00 CET
    expect(inv.schedule).toMatchObject({ on: '2026-10-26', at: '2026-10-26T00:00:00+01:00' });
    const sun = await advance(t, client.id, { to: '2026-10-25T23:59' });
    expect(sun.now).toBe('2026-10-25T23:59:00+01:00');
    expect(await status(t, client.id, inv.id)).toBe('None');
    await advance(t, client.id, { minutes: 1 });
    expect(await status(t, client.id, inv.id)).toBe('Draft');
  });

  it('{days: 1} over the 25-hour Sunday in October keeps 08:00', async () => {
    const other = await world(t, { startDate: '2026-10-24' });
    const d = await advance(t, other.client.id, { days: 1 });
    expect(d.now).toBe('2026-10-25T08:00:00+01:00');
  });
});

describe('explain', () => {
  it('says where the invoice is and what happens next, and when', async () => {
    const { client, customer } = await world(t);
    const inv = await dueToday(client.id, customer.id);
    let e = await explain(t, client.id, inv.id);
    expect(e).toMatchObject({ invoiceId: inv.id, invoiceNo: inv.invoiceNo, status: 'None', openAmount: 1000, dueDate: '2026-01-05', today: '2026-01-05', waiting: null });
    expect(e.next).toMatchObject({ rule: 'draft', action: 'become a collection draft', on: '2026-01-19', at: '2026-01-19T00:00:00+01:00' });
    expect(e.next.reason).toMatch(/no reminder step enabled: 14 days after the due date 2026-01-05/);
    expect(e.summary).toMatch(/Next: becomes a draft on 2026-01-19/);

    await advance(t, client.id, { to: '2026-01-19' });
    e = await explain(t, client.id, inv.id);
    expect(e.status).toBe('Draft');
    expect(e.next).toBeNull();
    expect(e.waiting).toMatch(/Draft list/);
    expect(e.where).toMatch(/became a collection draft/);

    await approveIds(t, client.id, [inv.id]);
    e = await explain(t, client.id, inv.id);
    expect(e.next).toMatchObject({ rule: 'approvalObstacle', on: '2026-01-19', at: '2026-01-19T10:00:00+01:00' });
  });

  it('404 for an unknown invoice', async () => {
    const { client } = await world(t);
    const res = await ctl(t, client.id).get('/invoices/00000000-0000-4000-8000-000000000000/explain');
    expect(res.status).toBe(404);
  });
});
