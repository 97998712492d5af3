/**
 * Isolation between clients and between integrations, the token endpoint's refusals, token expiry on the
 * sandbox clock, and the integration's privileges (DebtCollection / DebtCollection_Full / may create new cases).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { advance, agency, newClient, newCustomer, newInvoice, testSandbox, token, worldText, type ClientFixture, type TestSandbox } from '../harness.js';
import { APIM_BAD_KEY, V1_DENIED } from '../../sandbox/http/auth/agency-auth.js';

let t: TestSandbox;
beforeAll(async () => {
  t = await testSandbox();
});
afterAll(() => t.close());

function basic(applicationKey: string, clientKey: string): string {
  return `Basic ${Buffer.from(`${applicationKey}:${clientKey}`).toString('base64')}`;
}

function requestToken(auth: string | undefined, body: Record<string, string> = { grant_type: 'client_credentials' }, subscriptionKey?: string) {
  let r = t.http.post('/OAuth/Token').type('form');
  if (auth !== undefined) r = r.set('Authorization', auth);
  if (subscriptionKey !== undefined) r = r.set('Ocp-Apim-Subscription-Key', subscriptionKey);
  return r.send(body);
}

/** A client with one approved invoice (overdue, overridden to Inkasso, approved). */
async function clientWithApprovedInvoice(name: string, amount = 1000) {
  const client = await newClient(t, { name, startDate: '2026-01-05' });
  const customer = await newCustomer(t, client.id);
  const inv = await newInvoice(t, client.id, { customerId: customer.id, invoiceDate: '2025-12-01', dueDate: '2026-01-01', amount });
  const overridden = await t.http.post(`/_sandbox/clients/${client.id}/collection/override`).send({ invoiceIds: [inv.id] });
  expect(overridden.status, JSON.stringify(overridden.body)).toBe(200);
  const approved = await t.http.post(`/_sandbox/clients/${client.id}/collection/approve`).send({ invoiceIds: [inv.id] });
  expect(approved.status, JSON.stringify(approved.body)).toBe(200);
  return { client, customer, inv };
}

