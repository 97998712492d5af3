import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../sandbox/server.js';
import { createAgencyClient, createSandbox, endpointsOf, sandboxEndpoints, odataFilter, ApiError, ArgumentError, NetworkError, type ClientControl, type DebtCollectionInvoice } from '../../sdk/index.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ memory: true, port: 0, strict: true, validateResponses: true, rateLimits: false });
});
afterAll(() => server.close());

async function world(invoices = 3, id?: string) {
  const control = createSandbox({ baseUrl: server.url });
  // A fixed id where a test needs the same fault coins every run (they are drawn from the world's id seed).
  const client = await control.clients.create({ name: 'SDK AS', startDate: '2026-01-05', ...(id ? { id } : {}) });
  const customer = await client.customers.create({ name: 'Ola AS', mailAddress: { addressLine1: 'Gata 1', zipCode: '0150', city: 'Oslo', countryCode: 'NO' } });
  const ids: string[] = [];
  for (let i = 0; i < invoices; i++) ids.push((await client.invoices.create({ customerId: customer.id, amount: 1000 + i, invoiceDate: '2025-12-01', dueDate: '2025-12-15' })).id);
  await client.collection.approve({ all: true });
  const waits: number[] = [];
  const agency = createAgencyClient({
    ...endpointsOf(client.view),
    sleep: async (ms) => void waits.push(ms),
    random: () => 0, // no jitter: the waits below are exact
  });
  return { client, agency, ids, customer, waits };
}

const tokenCalls = async (client: ClientControl) => (await client.requests()).filter((r) => r.face === 'auth').length;

