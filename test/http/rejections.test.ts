/**
 * Refused requests: each one answers with its face's error format (control API: ProblemDetails with `errors`
 * naming the field, `currentState`/`allowed` on 409; v1: HTTP 200 {success:false, validation:{errorLogReference, summary,
 * exception}} with the field and states in X-Sandbox-Detail, as the vendor answers; 401 in
 * the ASP.NET body) AND leaves the client's world byte-for-byte unchanged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advance, agency, newClient, newCustomer, newInvoice, testSandbox, worldText, type ClientFixture, type TestSandbox } from '../harness.js';
import { approvedInvoice, ctl, expectConflict, expectProblem, expectV1Failure, expectV1Refusal, ok, openCase, putSettings, unchanged, type Res } from './helpers-rules.js';

const NO_SUCH = '00000000-0000-4000-8000-000000000000';

let t: TestSandbox;
beforeAll(async () => {
  t = await testSandbox();
});
afterAll(() => t.close());

/** A client with two customers, a draft, an approved invoice, a held draft and an approved invoice in a case. */
async function fixture() {
  const client = await newClient(t);
  const customer = await newCustomer(t, client.id);
  const other = await newCustomer(t, client.id, { name: 'Kari Nordmann AS' });
  const c = ctl(t, client.id);
  const draft = await newInvoice(t, client.id, { customerId: customer.id, invoiceDate: '2025-12-01', dueDate: '2025-12-15' });
  const held = await newInvoice(t, client.id, { customerId: customer.id, invoiceDate: '2025-12-01', dueDate: '2025-12-15' });
  await ok(c.post('/collection/hold', { invoiceIds: [held.id] }));
  const approved = await approvedInvoice(t, client, { customerId: customer.id });
  const otherApproved = await approvedInvoice(t, client, { customerId: other.id });
  const inCase = await approvedInvoice(t, client, { customerId: customer.id });
  const notDue = await newInvoice(t, client.id, { customerId: customer.id, invoiceDate: '2026-01-05', dueDate: '2026-01-19' });
  const a = await agency(t, client.integration);
  const kase = await openCase(a, 'K-1', [inCase.id]);
  return { client, customer, other, c, a, draft, held, approved, otherApproved, inCase, notDue, kase };
}

type Fixture = Awaited<ReturnType<typeof fixture>>;
let f: Fixture;
beforeAll(async () => {
  f = await fixture();
});

/** Refused without a trace: the answer, with the world compared before and after. */
const refused = (send: () => Promise<Res>) => unchanged(t, f.client.id, send);

