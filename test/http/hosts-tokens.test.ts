/**
 * Two hosts on one port and two tokens, as in production: v1 on api.poweroffice.net (demo api-demo) with a 600 s
 * token and a refresh token, v2 on goapi.poweroffice.net/v2 (demo /Demo/v2) with a 1200 s token and the
 * subscription key. Everything through HTTP against the real server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { advance, agency, basicAuth, BASE, newClient, newCustomer, newInvoice, testSandbox, token, tokenResponse, TOKEN_URL, worldText, type TestSandbox } from '../harness.js';
import { APIM_BAD_KEY, APIM_NO_KEY, V1_DENIED } from '../../sandbox/http/auth/agency-auth.js';

let t: TestSandbox;
beforeAll(async () => {
  t = await testSandbox();
});
afterAll(() => t.close());

const sandboxSeconds = async (clientId: string) => Math.floor(Date.parse((await t.http.get(`/_sandbox/clients/${clientId}/clock`)).body.now) / 1000);

function refresh(refreshToken: string, auth?: string, url: string = TOKEN_URL.v1) {
  let r = t.http.post(url).type('form');
  if (auth) r = r.set('Authorization', auth);
  return r.send({ grant_type: 'refresh_token', refresh_token: refreshToken });
}

describe('two hosts on one port', () => {
  it('v1 answers under /api.poweroffice.net and /api-demo.poweroffice.net, v2 under /goapi.poweroffice.net/v2 and /goapi.poweroffice.net/Demo/v2', async () => {
    const client = await newClient(t, { name: 'Hosts AS' });
    await newCustomer(t, client.id, { name: 'Kari AS' });
    const v1 = await token(t, client.integration, 'v1');
    const v2 = await token(t, client.integration, 'v2');
    for (const path of ['/api.poweroffice.net/DebtCollection/IsActiveDebtCollection', '/api-demo.poweroffice.net/DebtCollection/IsActiveDebtCollection']) {
      const res = await t.http.get(path).set('Authorization', `Bearer ${v1}`);
      expect(res.status, path).toBe(200);
      expect(res.body).toEqual({ data: true, success: true });
    }
    for (const path of ['/goapi.poweroffice.net/v2/Customers', '/goapi.poweroffice.net/Demo/v2/Customers', '/GOAPI.poweroffice.net/demo/v2/customers']) {
      const res = await t.http.get(path).set('Authorization', `Bearer ${v2}`).set('Ocp-Apim-Subscription-Key', client.integration.subscriptionKey);
      expect(res.status, path).toBe(200);
      expect(res.body.map((c: any) => c.Name)).toEqual(['Kari AS']);
    }
    // The demo token URLs issue tokens too.
    const demoV1 = await t.http.post('/api-demo.poweroffice.net/OAuth/Token').set('Authorization', basicAuth(client.integration)).type('form').send({ grant_type: 'client_credentials' });
    expect(decodeJwt(demoV1.body.access_token).aud).toBe('v1');
    const demoV2 = await t.http
      .post('/goapi.poweroffice.net/Demo/OAuth/Token')
      .set('Authorization', basicAuth(client.integration))
      .set('Ocp-Apim-Subscription-Key', client.integration.subscriptionKey)
      .type('form')
      .send({ grant_type: 'client_credentials' });
    expect(decodeJwt(demoV2.body.access_token).aud).toBe('v2');
  });

  it('a v2 path on the v1 host is a 404 in v1 format naming the v2 host and URL, and the reverse in v2 format', async () => {
    const client = await newClient(t, { name: 'Wrong Host AS' });
    const a = await agency(t, client.integration);
    const onV1 = await t.http.get('/api.poweroffice.net/v2/Customers').set('Authorization', `Bearer ${a.tokens.v2}`).set('Ocp-Apim-Subscription-Key', client.integration.subscriptionKey);
    expect(onV1.status).toBe(404);
    expect(onV1.body.success).toBe(false);
    // supertest listens on a new port per request: each answer names the address its own request used.
    const origin = (res: { request: { url: string } }) => new URL(res.request.url).origin;
    expect(onV1.body.validation.summary).toContain('goapi.poweroffice.net');
    expect(onV1.body.validation.summary).toContain(`${origin(onV1)}/goapi.poweroffice.net/v2/Customers`);

    const onV2 = await t.http.get('/goapi.poweroffice.net/DebtCollection').set('Authorization', `Bearer ${a.tokens.v1}`);
    expect(onV2.status).toBe(404);
    expect(onV2.body).toMatchObject({ status: 404 });
    expect(onV2.body.detail).toContain(`${origin(onV2)}/api.poweroffice.net/DebtCollection`);

    // Demo hosts point at each other's demo forms.
    const demo = await t.http.get('/goapi.poweroffice.net/Demo/DebtCollection');
    expect(demo.status).toBe(404);
    expect(demo.body.detail).toContain(`${origin(demo)}/api-demo.poweroffice.net/DebtCollection`);
    const demoV1 = await t.http.get('/api-demo.poweroffice.net/v2/Customers');
    expect(demoV1.body.validation.summary).toContain(`${origin(demoV1)}/goapi.poweroffice.net/Demo/v2/Customers`);

    // The control API lives at the root only.
    const control = await t.http.get(`/api.poweroffice.net/_sandbox/clients/${client.id}`);
    expect(control.status).toBe(404);
  });

  it('a Host header naming a vendor host routes like its prefix; the wrong API there names the vendor URL', async () => {
    const client = await newClient(t, { name: 'Host Header AS' });
    const a = await agency(t, client.integration);
    const v1 = await t.http.get('/DebtCollection/IsActiveDebtCollection').set('Host', 'api.poweroffice.net').set('Authorization', `Bearer ${a.tokens.v1}`);
    expect(v1.status).toBe(200);
    const wrong = await t.http.get('/DebtCollection/IsActiveDebtCollection').set('Host', 'goapi.poweroffice.net').set('Authorization', `Bearer ${a.tokens.v1}`);
    expect(wrong.status).toBe(404);
    expect(wrong.body.detail).toContain('https://api.poweroffice.net/DebtCollection/IsActiveDebtCollection');
    // A token asked for at the v2 host by Host header is a v2 token.
    const tok = await t.http
      .post('/Demo/OAuth/Token')
      .set('Host', 'goapi.poweroffice.net')
      .set('Authorization', basicAuth(client.integration))
      .set('Ocp-Apim-Subscription-Key', client.integration.subscriptionKey)
      .type('form')
      .send({ grant_type: 'client_credentials' });
    expect(decodeJwt(tok.body.access_token).aud).toBe('v2');
  });

  it('nextPageLink keeps the host prefix the caller used, and following it works', async () => {
    const client = await newClient(t, { name: 'Paging Host AS' });
    for (const name of ['A AS', 'B AS', 'C AS']) await newCustomer(t, client.id, { name });
    const a = await agency(t, client.integration);
    const first = await a.v2.get('/Customers?PageSize=2');
    expect(first.status).toBe(200);
    const link: string = JSON.parse(first.headers["x-pagination"]!).nextPageLink;
    const url = new URL(link);
    expect(url.pathname).toBe('/goapi.poweroffice.net/v2/Customers');
    const second = await a.get(url.pathname + url.search);
    expect(second.status).toBe(200);
    expect(second.body.map((c: any) => c.Name)).toEqual(['C AS']);
  });

  it('journal entries record the host each request addressed', async () => {
    const client = await newClient(t, { name: 'Journal Host AS' });
    const a = await agency(t, client.integration);
    await a.v1.get('/DebtCollection');
    await a.v2.get('/VatCodes');
    await a.get('/DebtCollection');
    expect((await a.v1.get('/v2/VatCodes')).status).toBe(404); // v2 on the v1 host
    const journal = (await t.http.get(`/_sandbox/clients/${client.id}/requests`)).body.requests as Array<{ path: string; host: string | null; operationId: string | null; status: number; problem: string | null }>;
    const byPath = (p: string) => journal.find((e) => e.path === p);
    expect(byPath('/api.poweroffice.net/DebtCollection')).toMatchObject({ host: 'api.poweroffice.net', operationId: expect.any(String) });
    expect(byPath('/goapi.poweroffice.net/v2/VatCodes')).toMatchObject({ host: 'goapi.poweroffice.net' });
    expect(byPath('/DebtCollection')).toMatchObject({ host: null });
    expect(byPath('/goapi.poweroffice.net/OAuth/Token')).toMatchObject({ host: 'goapi.poweroffice.net' });
    expect(byPath('/api.poweroffice.net/v2/VatCodes')).toMatchObject({ host: 'api.poweroffice.net', status: 404, problem: expect.stringContaining('goapi.poweroffice.net') });
  });
});

describe('client endpoints', () => {
  it('POST and GET /_sandbox/clients answer the four URLs, absolute for the address used, and they work as given', async () => {
    const created = await t.http.post('/_sandbox/clients').set('Host', 'sandbox.example:4010').send({ name: 'Endpoints AS' });
    expect(created.status).toBe(201);
    expect(created.body.endpoints).toEqual({
      v1: { baseUrl: 'http://sandbox.example:4010/api.poweroffice.net', tokenUrl: 'http://sandbox.example:4010/api.poweroffice.net/OAuth/Token' },
      v2: { baseUrl: 'http://sandbox.example:4010/goapi.poweroffice.net/v2', tokenUrl: 'http://sandbox.example:4010/goapi.poweroffice.net/OAuth/Token' },
    });
    // X-Forwarded-* is not trusted here.
    const got = await t.http.get(`/_sandbox/clients/${created.body.id}`).set('X-Forwarded-Host', 'evil.example').set('X-Forwarded-Proto', 'javascript');
    const origin = got.request.url.replace(/\/_sandbox.*$/, '');
    expect(got.body.endpoints.v2.baseUrl).toBe(`${origin}/goapi.poweroffice.net/v2`);
    expect(JSON.stringify(got.body.endpoints)).not.toContain('evil');

    const i = created.body.integrations[0];
    const path = (u: string) => new URL(u).pathname;
    const v1 = await t.http.post(path(got.body.endpoints.v1.tokenUrl)).set('Authorization', basicAuth(i)).type('form').send({ grant_type: 'client_credentials' });
    expect((await t.http.get(`${path(got.body.endpoints.v1.baseUrl)}/DebtCollection`).set('Authorization', `Bearer ${v1.body.access_token}`)).status).toBe(200);
    const v2 = await t.http.post(path(got.body.endpoints.v2.tokenUrl)).set('Authorization', basicAuth(i)).set('Ocp-Apim-Subscription-Key', i.subscriptionKey).type('form').send({ grant_type: 'client_credentials' });
    const vat = await t.http.get(`${path(got.body.endpoints.v2.baseUrl)}/VatCodes`).set('Authorization', `Bearer ${v2.body.access_token}`).set('Ocp-Apim-Subscription-Key', i.subscriptionKey);
    expect(vat.status).toBe(200);
  });

  it('a client loaded from a scenario, an imported one and a restored one answer the endpoints of the address used too', async () => {
    const fromScenario = await t.http.post('/_sandbox/clients').set('Host', 'sandbox.example').send({ scenario: 'overdue-no-reminders' });
    expect(fromScenario.status).toBe(201);
    expect(fromScenario.body.endpoints.v1.tokenUrl).toBe('http://sandbox.example/api.poweroffice.net/OAuth/Token');
    const id = fromScenario.body.id;
    const exported = (await t.http.get(`/_sandbox/clients/${id}/export`)).body;
    const imported = await t.http.post('/_sandbox/clients/import').set('Host', 'other.example:8080').send({ export: exported });
    expect(imported.status).toBe(201);
    expect(imported.body.endpoints.v2.baseUrl).toBe('http://other.example:8080/goapi.poweroffice.net/v2');
    await t.http.post(`/_sandbox/clients/${id}/snapshots`).send({ name: 'base' });
    const restored = await t.http.post(`/_sandbox/clients/${id}/snapshots/base/restore`).set('Host', 'third.example');
    expect(restored.body.endpoints.v2.tokenUrl).toBe('http://third.example/goapi.poweroffice.net/OAuth/Token');
  });

  it('an imported copy refuses the tokens of the client it was exported from (a new incarnation)', async () => {
    const original = await newClient(t, { name: 'Export Me AS' });
    const a = await agency(t, original.integration);
    const exported = (await t.http.get(`/_sandbox/clients/${original.id}/export`)).body;
    expect((await t.http.delete(`/_sandbox/clients/${original.id}`)).status).toBe(204);
    const copy = await t.http.post('/_sandbox/clients/import').send({ export: exported, id: original.id });
    expect(copy.status).toBe(201);
    expect((await a.v1.get('/DebtCollection')).status).toBe(401);
  });
});

describe('tokens as in production', () => {
  it('are JWTs (HS256) with aud, iat and exp on the sandbox clock: v1 600 s with a refresh token, v2 1200 s without', async () => {
    const client = await newClient(t, { name: 'Jwt AS', startDate: '2026-03-02' });
    await advance(t, client.id, { hours: 3 });
    const now = await sandboxSeconds(client.id);
    const v1 = await tokenResponse(t, client.integration, 'v1');
    const v2 = await tokenResponse(t, client.integration, 'v2');
    expect(decodeProtectedHeader(v1.access_token)).toMatchObject({ alg: 'HS256', typ: 'JWT' });
    expect(decodeJwt(v1.access_token)).toMatchObject({ aud: 'v1', iat: now, exp: now + 600 });
    expect(v1.expires_in).toBe(600);
    expect(v1.refresh_token).toEqual(expect.any(String));
    expect(decodeJwt(v2.access_token)).toMatchObject({ aud: 'v2', iat: now, exp: now + 1200 });
    expect(v2.expires_in).toBe(1200);
    expect(v2).not.toHaveProperty('refresh_token');
  });

  it('v1 needs no subscription key; v2 without one or with a wrong one is 401 with the API Management body', async () => {
    const client = await newClient(t, { name: 'Sub Key AS' });
    const i = client.integration;
    const v1 = await t.http.post(TOKEN_URL.v1).set('Authorization', basicAuth(i)).type('form').send({ grant_type: 'client_credentials' });
    expect(v1.status).toBe(200);
    const none = await t.http.post(TOKEN_URL.v2).set('Authorization', basicAuth(i)).type('form').send({ grant_type: 'client_credentials' });
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ statusCode: 401, message: APIM_NO_KEY });
    for (const wrong of ['ffffffffffffffffffffffffffffffff', 'short', i.subscriptionKey + 'x']) {
      const res = await t.http.post(TOKEN_URL.v2).set('Authorization', basicAuth(i)).set('Ocp-Apim-Subscription-Key', wrong).type('form').send({ grant_type: 'client_credentials' });
      expect(res.status, wrong).toBe(401);
      expect(res.body).toEqual({ statusCode: 401, message: APIM_BAD_KEY });
    }
    // Keys of another length than the real one are refused, not a crash (they are compared as digests).
    const shortApp = await t.http.post(TOKEN_URL.v1).set('Authorization', basicAuth({ applicationKey: 'x', clientKey: i.clientKey })).type('form').send({ grant_type: 'client_credentials' });
    expect(shortApp.status).toBe(400);
    expect(shortApp.body.error).toBe('invalid_client');
  });

  it('at the unprefixed /OAuth/Token the token is for v2 iff a subscription key is sent', async () => {
    const client = await newClient(t, { name: 'Root Token AS' });
    const i = client.integration;
    const plain = await t.http.post('/OAuth/Token').set('Authorization', basicAuth(i)).type('form').send({ grant_type: 'client_credentials' });
    expect(decodeJwt(plain.body.access_token).aud).toBe('v1');
    expect(plain.body.expires_in).toBe(600);
    const keyed = await t.http.post('/OAuth/Token').set('Authorization', basicAuth(i)).set('Ocp-Apim-Subscription-Key', i.subscriptionKey).type('form').send({ grant_type: 'client_credentials' });
    expect(decodeJwt(keyed.body.access_token).aud).toBe('v2');
    expect(keyed.body.expires_in).toBe(1200);
  });

  it('a v1 token is refused on v2 and a v2 token on v1, each in its own format with a www-authenticate that says why', async () => {
    const client = await newClient(t, { name: 'Cross Use AS' });
    const a = await agency(t, client.integration);
    const before = await worldText(t, client.id);
    const onV2 = await t.http.get(`${BASE.v2}/Customers`).set('Authorization', `Bearer ${a.tokens.v1}`).set('Ocp-Apim-Subscription-Key', client.integration.subscriptionKey);
    expect(onV2.status).toBe(401);
    expect(onV2.body).toEqual({ statusCode: 401, message: 'Unauthorized. Access token is missing or invalid.' });
    expect(onV2.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);
    expect(onV2.headers['www-authenticate']).toMatch(/v1 token.*v2 takes a v2 access token from .*\/goapi\.poweroffice\.net\/OAuth\/Token/);
    const onV1 = await t.http.post(`${BASE.v1}/DebtCollection`).set('Authorization', `Bearer ${a.tokens.v2}`).send({ code: 'X', invoices: [] });
    expect(onV1.status).toBe(401);
    expect(onV1.body).toEqual({ Message: V1_DENIED });
    expect(onV1.headers['www-authenticate']).toMatch(/v2 token.*v1 takes a v1 access token from .*\/api\.poweroffice\.net\/OAuth\/Token/);
    expect(await worldText(t, client.id)).toBe(before);
    // A refresh token is no access token.
    const { refresh_token } = await tokenResponse(t, client.integration, 'v1');
    const asAccess = await t.http.get(`${BASE.v1}/DebtCollection`).set('Authorization', `Bearer ${refresh_token}`);
    expect(asAccess.status).toBe(401);
    expect(asAccess.headers['www-authenticate']).toMatch(/refresh token/);
  });
});

describe('the v1 refresh_token grant', () => {
  it('gives a new pair; each refresh token works once; unknown ones are 400 invalid_grant', async () => {
    const client = await newClient(t, { name: 'Refresh AS' });
    const first = await tokenResponse(t, client.integration, 'v1');
    await advance(t, client.id, { minutes: 9 });
    const now = await sandboxSeconds(client.id);
    const second = await refresh(first.refresh_token!);
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ token_type: 'bearer', expires_in: 600, refresh_token: expect.any(String) });
    expect(decodeJwt(second.body.access_token)).toMatchObject({ aud: 'v1', iat: now, exp: now + 600 });
    await advance(t, client.id, { minutes: 5 }); // the first token has expired, the new one has not
    expect((await t.http.get(`${BASE.v1}/DebtCollection`).set('Authorization', `Bearer ${first.access_token}`)).status).toBe(401);
    expect((await t.http.get(`${BASE.v1}/DebtCollection`).set('Authorization', `Bearer ${second.body.access_token}`)).status).toBe(200);

    const again = await refresh(first.refresh_token!);
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ error: 'invalid_grant', error_description: expect.stringMatching(/used already/) });
    for (const bad of ['not-a-token', first.access_token]) {
      const res = await refresh(bad);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_grant');
    }
    const missing = await t.http.post(TOKEN_URL.v1).type('form').send({ grant_type: 'refresh_token' });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toBe('invalid_request');
  });

  it('is bound to its integration: the Basic keys of another integration are refused', async () => {
    const client = await newClient(t, { name: 'Refresh Bound AS' });
    const other = (await t.http.post(`/_sandbox/clients/${client.id}/integrations`).send({ name: 'Other inkasso', canCreateNewCases: false })).body;
    const pair = await tokenResponse(t, client.integration, 'v1');
    const res = await refresh(pair.refresh_token!, basicAuth(other));
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_grant');
    expect(res.body.error_description).toMatch(/another integration/);
    // With its own keys it works.
    expect((await refresh(pair.refresh_token!, basicAuth(client.integration))).status).toBe(200);
  });

  it('v2 has no refresh grant; v1RefreshTokens=false drops the refresh token and refuses the grant', async () => {
    const client = await newClient(t, { name: 'No Refresh AS' });
    const pair = await tokenResponse(t, client.integration, 'v1');
    const v2 = await refresh(pair.refresh_token!, basicAuth(client.integration), TOKEN_URL.v2);
    expect(v2.status).toBe(401); // no subscription key: API Management answers first
    const v2Keyed = await t.http
      .post(TOKEN_URL.v2)
      .set('Ocp-Apim-Subscription-Key', client.integration.subscriptionKey)
      .type('form')
      .send({ grant_type: 'refresh_token', refresh_token: pair.refresh_token });
    expect(v2Keyed.status).toBe(400);
    expect(v2Keyed.body.error).toBe('unsupported_grant_type');

    expect((await t.http.put(`/_sandbox/clients/${client.id}/settings`).send({ v1RefreshTokens: false })).status).toBe(200);
    const plain = await tokenResponse(t, client.integration, 'v1');
    expect(plain).not.toHaveProperty('refresh_token');
    const res = await refresh(pair.refresh_token!);
    expect(res.status).toBe(400);
    expect(res.body.error_description).toMatch(/v1RefreshTokens/);
  });
});

describe('a token outlives neither its client nor a revocation', () => {
  it('a client created again under the same id (same keys) refuses every token of the old one', async () => {
    const keys = { applicationKey: 'app-reborn', clientKey: 'client-reborn', subscriptionKey: 'sub-reborn' };
    const old = await newClient(t, { id: 'reborn-as', name: 'Reborn AS', integrations: [{ name: 'Inkasso', canCreateNewCases: true, ...keys }] });
    const a = await agency(t, old.integration);
    const pair = await tokenResponse(t, old.integration, 'v1');
    expect((await t.http.delete(`/_sandbox/clients/${old.id}`)).status).toBe(204);
    const reborn = await newClient(t, { id: 'reborn-as', name: 'Reborn AS', integrations: [{ name: 'Inkasso', canCreateNewCases: true, ...keys }] });
    const customer = await newCustomer(t, reborn.id);
    await newInvoice(t, reborn.id, { customerId: customer.id, invoiceDate: '2025-12-01', dueDate: '2025-12-15' });

    const v1 = await a.get('/DebtCollection/Invoices/AvailableInvoices');
    expect(v1.status).toBe(401);
    expect(v1.headers['www-authenticate']).toMatch(/earlier client reborn-as/);
    expect((await a.get('/v2/Customers')).status).toBe(401);
    expect((await a.v2.get('/Customers')).status).toBe(401);
    const r = await refresh(pair.refresh_token!);
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('invalid_grant');
    // New tokens of the new client work.
    const b = await agency(t, reborn.integration);
    expect((await b.v2.get('/Customers')).status).toBe(200);
  });

  it('revocation refuses v1 and v2 access tokens and v1 refresh tokens issued before it', async () => {
    const client = await newClient(t, { name: 'Revoke Both AS' });
    const a = await agency(t, client.integration);
    const pair = await tokenResponse(t, client.integration, 'v1');
    expect((await t.http.post(`/_sandbox/clients/${client.id}/tokens/revoke`)).status).toBe(200);
    expect((await a.v1.get('/DebtCollection')).status).toBe(401);
    expect((await a.v2.get('/VatCodes')).status).toBe(401);
    expect((await refresh(pair.refresh_token!)).body.error).toBe('invalid_grant');
    const b = await agency(t, client.integration);
    expect((await b.v1.get('/DebtCollection')).status).toBe(200);
    expect((await b.v2.get('/VatCodes')).status).toBe(200);
  });
});
