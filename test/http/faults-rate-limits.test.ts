import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agency, newClient, testSandbox, token, type TestSandbox } from '../harness.js';

describe('rate limits as the vendor documents them', () => {
  let t: TestSandbox;
  let now = 1_000_000;
  beforeAll(async () => {
    t = await testSandbox({ rateLimits: true, wallClock: () => now });
  });
  afterAll(() => t.close());

  it('v1: 50 requests a second per integration key, then 429 with the APIM body and Retry-After', async () => {
    const c = await newClient(t);
    const a = await agency(t, c.integration);
    now += 1000;
    for (let i = 0; i < 50; i++) expect((await a.get('/DebtCollection/IsActiveDebtCollection')).status).toBe(200);
    const limited = await a.get('/DebtCollection/IsActiveDebtCollection');
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('1');
    expect(limited.body).toEqual({ statusCode: '429', message: 'Rate limit is exceeded. Try again in 1 seconds.' });
    now += 1000;
    expect((await a.get('/DebtCollection/IsActiveDebtCollection')).status).toBe(200);
  });

  it('v2: 10 requests a second per subscription key, across clients', async () => {
    const shared = { subscriptionKey: 'shared-subscription-key-0001' };
    const c1 = await newClient(t, { integrations: [{ name: 'Agency', ...shared }] });
    const c2 = await newClient(t, { integrations: [{ name: 'Agency', ...shared }] });
    const a1 = await agency(t, c1.integration);
    const a2 = await agency(t, c2.integration);
    now += 1000;
    for (let i = 0; i < 5; i++) expect((await a1.get('/v2/VatCodes')).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await a2.get('/v2/VatCodes')).status).toBe(200);
    expect((await a1.get('/v2/VatCodes')).status).toBe(429);
    expect((await a2.get('/v2/VatCodes')).status).toBe(429);
  });

  it('can be configured per client and switched off', async () => {
    const c = await newClient(t, { settings: { rateLimits: { v1PerSecond: 3 } } });
    const a = await agency(t, c.integration);
    now += 1000;
    for (let i = 0; i < 3; i++) await a.get('/DebtCollection/IsActiveDebtCollection').expect(200);
    await a.get('/DebtCollection/IsActiveDebtCollection').expect(429);
    await t.http.put(`/_sandbox/clients/${c.id}/settings`).send({ rateLimits: { enabled: false } }).expect(200);
    for (let i = 0; i < 20; i++) await a.get('/DebtCollection/IsActiveDebtCollection').expect(200);
    expect((await t.http.get(`/_sandbox/clients/${c.id}/settings`)).body.rateLimits).toEqual({ enabled: false, v1PerSecond: 3, v2PerSecond: 10 });
  });
});