describe('unknown ids: 404 on each face (v1: HTTP 200, 404 under the http setting)', () => {
  it('control: an unknown client', async () => {
    const res = await t.http.get('/_sandbox/clients/no-such-client');
    expectProblem(res, 404, 'clientId');
    expectProblem(await t.http.post('/_sandbox/clients/no-such-client/clock/advance').send({ days: 1 }), 404, 'clientId');
  });

  it.each([
    ['GET invoice', () => f.c.get(`/invoices/${NO_SUCH}`), 'invoiceId'],
    ['GET explain', () => f.c.get(`/invoices/${NO_SUCH}/explain`), 'invoiceId'],
    ['GET customer', () => f.c.get('/customers/999'), 'customerId'],
    ['PATCH customer', () => f.c.patch('/customers/999', { name: 'X' }), 'customerId'],
    ['POST invoice for an unknown customer', () => f.c.post('/invoices', { customerId: 999, amount: 100 }), 'customerId'],
    ['POST credit note', () => f.c.post('/credit-notes', { invoiceId: NO_SUCH, amount: 100 }), 'invoiceId'],
    ['POST payment', () => f.c.post('/payments', { invoiceId: NO_SUCH, amount: 100 }), 'lines[0].invoiceId'],
    ['POST write-off', () => f.c.post('/write-offs', { invoiceIds: [NO_SUCH] }), 'invoiceIds[0]'],
    ['reverse an unknown write-off', () => f.c.post(`/write-offs/${NO_SUCH}/reverse`, {}), 'voucherId'],
    ['approve', () => f.c.post('/collection/approve', { invoiceIds: [NO_SUCH] }), 'invoiceIds[0]'],
    ['hold the second of two', () => f.c.post('/collection/hold', { invoiceIds: [f.draft.id, NO_SUCH] }), 'invoiceIds[1]'],
    ['remove', () => f.c.post('/collection/remove', { invoiceIds: [NO_SUCH] }), 'invoiceIds[0]'],
    ['override', () => f.c.post('/collection/override', { invoiceIds: [NO_SUCH] }), 'invoiceIds[0]'],
    ['PATCH integration', () => f.c.patch('/integrations/no-such', { canCreateNewCases: true }), 'integrationId'],
    ['PUT settings with an unknown case-creating integration', () => f.c.put('/settings', { caseCreatingIntegrationId: 'no-such' }), 'caseCreatingIntegrationId'],
    ['restore an unknown snapshot', () => f.c.post('/snapshots/no-such/restore'), 'name'],
  ])('control: %s', async (_name, send, field) => {
    const res = await refused(send as () => Promise<Res>);
    expectProblem(res, 404, field as string);
    expect(res.body.detail).toMatch(/does not exist/);
  });

  it('control: an unknown path is a 404 ProblemDetails', async () => {
    const res = await refused(() => f.c.get('/no-such-thing'));
    expectProblem(res, 404);
  });

  it.each([
    ['GET a case', () => f.a.get(`/DebtCollection/${NO_SUCH}`), 'id'],
    ['DELETE a case', () => f.a.delete(`/DebtCollection/${NO_SUCH}`), 'id'],
    ['MatchedItems', () => f.a.get(`/DebtCollection/MatchedItems/${NO_SUCH}`), 'debtCollectionInvoiceId'],
    ['GetInvoicePdf', () => f.a.get(`/DebtCollection/GetInvoicePdf/${NO_SUCH}`), 'id'],
    ['AddInvoicesToCase, unknown case', () => f.a.post('/DebtCollection/AddInvoicesToCase', { caseId: NO_SUCH, invoiceIds: [f.approved.id] }), 'caseId'],
    ['AddInvoicesToCase, unknown invoice', () => f.a.post('/DebtCollection/AddInvoicesToCase', { caseId: f.kase.id, invoiceIds: [NO_SUCH] }), 'invoiceIds[0]'],
    ['POST a case with an unknown invoice', () => f.a.post('/DebtCollection', { code: 'K-404', invoices: [NO_SUCH] }), 'invoices[0]'],
    ['UpdateStatus', () => f.a.post('/DebtCollection/UpdateStatus', { caseId: NO_SUCH, statusText: 'x' }), 'caseId'],
    ['MergeCases', () => f.a.post('/DebtCollection/MergeCases', { caseNo: 'M', caseIds: [f.kase.id, NO_SUCH] }), 'caseIds[1]'],
  ])('v1: %s', async (_name, send, field) => {
    const res = await refused(send as () => Promise<Res>);
    expectV1Failure(res, 404, field as string, 'Go');
  });

  it('v1: an invoice not under collection is not found by MatchedItems (a Draft is not visible to the agency)', async () => {
    expectV1Failure(await refused(() => f.a.get(`/DebtCollection/MatchedItems/${f.draft.id}`)), 404, 'debtCollectionInvoiceId');
  });

  it('v1: an unknown path answers in the v1 envelope', async () => {
    // No route is not a business failure: it keeps its 404 (ASP.NET answers it before any controller).
    expectV1Refusal(await refused(() => f.a.get('/DebtCollection/NoSuchThing/At/All')), 404);
  });

  it('v2: an unknown customer answers 404 with ProblemDetails', async () => {
    const res = await refused(() => f.a.get('/v2/Customers/999'));
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.body).toMatchObject({ status: 404, title: expect.any(String), detail: expect.any(String) });
  });
});

