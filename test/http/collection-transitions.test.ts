/**
 * Every transition of the Inkasso menu and of the agency's cases, through HTTP: approve (one, a selection, all),
 * hold/release, remove (from Draft and Approved, refused once in a case), cases via v1 (create, add, merge, status,
 * close, reject), reminder charges reversed when a case opens, credit notes, direct payments, write-offs and their
 * reversal, switching the case-creating agency, and the factoring exclusion.
 *
 * Clients start 2026-01-05 08:00; invoices due 2025-12-15 are drafts the moment they are posted (due + 14 is past).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advance, agency, invoice, newCustomer, newInvoice, testSandbox, type ClientFixture, type TestSandbox } from '../harness.js';
import {
  approveIds,
  approvedInvoice,
  ctl,
  expectConflict,
  expectV1Failure,
  ledgerOk,
  lists,
  ok,
  openCase,
  overrideToInkasso,
  putSettings,
  reminderEntry,
  status,
  unchanged,
  vouchers,
  world,
} from './helpers-rules.js';

let t: TestSandbox;
beforeAll(async () => {
  t = await testSandbox();
});
afterAll(() => t.close());

async function draft(client: ClientFixture, customerId: number, amount = 1000): Promise<any> {
  const inv = await newInvoice(t, client.id, { customerId, invoiceDate: '2025-12-01', dueDate: '2025-12-15', amount });
  expect(inv.status).toBe('Draft');
  return inv;
}

const ids = (xs: any[]) => xs.map((x) => x.invoice?.id ?? x.id);

describe('Utkast (Draft): approve one, a selection, all', () => {
  it('approves one', async () => {
    const { client, customer } = await world(t);
    const [a, b] = [await draft(client, customer.id), await draft(client, customer.id)];
    const res = await approveIds(t, client.id, [a.id]);
    expect(res).toEqual({ changed: [{ id: a.id, invoiceNo: a.invoiceNo, status: 'Approved' }], skipped: [] });
    const l = await lists(t, client.id);
    expect(ids(l.draft)).toEqual([b.id]);
    expect(l.approved).toEqual([expect.objectContaining({ approvedAt: '2026-01-05T08:00:00+01:00', obstacle: null, invoice: expect.objectContaining({ id: a.id, status: 'Approved' }) })]);
    const ev = (await ok(ctl(t, client.id).get(`/events?invoiceId=${a.id}&type=invoice.approved`))).events;
    expect(ev).toEqual([expect.objectContaining({ actor: { kind: 'erpUser' }, data: expect.objectContaining({ automatic: false }) })]);
  });

  it('approves a selection', async () => {
    const { client, customer } = await world(t);
    const [a, b, c] = [await draft(client, customer.id), await draft(client, customer.id), await draft(client, customer.id)];
    const res = await approveIds(t, client.id, [c.id, a.id]);
    expect(res.changed.map((x: any) => x.id)).toEqual([c.id, a.id]);
    expect(res.changed.every((x: any) => x.status === 'Approved')).toBe(true);
    const l = await lists(t, client.id);
    expect(ids(l.draft)).toEqual([b.id]);
    expect(ids(l.approved)).toEqual([a.id, c.id]);
  });

  it('approves all, skipping the held one and saying so', async () => {
    const { client, customer } = await world(t);
    const [a, b, c] = [await draft(client, customer.id), await draft(client, customer.id), await draft(client, customer.id)];
    await ok(ctl(t, client.id).post('/collection/hold', { invoiceIds: [b.id] }));
    const res = await ok(ctl(t, client.id).post('/collection/approve', { all: true }));
    expect(res.changed.map((x: any) => x.id)).toEqual([a.id, c.id]);
    expect(res.skipped).toEqual([{ id: b.id, invoiceNo: b.invoiceNo, reason: expect.stringMatching(/OnHold/) }]);
    const l = await lists(t, client.id);
    expect(l.draft).toEqual([expect.objectContaining({ onHold: true, invoice: expect.objectContaining({ id: b.id, status: 'OnHold' }) })]);
    expect(ids(l.approved)).toEqual([a.id, c.id]);
  });

  it('approve all on an empty list changes nothing', async () => {
    const { client } = await world(t);
    expect(await ok(ctl(t, client.id).post('/collection/approve', { all: true }))).toEqual({ changed: [], skipped: [] });
  });
});

describe('hold and release', () => {
  it('a held draft stays on the Draft list, cannot be approved, and can be approved once released', async () => {
    const { client, customer } = await world(t);
    const inv = await draft(client, customer.id);
    const held = await ok(ctl(t, client.id).post('/collection/hold', { invoiceIds: [inv.id] }));
    expect(held.changed).toEqual([{ id: inv.id, invoiceNo: inv.invoiceNo, status: 'OnHold' }]);
    expect((await lists(t, client.id)).draft[0]).toMatchObject({ onHold: true });
    // held drafts are not visible to the agency as available
    const a = await agency(t, client.integration);
    expect((await a.get('/DebtCollection/Invoices/AvailableInvoices')).body.count).toBe(0);

    const refused = await ctl(t, client.id).post('/collection/approve', { invoiceIds: [inv.id] });
    expectConflict(refused, 'OnHold', ['Draft'], 'invoiceIds[0]');
    expect(refused.body.detail).toMatch(/release the hold first/);

    // stays held over time
    await advance(t, client.id, { days: 30 });
    expect(await status(t, client.id, inv.id)).toBe('OnHold');

    const released = await ok(ctl(t, client.id).post('/collection/release', { invoiceIds: [inv.id] }));
    expect(released.changed[0].status).toBe('Draft');
    expect((await lists(t, client.id)).draft[0]).toMatchObject({ onHold: false });
    await approveIds(t, client.id, [inv.id]);
    expect(await status(t, client.id, inv.id)).toBe('Approved');
  });

  it('hold is only from Draft, release only from OnHold', async () => {
    const { client, customer } = await world(t);
    const inv = await draft(client, customer.id);
    expectConflict(await ctl(t, client.id).post('/collection/release', { invoiceIds: [inv.id] }), 'Draft', ['OnHold']);
    await approveIds(t, client.id, [inv.id]);
    expectConflict(await ctl(t, client.id).post('/collection/hold', { invoiceIds: [inv.id] }), 'Approved', ['Draft']);
  });
});

describe('remove: back to the reminder list with next action None, until overridden', () => {
  it('from Draft', async () => {
    const { client, customer } = await world(t);
    const inv = await draft(client, customer.id);
    const res = await ok(ctl(t, client.id).post('/collection/remove', { invoiceIds: [inv.id] }));
    expect(res.changed).toEqual([{ id: inv.id, invoiceNo: inv.invoiceNo, status: 'None' }]);
    let entry = await reminderEntry(t, client.id, inv.id);
    expect(entry).toMatchObject({ nextAction: 'None', nextActionDate: null });
    expect(entry.reason).toMatch(/set to None/);
    expect((await lists(t, client.id)).draft).toEqual([]);

    await advance(t, client.id, { days: 90 });
    expect(await status(t, client.id, inv.id)).toBe('None');
    entry = await reminderEntry(t, client.id, inv.id);
    expect(entry).toMatchObject({ nextAction: 'None' });
    expect((await invoice(t, client.id, inv.id)).schedule).toBeNull();

    await overrideToInkasso(t, client.id, [inv.id]);
    expect(await status(t, client.id, inv.id)).toBe('Draft');
  });

  it('from OnHold', async () => {
    const { client, customer } = await world(t);
    const inv = await draft(client, customer.id);
    await ok(ctl(t, client.id).post('/collection/hold', { invoiceIds: [inv.id] }));
    await ok(ctl(t, client.id).post('/collection/remove', { invoiceIds: [inv.id] }));
    expect(await reminderEntry(t, client.id, inv.id)).toMatchObject({ nextAction: 'None' });
  });

  it('from Approved, before a case: the agency no longer sees it; reminders are not resent afterwards', async () => {
    const { client, customer } = await world(t);
    await putSettings(t, client.id, { reminderSteps: { paymentReminder: { enabled: true } } });
    const inv = await newInvoice(t, client.id, { customerId: customer.id, invoiceDate: '2025-12-01', dueDate: '2026-01-05' });
    await advance(t, client.id, { to: '2026-02-03' });
    expect(await status(t, client.id, inv.id)).toBe('Draft');
    await approveIds(t, client.id, [inv.id]);
    const a = await agency(t, client.integration);
    expect((await a.get('/DebtCollection/Invoices/AvailableInvoices')).body.count).toBe(1);

    const res = await ok(ctl(t, client.id).post('/collection/remove', { invoiceIds: [inv.id] }));
    expect(res.changed[0].status).toBe('None');
    expect((await a.get('/DebtCollection/Invoices/AvailableInvoices')).body.count).toBe(0);
    expect((await lists(t, client.id)).approved).toEqual([]);
    expect(await reminderEntry(t, client.id, inv.id)).toMatchObject({ nextAction: 'None' });

    await advance(t, client.id, { to: '2026-06-01' });
    const after = await invoice(t, client.id, inv.id);
    expect(after).toMatchObject({ status: 'None', nextAction: 'None' });
    expect(after.reminders).toHaveLength(1);

    await overrideToInkasso(t, client.id, [inv.id]);
    expect(await status(t, client.id, inv.id)).toBe('Draft');
  });

  it('next action Auto hands a removed invoice back to the rules', async () => {
    const { client, customer } = await world(t);
    const inv = await draft(client, customer.id);
    await ok(ctl(t, client.id).post('/collection/remove', { invoiceIds: [inv.id] }));
    const res = await ok(ctl(t, client.id).post('/collection/override', { invoiceIds: [inv.id], nextAction: 'Auto' }));
    expect(res.changed[0].id).toBe(inv.id);
    // its draft day is long past, so the rules draft it at once
    expect(await status(t, client.id, inv.id)).toBe('Draft');
  });

  it('is refused once the agency has opened a case (409, currentState Exported)', async () => {
    const { client, customer } = await world(t);
    const inv = await approvedInvoice(t, client, { customerId: customer.id });
    const a = await agency(t, client.integration);
    await openCase(a, 'K-1', [inv.id]);
    const res = await unchanged(t, client.id, () => ctl(t, client.id).post('/collection/remove', { invoiceIds: [inv.id] }));
    expectConflict(res, 'Exported', ['Draft', 'OnHold', 'Approved'], 'invoiceIds[0]');
    expect(res.body.detail).toMatch(/can no longer be stopped from Go/);
    expect(res.body.detail).toMatch(/K-1/);
  });
});

describe('cases via the v1 API', () => {
  it('POST /DebtCollection with invoices opens a case; the invoice is Exported and no longer available', async () => {
    const { client, customer } = await world(t);
    const inv = await approvedInvoice(t, client, { customerId: customer.id, amount: 1250 });
    const a = await agency(t, client.integration);
    const kase = await openCase(a, 'K-100', [inv.id]);
    expect(kase).toMatchObject({ code: 'K-100', status: 0, balanceAgency: null, externalCaseUrl: null });
    expect(kase.invoices).toEqual([expect.objectContaining({ id: inv.id, remainingAmount: 1250, customerCode: customer.number })]);
    expect(await invoice(t, client.id, inv.id)).toMatchObject({ status: 'Exported', caseId: kase.id, caseCode: 'K-100' });
    expect((await a.get('/DebtCollection/Invoices/AvailableInvoices')).body.count).toBe(0);
    const got = await a.get(`/DebtCollection/${kase.id}`);
    expect(got.body).toMatchObject({ success: true, data: { id: kase.id, code: 'K-100' } });
    const listed = await a.get('/DebtCollection');
    expect(listed.body).toMatchObject({ success: true, count: 1 });
    const l = await lists(t, client.id);
    expect(l.open).toEqual([expect.objectContaining({ id: kase.id, code: 'K-100', status: 'Active', customerId: customer.id, integrationId: client.integration.id })]);
    expect(l.approved).toEqual([]);
  });

  it('accepts invoice objects ({id}) as well as ids, and an empty case filled by AddInvoicesToCase', async () => {
    const { client, customer } = await world(t);
    const [i1, i2, i3] = [
      await approvedInvoice(t, client, { customerId: customer.id }),
      await approvedInvoice(t, client, { customerId: customer.id }),
      await approvedInvoice(t, client, { customerId: customer.id }),
    ];
    const a = await agency(t, client.integration);
    const withObj = await a.post('/DebtCollection', { code: 'K-OBJ', invoices: [{ id: i1.id, invoiceNo: i1.invoiceNo }] });
    expect(withObj.status).toBe(200);
    expect(withObj.body.data.invoices.map((i: any) => i.id)).toEqual([i1.id]);

    const empty = await a.post('/DebtCollection', { code: 'K-EMPTY', externalCaseUrl: 'https://byraa.example/sak/2', balanceAgency: 0 });
    expect(empty.status).toBe(200);
    expect(empty.body.data).toMatchObject({ invoices: [], externalCaseUrl: 'https://byraa.example/sak/2', balanceAgency: 0 });
    const added = await a.post('/DebtCollection/AddInvoicesToCase', { caseId: empty.body.data.id, invoiceIds: [i2.id, i3.id] });
    expect(added.status).toBe(200);
    expect(added.body.data.invoices.map((i: any) => i.id)).toEqual([i2.id, i3.id]);
    for (const i of [i2, i3]) expect(await invoice(t, client.id, i.id)).toMatchObject({ status: 'Exported', caseCode: 'K-EMPTY' });
  });

  it('MergeCases: one case of one customer with every invoice and the new case number; the others are gone', async () => {
    const { client, customer } = await world(t);
    const [i1, i2] = [await approvedInvoice(t, client, { customerId: customer.id }), await approvedInvoice(t, client, { customerId: customer.id })];
    const a = await agency(t, client.integration);
    const c1 = await openCase(a, 'K-A', [i1.id]);
    const c2 = await openCase(a, 'K-B', [i2.id]);
    await a.post('/DebtCollection/UpdateStatus', { caseId: c2.id, statusText: 'debitor ringt' });
    const merged = await a.post('/DebtCollection/MergeCases', { caseNo: 'K-AB', caseIds: [c1.id, c2.id], externalCaseUrl: 'https://byraa.example/sak/AB' });
    expect(merged.status).toBe(200);
    expect(merged.body.data).toMatchObject({ id: c1.id, code: 'K-AB', externalCaseUrl: 'https://byraa.example/sak/AB', status: 0 });
    expect(merged.body.data.invoices.map((i: any) => i.id)).toEqual([i1.id, i2.id]);
    expectV1Failure(await a.get(`/DebtCollection/${c2.id}`), 404);
    expect(await invoice(t, client.id, i2.id)).toMatchObject({ caseId: c1.id, caseCode: 'K-AB', status: 'Exported' });
    const l = await lists(t, client.id);
    expect(l.open).toHaveLength(1);
    expect(l.open[0].history.map((h: any) => h.statusText)).toEqual(['debitor ringt']);
  });

  it('UpdateStatus keeps history; isCaseClosed archives, a later update without it makes the case Active again', async () => {
    const { client, customer } = await world(t);
    const inv = await approvedInvoice(t, client, { customerId: customer.id, amount: 2000 });
    let a = await agency(t, client.integration);
    const kase = await openCase(a, 'K-ST', [inv.id]);

    const s1 = await a.post('/DebtCollection/UpdateStatus', { caseId: kase.id, statusText: 'debitor ringt', updatedBalanceAgency: 500 });
    expect(s1.status).toBe(200);
    expect(s1.body.data).toMatchObject({ status: 0, balanceAgency: 500 });
    await advance(t, client.id, { days: 3 });
    a = await agency(t, client.integration); // tokens live 20 minutes on the client's clock
    const s2 = await a.post('/DebtCollection/UpdateStatus', { caseId: kase.id, statusText: 'innsigelse mottatt', isCaseClosed: false });
    expect(s2.body.data).toMatchObject({ status: 0, balanceAgency: 500 });
    await advance(t, client.id, { days: 3 });
    a = await agency(t, client.integration);
    const s3 = await a.post('/DebtCollection/UpdateStatus', { caseId: kase.id, statusText: 'Saken er avsluttet', isCaseClosed: true, updatedBalanceAgency: 0 });
    expect(s3.body.data).toMatchObject({ status: 10, balanceAgency: 0 });

    let l = await lists(t, client.id);
    expect(l.open).toEqual([]);
    expect(l.archived).toHaveLength(1);
    expect(l.archived[0]).toMatchObject({ code: 'K-ST', status: 'Closed', balanceAgency: 0, closedAt: '2026-01-11T08:00:00+01:00' });
    expect(l.archived[0].history).toEqual([
      { at: '2026-01-05T08:00:00+01:00', statusText: 'debitor ringt', isCaseClosed: false, balanceAgency: 500 },
      { at: '2026-01-08T08:00:00+01:00', statusText: 'innsigelse mottatt', isCaseClosed: false, balanceAgency: 500 },
      { at: '2026-01-11T08:00:00+01:00', statusText: 'Saken er avsluttet', isCaseClosed: true, balanceAgency: 0 },
    ]);
    // the invoice stays in its (archived) case
    expect(await invoice(t, client.id, inv.id)).toMatchObject({ status: 'Exported', caseId: kase.id });

    const reopened = await a.post('/DebtCollection/UpdateStatus', { caseId: kase.id, statusText: 'gjenåpnet' });
    expect(reopened.body.data.status).toBe(0);
    l = await lists(t, client.id);
    expect(l.archived).toEqual([]);
    expect(l.open[0]).toMatchObject({ closedAt: null });
    expect(l.open[0].history).toHaveLength(4);
    const types = (await ok(ctl(t, client.id).get(`/events?caseId=${kase.id}&type=case.`))).events.map((e: any) => e.type);
    expect(types).toEqual(['case.created', 'case.invoiceAdded', 'case.statusUpdated', 'case.statusUpdated', 'case.closed', 'case.reopened']);
  });

  it('DELETE /DebtCollection/{id}: the agency rejects the case, its invoices get Rejected', async () => {
    const { client, customer } = await world(t);
    const [i1, i2] = [await approvedInvoice(t, client, { customerId: customer.id }), await approvedInvoice(t, client, { customerId: customer.id })];
    const a = await agency(t, client.integration);
    const kase = await openCase(a, 'K-REJ', [i1.id, i2.id]);
    const del = await a.delete(`/DebtCollection/${kase.id}`);
    expect(del.status).toBe(200);
    // The vendor documents a Success object inside the envelope (route_delete_debtcollection__id__.md).
    expect(del.body).toEqual({ success: true, data: { success: true } });
    expectV1Failure(await a.get(`/DebtCollection/${kase.id}`), 404);
    for (const i of [i1, i2]) expect(await invoice(t, client.id, i.id)).toMatchObject({ status: 'Rejected', caseId: null, nextAction: 'None' });
    const l = await lists(t, client.id);
    expect(l.open).toEqual([]);
    expect(l.archived).toEqual([]);
    expect(l.reminderList.map((e: any) => [e.invoice.id, e.invoice.status, e.nextAction])).toEqual([
      [i1.id, 'Rejected', 'None'],
      [i2.id, 'Rejected', 'None'],
    ]);
    // a rejected invoice does not come back by itself, but the user can send it again
    await advance(t, client.id, { days: 60 });
    expect(await status(t, client.id, i1.id)).toBe('Rejected');
    await overrideToInkasso(t, client.id, [i1.id]);
    expect(await status(t, client.id, i1.id)).toBe('Draft');
  });
});

describe('reminder fees and interest are reversed when a case opens', () => {
  it('posts a ReversalVoucher per reminder voucher; the ledger still balances', async () => {
    const { client, customer } = await world(t);
    await putSettings(t, client.id, { reminderSteps: { paymentReminder: { enabled: true }, collectionNotice: { enabled: true } } });
    const inv = await newInvoice(t, client.id, { customerId: customer.id, invoiceDate: '2025-12-22', dueDate: '2026-01-05', amount: 10_000 });
    await advance(t, client.id, { to: '2026-02-18' });
    expect(await status(t, client.id, inv.id)).toBe('Draft');
    const before = await invoice(t, client.id, inv.id);
    expect(before.reminders.map((r: any) => [r.fee, r.interest, r.reversed])).toEqual([
      [35, 46.03, false],
      [35, 49.32, false],
    ]);
    await approveIds(t, client.id, [inv.id]);
    await advance(t, client.id, { days: 1 });
    const a = await agency(t, client.integration);
    await openCase(a, 'K-REV', [inv.id]);

    const after = await invoice(t, client.id, inv.id);
    expect(after.reminders.map((r: any) => r.reversed)).toEqual([true, true]);
    const vs = await vouchers(t, client.id);
    const reminderVouchers = vs.filter((v) => ['OutgoingPaymentReminder', 'OutgoingNoticeOfDebtCollection'].includes(v.type));
    const reversals = vs.filter((v) => v.type === 'ReversalVoucher');
    expect(reversals).toHaveLength(2);
    for (const rv of reminderVouchers) {
      const reversal = reversals.find((x) => x.reversesVoucherId === rv.id);
      expect(reversal, `reversal of ${rv.voucherNo}`).toBeDefined();
      expect(rv.reversedByVoucherId).toBe(reversal.id);
      expect(reversal.date).toBe('2026-02-19');
      expect(reversal.lines.map((l: any) => [l.account, l.amount])).toEqual(rv.lines.map((l: any) => [l.account, -l.amount]));
      expect(reversal.lines.reduce((s: number, l: any) => s + Math.round(l.amount * 100), 0)).toBe(0);
    }
    // fees (3900) and interest (8050) are back to zero
    const sum = (acct: number) => vs.flatMap((v) => v.lines).filter((l: any) => l.account === acct).reduce((s: number, l: any) => s + Math.round(l.amount * 100), 0);
    expect(sum(3900)).toBe(0);
    expect(sum(8050)).toBe(0);
    const rev = (await ok(ctl(t, client.id).get(`/events?invoiceId=${inv.id}&type=reminder.reversed`))).events;
    expect(rev).toHaveLength(2);
    await ledgerOk(t, client.id);
  });

  it('an invoice without reminder charges gets no reversal', async () => {
    const { client, customer } = await world(t);
    const inv = await approvedInvoice(t, client, { customerId: customer.id });
    const a = await agency(t, client.integration);
    await openCase(a, 'K-NOREV', [inv.id]);
    expect((await vouchers(t, client.id)).filter((v) => v.type === 'ReversalVoucher')).toEqual([]);
    await ledgerOk(t, client.id);
  });
});

describe('credit notes', () => {
  it('partial: lowers the open amount, the invoice stays where it is', async () => {
    const { client, customer } = await world(t);
    const inv = await draft(client, customer.id, 1000);
    const note = await ok(ctl(t, client.id).post('/credit-notes', { invoiceId: inv.id, amount: 250 }), 201);
    expect(note).toMatchObject({ kind: 'creditNote', creditedInvoiceId: inv.id, amount: 250, openAmount: 0, status: 'None', nextAction: null });
    expect(await invoice(t, client.id, inv.id)).toMatchObject({ status: 'Draft', openAmount: 750 });
    // a credit note never becomes a draft, however long we wait
    await advance(t, client.id, { days: 60 });
    expect(await status(t, client.id, note.id)).toBe('None');
    expect((await lists(t, client.id)).draft.map((d: any) => d.invoice.id)).toEqual([inv.id]);
    await ledgerOk(t, client.id);
  });

  it('full: leaves the Draft list and the Approved list', async () => {
    const { client, customer } = await world(t);
    const d = await draft(client, customer.id, 1000);
    const ap = await approvedInvoice(t, client, { customerId: customer.id, amount: 800 });
    await ok(ctl(t, client.id).post('/credit-notes', { invoiceId: d.id, amount: 1000 }), 201);
    await ok(ctl(t, client.id).post('/credit-notes', { invoiceId: ap.id, amount: 800 }), 201);
    const l = await lists(t, client.id);
    expect(l.draft).toEqual([]);
    expect(l.approved).toEqual([]);
    expect(l.reminderList).toEqual([]);
    expect(await invoice(t, client.id, d.id)).toMatchObject({ status: 'None', openAmount: 0, schedule: null });
    const left = (await ok(ctl(t, client.id).get(`/events?invoiceId=${ap.id}&type=invoice.leftFlow`))).events;
    expect(left[0].data).toMatchObject({ from: 'Approved', reason: 'credited' });
    const a = await agency(t, client.integration);
    expect((await a.get('/DebtCollection/Invoices/AvailableInvoices')).body.count).toBe(0);
    await advance(t, client.id, { days: 30 });
    expect(await status(t, client.id, d.id)).toBe('None');
    await ledgerOk(t, client.id);
  });

  it('full, in a case: the invoice stays in the case, the agency sees the credit note', async () => {
    const { client, customer } = await world(t);
    const inv = await approvedInvoice(t, client, { customerId: customer.id, amount: 1000 });
    const a = await agency(t, client.integration);
    const kase = await openCase(a, 'K-CN', [inv.id]);
    await ok(ctl(t, client.id).post('/credit-notes', { invoiceId: inv.id, amount: 1000 }), 201);
    expect(await invoice(t, client.id, inv.id)).toMatchObject({ status: 'Exported', caseId: kase.id, openAmount: 0 });
    const m = await a.get(`/DebtCollection/MatchedItems/${inv.id}`);
    expect(m.body.data).toEqual([expect.objectContaining({ amount: -1000, voucherType: 5, isWriteOff: false })]);
    expect((await a.get(`/DebtCollection/${kase.id}`)).body.data.invoices[0]).toMatchObject({ remainingAmount: 0, originalAmount: 1000 });
    await ledgerOk(t, client.id);
  });
});

describe('direct payments', () => {
  it('one bank voucher, one line per invoice, each matched to its own invoice', async () => {
    const { client, customer } = await world(t);
    const other = await newCustomer(t, client.id, { name: 'Kari Nordmann AS' });
    const i1 = await draft(client, customer.id, 1000);
    const i2 = await approvedInvoice(t, client, { customerId: other.id, amount: 500 });
    const a = await agency(t, client.integration);
    const i3 = await approvedInvoice(t, client, { customerId: customer.id, amount: 700 });
    await openCase(a, 'K-PAY', [i3.id]);

    const v = await ok(ctl(t, client.id).post('/payments', { lines: [{ invoiceId: i1.id, amount: 400 }, { invoiceId: i2.id, amount: 500 }, { invoiceId: i3.id, amount: 100 }] }), 201);
    expect(v).toMatchObject({ type: 'BankJournal', date: '2026-01-05' });
    expect(v.lines).toEqual([
      expect.objectContaining({ account: 1920, amount: 1000 }),
      expect.objectContaining({ account: 1500, amount: -400, invoiceId: i1.id, customerId: customer.id }),
      expect.objectContaining({ account: 1500, amount: -500, invoiceId: i2.id, customerId: other.id }),
      expect.objectContaining({ account: 1500, amount: -100, invoiceId: i3.id, customerId: customer.id }),
    ]);
    const [a1, a2, a3] = [await invoice(t, client.id, i1.id), await invoice(t, client.id, i2.id), await invoice(t, client.id, i3.id)];
    expect(a1).toMatchObject({ openAmount: 600, status: 'Draft' });
    expect(a2).toMatchObject({ openAmount: 0, status: 'None' }); // fully paid: left the Approved list
    expect(a3).toMatchObject({ openAmount: 600, status: 'Exported' });
    for (const x of [a1, a2, a3]) expect(x.matches).toEqual([expect.objectContaining({ kind: 'payment', voucherId: v.id })]);
    // each invoice in its own ledger match
    expect(new Set([a1, a2, a3].map((x) => x.matches[0].matchId)).size).toBe(3);
    const m = await a.get(`/DebtCollection/MatchedItems/${i3.id}`);
    expect(m.body.data).toEqual([expect.objectContaining({ amount: -100, voucherType: 19, voucherId: v.id, isWriteOff: false })]);
    await ledgerOk(t, client.id);
  });

  it('a line shared by several invoices (one ledger match) is fine outside a case', async () => {
    const { client, customer } = await world(t);
    const [i1, i2] = [await draft(client, customer.id, 300), await draft(client, customer.id, 300)];
    await ok(ctl(t, client.id).post('/payments', { lines: [{ invoiceIds: [i1.id, i2.id], amount: 450 }] }), 201);
    const [a1, a2] = [await invoice(t, client.id, i1.id), await invoice(t, client.id, i2.id)];
    expect([a1.openAmount, a2.openAmount]).toEqual([0, 150]);
    expect(a1.matches[0].matchId).toBe(a2.matches[0].matchId);
  });

  it('a line shared with an invoice in an open case is refused (409) and nothing is posted', async () => {
    const { client, customer } = await world(t);
    const inCase = await approvedInvoice(t, client, { customerId: customer.id, amount: 500 });
    const free = await draft(client, customer.id, 500);
    const a = await agency(t, client.integration);
    await openCase(a, 'K-SHARE', [inCase.id]);
    const res = await unchanged(t, client.id, () => ctl(t, client.id).post('/payments', { lines: [{ invoiceId: free.id, amount: 100 }, { invoiceIds: [free.id, inCase.id], amount: 600 }] }));
    expectConflict(res, 'in open case', ['one invoice per line'], 'lines[1].invoiceIds');
    expect(res.body.detail).toMatch(/K-SHARE/);
  });
});

describe('write-offs', () => {
  it('posts a loss voucher, isWriteOff in v1 MatchedItems; the invoice stays in its case; reversal opens it again', async () => {
    const { client, customer } = await world(t);
    const inv = await approvedInvoice(t, client, { customerId: customer.id, amount: 1250 });
    let a = await agency(t, client.integration);
    await openCase(a, 'K-WO', [inv.id]);
    await ok(ctl(t, client.id).post('/payments', { invoiceId: inv.id, amount: 250 }), 201);

    const wo = await ok(ctl(t, client.id).post('/write-offs', { invoiceIds: [inv.id], description: 'Konkurs' }), 201);
    expect(wo).toMatchObject({ type: 'ManualJournal', date: '2026-01-05' });
    expect(wo.lines).toEqual([
      expect.objectContaining({ account: 7830, amount: 1000 }),
      expect.objectContaining({ account: 1500, amount: -1000, invoiceId: inv.id }),
    ]);
    expect(await invoice(t, client.id, inv.id)).toMatchObject({ openAmount: 0, status: 'Exported' });
    const m = await a.get(`/DebtCollection/MatchedItems/${inv.id}`);
    expect(m.body.data).toEqual([
      expect.objectContaining({ amount: -250, isWriteOff: false, voucherType: 19 }),
      expect.objectContaining({ amount: -1000, isWriteOff: true, voucherType: 11, voucherId: wo.id }),
    ]);
    await ledgerOk(t, client.id);

    await advance(t, client.id, { days: 2 });
    const rev = await ok(ctl(t, client.id).post(`/write-offs/${wo.id}/reverse`, {}), 201);
    expect(rev).toMatchObject({ type: 'ReversalVoucher', reversesVoucherId: wo.id, date: '2026-01-07' });
    const after = await invoice(t, client.id, inv.id);
    expect(after).toMatchObject({ openAmount: 1000, status: 'Exported' });
    expect(after.matches.map((x: any) => [x.kind, x.amount, x.reversed])).toEqual([
      ['payment', 250, false],
      ['writeOff', 1000, true],
      ['writeOffReversal', -1000, false],
    ]);
    a = await agency(t, client.integration);
    const m2 = await a.get(`/DebtCollection/MatchedItems/${inv.id}`);
    expect(m2.body.data.at(-1)).toMatchObject({ amount: 1000, isWriteOff: true });
    // money can come in again now
    await ok(ctl(t, client.id).post('/payments', { invoiceId: inv.id, amount: 1000 }), 201);
    await ledgerOk(t, client.id);
  });

  it('with VAT code: a VAT correction line on 2700; the write-off takes a Draft off its list, the reversal brings it back to the rules', async () => {
    const { client, customer } = await world(t);
    const inv = await draft(client, customer.id, 1250);
    const wo = await ok(ctl(t, client.id).post('/write-offs', { invoiceIds: [inv.id], vatCode: '3', date: '2026-01-06' }), 201);
    expect(wo.date).toBe('2026-01-06');
    expect(wo.lines).toEqual([
      expect.objectContaining({ account: 7830, amount: 1000, vatCode: '3' }),
      expect.objectContaining({ account: 2700, amount: 250 }),
      expect.objectContaining({ account: 1500, amount: -1250 }),
    ]);
    expect(await invoice(t, client.id, inv.id)).toMatchObject({ status: 'None', openAmount: 0 });
    expect((await lists(t, client.id)).draft).toEqual([]);
    // under paymentMatching.overpayment 'refuse', a payment now is refused with a hint to reverse first (by default
    // it would stay a credit on the customer's ledger, as a bank journal's does)
    await putSettings(t, client.id, { paymentMatching: { overpayment: 'refuse' } });
    const pay = await ctl(t, client.id).post('/payments', { invoiceId: inv.id, amount: 10 });
    expectConflict(pay, '0.00 NOK', undefined, 'lines[0].amount');
    expect(pay.body.detail).toMatch(/reverse the write-off first/);

    await advance(t, client.id, { days: 1 });
    await ok(ctl(t, client.id).post(`/write-offs/${wo.id}/reverse`, {}), 201);
    const after = await invoice(t, client.id, inv.id);
    expect(after.openAmount).toBe(1250);
    // owed again, overdue long past its draft day: the rules take it up again
    expect(after.status).toBe('Draft');
    await ledgerOk(t, client.id);
  });

  it('a write-off dated before today is refused (409) and nothing is posted', async () => {
    const { client, customer } = await world(t);
    const inv = await draft(client, customer.id);
    const res = await unchanged(t, client.id, () => ctl(t, client.id).post('/write-offs', { invoiceIds: [inv.id], date: '2026-01-04' }));
    expectConflict(res, '2026-01-05', ['2026-01-05 or later'], 'date');
  });
});

describe('switching the case-creating agency', () => {
  it('the new integration gets AvailableInvoices, the old one is refused (Security, HTTP 200; 403 under http) but still updates its existing case', async () => {
    const { client, customer } = await world(t);
    const old = await agency(t, client.integration);
    const first = await approvedInvoice(t, client, { customerId: customer.id });
    const oldCase = await openCase(old, 'OLD-1', [first.id]);

    const added = await ok(ctl(t, client.id).post('/integrations', { name: 'Ny byrå AS' }), 201);
    expect(added).toMatchObject({ kind: 'debtCollection', canCreateNewCases: false });
    const fresh = await agency(t, added);
    expect((await fresh.get('/DebtCollection/IsActiveDebtCollection')).body).toMatchObject({ success: true, data: false });
    // The vendor documents a SecurityException here; it answers exceptions HTTP 200 with success false.
    expectV1Failure(await fresh.get('/DebtCollection/Invoices/AvailableInvoices'), 403, undefined, 'Security');

    const s = await putSettings(t, client.id, { caseCreatingIntegrationId: added.id });
    expect(s.caseCreatingIntegrationId).toBe(added.id);
    const c = (await ok(t.http.get(`/_sandbox/clients/${client.id}`))).integrations;
    expect(c.map((i: any) => [i.id, i.canCreateNewCases])).toEqual([
      [client.integration.id, false],
      [added.id, true],
    ]);

    expect((await old.get('/DebtCollection/IsActiveDebtCollection')).body.data).toBe(false);
    expect((await fresh.get('/DebtCollection/IsActiveDebtCollection')).body.data).toBe(true);

    const second = await approvedInvoice(t, client, { customerId: customer.id });
    const av = await fresh.get('/DebtCollection/Invoices/AvailableInvoices');
    expect(av.status).toBe(200);
    expect(av.body.data.map((i: any) => i.id)).toEqual([second.id]);
    const refused = await old.get('/DebtCollection/Invoices/AvailableInvoices');
    expectV1Failure(refused, 403, undefined, 'Security');
    expect(refused.body.validation.summary).toMatch(/may not create new cases/);
    expectV1Failure(await unchanged(t, client.id, () => old.post('/DebtCollection', { code: 'OLD-2', invoices: [second.id] })), 403, undefined, 'Security');
    expectV1Failure(await unchanged(t, client.id, () => old.post('/DebtCollection/AddInvoicesToCase', { caseId: oldCase.id, invoiceIds: [second.id] })), 403, undefined, 'Security');

    // the old one keeps its case: reads it, updates and closes it
    expect((await old.get(`/DebtCollection/${oldCase.id}`)).status).toBe(200);
    const upd = await old.post('/DebtCollection/UpdateStatus', { caseId: oldCase.id, statusText: 'betalt', isCaseClosed: true, updatedBalanceAgency: 0 });
    expect(upd.status).toBe(200);
    expect(upd.body.data.status).toBe(10);
    // the new one cannot see the old one's case
    expectV1Failure(await fresh.get(`/DebtCollection/${oldCase.id}`), 404);
    expect((await fresh.get('/DebtCollection')).body.count).toBe(0);

    const newCase = await openCase(fresh, 'NEW-1', [second.id]);
    const l = await lists(t, client.id);
    expect(l.open.map((k: any) => [k.code, k.integrationId])).toEqual([['NEW-1', added.id]]);
    expect(l.archived.map((k: any) => [k.code, k.integrationId])).toEqual([['OLD-1', client.integration.id]]);
    expect(newCase.code).toBe('NEW-1');
  });

  it('PATCH integrations {canCreateNewCases: true} also switches, taking it from the other', async () => {
    const { client } = await world(t);
    const added = await ok(ctl(t, client.id).post('/integrations', { name: 'Ny byrå AS' }), 201);
    const patched = await ok(ctl(t, client.id).patch(`/integrations/${added.id}`, { canCreateNewCases: true }));
    expect(patched.canCreateNewCases).toBe(true);
    expect((await ok(ctl(t, client.id).get('/settings'))).caseCreatingIntegrationId).toBe(added.id);
    const old = await agency(t, client.integration);
    expect((await old.get('/DebtCollection/IsActiveDebtCollection')).body.data).toBe(false);
  });
});

describe('activation and the reminder-list next actions', () => {
  it('without a debt-collection integration nothing becomes a draft; activating ticks every customer and drafts', async () => {
    const res = await t.http.post('/_sandbox/clients').send({ name: 'Uten byrå AS', startDate: '2026-01-05', integrations: [] });
    expect(res.status).toBe(201);
    const clientId = res.body.id;
    const c = ctl(t, clientId);
    const customer = await newCustomer(t, clientId, { transferToDebtCollectionAgency: false });
    const inv = await newInvoice(t, clientId, { customerId: customer.id, invoiceDate: '2025-12-01', dueDate: '2025-12-15' });
    expect(inv.status).toBe('None');
    const entry = await reminderEntry(t, clientId, inv.id);
    expect(entry).toMatchObject({ nextAction: 'None' });
    expect(entry.reason).toMatch(/no debt-collection integration/);

    await ok(c.post('/integrations', { name: 'Byrå AS' }), 201);
    expect((await ok(c.get(`/customers/${customer.id}`))).transferToDebtCollectionAgency).toBe(true);
    expect(await status(t, clientId, inv.id)).toBe('Draft');
    const later = await newCustomer(t, clientId, { name: 'Ny kunde AS' });
    expect(later.transferToDebtCollectionAgency).toBe(true);
  });

  it('next action Wait stops the flow; the Inkasso override works from Wait too (Kravia)', async () => {
    const { client, customer } = await world(t);
    const inv = await newInvoice(t, client.id, { customerId: customer.id, invoiceDate: '2025-12-22', dueDate: '2026-01-05' });
    await advance(t, client.id, { days: 2 });
    await ok(ctl(t, client.id).post('/collection/override', { invoiceIds: [inv.id], nextAction: 'Wait' }));
    expect(await reminderEntry(t, client.id, inv.id)).toMatchObject({ nextAction: 'Wait', nextActionDate: null });
    await advance(t, client.id, { days: 60 });
    expect(await status(t, client.id, inv.id)).toBe('None');
    expect(await reminderEntry(t, client.id, inv.id)).toMatchObject({ nextAction: 'Wait' });
    await overrideToInkasso(t, client.id, [inv.id]);
    expect(await status(t, client.id, inv.id)).toBe('Draft');
  });
});

describe('factoring and debt collection exclude each other', () => {
  it('adding a factoring integration next to a debt-collection one is refused (409)', async () => {
    const { client } = await world(t);
    const res = await unchanged(t, client.id, () => ctl(t, client.id).post('/integrations', { name: 'Factoring AS', kind: 'factoring' }));
    expectConflict(res, 'debtCollection', ['debtCollection'], 'kind');
    expect(res.body.detail).toMatch(/cannot be combined/);
  });

  it('and the other way round: a client created with a factoring integration refuses a debt-collection one', async () => {
    const res = await t.http.post('/_sandbox/clients').send({ name: 'Factoring-kunde AS', startDate: '2026-01-05', integrations: [{ name: 'Factoring AS', kind: 'factoring' }] });
    expect(res.status).toBe(201);
    const clientId = res.body.id;
    const refused = await unchanged(t, clientId, () => ctl(t, clientId).post('/integrations', { name: 'Inkasso AS', kind: 'debtCollection' }));
    expectConflict(refused, 'factoring', ['factoring'], 'kind');
  });
});