async function addIntegration(clientId: string, body: Record<string, unknown>): Promise<ClientFixture['integration'] & { canCreateNewCases: boolean }> {
  const res = await t.http.post(`/_sandbox/clients/${clientId}/integrations`).send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** A v1 failure: HTTP 200 as the vendor answers (the sandbox's own status in X-Sandbox-Detail), or a kept status (401/403). */
function expectV1Failure(res: { status: number; body: any; headers: Record<string, string> }, status: number, summary?: RegExp) {
  // A missing privilege keeps 403; a refusal by state (expectNoNewCases) is HTTP 200 like every business failure.
  const business = ![401, 429].includes(status) && !(status === 403 && /Unauthorized access/.test(res.body?.validation?.summary ?? ''));
  expect(res.status, JSON.stringify(res.body)).toBe(business ? 200 : status);
  if (business) expect(JSON.parse(res.headers['x-sandbox-detail']!).httpStatus).toBe(status);
  expect(res.body.success).toBe(false);
  expect(typeof res.body.validation.errorLogReference).toBe('string');
  if (summary) expect(res.body.validation.summary).toMatch(summary);
}

/** Refused because the integration may not create new cases: the vendor's SecurityException, HTTP 200 (403 under http). */
function expectNoNewCases(res: { status: number; body: any; headers: Record<string, string> }) {
  expectV1Failure(res, 403);
  expect(res.body.validation.exception).toBe('Security');
}

describe('two clients in one sandbox', () => {
  let A: Awaited<ReturnType<typeof clientWithApprovedInvoice>>;
  let B: Awaited<ReturnType<typeof clientWithApprovedInvoice>>;
  let caseB: string;

  beforeAll(async () => {
    A = await clientWithApprovedInvoice('Client A AS', 1111);
    B = await clientWithApprovedInvoice('Client B AS', 2222);
    const b = await agency(t, B.client.integration);
    const created = await b.post('/DebtCollection', { code: 'B-1', invoices: [B.inv.id] });
    expect(created.status).toBe(200);
    caseB = created.body.data.id;
    // A direct payment on B's invoice: a match B's agency sees, and A's must not.
    const paid = await t.http.post(`/_sandbox/clients/${B.client.id}/payments`).send({ invoiceId: B.inv.id, amount: 222 });
    expect(paid.status).toBe(201);
    // A second approved invoice of B, not in a case, to show up in B's AvailableInvoices only.
    const more = await newInvoice(t, B.client.id, { customerId: B.customer.id, invoiceDate: '2025-12-01', dueDate: '2026-01-02', amount: 3333 });
    await t.http.post(`/_sandbox/clients/${B.client.id}/collection/override`).send({ invoiceIds: [more.id] });
    await t.http.post(`/_sandbox/clients/${B.client.id}/collection/approve`).send({ invoiceIds: [more.id] });
  });

  it("client A's token gets 404 for client B's case id", async () => {
    const a = await agency(t, A.client.integration);
    const res = await a.get(`/DebtCollection/${caseB}`);
    expectV1Failure(res, 404);
    expect(res.body.validation.summary).toContain(caseB);
    // B sees it.
    const b = await agency(t, B.client.integration);
    expect((await b.get(`/DebtCollection/${caseB}`)).status).toBe(200);
  });

  it("client A's case list, AvailableInvoices and matched items never show client B's data", async () => {
    const a = await agency(t, A.client.integration);
    const available = await a.get('/DebtCollection/Invoices/AvailableInvoices');
    expect(available.status).toBe(200);
    expect(available.body.data.map((i: any) => i.id)).toEqual([A.inv.id]);
    expect(available.body.count).toBe(1);
    expect(JSON.stringify(available.body)).not.toContain('2222');
    expect(JSON.stringify(available.body)).not.toContain('3333');

    expect((await a.get('/DebtCollection')).body).toEqual({ data: [], count: 0, success: true });
    expectV1Failure(await a.get(`/DebtCollection/MatchedItems/${B.inv.id}`), 404);
    expectV1Failure(await a.get(`/DebtCollection/GetInvoicePdf/${B.inv.id}`), 404);
    // A's own approved invoice (no matches) is its only entry; B's payment never shows.
    const all = await a.get('/DebtCollection/GetAllMatchedItems').query({ fromDateTime: '2020-01-01' });
    expect(all.body).toEqual({ data: [{ matchedItems: [] }], count: 1, success: true });
    const b = await agency(t, B.client.integration);
    const allB = await b.get('/DebtCollection/GetAllMatchedItems').query({ fromDateTime: '2020-01-01' });
    expect(allB.body.data.flatMap((e: any) => e.matchedItems).map((m: any) => m.amount)).toEqual([-222]);
  });

  it("client A's token cannot change client B's case (UpdateStatus, AddInvoicesToCase, DELETE are 404 and change nothing)", async () => {
    const a = await agency(t, A.client.integration);
    const before = await worldText(t, B.client.id);
    expectV1Failure(await a.post('/DebtCollection/UpdateStatus', { caseId: caseB, statusText: 'hijack', isCaseClosed: true }), 404);
    expectV1Failure(await a.post('/DebtCollection/AddInvoicesToCase', { caseId: caseB, invoiceIds: [A.inv.id] }), 404);
    expectV1Failure(await a.delete(`/DebtCollection/${caseB}`), 404);
    expect(await worldText(t, B.client.id)).toBe(before);
  });

  it("client A's token cannot take client B's invoice into a case of its own", async () => {
    const a = await agency(t, A.client.integration);
    const beforeB = await worldText(t, B.client.id);
    const res = await a.post('/DebtCollection', { code: 'A-STEAL', invoices: [B.inv.id] });
    expectV1Failure(res, 404);
    expect(await worldText(t, B.client.id)).toBe(beforeB);
  });

  it("client B's keys do not get a token for client A (the application key belongs to one integration)", async () => {
    const res = await requestToken(basic(B.client.integration.applicationKey, A.client.integration.clientKey));
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_client');
  });
});

describe('a token is bound to its integration', () => {
  it("integration 2 on the same client cannot see integration 1's cases, even after it takes over case creation", async () => {
    const { client, inv } = await clientWithApprovedInvoice('Two Agencies AS');
    const one = await agency(t, client.integration);
    const created = await one.post('/DebtCollection', { code: 'ONE-1', invoices: [inv.id] });
    expect(created.status).toBe(200);
    const caseId = created.body.data.id;

    const second = await addIntegration(client.id, { name: 'Second agency' });
    expect(second.canCreateNewCases).toBe(false);
    const two = await agency(t, second);
    expect((await two.get('/DebtCollection')).body).toEqual({ data: [], count: 0, success: true });
    expectV1Failure(await two.get(`/DebtCollection/${caseId}`), 404);
    expectV1Failure(await two.get(`/DebtCollection/MatchedItems/${inv.id}`), 404);

    const switched = await t.http.patch(`/_sandbox/clients/${client.id}/integrations/${second.id}`).send({ canCreateNewCases: true });
    expect(switched.status).toBe(200);
    expect((await two.get('/DebtCollection/IsActiveDebtCollection')).body.data).toBe(true);
    expect((await one.get('/DebtCollection/IsActiveDebtCollection')).body.data).toBe(false);
    // Existing cases stay with the integration that created them.
    expect((await two.get('/DebtCollection')).body.count).toBe(0);
    expectV1Failure(await two.get(`/DebtCollection/${caseId}`), 404);
    expectV1Failure(await two.post('/DebtCollection/UpdateStatus', { caseId, statusText: 'mine now' }), 404);
    expect((await one.get('/DebtCollection')).body.data.map((c: any) => c.id)).toEqual([caseId]);
    expect((await one.post('/DebtCollection/UpdateStatus', { caseId, statusText: 'still ours' })).status).toBe(200);
  });
});

describe('the token endpoint', () => {
  let client: ClientFixture;
  beforeAll(async () => {
    client = await newClient(t, { name: 'Token AS' });
  });

  it('issues a bearer token for the right keys', async () => {
    const i = client.integration;
    const res = await requestToken(basic(i.applicationKey, i.clientKey), undefined, i.subscriptionKey);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ access_token: expect.any(String), token_type: 'bearer', expires_in: 1200 });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('a wrong application key is 400 invalid_client', async () => {
    const res = await requestToken(basic('00000000-0000-0000-0000-000000000000', client.integration.clientKey));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
  });

  it('an unknown client key is 400 invalid_client', async () => {
    const res = await requestToken(basic(client.integration.applicationKey, 'no-such-client-key'));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
  });

  it('no Basic credentials at all is 400 invalid_client', async () => {
    const res = await requestToken(undefined);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_client');
  });

  it('a grant_type other than client_credentials is 400 unsupported_grant_type', async () => {
    const i = client.integration;
    for (const grant of ['password', 'authorization_code', '']) {
      const res = await requestToken(basic(i.applicationKey, i.clientKey), { grant_type: grant });
      expect(res.status, grant).toBe(400);
      expect(res.body.error, grant).toBe('unsupported_grant_type');
      expect(typeof res.body.error_description).toBe('string');
    }
  });

  it('a wrong subscription key is 401 with the API Management body', async () => {
    const i = client.integration;
    const res = await requestToken(basic(i.applicationKey, i.clientKey), undefined, 'ffffffffffffffffffffffffffffffff');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ statusCode: 401, message: APIM_BAD_KEY });
  });

  it('works under the /Demo prefix too', async () => {
    const i = client.integration;
    const res = await t.http.post('/Demo/OAuth/Token').set('Authorization', basic(i.applicationKey, i.clientKey)).type('form').send({ grant_type: 'client_credentials' });
    expect(res.status).toBe(200);
    expect(res.body.token_type).toBe('bearer');
  });
});