describe('malformed JSON and empty bodies (400)', () => {
  it('control: malformed JSON names (body)', async () => {
    const res = await refused(() => f.c.raw('post', '/invoices', `{"customerId": ${f.customer.id}, "amount": 100,`));
    expectProblem(res, 400, '(body)');
    expect(res.body.detail).toMatch(/malformed JSON/);
  });

  it('control: an empty body where one is required', async () => {
    const res = await refused(() => f.c.raw('post', '/collection/approve', ''));
    expectProblem(res, 400, '(body)');
  });

  it('control: a JSON array instead of an object', async () => {
    expectProblem(await refused(() => f.c.raw('put', '/settings', '[1,2]')), 400, '(body)');
  });

  it('v1: malformed JSON in the v1 envelope', async () => {
    const res = await refused(() => f.a.post('/DebtCollection').set('Content-Type', 'application/json').send('{"code": "K-2", "invoices": ['));
    // The request argument cannot be bound: ArgumentNullException in the vendor's controller.
    expectV1Failure(res, 400, '(body)', 'ArgumentNull');
  });
});

describe('unknown fields on control bodies (400 naming the field)', () => {
  it.each([
    ['POST invoices', () => f.c.post('/invoices', { customerId: f.customer.id, amount: 100, dueDat: '2026-02-01' }), 'dueDat'],
    ['PUT settings (nested)', () => f.c.put('/settings', { reminderSteps: { paymentReminder: { enabeld: true } } }), 'reminderSteps.paymentReminder.enabeld'],
    ['PUT settings (top level)', () => f.c.put('/settings', { minimumAmmount: 100 }), 'minimumAmmount'],
    ['clock advance', () => f.c.post('/clock/advance', { day: 1 }), 'day'],
    ['approve', () => f.c.post('/collection/approve', { invoiceIds: [f.draft.id], force: true }), 'force'],
    ['POST customers', () => f.c.post('/customers', { name: 'X', orgNo: '974760673' }), 'orgNo'],
    ['POST customers (address)', () => f.c.post('/customers', { name: 'X', mailAddress: { street: 'Storgata 1' } }), 'mailAddress.street'],
    ['POST payments (line)', () => f.c.post('/payments', { lines: [{ invoiceId: f.draft.id, amount: 1, kid: '1' }] }), 'lines[0].kid'],
    ['POST write-offs', () => f.c.post('/write-offs', { invoiceIds: [f.draft.id], amount: 10 }), 'amount'],
  ])('%s', async (_name, send, field) => {
    const res = await refused(send as () => Promise<Res>);
    expectProblem(res, 400, field as string);
    expect(res.body.errors[field as string][0]).toMatch(/not a known field/);
  });
});

describe('wrong types (400 naming the field)', () => {
  it.each([
    ['amount as a string', () => f.c.post('/invoices', { customerId: f.customer.id, amount: '1000' }), 'amount', /number/],
    ['customerId as a string', () => f.c.post('/invoices', { customerId: 'one', amount: 1000 }), 'customerId', /whole number/],
    ['a date that does not exist', () => f.c.post('/invoices', { customerId: f.customer.id, amount: 1000, dueDate: '2026-02-30' }), 'dueDate', /.+/],
    ['days as a fraction', () => f.c.post('/clock/advance', { days: 1.5 }), 'days', /whole number/],
    ['invoiceIds as a string', () => f.c.post('/collection/approve', { invoiceIds: f.draft.id }), 'invoiceIds', /array/],
    ['invoiceIds not uuids', () => f.c.post('/collection/approve', { invoiceIds: ['10001'] }), 'invoiceIds[0]', /.+/],
    ['an exclude flag as a string', () => f.c.patch(`/customers/${f.customer.id}`, { transferToDebtCollectionAgency: 'no' }), 'transferToDebtCollectionAgency', /boolean/],
    ['nextAction out of the enum', () => f.c.post('/collection/override', { invoiceIds: [f.draft.id], nextAction: 'Purring' }), 'nextAction', /one of/],
    ['a missing required field', () => f.c.post('/invoices', { amount: 1000 }), 'customerId', /required/],
    ['a zero amount', () => f.c.post('/invoices', { customerId: f.customer.id, amount: 0 }), 'amount', /.+/],
  ])('control: %s', async (_name, send, field, reason) => {
    const res = await refused(send as () => Promise<Res>);
    expectProblem(res, 400, field as string);
    expect(res.body.errors[field as string][0]).toMatch(reason as RegExp);
  });

  it.each([
    ['isCaseClosed as a string', () => f.a.post('/DebtCollection/UpdateStatus', { caseId: f.kase.id, statusText: 'x', isCaseClosed: 'yes' }), 'isCaseClosed'],
    ['caseId not a uuid', () => f.a.post('/DebtCollection/UpdateStatus', { caseId: '42', statusText: 'x' }), 'caseId'],
    ['a missing case code', () => f.a.post('/DebtCollection', { invoices: [f.approved.id] }), 'code'],
    ['an empty statusText', () => f.a.post('/DebtCollection/UpdateStatus', { caseId: f.kase.id, statusText: '' }), 'statusText'],
    ['MergeCases with one case', () => f.a.post('/DebtCollection/MergeCases', { caseNo: 'M', caseIds: [f.kase.id] }), 'caseIds'],
  ])('v1: %s', async (_name, send, field) => {
    expectV1Failure(await refused(send as () => Promise<Res>), 400, field as string);
  });
});