describe('the agency client', () => {
  it('fetches a token once, reuses it, and renews it after it expired on the sandbox clock', async () => {
    const { client, agency } = await world(1);
    expect(await agency.debtCollection.isActive()).toBe(true);
    expect((await agency.debtCollection.availableInvoices()).count).toBe(1);
    expect(await tokenCalls(client)).toBe(1);
    await client.clock.advance({ minutes: 21 });
    expect((await agency.debtCollection.availableInvoices()).count).toBe(1);
    expect(await tokenCalls(client)).toBe(2);
    const journal = await client.requests();
    expect(journal.filter((r) => r.status === 401)).toHaveLength(1);
  });

  it('keeps one token per host: v1 renewed with its refresh token before it expires, v2 asked for again', async () => {
    const { client } = await world(1);
    let wall = 0;
    const tokenRequests: Array<{ url: string; grant: string | null; subscriptionKey: boolean }> = [];
    // The real fetch, observed: which token URL was asked, with which grant.
    const observed: typeof fetch = async (input, init) => {
      const url = String(input);
      if (/\/OAuth\/Token$/.test(url)) {
        const headers = new Headers(init?.headers);
        tokenRequests.push({ url, grant: new URLSearchParams(String(init?.body)).get('grant_type'), subscriptionKey: headers.has('ocp-apim-subscription-key') });
      }
      return fetch(input, init);
    };
    const agency = createAgencyClient({ ...endpointsOf(client.view), fetch: observed, now: () => wall });
    expect(await agency.debtCollection.isActive()).toBe(true);
    await agency.v2.vatCodes();
    await agency.debtCollection.isActive();
    expect(tokenRequests).toEqual([
      { url: client.view.endpoints.v1.tokenUrl, grant: 'client_credentials', subscriptionKey: false },
      { url: client.view.endpoints.v2.tokenUrl, grant: 'client_credentials', subscriptionKey: true },
    ]);
    // Ten minutes on both clocks: the v1 token (600 s) is due and is refreshed; the v2 token (1200 s) is not.
    wall += 600_000;
    await client.clock.advance({ minutes: 10 });
    expect(await agency.debtCollection.isActive()).toBe(true);
    await agency.v2.vatCodes();
    expect(tokenRequests.slice(2)).toEqual([{ url: client.view.endpoints.v1.tokenUrl, grant: 'refresh_token', subscriptionKey: false }]);
    // Ten more: both are due; v1 refreshes with its new refresh token, v2 asks again. No call meets a 401.
    wall += 600_000;
    await client.clock.advance({ minutes: 10 });
    await agency.v2.vatCodes();
    expect(await agency.debtCollection.isActive()).toBe(true);
    expect(tokenRequests.slice(3)).toEqual([
      { url: client.view.endpoints.v2.tokenUrl, grant: 'client_credentials', subscriptionKey: true },
      { url: client.view.endpoints.v1.tokenUrl, grant: 'refresh_token', subscriptionKey: false },
    ]);
    expect((await client.requests()).filter((r) => r.status === 401)).toEqual([]);
    // The control client hands out the same four URLs and keys.
    expect(await client.connection()).toEqual(endpointsOf(client.view));
  });

  it('honours 429 Retry-After for any call, with bounded retries', async () => {
    const { client, agency, ids, waits } = await world(1);
    await client.faults.add({ match: { operationId: 'createCase' }, effect: { status: 429 }, count: 2 });
    const kase = await agency.debtCollection.createCase({ code: 'K-1', invoices: ids });
    expect(kase.invoices).toHaveLength(1);
    expect(waits).toEqual([1000, 1000]);
    await client.faults.add({ match: { operationId: 'getCases' }, effect: { status: 429 }, count: 10 });
    await expect(agency.debtCollection.cases()).rejects.toMatchObject({ name: 'ApiError', status: 429 });
    expect(waits).toHaveLength(5);
  });

  it('retries 503 and dropped connections on GET, but never repeats a POST blind', async () => {
    const { client, agency, ids } = await world(1);
    await client.faults.add({ match: { operationId: 'getAvailableInvoices' }, effect: { status: 503 }, count: 1 });
    await client.faults.add({ match: { operationId: 'isActiveDebtCollection' }, effect: { drop: true }, count: 1 });
    expect((await agency.debtCollection.availableInvoices()).count).toBe(1);
    expect(await agency.debtCollection.isActive()).toBe(true);

    await client.faults.add({ match: { operationId: 'createCase' }, effect: { status: 503 }, count: 1 });
    const error = await agency.debtCollection.createCase({ code: 'K-2', invoices: ids }).catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 503, requestId: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(error.v1.validation.summary).toContain('injected fault');
    await client.faults.add({ match: { operationId: 'createCase' }, effect: { drop: true }, count: 1 });
    await expect(agency.debtCollection.createCase({ code: 'K-2', invoices: ids })).rejects.toBeInstanceOf(NetworkError);
    expect((await agency.debtCollection.cases()).count).toBe(0);
  });

  it('against each injected fault: 502 retried on GET, 500 surfaced at once, latency waited out, a fraction of 503s absorbed', async () => {
    const { client, agency, waits } = await world(1, 'sdk-fault-kinds');
    await client.faults.add({ match: { operationId: 'getAvailableInvoices' }, effect: { status: 502 }, count: 2 });
    expect((await agency.debtCollection.availableInvoices()).count).toBe(1);
    expect(waits).toEqual([100, 200]); // exponential back-off (jitter 0: half of 200, 400), no Retry-After on a 502

    // A 500 is the server's own fault, not a transient one: no retry even on GET, a typed error with the request id.
    await client.faults.add({ match: { operationId: 'getCases' }, effect: { status: 500 }, count: 1 });
    const error = await agency.debtCollection.cases().catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 500, requestId: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(waits).toHaveLength(2);
    expect((await agency.debtCollection.cases()).count).toBe(0); // the fault was for one call only

    await client.faults.add({ match: { operationId: 'isActiveDebtCollection' }, effect: { latencyMs: 150 }, count: 1 });
    expect(await agency.debtCollection.isActive()).toBe(true);

    const half = await client.faults.add({ match: { operationId: 'getAvailableInvoices' }, effect: { status: 503 }, fraction: 0.5 });
    for (let i = 0; i < 6; i++) expect((await agency.debtCollection.availableInvoices()).count).toBe(1);
    const [seen] = (await client.faults.list()).filter((f) => f.id === half.id);
    expect(seen!.fired).toBeGreaterThan(0);
    expect(seen!.seen).toBe(6 + seen!.fired); // every hit was retried until a call got through

    // Every fault is in the event journal.
    const injected = (await client.events({ type: 'fault.injected' })).events;
    expect(injected.length).toBeGreaterThanOrEqual(2 + 1 + 1 + seen!.fired);
  });

  it('after token revocation: one 401, one new token, the call succeeds', async () => {
    const { client, agency } = await world(1);
    expect(await agency.debtCollection.isActive()).toBe(true);
    expect(await tokenCalls(client)).toBe(1);
    await client.revokeTokens();
    expect((await agency.debtCollection.availableInvoices()).count).toBe(1);
    expect(await tokenCalls(client)).toBe(2);
    expect((await client.requests()).filter((r) => r.status === 401)).toHaveLength(1);
  });

  it('throws typed errors that carry the API body: v1 validation and v2 ProblemDetails', async () => {
    const { agency } = await world(1);
    const v1 = await agency.debtCollection.addInvoicesToCase('00000000-0000-4000-8000-000000000000', ['00000000-0000-4000-8000-000000000001']).catch((e) => e);
    // HTTP 200 with success false, as the vendor answers; the sandbox's 404 and the field are in its detail.
    expect(v1).toMatchObject({ status: 200, v1: { success: false, validation: { exception: 'Go' } }, sandboxDetail: { httpStatus: 404 } });
    expect(v1.sandboxDetail.fields).toHaveProperty('caseId');
    const v2 = await agency.v2.customer(999).catch((e) => e);
    expect(v2.problem).toMatchObject({ status: 404, title: 'Not Found' });
  });

  it('checks arguments before sending anything', async () => {
    const { client, agency } = await world(0);
    const agencyCalls = async () => (await client.requests()).filter((r) => r.face !== 'control').length;
    const before = await agencyCalls();
    await expect(agency.debtCollection.createCase({ code: '' } as never)).rejects.toBeInstanceOf(ArgumentError);
    await expect(agency.debtCollection.addInvoicesToCase('x', [])).rejects.toThrow('invoiceIds needs at least one invoice id');
    await expect(agency.v2.openItems({} as never)).rejects.toThrow('date is required');
    expect(() => createAgencyClient({ endpoints: sandboxEndpoints(server.url), applicationKey: '', clientKey: 'x', subscriptionKey: 'y' })).toThrow('applicationKey is required');
    expect(await agencyCalls()).toBe(before);
  });

  it('pages v2 lists with PageNumber and v1 lists with $skip/$top, and filters with the typed builder', async () => {
    const { client, agency, customer } = await world(0);
    await client.seed({ customers: 3, invoices: 0 });
    const all = await agency.v2.customers();
    expect(all).toHaveLength(4);
    const paged: number[] = [];
    for await (const c of agency.v2All<{ Id: number }>('/Customers', {}, 1)) paged.push(c.Id);
    expect(paged).toEqual(all.map((c) => c.Id));

    for (let i = 0; i < 7; i++) await client.invoices.create({ customerId: customer.id, amount: 100 * (i + 1), invoiceDate: '2025-12-01', dueDate: '2025-12-15' });
    await client.collection.approve({ all: true });
    const seen: number[] = [];
    for await (const inv of agency.debtCollection.allAvailableInvoices({ $orderby: 'InvoiceNo' }, 3)) seen.push(inv.invoiceNo);
    expect(seen).toHaveLength(7);
    expect([...seen].sort()).toEqual(seen);
    const filter = odataFilter<DebtCollectionInvoice>({ originalAmount: { gt: 400 } });
    expect(filter).toBe('OriginalAmount gt 400');
    const big = await agency.debtCollection.availableInvoices({ $filter: filter });
    expect(big.data.map((i) => i.originalAmount)).toEqual([500, 600, 700]);
  });
});

