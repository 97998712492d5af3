/** Issue 10 item 20: a wrong path gets the closest real one, a wrong method the right one, on every face. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agency, newClient, testSandbox, type TestSandbox } from '../harness.js';

describe('wrong paths and methods', () => {
  let t: TestSandbox;
  let a: Awaited<ReturnType<typeof agency>>;
  let clientId: string;
  beforeAll(async () => {
    t = await testSandbox();
    const c = await newClient(t);
    clientId = c.id;
    a = await agency(t, c.integration);
  });
  afterAll(() => t.close());

  it.each([
    ['/DebtCollection/Invoices/AvailableInvoice', 'GET /DebtCollection/Invoices/AvailableInvoices'],
    ['/DebtCollection/MatchedItem/5', 'GET /DebtCollection/MatchedItems/5'],
    ['/v2/Customer', 'GET /v2/Customers'],
  ])('agency GET %s is a 404 suggesting %s', async (path, suggestion) => {
    const res = await a.get(path);
    expect(res.status).toBe(404);
    expect(JSON.stringify(res.body)).toContain(`did you mean ${suggestion}?`);
  });

  it('a control path with a typo is a 404 naming the closest path, with the id kept', async () => {
    const res = await t.http.get(`/_sandbox/clients/${clientId}/custmers`);
    expect(res.status).toBe(404);
    expect(res.body.detail).toContain(`did you mean GET /_sandbox/clients/${clientId}/customers?`);
  });

  it('a path far from every route gets no guess', async () => {
    const res = await t.http.get('/completely/unrelated/thing/here');
    expect(res.status).toBe(404);
    expect(JSON.stringify(res.body)).not.toContain('did you mean');
  });

  it('a wrong method is a 405 naming the allowed methods, in the Allow header and the body', async () => {
    const res = await t.http.put('/_sandbox/clients').send({});
    expect(res.status).toBe(405);
    expect(res.headers.allow).toContain('POST');
    expect(res.body.detail).toMatch(/PUT is not allowed on \/_sandbox\/clients; allowed: .*POST/);
    const v1 = await a.delete('/DebtCollection/Invoices/AvailableInvoices');
    expect(v1.status).toBe(405);
    expect(v1.headers.allow).toBe('GET');
    expect(JSON.stringify(v1.body)).toContain('allowed: GET');
  });
});