describe('dates outside 1900-01-01..2199-12-31, and a field named like an Object member (400 naming the field)', () => {
  it.each([
    ['an invoice due on 9999-12-31', () => f.c.post('/invoices', { customerId: f.customer.id, amount: 100, invoiceDate: '9999-12-01', dueDate: '9999-12-31' }), 'dueDate', /2199-12-31/],
    ['an invoice dated in year 1', () => f.c.post('/invoices', { customerId: f.customer.id, amount: 100, invoiceDate: '0001-01-01' }), 'invoiceDate', /1900-01-01/],
    ['the clock advanced into year 9999', () => f.c.post('/clock/advance', { to: '9999-12-31T23:00' }), 'to', /outside the dates the sandbox supports \(1900-01-01 to 2199-12-31\)/],
    ['an unknown field named constructor', () => f.c.post('/invoices', { customerId: f.customer.id, amount: 100, constructor: 1 }), 'constructor', /not a known field/],
  ])('control: %s', async (_name, send, field, reason) => {
    const res = await refused(send as () => Promise<Res>);
    expectProblem(res, 400, field as string);
    expect(res.body.errors[field as string][0]).toMatch(reason as RegExp);
  });
});

describe('money with more than two decimals (400)', () => {
  it.each([
    ['invoice amount', () => f.c.post('/invoices', { customerId: f.customer.id, amount: 100.005 }), 'amount'],
    ['credit note amount', () => f.c.post('/credit-notes', { invoiceId: f.draft.id, amount: 1.001 }), 'amount'],
    ['payment amount', () => f.c.post('/payments', { invoiceId: f.draft.id, amount: 10.999 }), 'amount'],
    ['payment line amount', () => f.c.post('/payments', { lines: [{ invoiceId: f.draft.id, amount: 0.125 }] }), 'lines[0].amount'],
    ['minimum amount', () => f.c.put('/settings', { minimumAmount: 0.001 }), 'minimumAmount'],
    ['reminder fee', () => f.c.put('/settings', { reminderSteps: { paymentReminder: { fee: 34.999 } } }), 'reminderSteps.paymentReminder.fee'],
  ])('control: %s', async (_name, send, field) => {
    const res = await refused(send as () => Promise<Res>);
    expectProblem(res, 400, field as string);
    expect(res.body.errors[field as string][0]).toMatch(/two decimals/);
  });

  it.each([
    ['UpdateStatus updatedBalanceAgency', () => f.a.post('/DebtCollection/UpdateStatus', { caseId: f.kase.id, statusText: 'x', updatedBalanceAgency: 10.123 }), 'updatedBalanceAgency'],
    ['POST case balanceAgency', () => f.a.post('/DebtCollection', { code: 'K-DEC', balanceAgency: 1.234 }), 'balanceAgency'],
  ])('v1: %s', async (_name, send, field) => {
    expectV1Failure(await refused(send as () => Promise<Res>), 400, field as string);
  });
});