describe('bearer checks', () => {
  it('no token, a malformed token, or a forged one is 401 with the ASP.NET body', async () => {
    const client = await newClient(t, { name: 'Bearer AS' });
    const genuine = await token(t, client.integration);
    const [payload] = genuine.split('.');
    for (const auth of [undefined, 'Bearer', 'Bearer not-a-token', `Bearer ${payload}.forgedsignature`, `Basic ${genuine}`]) {
      let r = t.http.get('/DebtCollection');
      if (auth !== undefined) r = r.set('Authorization', auth);
      const res = await r;
      expect(res.status, String(auth)).toBe(401);
      expect(res.body, String(auth)).toEqual({ Message: V1_DENIED });
      expect(res.headers['www-authenticate'], String(auth)).toMatch(/^Bearer error="invalid_token"/);
    }
  });

  it("a token of a deleted client is refused", async () => {
    const client = await newClient(t, { name: 'Deleted AS' });
    const a = await agency(t, client.integration);
    expect((await a.get('/DebtCollection')).status).toBe(200);
    expect((await t.http.delete(`/_sandbox/clients/${client.id}`)).status).toBe(204);
    const res = await a.get('/DebtCollection');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ Message: V1_DENIED });
  });
});

describe('token expiry runs on the sandbox clock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a 1200 s v1 token (the other lifetime the vendor documents) works after 19 minutes and is refused 20 minutes + 1 second after it was issued', async () => {
    const client = await newClient(t, { name: 'Expiry AS', startDate: '2026-01-05' });
    const settings = await t.http.put(`/_sandbox/clients/${client.id}/settings`).send({ v1TokenLifetimeSeconds: 1200 });
    expect(settings.status).toBe(200);
    const a = await agency(t, client.integration);
    expect((await a.get('/DebtCollection')).status).toBe(200);

    await advance(t, client.id, { minutes: 19 });
    expect((await a.get('/DebtCollection')).status).toBe(200);

    // Issued 08:00:00 local (07:00:00Z); 20 min + 1 s later is 08:20:01 local.
    await advance(t, client.id, { to: '2026-01-05T08:20:01' });
    const res = await a.get('/DebtCollection');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ Message: 'Authorization has been denied for this request.' });
    const challenge = res.headers['www-authenticate'];
    expect(challenge).toMatch(/^Bearer error="invalid_token"/);
    expect(challenge).toMatch(/expired/);
    expect(challenge).toContain('2026-01-05T07:20:00');

    // A new token works again.
    const b = await agency(t, client.integration);
    expect((await b.get('/DebtCollection')).status).toBe(200);
  });

  it('a shorter configured v2 lifetime is honoured and reported in expires_in', async () => {
    const client = await newClient(t, { name: 'Short AS', startDate: '2026-01-05', settings: { tokenLifetimeSeconds: 300 } });
    const i = client.integration;
    const res = await requestToken(basic(i.applicationKey, i.clientKey), undefined, i.subscriptionKey);
    expect(res.body.expires_in).toBe(300);
    const a = await agency(t, i);
    await advance(t, client.id, { minutes: 4 });
    expect((await a.get('/v2/VatCodes')).status).toBe(200);
    await advance(t, client.id, { minutes: 1 });
    expect((await a.get('/v2/VatCodes')).status).toBe(401);
  });

  it('a token does not expire on wall time: hours of real time later it still works while the sandbox clock stands still', async () => {
    const client = await newClient(t, { name: 'Wall AS', startDate: '2026-01-05' });
    const a = await agency(t, client.integration);
    expect((await a.get('/DebtCollection')).status).toBe(200);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 6 * 3600 * 1000);
    const res = await a.get('/DebtCollection');
    expect(res.status).toBe(200);
    vi.setSystemTime(Date.now() + 30 * 86_400 * 1000);
    expect((await a.get('/DebtCollection/IsActiveDebtCollection')).status).toBe(200);
  });

  it("advancing one client's clock does not expire another client's tokens", async () => {
    const one = await newClient(t, { name: 'Clock One AS', startDate: '2026-01-05' });
    const two = await newClient(t, { name: 'Clock Two AS', startDate: '2026-01-05' });
    const a1 = await agency(t, one.integration);
    const a2 = await agency(t, two.integration);
    await advance(t, one.id, { days: 1 });
    expect((await a1.get('/DebtCollection')).status).toBe(401);
    expect((await a2.get('/DebtCollection')).status).toBe(200);
  });
});