describe('fault injection', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await testSandbox();
  });
  afterAll(() => t.close());

  it('answers the next N matching calls with a status, in the face format, and journals each firing', async () => {
    const c = await newClient(t);
    const a = await agency(t, c.integration);
    const added = await t.http.post(`/_sandbox/clients/${c.id}/faults`).send({ match: { operationId: 'getAvailableInvoices' }, effect: { status: 503 }, count: 2 });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ remaining: 2, description: 'status 503 on operationId getAvailableInvoices, the next 2 call(s)' });
    await a.get('/DebtCollection/IsActiveDebtCollection').expect(200);
    const first = await a.get('/DebtCollection/Invoices/AvailableInvoices');
    expect(first.status).toBe(503);
    expect(first.headers['retry-after']).toBe('1');
    expect(first.body).toMatchObject({ success: false, validation: { summary: expect.stringContaining('injected fault: status 503') } });
    await a.get('/DebtCollection/Invoices/AvailableInvoices').expect(503);
    await a.get('/DebtCollection/Invoices/AvailableInvoices').expect(200);
    const events = (await t.http.get(`/_sandbox/clients/${c.id}/events`).query({ type: 'fault.injected' })).body.events;
    expect(events).toHaveLength(2);
    expect(events[0].cause).toContain('GET /DebtCollection/Invoices/AvailableInvoices');
    const list = (await t.http.get(`/_sandbox/clients/${c.id}/faults`)).body.faults;
    expect(list[0]).toMatchObject({ remaining: 0, fired: 2, seen: 2 });
  });

  it('injects a 429 with Retry-After, a v2 500 as ProblemDetails, and latency', async () => {
    const c = await newClient(t);
    const a = await agency(t, c.integration);
    await t.http.post(`/_sandbox/clients/${c.id}/faults`).send({ match: { face: 'v2' }, effect: { status: 500 } }).expect(201);
    const v2 = await a.get('/v2/VatCodes');
    expect(v2.status).toBe(500);
    expect(v2.body).toMatchObject({ status: 500, title: 'An error occurred while processing your request.', detail: expect.stringContaining('injected fault') });
    await t.http.post(`/_sandbox/clients/${c.id}/faults`).send({ match: { path: '/DebtCollection' }, effect: { status: 429 } }).expect(201);
    const limited = await a.get('/DebtCollection');
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('1');
    await t.http.post(`/_sandbox/clients/${c.id}/faults`).send({ match: { method: 'GET', path: '/DebtCollection' }, effect: { latencyMs: 150 } }).expect(201);
    const started = Date.now();
    await a.get('/DebtCollection').expect(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('hits a deterministic share of calls, and clears', async () => {
    const c = await newClient(t, { id: 'fraction-client' });
    const a = await agency(t, c.integration);
    await t.http.post(`/_sandbox/clients/${c.id}/faults`).send({ match: { operationId: 'isActiveDebtCollection' }, effect: { status: 502 }, fraction: 0.3 }).expect(201);
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await a.get('/DebtCollection/IsActiveDebtCollection')).status);
    const failed = statuses.filter((s) => s === 502).length;
    expect(failed).toBeGreaterThan(4);
    expect(failed).toBeLessThan(22);
    await t.http.delete(`/_sandbox/clients/${c.id}/faults`).expect(204);
    await a.get('/DebtCollection/IsActiveDebtCollection').expect(200);
  });

  it('drops the connection', async () => {
    const c = await newClient(t);
    const a = await agency(t, c.integration);
    await t.http.post(`/_sandbox/clients/${c.id}/faults`).send({ match: { operationId: 'isActiveDebtCollection' }, effect: { drop: true } }).expect(201);
    await expect(a.get('/DebtCollection/IsActiveDebtCollection')).rejects.toThrow(/socket hang up|ECONNRESET/);
    await a.get('/DebtCollection/IsActiveDebtCollection').expect(200);
  });

  it('revokes tokens: the next call is 401, and a new token works', async () => {
    const c = await newClient(t);
    const a = await agency(t, c.integration);
    await a.get('/DebtCollection/IsActiveDebtCollection').expect(200);
    await t.http.post(`/_sandbox/clients/${c.id}/tokens/revoke`).expect(200);
    const denied = await a.get('/DebtCollection/IsActiveDebtCollection');
    expect(denied.status).toBe(401);
    expect(denied.body).toEqual({ Message: 'Authorization has been denied for this request.' });
    const fresh = await token(t, c.integration, 'v1');
    await t.http.get('/DebtCollection/IsActiveDebtCollection').set('Authorization', `Bearer ${fresh}`).expect(200);
  });

  it('refuses a fault without an effect, and leaves the client unchanged', async () => {
    const c = await newClient(t);
    const res = await t.http.post(`/_sandbox/clients/${c.id}/faults`).send({ effect: {} });
    expect(res.status).toBe(400);
    expect(res.body.errors).toHaveProperty('effect');
    expect((await t.http.get(`/_sandbox/clients/${c.id}/faults`)).body.faults).toEqual([]);
  });
});