describe('Norwegian identifiers (400 naming the field)', () => {
  it('an organisation number failing MOD11 (weights 3,2,7,6,5,4,3,2)', async () => {
    // 974760673 is valid; changing the check digit breaks it
    let res = await refused(() => f.c.post('/customers', { name: 'Feil AS', organizationNumber: '974760674' }));
    expectProblem(res, 400, 'organizationNumber');
    expect(res.body.errors.organizationNumber[0]).toMatch(/MOD11/);
    res = await refused(() => f.c.post('/customers', { name: 'Feil AS', organizationNumber: '97476067' }));
    expectProblem(res, 400, 'organizationNumber');
    expect(res.body.errors.organizationNumber[0]).toMatch(/9 digits/);
    res = await refused(() => f.c.patch(`/customers/${f.customer.id}`, { organizationNumber: '974760674' }));
    expectProblem(res, 400, 'organizationNumber');
  });

  it('a valid organisation number is accepted', async () => {
    const ok201 = await f.c.post('/customers', { name: 'Riktig AS', organizationNumber: '974760673' });
    expect(ok201.status).toBe(201);
  });

  it('a KID failing both MOD10 and MOD11', async () => {
    // body 12345678: Luhn check digit 2, MOD11 check digit 5; 9 is neither
    const res = await refused(() => f.c.post('/invoices', { customerId: f.customer.id, amount: 100, cid: '123456789' }));
    expectProblem(res, 400, 'cid');
    expect(res.body.errors.cid[0]).toMatch(/MOD10.*MOD11/);
    expectProblem(await refused(() => f.c.post('/invoices', { customerId: f.customer.id, amount: 100, cid: '12AB' })), 400, 'cid');
  });

  it('KIDs with a MOD10 or a MOD11 check digit are accepted', async () => {
    for (const cid of ['123456782', '123456785']) {
      const res = await f.c.post('/invoices', { customerId: f.customer.id, amount: 100, cid, invoiceDate: '2026-01-05' });
      expect(res.status, cid).toBe(201);
      expect(res.body.cid).toBe(cid);
    }
  });

  it('a payer bank account failing MOD11 (weights 5,4,3,2,7,6,5,4,3,2)', async () => {
    const res = await refused(() => f.c.post('/payments', { invoiceId: f.draft.id, amount: 1, paidFromAccount: '12345678901' }));
    expectProblem(res, 400, 'paidFromAccount');
    expect(res.body.errors.paidFromAccount[0]).toMatch(/MOD11/);
  });
});

