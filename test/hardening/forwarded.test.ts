/**
 * Issue 10 item 5: X-Forwarded-Host/-Proto reach nextPageLink only behind an explicit --trust-proxy, and then only
 * when well formed; otherwise the link is built from the Host the request came to.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agency, newClient, newCustomer, testSandbox, type TestSandbox } from '../harness.js';

async function setup(trustProxy: boolean) {
  const t = await testSandbox({ trustProxy });
  const c = await newClient(t);
  for (const name of ['A AS', 'B AS', 'C AS']) await newCustomer(t, c.id, { name });
  return { t, a: await agency(t, c.integration) };
}

function nextLink(res: { headers: Record<string, string> }): string {
  return JSON.parse(res.headers['x-pagination']!).nextPageLink;
}

describe('forwarding headers', () => {
  let plain: Awaited<ReturnType<typeof setup>>;
  let proxied: Awaited<ReturnType<typeof setup>>;
  beforeAll(async () => {
    plain = await setup(false);
    proxied = await setup(true);
  });
  afterAll(async () => {
    await plain.t.close();
    await proxied.t.close();
  });

  it('are ignored without --trust-proxy: the link names the Host the request came to', async () => {
    const res = await plain.a.get('/v2/Customers?PageSize=2').set('Host', 'sandbox.local:4010').set('X-Forwarded-Host', 'evil.example').set('X-Forwarded-Proto', 'https');
    expect(nextLink(res)).toBe('http://sandbox.local:4010/v2/Customers?PageSize=2&PageNumber=2');
  });

  it('are used behind --trust-proxy when well formed', async () => {
    const res = await proxied.a.get('/v2/Customers?PageSize=2').set('Host', 'internal:4010').set('X-Forwarded-Host', 'sandbox.example.no').set('X-Forwarded-Proto', 'https');
    expect(nextLink(res)).toBe('https://sandbox.example.no/v2/Customers?PageSize=2&PageNumber=2');
    const first = await proxied.a.get('/v2/Customers?PageSize=2').set('Host', 'internal:4010').set('X-Forwarded-Host', 'a.example:8443, b.example').set('X-Forwarded-Proto', 'https, http');
    expect(nextLink(first)).toBe('https://a.example:8443/v2/Customers?PageSize=2&PageNumber=2');
  });

  it.each([
    ['javascript://ev"il.example/', 'https'],
    ['evil.example/path', 'https'],
    ['ev il.example', 'https'],
    ['evil.example:99999', 'https'],
    ['sandbox.example.no', 'javascript'],
    ['sandbox.example.no', 'https://x'],
  ])('a malformed forwarded host %j or proto %j is ignored even behind --trust-proxy', async (host, proto) => {
    const res = await proxied.a.get('/v2/Customers?PageSize=2').set('Host', 'internal:4010').set('X-Forwarded-Host', host).set('X-Forwarded-Proto', proto);
    const link = nextLink(res);
    expect(link).not.toContain('evil');
    expect(link).not.toContain('javascript');
    expect(link).toMatch(/^https?:\/\/(internal:4010|sandbox\.example\.no)\/v2\/Customers\?PageSize=2&PageNumber=2$/);
  });
});

describe('the endpoints a client view names', () => {
  it('follow the same rule: forwarded host only behind --trust-proxy and well formed', async () => {
    const { testSandbox: make } = await import('../harness.js');
    for (const trustProxy of [false, true]) {
      const t = await make({ trustProxy });
      const res = await t.http.post('/_sandbox/clients').set('Host', 'internal:4010').set('X-Forwarded-Host', trustProxy ? 'sandbox.example.no' : 'evil.example').set('X-Forwarded-Proto', 'https').send({ name: 'Links AS' });
      expect(res.status).toBe(201);
      expect(res.body.endpoints.v1.baseUrl).toBe(trustProxy ? 'https://sandbox.example.no/api.poweroffice.net' : 'http://internal:4010/api.poweroffice.net');
      const bad = await t.http.post('/_sandbox/clients').set('Host', 'internal:4010').set('X-Forwarded-Host', 'javascript://ev"il/').send({ name: 'Links AS' });
      expect(bad.body.endpoints.v2.baseUrl).toBe('http://internal:4010/goapi.poweroffice.net/v2');
      await t.close();
    }
  });
});
