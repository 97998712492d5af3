/**
 * The node listener answers bodiless requests itself and hands bodies and pages to express. Every answer must be
 * the one the express adapter gives for the same request: same status, headers and bytes. Reference: the express
 * app over the same dispatcher.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createApp } from '../../sandbox/http/express.js';
import { BASE, advance, newClient, newCustomer, newInvoice, testSandbox, token, type ClientFixture, type TestSandbox } from '../harness.js';

let t: TestSandbox;
let viaExpress: ReturnType<typeof request>;
let client: ClientFixture;
let bearer: { v1: string; v2: string };

beforeAll(async () => {
  t = await testSandbox();
  viaExpress = request(createApp(t.dispatcher));
  client = await newClient(t, { name: 'Listener AS', id: 'listener' });
  const customer = await newCustomer(t, client.id);
  const ids: string[] = [];
  for (const amount of [500, 700]) ids.push((await newInvoice(t, client.id, { customerId: customer.id, invoiceDate: '2025-12-01', dueDate: '2025-12-20', amount })).id);
  await advance(t, client.id, { to: '2026-02-10' });
  expect((await t.http.post('/_sandbox/clients/listener/collection/approve').send({ invoiceIds: ids })).status).toBeLessThan(300);
  bearer = { v1: await token(t, client.integration, 'v1'), v2: await token(t, client.integration, 'v2') };
});
afterAll(() => t.close());

// Differ per request by design (a fresh id; the wall clock on non-agency answers).
const PER_REQUEST = new Set(['x-request-id', 'date']);
const comparable = (h: Record<string, unknown>) => Object.fromEntries(Object.entries(h).filter(([k]) => !PER_REQUEST.has(k)));

type Http = ReturnType<typeof request>;
/** The text with this answer's own request id (in error bodies) named as such. */
const textOf = (res: request.Response) =>
  (typeof res.text === 'string' ? res.text : Buffer.isBuffer(res.body) ? res.body.toString() : '')
    .replaceAll(String(res.headers['x-request-id']), '<request>')
    .replace(/"traceId":"00-[0-9a-f]{32}-/g, '"traceId":"00-<trace>-');

async function both(make: (http: Http) => request.Test) {
  // supertest listens on a new port per request: a fixed Host keeps the answers' own URLs the same.
  const send = (http: Http) => make(http).set('Host', 'localhost:4010').buffer(true);
  const [ours, reference] = [await send(t.http), await send(viaExpress)];
  expect(ours.status).toBe(reference.status);
  expect(comparable(ours.headers)).toEqual(comparable(reference.headers));
  expect(textOf(ours)).toBe(textOf(reference));
  return ours;
}

const agencyGet = (path: string, api: 'v1' | 'v2', extra: Record<string, string> = {}) => (http: Http) => {
  let r = http.get(path).set('Authorization', `Bearer ${bearer[api]}`);
  r = r.set('Ocp-Apim-Subscription-Key', client.integration.subscriptionKey);
  for (const [k, v] of Object.entries(extra)) r = r.set(k, v);
  return r;
};

describe('node listener', () => {
  it('answers agency reads as express does: v1 list, v2 paged list with X-Pagination, and a cached repeat', async () => {
    const v1 = await both(agencyGet(`${BASE.v1}/DebtCollection/Invoices/AvailableInvoices`, 'v1'));
    expect(v1.status).toBe(200);
    expect(v1.body.data).toHaveLength(2);
    await both(agencyGet(`${BASE.v1}/DebtCollection/Invoices/AvailableInvoices`, 'v1'));
    const v2 = await both(agencyGet(`${BASE.v2}/CustomerLedger/OpenItems?date=2026-02-10&PageSize=1`, 'v2'));
    expect(v2.status).toBe(200);
    expect(v2.headers['x-pagination']).toBeDefined();
    expect(v2.headers['x-sandbox-time']).toBeDefined();
  });

  it('answers refusals and unknown paths as express does: bad token, 404 with a guess, 405, a repeated header', async () => {
    const bad = await both((http) => http.get(`${BASE.v2}/CustomerLedger/OpenItems`).set('Authorization', 'Bearer nope'));
    expect(bad.status).toBe(401);
    expect((await both((http) => http.get(`${BASE.v1}/DebtCollection/Invoices/AvailableInvoice`))).status).toBe(404);
    expect((await both((http) => http.delete(`${BASE.v1}/DebtCollection/Invoices/AvailableInvoices`))).status).toBe(405);
    expect((await both((http) => http.get('/_sandbox/clients/listener/..'))).status).toBe(404);
    const twice = await both(agencyGet(`${BASE.v2}/CustomerLedger/OpenItems?date=2026-02-10`, 'v2', { 'X-Custom': 'a' }));
    expect(twice.status).toBe(200);
  });

  it('serves control reads, HEAD, pages and assets as express does', async () => {
    expect((await both((http) => http.get('/_sandbox/clients/listener'))).status).toBe(200);
    expect((await both((http) => http.head('/_sandbox/clients/listener'))).status).toBe(405);
    const head = await both((http) => http.head('/inspector/app.css'));
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toMatch(/^[1-9]/);
    const page = await both((http) => http.get('/').set('Accept', 'text/html'));
    expect(page.headers['content-type']).toMatch(/text\/html/);
    const json = await both((http) => http.get('/').set('Accept', 'application/json'));
    expect(json.headers['content-type']).toMatch(/json/);
    expect((await both((http) => http.get('/inspector/app.css'))).status).toBe(200);
    expect((await both((http) => http.get('/openapi.json'))).status).toBe(200);
  });

  it('hands bodies to express: JSON writes, an empty body with Content-Length 0, malformed JSON, and a body over the limit', async () => {
    const small = createApp(t.dispatcher, { bodyLimit: '1kb' });
    const created = await t.http.post('/_sandbox/clients').send({ name: 'Body AS', id: 'listener-body' });
    expect(created.status).toBe(201);
    const empty = await both((http) => http.post('/_sandbox/clients/listener/clock/advance').set('Content-Length', '0'));
    expect(empty.status).toBe(400);
    const broken = await both((http) => http.post('/_sandbox/clients').set('Content-Type', 'application/json').send('{"name":'));
    expect(broken.status).toBe(400);
    const big = await request(small).post('/_sandbox/clients').set('Content-Type', 'application/json').send({ name: 'x'.repeat(4000) });
    expect(big.status).toBe(413);
    expect(JSON.stringify(big.body)).toContain('larger than the limit');
  });
});