describe('transitions refused in the current state (409 with currentState and allowed)', () => {
  it('approving an on-hold draft', async () => {
    const res = await refused(() => f.c.post('/collection/approve', { invoiceIds: [f.draft.id, f.held.id] }));
    expectConflict(res, 'OnHold', ['Draft'], 'invoiceIds[1]');
  });

  it('approving an invoice already approved, or one in a case', async () => {
    expectConflict(await refused(() => f.c.post('/collection/approve', { invoiceIds: [f.approved.id] })), 'Approved', ['Draft'], 'invoiceIds[0]');
    expectConflict(await refused(() => f.c.post('/collection/approve', { invoiceIds: [f.inCase.id] })), 'Exported', ['Draft'], 'invoiceIds[0]');
  });

  it('removing an invoice already in a case', async () => {
    const res = await refused(() => f.c.post('/collection/remove', { invoiceIds: [f.approved.id, f.inCase.id] }));
    expectConflict(res, 'Exported', ['Draft', 'OnHold', 'Approved'], 'invoiceIds[1]');
  });

  it('overriding an invoice that is not on the reminder list', async () => {
    expectConflict(await refused(() => f.c.post('/collection/override', { invoiceIds: [f.draft.id] })), 'Draft', ['None', 'Rejected'], 'invoiceIds[0]');
  });

  it('overriding an invoice that is not overdue', async () => {
    expectConflict(await refused(() => f.c.post('/collection/override', { invoiceIds: [f.notDue.id] })), 'not overdue', undefined, 'invoiceIds[0]');
  });

  it("overriding an excluded customer's invoice", async () => {
    const client = await newClient(t);
    const customer = await newCustomer(t, client.id, { transferToDebtCollectionAgency: false });
    const inv = await newInvoice(t, client.id, { customerId: customer.id, invoiceDate: '2025-12-01', dueDate: '2025-12-15' });
    expect(inv.status).toBe('None');
    const res = await unchanged(t, client.id, () => ctl(t, client.id).post('/collection/override', { invoiceIds: [inv.id] }));
    expectConflict(res, 'customer excluded', undefined, 'invoiceIds[0]');
  });

  it('a write-off dated before today', async () => {
    const res = await refused(() => f.c.post('/write-offs', { invoiceIds: [f.draft.id], date: '2026-01-04' }));
    expectConflict(res, '2026-01-05', ['2026-01-05 or later'], 'date');
  });

  it("a write-off across two customers' ledgers (400)", async () => {
    const res = await refused(() => f.c.post('/write-offs', { invoiceIds: [f.approved.id, f.otherApproved.id] }));
    expectProblem(res, 400, 'invoiceIds[1]');
    expect(res.body.errors['invoiceIds[1]'][0]).toMatch(/one customer/);
  });

  it('a credit note larger than the open amount, or such a payment under paymentMatching.overpayment "refuse"', async () => {
    expectConflict(await refused(() => f.c.post('/credit-notes', { invoiceId: f.draft.id, amount: 1000.01 })), '1000.00 NOK', undefined, 'amount');
    await ok(f.c.put('/settings', { paymentMatching: { overpayment: 'refuse' } }));
    try {
      expectConflict(await refused(() => f.c.post('/payments', { invoiceId: f.draft.id, amount: 1000.01 })), '1000.00 NOK', undefined, 'lines[0].amount');
    } finally {
      await ok(f.c.put('/settings', { paymentMatching: { overpayment: 'credit' } }));
    }
  });

  it('a payment dated in the future', async () => {
    expectProblem(await refused(() => f.c.post('/payments', { invoiceId: f.draft.id, amount: 1, date: '2026-01-06' })), 400, 'date');
  });

  it('a taken invoice number', async () => {
    expectProblem(await refused(() => f.c.post('/invoices', { customerId: f.customer.id, amount: 1, invoiceNo: f.draft.invoiceNo })), 409, 'invoiceNo');
  });

  it('a purring giving the debtor fewer than 14 days, or a fee over 1/20 of the inkassosats', async () => {
    let res = await refused(() => f.c.put('/settings', { reminderSteps: { paymentReminder: { enabled: true, dueInDays: 13 } } }));
    expectProblem(res, 400, 'reminderSteps.paymentReminder.dueInDays');
    res = await refused(() => f.c.put('/settings', { reminderSteps: { collectionNotice: { fee: 35.01 } } }));
    expectProblem(res, 400, 'reminderSteps.collectionNotice.fee');
    expect(res.body.errors['reminderSteps.collectionNotice.fee'][0]).toMatch(/35\.00 NOK/);
  });

  it('a settings request failing half-way changes nothing (the valid parts are not applied either)', async () => {
    const res = await refused(() => f.c.put('/settings', { minimumAmount: 100, reminderSteps: { paymentReminder: { enabled: true, dueInDays: 7 } } }));
    expectProblem(res, 400, 'reminderSteps.paymentReminder.dueInDays');
  });

  it('the same invoice twice in a selection', async () => {
    expectProblem(await refused(() => f.c.post('/collection/approve', { invoiceIds: [f.draft.id, f.draft.id] })), 400, 'invoiceIds');
  });

  it('a selection with neither invoiceIds nor all', async () => {
    expectProblem(await refused(() => f.c.post('/collection/approve', {})), 400, 'invoiceIds');
  });
});