describe('v1 refusals answered the vendor way (HTTP 200, success false)', () => {
  it('throw an ApiError with status 200, the validation and the sandbox detail; nothing is retried', async () => {
    const { client, agency, ids } = await world(1);
    const kase = await agency.debtCollection.createCase({ code: 'K-1', invoices: ids });
    const error = await agency.debtCollection.addInvoicesToCase(kase.id, ids).catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(200);
    expect(error.v1.validation).toEqual({ errorLogReference: error.requestId, summary: expect.stringMatching(/already in case K-1/), exception: 'Go' });
    expect(error.sandboxDetail).toMatchObject({ httpStatus: 409, kind: 'conflict', fields: { 'invoiceIds[0]': expect.any(String) }, currentState: 'Exported', allowed: ['Approved'] });
    expect(error.message).toContain('already in case K-1');
    // Sent once: a refusal is not a transient failure.
    expect((await client.requests()).filter((r) => r.operationId === 'addInvoicesToCase')).toHaveLength(1);
    const pdf = await agency.debtCollection.invoicePdf('00000000-0000-4000-8000-000000000000').catch((e) => e);
    expect(pdf).toBeInstanceOf(ApiError);
    expect(pdf).toMatchObject({ status: 200, v1: { success: false }, sandboxDetail: { httpStatus: 404 } });
    expect((await agency.debtCollection.invoicePdf(ids[0]!)).subarray(0, 4)).toEqual(new TextEncoder().encode('%PDF'));
    const duplicate = await agency.debtCollection.createCase({ code: 'K-1' }).catch((e) => e);
    expect(duplicate).toMatchObject({ status: 200, v1: { validation: { exception: 'ApiUniqueConstraint' } }, sandboxDetail: { httpStatus: 409, kind: 'duplicate' } });
  });
});

describe('the control client', () => {
  it('drives a whole client: settings, clock, lists, snapshots, scenario, events, explain', async () => {
    const control = createSandbox({ baseUrl: server.url });
    const client = await control.clients.create({ name: 'Control AS', startDate: '2026-01-05', settings: { reminderSteps: { paymentReminder: { enabled: true } } } });
    const customer = await client.customers.create({ name: 'Kari AS' });
    const inv = await client.invoices.create({ customerId: customer.id, amount: 500, invoiceDate: '2025-12-22', dueDate: '2026-01-05' });
    await client.snapshots.save('start');
    const advanced = await client.clock.advance({ days: 29 });
    expect(advanced.events.map((e) => e.type)).toEqual(['reminder.sent', 'invoice.drafted', 'clock.advanced']);
    expect((await client.collection.lists()).draft).toHaveLength(1);
    expect((await client.invoices.explain(inv.id)).where).toContain('became a collection draft');
    await client.snapshots.restore('start');
    expect((await client.invoices.get(inv.id)).status).toBe('None');
    expect((await client.events({ type: 'invoice.' })).events.map((e) => e.type)).toEqual(['invoice.posted']);
    await expect(client.clock.advance({ days: -1 })).rejects.toThrow('advance.days must be a whole number >= 0');
    const scenarios = await control.scenarios();
    expect(scenarios.map((s) => s.name)).toContain('overdue-no-reminders');
    const played = await control.clients.create({ scenario: 'overdue-no-reminders' });
    const run = await played.scenarios.run('overdue-no-reminders', { until: 1 });
    expect(run).toMatchObject({ ok: true, nextStep: 1, finished: false });
  });
});
