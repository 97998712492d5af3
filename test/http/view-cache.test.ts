/**
 * Agency reads are kept serialised per world revision. Whatever changes the world (an ERP write, an agency write,
 * the clock, a snapshot restore, deleting and re-creating the client) must show in the next read, and each caller
 * and each question gets its own answer. Reference: a second dispatcher over the same engine with the cache off.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createApp } from '../../sandbox/http/express.js';
import { Dispatcher } from '../../sandbox/http/core/dispatcher.js';
import { advance, apiOfPath, newClient, newCustomer, newInvoice, testSandbox, token, type ClientFixture, type TestSandbox } from '../harness.js';

let t: TestSandbox;
let uncached: ReturnType<typeof request>;

beforeAll(async () => {
  t = await testSandbox();
  uncached = request(createApp(new Dispatcher(t.engine, t.services, t.dispatcher.operations, { ...t.dispatcher.options, viewCache: false })));
});
afterAll(() => t.close());

const AVAILABLE = '/DebtCollection/Invoices/AvailableInvoices';

async function drafted(id: string): Promise<{ client: ClientFixture; ids: string[] }> {
  const client = await newClient(t, { name: 'Cache AS', id });
  const customer = await newCustomer(t, client.id);
  const ids: string[] = [];
  for (const amount of [500, 700, 900]) ids.push((await newInvoice(t, client.id, { customerId: customer.id, invoiceDate: '2025-12-01', dueDate: '2025-12-20', amount })).id);
  await advance(t, client.id, { to: '2026-02-10' });
  return { client, ids };
}

/** GET through the cached app twice (the second from the cache) and the uncached one: all three the same. */
async function same(integration: ClientFixture['integration'], path: string, headers: Record<string, string> = {}) {
  const bearer = await token(t, integration, apiOfPath(path));
  // supertest listens on a new port per request: a fixed Host keeps the question the same.
  const get = (http: ReturnType<typeof request>) => {
    let r = http.get(path).set('Host', 'localhost:4010').set('Authorization', `Bearer ${bearer}`).set('Ocp-Apim-Subscription-Key', integration.subscriptionKey);
    for (const [k, v] of Object.entries(headers)) r = r.set(k, v);
    return r;
  };
  const first = await get(t.http);
  const second = await get(t.http);
  const reference = await get(uncached);
  for (const res of [first, second]) {
    expect(res.status, path).toBe(reference.status);
    expect(res.text, path).toBe(reference.text);
    expect(res.headers['content-type']).toBe(reference.headers['content-type']);
    expect(res.headers['x-pagination']).toBe(reference.headers['x-pagination']);
  }
  return first;
}

const post = async (path: string, body: object) => {
  const res = await t.http.post(path).send(body);
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  return res.body;
};

describe('view cache', () => {
  it('answers as the uncached path does, and follows ERP writes, agency writes, the clock and restores', async () => {
    const { client, ids } = await drafted('cache-as');
    const me = client.integration;
    expect((await same(me, AVAILABLE)).body.count).toBe(0);
    await post('/_sandbox/clients/cache-as/collection/approve', { invoiceIds: ids.slice(0, 2) });
    expect((await same(me, AVAILABLE)).body.count).toBe(2);
    await post('/_sandbox/clients/cache-as/collection/approve', { invoiceIds: [ids[2]] });
    expect((await same(me, AVAILABLE)).body.count).toBe(3);
    // The query is part of the question.
    expect((await same(me, `${AVAILABLE}?$top=1`)).body.data).toHaveLength(1);
    expect((await same(me, AVAILABLE)).body.count).toBe(3);

    // An agency write: a case takes an invoice off the available list.
    const bearer = await token(t, me, 'v1');
    const created = await t.http.post('/DebtCollection').set('Authorization', `Bearer ${bearer}`).send({ code: 'C-1', invoices: [ids[0]] });
    expect(created.status).toBe(200);
    expect((await same(me, AVAILABLE)).body.count).toBe(2);
    expect((await same(me, '/DebtCollection')).body.count).toBe(1);

    // The clock, then a restore back to before it moved.
    await post('/_sandbox/clients/cache-as/snapshots', { name: 'before' });
    const before = (await same(me, '/DebtCollection/GetAllMatchedItems?fromDateTime=2026-01-01')).text;
    await post('/_sandbox/clients/cache-as/payments', { invoiceId: ids[0], amount: 100 });
    await advance(t, 'cache-as', { days: 3 });
    const after = (await same(me, '/DebtCollection/GetAllMatchedItems?fromDateTime=2026-01-01')).text;
    expect(after).not.toBe(before);
    await post('/_sandbox/clients/cache-as/snapshots/before/restore', {});
    expect((await same(me, '/DebtCollection/GetAllMatchedItems?fromDateTime=2026-01-01')).text).toBe(before);
  });

  it('keeps each integration, host and client generation apart', async () => {
    const { client } = await drafted('cache-two');
    const other = await post('/_sandbox/clients/cache-two/integrations', { name: 'Andre inkasso', kind: 'debtCollection', canCreateNewCases: false });
    const mine = await same(client.integration, '/DebtCollection/IsActiveDebtCollection');
    expect(mine.body.data).toBe(true);
    expect((await same(other, '/DebtCollection/IsActiveDebtCollection')).body.data).toBe(false);

    // v2 paging links name the host the caller used.
    const a = await same(client.integration, '/v2/Customerledger/OpenItems?date=2026-02-10&PageSize=1', { host: 'one.example' });
    const b = await same(client.integration, '/v2/Customerledger/OpenItems?date=2026-02-10&PageSize=1', { host: 'two.example' });
    expect(JSON.parse(a.headers['x-pagination']!).nextPageLink).toContain('one.example');
    expect(JSON.parse(b.headers['x-pagination']!).nextPageLink).toContain('two.example');

    // Deleted and made again under the same id: the new world's answer, not the old one's.
    const old = (await same(client.integration, '/v2/Customerledger/OpenItems?date=2026-02-10')).body;
    expect(old).toHaveLength(3);
    expect((await t.http.delete('/_sandbox/clients/cache-two')).status).toBe(204);
    const { applicationKey, clientKey, subscriptionKey } = client.integration;
    const keys = { applicationKey, clientKey, subscriptionKey };
    const again = await newClient(t, { name: 'Cache AS', id: 'cache-two', integrations: [{ name: 'Demo inkassobyrå', canCreateNewCases: true, ...keys }] });
    const customer = await newCustomer(t, again.id);
    await newInvoice(t, again.id, { customerId: customer.id, invoiceDate: '2026-01-02', dueDate: '2026-01-20', amount: 100 });
    // Same keys as before (an agency reusing its credentials), same question.
    expect((await same(again.integration, '/v2/Customerledger/OpenItems?date=2026-02-10')).body).toHaveLength(1);
  });
});