describe('v1 case rules (HTTP 200 Go failures; 409 under the http setting)', () => {
  it("adding another customer's invoice to a case", async () => {
    const res = await refused(() => f.a.post('/DebtCollection/AddInvoicesToCase', { caseId: f.kase.id, invoiceIds: [f.otherApproved.id] }));
    expectV1Failure(res, 409, 'invoiceIds[0]');
    expect(res.body.validation.summary).toMatch(/one customer/);
  });

  it('opening a case with invoices of two customers', async () => {
    const res = await refused(() => f.a.post('/DebtCollection', { code: 'K-MIX', invoices: [f.approved.id, f.otherApproved.id] }));
    expectV1Failure(res, 409, 'invoices[1]');
  });

  it('taking an invoice already in a case into another one', async () => {
    const res = await refused(() => f.a.post('/DebtCollection', { code: 'K-TWICE', invoices: [f.inCase.id] }));
    expectV1Failure(res, 409, 'invoices[0]');
    expect(res.body.validation.summary).toMatch(/already in case K-1/);
  });

  it('taking a draft (not approved) invoice into a case', async () => {
    const res = await refused(() => f.a.post('/DebtCollection/AddInvoicesToCase', { caseId: f.kase.id, invoiceIds: [f.draft.id] }));
    const detail = expectV1Failure(res, 409, 'invoiceIds[0]', 'Go');
    expect(detail).toMatchObject({ kind: 'conflict', currentState: 'Draft', allowed: ['Approved'] });
  });

  it('a case code already used by this integration', async () => {
    // A duplicate is the vendor's ApiUniqueConstraint (changelog 2.16.0), HTTP 200.
    const detail = expectV1Failure(await refused(() => f.a.post('/DebtCollection', { code: 'K-1' })), 409, 'code', 'ApiUniqueConstraint');
    expect(detail.kind).toBe('duplicate');
  });

  it('merging cases of different customers', async () => {
    const client = await newClient(t);
    const [c1, c2] = [await newCustomer(t, client.id), await newCustomer(t, client.id, { name: 'Annen AS' })];
    const [i1, i2] = [await approvedInvoice(t, client, { customerId: c1.id }), await approvedInvoice(t, client, { customerId: c2.id })];
    const a = await agency(t, client.integration);
    const [k1, k2] = [await openCase(a, 'A', [i1.id]), await openCase(a, 'B', [i2.id])];
    const res = await unchanged(t, client.id, () => a.post('/DebtCollection/MergeCases', { caseNo: 'AB', caseIds: [k1.id, k2.id] }));
    expectV1Failure(res, 409, 'caseIds');
  });

  it('adding invoices to a closed case', async () => {
    const client = await newClient(t);
    const customer = await newCustomer(t, client.id);
    const [i1, i2] = [await approvedInvoice(t, client, { customerId: customer.id }), await approvedInvoice(t, client, { customerId: customer.id })];
    const a = await agency(t, client.integration);
    const k = await openCase(a, 'C', [i1.id]);
    await a.post('/DebtCollection/UpdateStatus', { caseId: k.id, statusText: 'avsluttet', isCaseClosed: true });
    const res = await unchanged(t, client.id, () => a.post('/DebtCollection/AddInvoicesToCase', { caseId: k.id, invoiceIds: [i2.id] }));
    const detail = expectV1Failure(res, 409, 'caseId', 'Go');
    expect(detail).toMatchObject({ currentState: 'Closed', allowed: ['Active'] });
  });

  it('a read-only integration cannot write (403 stays: a missing privilege is not a business failure)', async () => {
    const client = await newClient(t, { integrations: [{ name: 'Lesebyrå', rights: { read: true, write: false } }] });
    const a = await agency(t, client.integration);
    expect((await a.get('/DebtCollection')).status).toBe(200);
    const res = await unchanged(t, client.id, () => a.post('/DebtCollection', { code: 'RO-1' }));
    expect(expectV1Refusal(res, 403).privilege).toBe(true);
    expect(res.body.validation.summary).toMatch(/DebtCollection_Full/);
  });
});

describe('the clock only moves forward', () => {
  it('advancing backwards is a 409 naming the current time', async () => {
    const res = await refused(() => f.c.post('/clock/advance', { to: '2026-01-04' }));
    expectConflict(res, /^2026-01-05T0[78]:00/, undefined, 'to');
    expect(res.body.detail).toMatch(/only moves forward/);
    expect(res.body.detail).toMatch(/restore a snapshot/);
  });

  it('an earlier time on the same day is backwards too', async () => {
    expectConflict(await refused(() => f.c.post('/clock/advance', { to: '2026-01-05T07:59' })), /2026-01-05/, undefined, 'to');
  });

  it('a negative days value is a 400', async () => {
    const res = await refused(() => f.c.post('/clock/advance', { days: -1 }));
    expectProblem(res, 400, 'days');
  });

  it.each([
    [{ hours: -2 }, 'hours'],
    [{ minutes: -1 }, 'minutes'],
    [{ days: 3661 }, 'days'],
    [{ to: 'tomorrow' }, 'to'],
    [{ to: '2026-01-10', days: 1 }, 'to'],
    [{}, 'days'],
  ])('%j is a 400 naming %s', async (body, field) => {
    expectProblem(await refused(() => f.c.post('/clock/advance', body)), 400, field);
  });

  it('advancing to now (a zero step) is allowed and changes only the journal', async () => {
    const res = await f.c.post('/clock/advance', { days: 0 });
    expect(res.status).toBe(200);
    expect(res.body.now).toBe('2026-01-05T08:00:00+01:00');
  });
});