describe('privileges', () => {
  it('a read-only integration (no DebtCollection_Full) may read but gets 403 "Unauthorized access" on POST /DebtCollection', async () => {
    const { client, inv } = await clientWithApprovedInvoice('Read Only AS');
    const readOnly = await addIntegration(client.id, { name: 'Read-only agency', rights: { read: true, write: false }, canCreateNewCases: true });
    expect(readOnly.canCreateNewCases).toBe(true);
    const r = await agency(t, readOnly);
    const before = await worldText(t, client.id);

    const res = await r.post('/DebtCollection', { code: 'RO-1', invoices: [inv.id] });
    expectV1Failure(res, 403, /Unauthorized access/);
    expect(await worldText(t, client.id)).toBe(before);

    expect((await r.get('/DebtCollection')).status).toBe(200);
    expect((await r.get('/DebtCollection/IsActiveDebtCollection')).body).toEqual({ data: true, success: true });
  });

  it('a read-only integration that may create cases can still read AvailableInvoices (reading needs only DebtCollection)', async () => {
    const { client, inv } = await clientWithApprovedInvoice('Read Only Available AS');
    const readOnly = await addIntegration(client.id, { name: 'Read-only agency', rights: { read: true, write: false }, canCreateNewCases: true });
    const r = await agency(t, readOnly);
    const res = await r.get('/DebtCollection/Invoices/AvailableInvoices');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data.map((i: any) => i.id)).toEqual([inv.id]);
  });

  it('a read-only integration gets 403 on every write (AddInvoicesToCase, UpdateStatus, MergeCases, DELETE)', async () => {
    const { client, inv } = await clientWithApprovedInvoice('Read Only Writes AS');
    const full = await agency(t, client.integration);
    const caseId = (await full.post('/DebtCollection', { code: 'RW-1' })).body.data.id;
    const readOnlyIntegration = await addIntegration(client.id, { name: 'Read-only', rights: { read: true, write: false } });
    const r = await agency(t, readOnlyIntegration);
    expectV1Failure(await r.post('/DebtCollection/AddInvoicesToCase', { caseId, invoiceIds: [inv.id] }), 403, /Unauthorized access/);
    expectV1Failure(await r.post('/DebtCollection/UpdateStatus', { caseId, statusText: 'x' }), 403, /Unauthorized access/);
    expectV1Failure(await r.post('/DebtCollection/MergeCases', { caseNo: 'M', caseIds: [caseId, caseId] }), 403, /Unauthorized access/);
    expectV1Failure(await r.delete(`/DebtCollection/${caseId}`), 403, /Unauthorized access/);
  });

  it('an integration without the DebtCollection right gets 403 "Unauthorized access" on reads', async () => {
    const client = await newClient(t, { name: 'No Rights AS' });
    const none = await addIntegration(client.id, { name: 'No rights', rights: { read: false, write: false } });
    const n = await agency(t, none);
    expectV1Failure(await n.get('/DebtCollection'), 403, /Unauthorized access/);
    expectV1Failure(await n.get('/DebtCollection/IsActiveDebtCollection'), 403, /Unauthorized access/);
  });

  it('an integration without "may create new cases" is refused (Security, HTTP 200; 403 under http) on AvailableInvoices and POST /DebtCollection, and IsActiveDebtCollection false', async () => {
    const { client, inv } = await clientWithApprovedInvoice('No Create AS');
    const second = await addIntegration(client.id, { name: 'Second agency', canCreateNewCases: false });
    const s = await agency(t, second);
    const before = await worldText(t, client.id);

    expect((await s.get('/DebtCollection/IsActiveDebtCollection')).body).toEqual({ data: false, success: true });
    expectNoNewCases(await s.get('/DebtCollection/Invoices/AvailableInvoices'));
    expectNoNewCases(await s.post('/DebtCollection', { code: 'NC-1' }));
    expectNoNewCases(await s.post('/DebtCollection', { code: 'NC-2', invoices: [inv.id] }));
    expect(await worldText(t, client.id)).toBe(before);

    // The first integration still may.
    const first = await agency(t, client.integration);
    expect((await first.get('/DebtCollection/Invoices/AvailableInvoices')).body.count).toBe(1);
  });

  it('switching "may create new cases" off for the only integration refuses AvailableInvoices and POST for it', async () => {
    const { client } = await clientWithApprovedInvoice('Switched Off AS');
    const patched = await t.http.patch(`/_sandbox/clients/${client.id}/integrations/${client.integration.id}`).send({ canCreateNewCases: false });
    expect(patched.status).toBe(200);
    const a = await agency(t, client.integration);
    expect((await a.get('/DebtCollection/IsActiveDebtCollection')).body.data).toBe(false);
    expectNoNewCases(await a.get('/DebtCollection/Invoices/AvailableInvoices'));
    expectNoNewCases(await a.post('/DebtCollection', { code: 'OFF-1' }));
  });
});