describe('agency authentication', () => {
  it('v1 without a bearer token is a 401 and changes nothing', async () => {
    const res = await refused(() => t.http.get('/DebtCollection/Invoices/AvailableInvoices'));
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ Message: 'Authorization has been denied for this request.' });
    expect(res.headers['www-authenticate']).toMatch(/Bearer error="invalid_token"/);
    const post = await refused(() => t.http.post('/DebtCollection').send({ code: 'K-NOAUTH', invoices: [f.approved.id] }));
    expect(post.status).toBe(401);
  });

  it('v1 with a token this sandbox never issued is a 401', async () => {
    const res = await refused(() => t.http.get('/DebtCollection').set('Authorization', 'Bearer not-a-real-token'));
    expect(res.status).toBe(401);
    expect(res.body.Message).toMatch(/denied/);
  });

  it('unknown keys at the token endpoint are a 400 invalid_client', async () => {
    const res = await refused(() =>
      t.http
        .post('/OAuth/Token')
        .set('Authorization', `Basic ${Buffer.from('nope:nope').toString('base64')}`)
        .type('form')
        .send({ grant_type: 'client_credentials' }),
    );
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'invalid_client', error_description: expect.any(String) });
  });

  it('a v1 token expires after v1TokenLifetimeSeconds (600 s) on the client clock, a v2 token after tokenLifetimeSeconds (1200 s)', async () => {
    const client = await newClient(t);
    const customer = await newCustomer(t, client.id);
    const inv = await approvedInvoice(t, client, { customerId: customer.id });
    const settings = await ok(ctl(t, client.id).get('/settings'));
    expect(settings).toMatchObject({ v1TokenLifetimeSeconds: 600, tokenLifetimeSeconds: 1200 });
    const a = await agency(t, client.integration); // issued 08:00:00

    await advance(t, client.id, { minutes: 9 });
    expect((await a.get('/DebtCollection/Invoices/AvailableInvoices')).status).toBe(200);
    await advance(t, client.id, { minutes: 1 }); // 08:10:00 = issued + 600 s
    expect((await a.get('/v2/Customers')).status).toBe(200);

    const before = await worldText(t, client.id);
    const res = await a.post('/DebtCollection', { code: 'K-EXP', invoices: [inv.id] });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ Message: 'Authorization has been denied for this request.' });
    expect(res.headers['www-authenticate']).toMatch(/expired/);
    expect(await worldText(t, client.id)).toBe(before);

    // a fresh token works
    const again = await agency(t, client.integration);
    expect((await again.post('/DebtCollection', { code: 'K-EXP', invoices: [inv.id] })).status).toBe(200);

    // The v2 token of 08:00 lasts until 08:20.
    await advance(t, client.id, { minutes: 9 });
    expect((await a.get('/v2/Customers')).status).toBe(200);
    await advance(t, client.id, { minutes: 1 });
    const v2 = await a.get('/v2/Customers');
    expect(v2.status).toBe(401);
    expect(v2.headers['www-authenticate']).toMatch(/expired/);
  });

  it('shorter lifetimes apply to tokens issued after the change, each to its own API', async () => {
    const client: ClientFixture = await newClient(t);
    await putSettings(t, client.id, { v1TokenLifetimeSeconds: 60 });
    const a = await agency(t, client.integration);
    await advance(t, client.id, { minutes: 1 });
    expect((await a.get('/DebtCollection')).status).toBe(401);
    expect((await a.get('/v2/VatCodes')).status).toBe(200);
    await putSettings(t, client.id, { tokenLifetimeSeconds: 60 });
    const b = await agency(t, client.integration);
    await advance(t, client.id, { minutes: 1 });
    expect((await b.get('/v2/VatCodes')).status).toBe(401);
  });

  it("a token reaches only its own client's world", async () => {
    const other = await newClient(t);
    const b = await agency(t, other.integration);
    expectV1Failure(await refused(() => b.get(`/DebtCollection/${f.kase.id}`)), 404);
    expectV1Failure(await refused(() => b.get(`/DebtCollection/MatchedItems/${f.inCase.id}`)), 404);
  });
});
